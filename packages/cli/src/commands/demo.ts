/**
 * `payspec demo <protocol>`: one payment end to end on loopback through the vendor-neutral Terminal API, the
 * protocol's driver and its simulator, printing each step and what the customer display showed.
 */
import { parseArgs } from "node:util";
import type { Command } from "../command.js";
import { type CliIo, EXIT, UsageError } from "../io.js";
import { isProtocol, PROTOCOLS, type ProtocolName } from "../protocols.js";
import { closestMatch } from "../suggest.js";

const USAGE = "payspec demo <protocol>";

const HELP = `Usage: ${USAGE}

Runs one payment end to end on this machine, with no hardware and no vendor account: the
protocol's simulator, its device driver and the @payspec/terminal API with a payment journal.
Prints each step and what the customer display (or receipt) showed; exit 0 when approved.

Arguments:
  <protocol>   ${PROTOCOLS.join(", ")}

Examples:
  payspec demo nexo
  payspec demo stripe-terminal`;

/** Each demo loads only its own protocol's packages. */
const DEMOS: Readonly<Record<ProtocolName, () => Promise<(io: CliIo) => Promise<number>>>> = {
  wepay: async () => (await import("./demo-wepay.js")).demoWepay,
  "stripe-terminal": async () => (await import("./demo-stripe-terminal.js")).demoStripeTerminal,
  payneteasy: async () => (await import("./demo-payneteasy.js")).demoPayneteasy,
  "hipay-ecr": async () => (await import("./demo-hipay-ecr.js")).demoHipayEcr,
  nexo: async () => (await import("./demo-nexo.js")).demoNexo,
};

export const demoCommand: Command = {
  name: "demo",
  summary: "run one payment end to end on a simulator and show what the customer saw",
  usage: USAGE,
  help: HELP,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { help: { type: "boolean", short: "h" } },
    });
    if (values.help === true) {
      io.out(HELP);
      return EXIT.ok;
    }
    const [name, ...extra] = positionals;
    if (name === undefined) throw new UsageError("name a protocol");
    if (extra.length > 0) throw new UsageError(`one protocol at a time, got ${positionals.join(" ")}`);
    if (!isProtocol(name)) {
      const suggestion = closestMatch(name, PROTOCOLS);
      throw new UsageError(
        `unknown protocol ${JSON.stringify(name)}${suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`}; one of ${PROTOCOLS.join(", ")}`,
      );
    }
    const demo = await DEMOS[name]();
    return demo(io);
  },
};
