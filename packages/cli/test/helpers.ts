/** Runs the built `payspec` bin with node, as a user would. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CliIo } from "../src/index.js";

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

/** An io whose "Ctrl-C" the test presses, and which hands over the printed lines as they come. */
export function controlledIo() {
  const out: string[] = [];
  const err: string[] = [];
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  let serving!: () => void;
  const started = new Promise<void>((resolve) => {
    serving = resolve;
  });
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readInput: async () => new Uint8Array(),
    waitForStop: () => {
      serving();
      return stopped;
    },
  };
  return { io, out, err, stop, started };
}
