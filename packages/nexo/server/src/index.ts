// Public API of @payspec/nexo-server: the generated client and operation table.
export * from "./gen/index.gen.js";
