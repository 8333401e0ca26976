// Public API of @payspec/nexo-types: everything the generated barrel exports (src/gen/index.gen.ts).
export * from "./gen/index.gen.js";
