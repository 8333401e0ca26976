/**
 * `payspec conformance …` (and `main(argv, io)` for tests):
 *   run   --protocol <p> | --all  [--target simulator|sandbox|prism|<url>] [--junit f] [--markdown f]
 *   serve --protocol <p> [--port n] [--host h]
 *   list  [--protocol <p>]
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { formatJUnit, formatMarkdown, formatTable, progressLine } from "./report.js";
import { type RunResult, runConformance } from "./run.js";
import { CAPABILITIES, type Capability, loadScenarios, PROTOCOLS, type ProtocolName } from "./scenario.js";
import { serveConformance } from "./serve.js";

export interface ConformanceIo {
  out(line: string): void;
  err(line: string): void;
  /** a transient status line (a terminal rewrites it in place); default: nothing */
  progress?(line: string): void;
  writeFile?(path: string, text: string): Promise<void>;
  /** resolves when serve mode should stop (Ctrl-C); default: never */
  waitForStop?(): Promise<void>;
  env?: Readonly<Record<string, string | undefined>>;
}

export const CONFORMANCE_USAGE = `payspec conformance run (--protocol <p> | --all) [--target simulator|sandbox|prism|<url>] [--junit <file>] [--markdown <file>] [--filter <text>] [--stateless] [--capability <c>]...
payspec conformance serve --protocol <p> [--port <n>] [--host <h>]
payspec conformance list [--protocol <p>]`;

export const CONFORMANCE_HELP = `Usage:
  ${CONFORMANCE_USAGE.split("\n").join("\n  ")}

run     tests a server: the built-in simulators (default, in-process on 127.0.0.1), a vendor
        sandbox (credentials from the environment: STRIPE_SECRET_KEY, WEPAY_APP_ID/WEPAY_APP_TOKEN,
        PAYNETEASY_URL/PAYNETEASY_LOGIN/PAYNETEASY_CONTROL_KEY, NEXO_TERMINAL_URL, HIPAY_CONNECTOR_URL),
        Stoplight Prism mocking the committed OpenAPI (stateless scenarios), or any URL.
        Prints a table; --junit and --markdown write JUnit XML and the coverage report.
        --capability tells what a URL target offers besides HTTP (test-values: it honours the
        simulators' documented test amounts and made-up payment data).
serve   a mock for a client or driver under test; on stop it prints the scenarios the client exercised.
list    the scenarios, with their doc line.

Protocols: ${PROTOCOLS.join(", ")}
Exit codes: 0 no failure, 1 a scenario failed, 2 usage error.`;

const isProtocol = (p: unknown): p is ProtocolName => (PROTOCOLS as readonly unknown[]).includes(p);

export async function main(argv: readonly string[], io: ConformanceIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
    io.out(CONFORMANCE_HELP);
    return sub ? 0 : 2;
  }
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      args: [...rest],
      options: {
        protocol: { type: "string", short: "p" },
        all: { type: "boolean" },
        target: { type: "string", short: "t" },
        junit: { type: "string" },
        markdown: { type: "string" },
        filter: { type: "string" },
        stateless: { type: "boolean" },
        capability: { type: "string", multiple: true },
        port: { type: "string" },
        host: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    io.err(`${(err as Error).message}\nusage: ${CONFORMANCE_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(CONFORMANCE_HELP);
    return 0;
  }
  for (const c of Array.isArray(values.capability) ? values.capability : []) {
    if (!(CAPABILITIES as readonly string[]).includes(c)) {
      io.err(`unknown capability ${JSON.stringify(c)}: one of ${CAPABILITIES.join(", ")}`);
      return 2;
    }
  }
  const protocol = values.protocol;
  if (protocol !== undefined && !isProtocol(protocol)) {
    io.err(`unknown protocol ${JSON.stringify(protocol)}: one of ${PROTOCOLS.join(", ")}`);
    return 2;
  }
  const save = io.writeFile ?? ((path: string, text: string) => writeFile(path, text, "utf8"));
  try {
    if (sub === "list") {
      for (const p of protocol ? [protocol] : PROTOCOLS)
        for (const s of loadScenarios(p)) io.out(`${s.id}${s.stateless ? " [stateless]" : ""}  ${s.doc}`);
      return 0;
    }
    if (sub === "run") {
      if (!protocol && !values.all) {
        io.err(`run needs --protocol <p> or --all\nusage: ${CONFORMANCE_USAGE}`);
        return 2;
      }
      const protocols = values.all ? [...PROTOCOLS] : [protocol as ProtocolName];
      const runs: RunResult[] = [];
      for (const p of protocols) {
        const run = await runConformance({
          protocol: p,
          ...(typeof values.target === "string" ? { target: values.target } : {}),
          ...(typeof values.filter === "string" ? { filter: values.filter } : {}),
          ...(values.stateless ? { statelessOnly: true } : {}),
          ...(Array.isArray(values.capability) ? { capabilities: values.capability as Capability[] } : {}),
          ...(io.env ? { env: io.env } : {}),
          onResult: (r, i, total) => io.progress?.(progressLine(i + 1, total, r.id, r.outcome)),
        });
        runs.push(run);
      }
      io.progress?.("");
      io.out(formatTable(runs));
      if (typeof values.junit === "string") await save(values.junit, formatJUnit(runs));
      if (typeof values.markdown === "string") await save(values.markdown, formatMarkdown(runs));
      return runs.some((r) => r.results.some((x) => x.outcome === "failed")) ? 1 : 0;
    }
    if (sub === "serve") {
      if (!protocol) {
        io.err(`serve needs --protocol <p>\nusage: ${CONFORMANCE_USAGE}`);
        return 2;
      }
      const port = values.port === undefined ? 0 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        io.err(`--port must be a port number`);
        return 2;
      }
      const mock = await serveConformance({
        protocol,
        port,
        ...(typeof values.host === "string" ? { host: values.host } : {}),
      });
      io.out(`conformance mock for ${protocol} listening on ${mock.url} (stop with Ctrl-C)`);
      await (io.waitForStop?.() ?? new Promise<void>(() => {}));
      const exercised = mock.exercised();
      await mock.close();
      io.out(`operations called: ${mock.operations().join(", ") || "none"}`);
      for (const e of exercised) io.out(`${e.exercised ? "EXERCISED" : "not seen "}  ${e.id}  ${e.doc}`);
      return 0;
    }
  } catch (err) {
    io.err(`conformance: ${(err as Error).message}`);
    return (err as Error).name === "ScenarioError" || err instanceof TypeError ? 2 : 1;
  }
  io.err(`unknown subcommand ${JSON.stringify(sub)}\nusage: ${CONFORMANCE_USAGE}`);
  return 2;
}
