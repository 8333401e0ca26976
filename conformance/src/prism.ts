/**
 * Stoplight Prism as a third-party target: `prism mock <openapi.yaml> -p <port> -h 127.0.0.1`, run as
 * a child process with node, from this package's node_modules (no network).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { freeLoopbackPort } from "@payspec/runtime/server";
import { adapters } from "./protocols/index.js";
import type { Target } from "./protocols/types.js";
import type { ProtocolName } from "./scenario.js";
import { defaultSpecDir } from "./spec.js";

function prismBin(): string {
  const candidates = [
    new URL("../node_modules/@stoplight/prism-cli/dist/index.js", import.meta.url).pathname,
    new URL("../node_modules/.bin/prism", import.meta.url).pathname,
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error("@stoplight/prism-cli is not installed (devDependency of @payspec/conformance)");
  return found;
}

export async function startPrism(
  protocol: ProtocolName,
  specDir = defaultSpecDir(),
): Promise<Target | { skip: string }> {
  if (!specDir) return { skip: "the committed OpenAPI (specs/openapi) is not available" };
  const file = join(specDir, protocol, "openapi.yaml");
  let bin: string;
  try {
    bin = prismBin();
  } catch (err) {
    return { skip: (err as Error).message };
  }
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(process.execPath, [bin, "mock", file, "-p", String(port), "-h", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (c: Buffer) => {
      log += c.toString();
      if (/Prism is listening/.test(log)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`prism exited (${code}): ${log.slice(-500)}`)));
  });
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`prism did not start in 60 s: ${log.slice(-500)}`)), 60_000).unref(),
  );
  try {
    await Promise.race([ready, timer]);
  } catch (err) {
    child.kill();
    return { skip: `Prism could not mock ${protocol}: ${(err as Error).message}` };
  }
  const sim = await adapters[protocol].urlTarget(`http://127.0.0.1:${port}`, {});
  return {
    ...sim,
    kind: "mock",
    label: `Prism mock of ${protocol}`,
    capabilities: new Set(),
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill();
        await exited;
      }
    },
  };
}
