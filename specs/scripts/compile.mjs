// Compiles specs/<protocol>/main.tsp with specs/tspconfig.yaml into specs/openapi/<protocol>/
// (OpenAPI 3.1 + JSON Schema bundle). Usage: node scripts/compile.mjs [--out DIR] [protocol...]
// One process for all protocols: the compiler's own start-up is the slow part.
import { rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, formatDiagnostic, NodeHost, resolveCompilerOptions } from "@typespec/compiler";
import { protocols } from "./protocols.js";

const specsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * @param {string} id protocol id
 * @param {string} [outRoot] folder that receives <id>/ (default specs/openapi)
 * @returns {Promise<string[]>} diagnostics, formatted; empty when clean
 */
export async function compileProtocol(id, outRoot = join(specsDir, "openapi")) {
  const entrypoint = join(specsDir, id, "main.tsp");
  const [options, configDiagnostics] = await resolveCompilerOptions(NodeHost, {
    cwd: specsDir,
    entrypoint,
    configPath: join(specsDir, "tspconfig.yaml"),
    args: { protocol: id },
  });
  if (configDiagnostics.length > 0) return configDiagnostics.map((d) => formatDiagnostic(d, { pretty: false }));
  const outDir = join(outRoot, id);
  for (const emitter of Object.values(options.options ?? {})) emitter["emitter-output-dir"] = outDir;
  await rm(outDir, { recursive: true, force: true });
  const program = await compile(NodeHost, entrypoint, options);
  return program.diagnostics.map((d) => formatDiagnostic(d, { pretty: false }));
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  let outRoot = join(specsDir, "openapi");
  const outAt = args.indexOf("--out");
  if (outAt >= 0) {
    outRoot = resolve(args[outAt + 1] ?? "");
    args.splice(outAt, 2);
  }
  const ids = args.length > 0 ? args : protocols.map((p) => p.id);
  let failed = false;
  for (const id of ids) {
    const diagnostics = await compileProtocol(id, outRoot);
    if (diagnostics.length > 0) {
      failed = true;
      console.error(`${id}: ${diagnostics.length} diagnostic(s)`);
      for (const d of diagnostics) console.error(`  ${d}`);
    }
  }
  if (failed) process.exit(1);
}
