#!/usr/bin/env node
// `pnpm bench`: builds this package and everything it imports (turbo, cached when unchanged),
// then runs the suites. Flags go through: pnpm bench -- --quick --suite server --protocol nexo
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bench = join(dirname(fileURLToPath(import.meta.url)), "..");
const repo = join(bench, "..");
const args = process.argv.slice(2).filter((a) => a !== "--");

// turbo needs the pnpm binary on PATH (the repository's packageManager). Under `pnpm bench` it is;
// under plain `node scripts/bench.mjs` find it through npx once.
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1" };
if (spawnSync("pnpm", ["--version"], { stdio: "ignore" }).status !== 0) {
  const found = spawnSync("npx", ["-y", "pnpm@10", "exec", "sh", "-c", "command -v pnpm"], {
    cwd: repo,
    encoding: "utf8",
  });
  const path = found.stdout?.trim().split("\n").pop();
  if (found.status === 0 && path) env.PATH = `${dirname(path)}:${env.PATH}`;
}
if (!args.includes("--no-build")) {
  const turbo = join(repo, "node_modules", ".bin", "turbo");
  const build = spawnSync(turbo, ["run", "build", "--filter=@payspec/bench...", "--output-logs=errors-only"], {
    cwd: repo,
    stdio: "inherit",
    env,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, [join(bench, "dist", "main.js"), ...args.filter((a) => a !== "--no-build")], {
  cwd: bench,
  stdio: "inherit",
  env,
});
process.exit(run.status ?? 1);
