import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/ (this package), whether running from src/ (vitest) or dist/. */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = join(BENCH_DIR, "..");
export const SPECS_DIR = join(REPO_DIR, "specs");
export const BIN = (name: string): string => join(BENCH_DIR, "node_modules", ".bin", name);
