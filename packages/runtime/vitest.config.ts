import { defineConfig } from "vitest/config";

// Property tests run hundreds of inputs; on a loaded 2-core CI machine they need more than the
// default 5 s. Their sizes are bounded in the tests themselves (no timing is asserted).
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, setupFiles: ["test/setup-fast-check.ts"] },
});
