// Public API of @payspec/payneteasy-client: the generated client and operation table.
export * from "./gen/index.gen.js";
