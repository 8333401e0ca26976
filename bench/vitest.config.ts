import { defineConfig } from "vitest/config";

// The harness test runs a --quick suite (real work on a shared machine): generous time limits.
export default defineConfig({ test: { testTimeout: 180_000, hookTimeout: 60_000 } });
