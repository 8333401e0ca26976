#!/usr/bin/env node
// Entry point of `pnpm bench` (after scripts/bench.mjs has built what it needs).
import { parseArgs, runBench } from "./cli.js";

try {
  await runBench(parseArgs(process.argv.slice(2)));
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
