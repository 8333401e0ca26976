/** TypeSpec emitter entry: `emit: ["@payspec/emitter"]` with options { artifact, protocol }. */
import { dirname } from "node:path";
import { type EmitContext, emitFile, resolvePath } from "@typespec/compiler";
import { emitClient } from "./artifacts/client.js";
import { emitServer } from "./artifacts/server.js";
import { emitTypes } from "./artifacts/types.js";
import { emitValidators } from "./artifacts/validators.js";
import type { EmitterOptions } from "./lib.js";

export { emitTypes } from "./artifacts/types.js";
export type { Artifact, EmitterOptions } from "./lib.js";
export { $lib } from "./lib.js";

export async function $onEmit(context: EmitContext<EmitterOptions>): Promise<void> {
  const { program, options } = context;
  if (program.compilerOptions.noEmit) return;
  const files = (() => {
    switch (options.artifact) {
      case "types":
        return emitTypes(program);
      case "client":
        return emitClient(program, options.protocol);
      case "server":
        return emitServer(program, options.protocol);
      case "validators":
        return emitValidators(program, options.protocol, options["schema-dir"] ?? "");
    }
  })();
  for (const f of files) {
    const path = resolvePath(context.emitterOutputDir, f.path);
    await program.host.mkdirp(dirname(path));
    await emitFile(program, { path, content: f.content });
  }
}
