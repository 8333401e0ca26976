// Public API of @payspec/stripe-terminal-server: the generated client and operation table.
export * from "./gen/index.gen.js";
