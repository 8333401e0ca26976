import { defineConfig } from "vitest/config";

// The generated validators import ajv's CommonJS runtime helpers and read `.default` the way
// plain Node does; vitest's default CJS interop would hand over the function itself instead.
// Workaround for the emitter issue in .notes/hipay-ecr.md (2); delete once the emitter is fixed.
export default defineConfig({ test: { deps: { interopDefault: false } } });
