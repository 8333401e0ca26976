import { defineConfig } from "vitest/config";

// Hooks compile fixture specs with the TypeSpec compiler: seconds on a loaded 2-core machine. Nothing is timed.

export default defineConfig({ test: { include: ["test/*.test.ts"], testTimeout: 60_000, hookTimeout: 120_000 } });
