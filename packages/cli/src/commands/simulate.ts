/**
 * `payspec simulate [protocol...]`: starts the reference simulators on loopback, prints where they listen with their
 * test credentials and test values, and serves until Ctrl-C (or, with --exit, stops at once).
 */
import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import { type CliIo, EXIT, parsePort, UsageError } from "../io.js";
import { isProtocol, PROTOCOLS, type ProtocolName } from "../protocols.js";
import { describeSimulators, startSimulators } from "../simulators.js";
import { closestMatch } from "../suggest.js";

const USAGE = "payspec simulate [protocol...] [--host H] [--port N] [--json] [--exit] [--log] [--log-bodies]";

const HELP = `Usage: ${USAGE}

Starts the reference simulators (all five when no protocol is named) and prints, per simulator,
its base URL, the endpoints under it, the test credentials it accepts and the test values that
drive its documented outcomes (declines, errors, timeouts). They serve until Ctrl-C.

Arguments:
  [protocol...]   ${PROTOCOLS.join(", ")}

Options:
  --host <host>   interface to listen on (default 127.0.0.1; the simulators accept test credentials only)
  -p, --port <n>  first port; the i-th simulator listens on n+i (default: free ports)
  --json          print one JSON document instead of the table
  --exit          stop once started and printed (for scripts and checks)
  --log           print one JSON line per request to stderr: protocol, time, method, path, status, ms,
                  request headers; credentials, tokens and secret fields [REDACTED], card numbers masked
  --log-bodies    with --log, add the decoded request and response bodies (redacted the same way)
  -h, --help      show this help

Every simulator takes the Payspec-Fault request header to inject a fault into one request:
  latency=<ms>, reset, drop-after-commit, busy, decline, disconnect

Examples:
  payspec simulate
  payspec simulate nexo stripe-terminal --port 11000
  payspec simulate wepay --log-bodies 2> requests.log`;

export const simulateCommand: Command = {
  name: "simulate",
  summary: "start the reference simulators and print their URLs and test credentials",
  usage: USAGE,
  help: HELP,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        host: { type: "string" },
        port: { type: "string", short: "p" },
        json: { type: "boolean" },
        exit: { type: "boolean" },
        log: { type: "boolean" },
        "log-bodies": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help === true) {
      io.out(HELP);
      return EXIT.ok;
    }
    const protocols = parseProtocols(positionals);
    const port = parsePort(values.port, 0, protocols.length);
    const logBodies = values["log-bodies"] === true;
    const simulators = await startSimulators(protocols, {
      port,
      ...(values.log === true || logBodies ? { log: (entry) => io.err(JSON.stringify(entry)), logBodies } : {}),
      ...(values.host === undefined ? {} : { host: values.host }),
    });
    try {
      if (values.json === true) {
        io.out(
          JSON.stringify(
            simulators.map(({ close: _close, ...simulator }) => simulator),
            null,
            2,
          ),
        );
      } else {
        for (const line of describeSimulators(simulators)) io.out(line);
      }
      if (values.exit !== true) {
        if (values.json !== true) io.out("serving; Ctrl-C to stop");
        await (io.waitForStop?.() ?? Promise.resolve());
      }
    } finally {
      await Promise.allSettled(simulators.map((simulator) => simulator.close()));
    }
    return EXIT.ok;
  },
};

function parseProtocols(positionals: readonly string[]): ProtocolName[] {
  if (positionals.length === 0) return [...PROTOCOLS];
  const chosen: ProtocolName[] = [];
  for (const name of positionals) {
    if (!isProtocol(name)) {
      const suggestion = closestMatch(name, PROTOCOLS);
      throw new UsageError(
        `unknown protocol ${JSON.stringify(name)}${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}; one of ${PROTOCOLS.join(", ")}`,
      );
    }
    if (!chosen.includes(name)) chosen.push(name);
  }
  return chosen;
}
