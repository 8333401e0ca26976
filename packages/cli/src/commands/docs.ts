/**
 * `payspec docs [--port N]`: serves the static protocol reference site (@payspec/docs) on
 * localhost until Ctrl-C, building it first when it has not been built.
 */
import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import { type CliIo, EXIT, parsePort, UsageError } from "../io.js";

const USAGE = "payspec docs [--port N] [--host H] [--exit]";

const HELP = `Usage: ${USAGE}

Serves the Payspec reference site on localhost: one overview page per protocol (the flows as
sequence diagrams, auth, vendor sandbox vs Payspec simulator, packages) and one API reference
page per protocol rendered from specs/openapi. The site works offline: its renderers are bundled.
Serves until Ctrl-C.

Options:
  -p, --port <n>  port to listen on (default 4173; 0 picks a free port)
  --host <host>   interface to listen on (default 127.0.0.1)
  --exit          stop once started and printed (for scripts and checks)
  -h, --help      show this help

Examples:
  payspec docs
  payspec docs --port 8080`;

const DEFAULT_PORT = 4173;

export const docsCommand: Command = {
  name: "docs",
  summary: "serve the protocol reference site on localhost",
  usage: USAGE,
  help: HELP,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        exit: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help === true) {
      io.out(HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const port = parsePort(values.port, DEFAULT_PORT);
    // Loaded on use: the other commands never pay for it.
    const { serveDocs } = await import("@payspec/docs");
    const docs = await serveDocs({ port, host: values.host ?? "127.0.0.1" });
    try {
      io.out(`docs  ${docs.url}`);
      if (values.exit !== true) {
        io.out("serving; Ctrl-C to stop");
        await (io.waitForStop?.() ?? Promise.resolve());
      }
    } finally {
      await docs.close();
    }
    return EXIT.ok;
  },
};
