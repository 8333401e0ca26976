// Prints what the `gen` task emitted: per protocol, the contract in specs/openapi/ and the
// generated files of each package (packages/<protocol>/<artifact>/src/gen).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { protocols } from "./protocols.js";
import { loadOpenApi, loadSchemaBundle, specsDir } from "./schemas.js";

const artifacts = ["types", "validators", "client", "server"];

/** @param {string} dir @returns {number} files below dir */
function countFiles(dir) {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    n += entry.isDirectory() ? countFiles(join(dir, entry.name)) : 1;
  }
  return n;
}

const rows = [];
for (const { id } of protocols) {
  const doc = loadOpenApi(id);
  const bundle = loadSchemaBundle(id);
  // The generated operations table, once built: OpenAPI merges operations that share a route
  // (nexo's terminal and POS listener), so it would undercount.
  let operations = 0;
  const built = join(specsDir, "..", "packages", id, "server", "dist", "gen", "server.gen.js");
  if (existsSync(built)) {
    operations = Object.keys((await import(pathToFileURL(built).href)).operations).length;
  } else {
    for (const item of Object.values(doc.paths ?? {})) {
      for (const op of Object.values(item)) if (op && typeof op === "object" && "responses" in op) operations++;
    }
  }
  const dir = join(specsDir, "openapi", id);
  const bytes = ["openapi.yaml", `${id}.schema.json`].reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  /** @type {Record<string, unknown>} */
  const row = {
    protocol: id,
    operations,
    messages: Object.keys(bundle.$defs).length,
    "contract kB": Number((bytes / 1024).toFixed(1)),
  };
  for (const a of artifacts) row[`${a} files`] = countFiles(join(specsDir, "..", "packages", id, a, "src", "gen"));
  rows.push(row);
}
console.log(
  "Emitted contract (specs/openapi/<protocol>/{openapi.yaml,<protocol>.schema.json}) and generated packages:",
);
console.table(rows);
