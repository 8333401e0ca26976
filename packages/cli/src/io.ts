/**
 * Where a command reads and writes. Commands never touch `process` directly, so they run the
 * same under the `payspec` bin and inside a test or another tool.
 */
import { readFile, stat } from "node:fs/promises";
import { maskPansInText } from "@payspec/runtime";

/** Exit codes of every subcommand. */
export const EXIT = {
  /** The command did what was asked: the message is valid. */
  ok: 0,
  /** The input was read but is not a valid message (decode or validation errors). */
  invalid: 1,
  /** Bad arguments, unknown names, unreadable files. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliIo {
  /** One line of the command's result (standard output). */
  out(line: string): void;
  /** One line of diagnostics: usage and I/O errors (standard error). */
  err(line: string): void;
  /** Reads the bytes of a file argument; `-` is standard input. Throws `InputError`. */
  readInput(path: string): Promise<Uint8Array>;
  /** Resolves when the user asks a long-running command (simulate, docs) to stop: Ctrl-C or SIGTERM. */
  waitForStop?(): Promise<void>;
}

/** A command line the command cannot act on: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * The `--port` option: `fallback` when absent; otherwise a whole number such that the `span` consecutive ports from it
 * (one per server) stay within 0–65535, or a UsageError.
 */
export function parsePort(value: string | undefined, fallback: number, span = 1): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (value.trim() === "" || !Number.isInteger(port) || port < 0 || port + span - 1 > 65_535)
    throw new UsageError(`--port must be a port number, got ${JSON.stringify(value)}`);
  return port;
}

/** A file that cannot be read (missing, a directory, too large): exit 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** Files are read whole; the codecs' own limits are lower (1 MiB), this only keeps memory bounded. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/**
 * The process's streams. Every line goes through `maskPansInText` on its way out: a card
 * number quoted back from an input file (in a codec error, say) never reaches a terminal or a log.
 */
export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${maskPansInText(line)}\n`),
    err: (line) => process.stderr.write(`${maskPansInText(line)}\n`),
    readInput: (path) => (path === "-" ? readStdin() : readPath(path)),
    waitForStop: () =>
      new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      }),
  };
}

async function readPath(path: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(`${path} is a directory`);
    if (info.size > MAX_INPUT_BYTES) throw new InputError(`${path} is ${info.size} bytes, over ${MAX_INPUT_BYTES}`);
    return await readFile(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code ?? error);
    throw new InputError(`cannot read ${path}: ${reason}`);
  }
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length > MAX_INPUT_BYTES) throw new InputError(`standard input is over ${MAX_INPUT_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
