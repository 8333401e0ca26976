/**
 * `payspec conformance …`: runs the conformance suite (server under test) or serves its mock
 * (client under test). Everything is in @payspec/conformance; this file only adapts the CLI's io.
 * Needs the dependency `"@payspec/conformance": "workspace:*"` in packages/cli/package.json.
 */
import { CONFORMANCE_HELP, CONFORMANCE_USAGE, main } from "@payspec/conformance";
import type { Command } from "../command.js";
import type { CliIo } from "../io.js";

export const conformanceCommand: Command = {
  name: "conformance",
  summary: "run the conformance scenarios against a simulator, sandbox, Prism or URL; or serve a mock",
  usage: CONFORMANCE_USAGE,
  help: CONFORMANCE_HELP,
  run(args: readonly string[], io: CliIo): Promise<number> {
    const tty = process.stderr.isTTY === true;
    return main(args, {
      out: (line) => io.out(line),
      err: (line) => io.err(line),
      // a progress line rewritten in place on a terminal; one line per scenario otherwise
      progress: (line) => {
        if (tty) process.stderr.write(`\r\u001b[2K${line}`);
        else if (line) io.err(line);
      },
      ...(io.waitForStop ? { waitForStop: () => io.waitForStop!() } : {}),
    });
  },
};
