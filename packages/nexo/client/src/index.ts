// Public API of @payspec/nexo-client: the generated client and operation table.
export * from "./gen/index.gen.js";
