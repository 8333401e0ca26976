import { defineConfig } from "vitest/config";

// `payspec simulate` loads five server packages and starts five simulators: on a loaded 2-core CI machine that
// takes longer than vitest's default 5 s. No test asserts timing.
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 } });
