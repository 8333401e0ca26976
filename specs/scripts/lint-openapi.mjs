// Runs `redocly lint` on every emitted OpenAPI document; exits non-zero on any problem.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { protocols } from "./protocols.js";
import { specsDir } from "./schemas.js";

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve("@redocly/cli/package.json")), "bin", "cli.js");

export function lint(ids = protocols.map((p) => p.id)) {
  const files = ids.map((id) => join(specsDir, "openapi", id, "openapi.yaml"));
  return spawnSync(
    process.execPath,
    [cli, "lint", "--config", join(specsDir, "redocly.yaml"), "--format", "stylish", ...files],
    {
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
    },
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) {
  const r = lint(process.argv.slice(2).length ? process.argv.slice(2) : undefined);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
}
