// Public API of @payspec/payneteasy-server: the generated client and operation table.
export * from "./gen/index.gen.js";
