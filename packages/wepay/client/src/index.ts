// Public API of @payspec/wepay-client: the generated client and operation table.
export * from "./gen/index.gen.js";
