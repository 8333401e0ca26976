// Public API of @payspec/stripe-terminal-validators: everything the generated barrel exports (src/gen/index.gen.ts).
export * from "./gen/index.gen.js";
