/**
 * `payspec-gen <protocol> <artifact>`: compiles specs/<protocol>/main.tsp with specs/tspconfig.yaml
 * and runs this emitter alone into `<cwd>/src/gen` (cleaned first, so removed messages vanish).
 */
import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, formatDiagnostic, NodeHost, resolveCompilerOptions } from "@typespec/compiler";

const artifacts = ["types", "validators", "client", "server"];

export function findSpecsDir(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "specs", "tspconfig.yaml"))) return join(dir, "specs");
    if (dirname(dir) === dir) throw new Error(`no specs/tspconfig.yaml above ${from}`);
  }
}

export async function main(argv: string[], cwd: string): Promise<number> {
  const args = [...argv];
  const specsAt = args.indexOf("--specs");
  const specsOverride = specsAt >= 0 ? args.splice(specsAt, 2)[1] : undefined;
  const schemaAt = args.indexOf("--schema-dir");
  const schemaOverride = schemaAt >= 0 ? args.splice(schemaAt, 2)[1] : undefined;
  const [protocol, artifact] = args;
  if (!protocol || !artifact || !artifacts.includes(artifact)) {
    console.error(`usage: payspec-gen <protocol> <${artifacts.join("|")}> [--specs DIR] [--schema-dir DIR]`);
    return 2;
  }
  const specsDir = specsOverride ? resolve(cwd, specsOverride) : findSpecsDir(cwd);
  const entrypoint = join(specsDir, protocol, "main.tsp");
  const outDir = join(cwd, "src", "gen");
  const emitterPath = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const [options, configDiagnostics] = await resolveCompilerOptions(NodeHost, {
    cwd: specsDir,
    entrypoint,
    configPath: join(specsDir, "tspconfig.yaml"),
    args: { protocol },
    overrides: { emit: [] },
  });
  if (configDiagnostics.length > 0) {
    for (const d of configDiagnostics) console.error(formatDiagnostic(d, { pretty: false }));
    return 1;
  }
  // Emit beside the live folder and swap it in at the end: a build that reads src/gen meanwhile (another turbo run,
  // an editor) sees the old files or the new ones, never an empty or half-written folder.
  const stagingDir = join(cwd, "src", `.gen-${process.pid}`);
  await rm(stagingDir, { recursive: true, force: true });
  const program = await compile(NodeHost, entrypoint, {
    ...options,
    emit: [emitterPath],
    options: {
      "@payspec/emitter": {
        "emitter-output-dir": stagingDir,
        artifact,
        protocol,
        "schema-dir": schemaOverride ? resolve(cwd, schemaOverride) : join(specsDir, "openapi"),
      },
    },
  });
  if (program.diagnostics.length > 0) {
    for (const d of program.diagnostics) console.error(formatDiagnostic(d, { pretty: false }));
    await rm(stagingDir, { recursive: true, force: true });
    return 1;
  }
  const retiredDir = join(cwd, "src", `.gen-old-${process.pid}`);
  await rename(outDir, retiredDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
  await rename(stagingDir, outDir);
  await rm(retiredDir, { recursive: true, force: true });
  return 0;
}
