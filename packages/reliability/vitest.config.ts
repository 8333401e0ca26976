import { defineConfig } from "vitest/config";

// Campaigns send hundreds of requests to real simulators over loopback; a loaded 2-core CI machine needs time.
// Sizes are bounded in the tests; no test asserts timing.
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 300_000, hookTimeout: 120_000 } });
