import { defineConfig } from "vitest/config";

// The flow tests drive the real gateway simulator over loopback; on a loaded 2-core machine that needs more than 5 s.
export default defineConfig({ test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 } });
