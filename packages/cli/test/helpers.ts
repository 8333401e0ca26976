/** Runs the built `payspec` bin with node, as a user would. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/payspec.js", import.meta.url));

/** Absolute path of a file under test/fixtures. */
export function fixture(path: string): string {
  return fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url));
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout split into lines, without the final empty one */
  lines: string[];
}

export function payspec(args: readonly string[], stdin?: Uint8Array): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      resolve({
        code,
        stdout,
        stderr: Buffer.concat(err).toString("utf8"),
        lines: stdout.split("\n").filter((l) => l !== ""),
      });
    });
    child.stdin.end(stdin);
  });
}
