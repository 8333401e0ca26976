// Public API of @payspec/wepay-server: the generated client and operation table.
export * from "./gen/index.gen.js";
