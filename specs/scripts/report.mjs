// Prints what the last `gen` emitted into specs/openapi/: per protocol, operations and messages.
import { statSync } from "node:fs";
import { join } from "node:path";
import { protocols } from "./protocols.js";
import { loadOpenApi, loadSchemaBundle, specsDir } from "./schemas.js";

const rows = [];
for (const { id, title } of protocols) {
  const doc = loadOpenApi(id);
  const bundle = loadSchemaBundle(id);
  let operations = 0;
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item)) if (op && typeof op === "object" && "responses" in op) operations++;
  }
  const dir = join(specsDir, "openapi", id);
  const bytes = ["openapi.yaml", `${id}.schema.json`].reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  rows.push({
    protocol: id,
    title,
    paths: Object.keys(doc.paths ?? {}).length,
    operations,
    messages: Object.keys(bundle.$defs).length,
    kB: (bytes / 1024).toFixed(1),
  });
}
console.log("Emitted contract (specs/openapi/<protocol>/openapi.yaml + <protocol>.schema.json):");
console.table(rows);
