// Public API of @payspec/stripe-terminal-client: the generated client and operation table.
export * from "./gen/index.gen.js";
