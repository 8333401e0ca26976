// Public API of @payspec/hipay-ecr-client: the generated client and operation table.
export * from "./gen/index.gen.js";
