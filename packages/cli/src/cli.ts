/**
 * The `payspec` dispatcher: `payspec <command> [args]`. A command is one entry of COMMANDS;
 * the dispatcher owns help, version, and turning usage and I/O errors into exit code 2.
 */
import { readFileSync } from "node:fs";
import type { Command } from "./command.js";
import { conformanceCommand } from "./commands/conformance.js";
import { demoCommand } from "./commands/demo.js";
import { docsCommand } from "./commands/docs.js";
import { simulateCommand } from "./commands/simulate.js";
import { validateCommand } from "./commands/validate.js";
import { type CliIo, EXIT, InputError, UsageError } from "./io.js";
import { closestMatch } from "./suggest.js";

/** Every subcommand, in `payspec --help` order. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  simulateCommand,
  demoCommand,
  conformanceCommand,
  docsCommand,
];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const commands = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n");
  return `Usage: payspec <command> [arguments] [options]

Payment-terminal protocols (wepay, stripe-terminal, payneteasy, hipay-ecr, nexo) from their specs.

Commands:
${commands}

Options:
  -h, --help     show this help (payspec <command> --help for a command's)
  -v, --version  print the version

Exit codes: 0 ok, 1 invalid input, 2 usage or I/O error.`;
}

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

/** Runs `payspec` with `argv` (the arguments after the program name); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(mainHelp());
    return EXIT.usage;
  }
  if (first === "-h" || first === "--help") {
    io.out(mainHelp());
    return EXIT.ok;
  }
  if (first === "-v" || first === "--version") {
    io.out(version());
    return EXIT.ok;
  }
  if (first === "help") return rest[0] === undefined ? run(["--help"], io) : run([rest[0], "--help"], io);
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (command === undefined) {
    const names = COMMANDS.map((candidate) => candidate.name);
    const suggestion = first.startsWith("-") ? undefined : closestMatch(first, names);
    io.err(
      `payspec: unknown ${first.startsWith("-") ? "option" : "command"} ${JSON.stringify(first)}` +
        (suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`),
    );
    io.err(`commands: ${names.join(", ")}; run 'payspec --help'`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`payspec ${command.name}: ${(error as Error).message}`);
      io.err(`usage: ${command.usage}`);
      io.err(`run 'payspec ${command.name} --help' for details`);
      return EXIT.usage;
    }
    if (error instanceof InputError) {
      io.err(`payspec ${command.name}: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
}

/** `node:util` parseArgs errors (unknown option, missing option value) are usage errors. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
