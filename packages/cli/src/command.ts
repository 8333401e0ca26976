/** What every `payspec` subcommand provides to the dispatcher. */
import type { CliIo } from "./io.js";

export interface Command {
  /** The word after `payspec`. */
  readonly name: string;
  /** One line for `payspec --help`. */
  readonly summary: string;
  /** `payspec <name> …` synopsis, shown with usage errors. */
  readonly usage: string;
  /** Full `payspec <name> --help` text. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. Throws `UsageError`/`InputError` for exit 2. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
