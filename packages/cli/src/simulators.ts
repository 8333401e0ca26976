/**
 * Starts the five protocols' reference simulators on loopback and describes each for a person: where it listens,
 * the test credentials it accepts and the test values that drive its documented outcomes.
 */
// Server packages load on first use: `payspec validate` never pays for starting fastify.
import type { RequestLogEntry, RequestLogSink } from "@payspec/runtime/server";
import type { ProtocolName as Protocol } from "./protocols.js";

export interface RunningSimulator {
  readonly protocol: Protocol;
  readonly url: string;
  /** Credential name → value, as a client must send them. */
  readonly credentials: Readonly<Record<string, string>>;
  /** Where the operations live under `url`. */
  readonly endpoints: string;
  /** The test values that drive the simulator's documented outcomes. */
  readonly testValues: readonly string[];
  close(): Promise<void>;
}

export interface StartOptions {
  readonly host?: string;
  /** First port; protocol i listens on port + i. 0 (default) picks free ports. */
  readonly port?: number;
  /** One redacted entry per request any simulator answers (no secret, token or full card number reaches it). */
  readonly log?: (entry: SimulatorLogEntry) => void;
  /** Include redacted request and response bodies in `log` entries. */
  readonly logBodies?: boolean;
}

/** A simulator's request log entry, tagged with its protocol. */
export type SimulatorLogEntry = { protocol: Protocol } & RequestLogEntry;

/** What each simulator gets from `StartOptions.log`. */
type LogOptions = { log?: RequestLogSink; logBodies?: boolean };

/** The POIID the nexo terminal simulator answers with under `payspec simulate`. */
export const NEXO_SIMULATOR_POIID = "PAYSPEC-POI-01";

type Starter = (host: string, port: number, logging: LogOptions) => Promise<RunningSimulator>;

/** The HiPay connector's local API login in `payspec simulate` (the connector's config.txt holds the real one). */
export const HIPAY_SIMULATOR_CREDENTIALS = { login: "payspec", password: "payspec-connector" } as const;

const STARTERS: Readonly<Record<Protocol, Starter>> = {
  wepay: async (host, port, logging) => {
    const { DECLINE_CENTS, startWePaySimulator } = await import("@payspec/wepay-server");
    const sim = await startWePaySimulator({ host, port, ...logging });
    return {
      protocol: "wepay",
      url: sim.url,
      credentials: { "App-Id": sim.credentials.appId, "App-Token": sim.credentials.appToken },
      endpoints: "/session_tokens /terminals /payments /refunds (Api-Version 3.0)",
      testValues: [`amount ending .${DECLINE_CENTS} → declined`, "session token: 5 min unused, 12 h once used"],
      close: () => sim.close(),
    };
  },
  "stripe-terminal": async (host, port, logging) => {
    const { DECLINE_AMOUNT_ENDINGS, SIMULATED_REGISTRATION_CODES, startStripeTerminalSimulator } = await import(
      "@payspec/stripe-terminal-server"
    );
    const sim = await startStripeTerminalSimulator({ host, port, ...logging });
    return {
      protocol: "stripe-terminal",
      url: sim.url,
      credentials: { "secret key (Bearer)": sim.credentials.secretKey },
      endpoints:
        "/v1/terminal/{locations,readers,connection_tokens,configurations}, /v1/payment_intents, /v1/test_helpers/terminal/readers",
      testValues: [
        `registration codes: ${Object.keys(SIMULATED_REGISTRATION_CODES).join(", ")}`,
        `amounts ending ${Object.keys(DECLINE_AMOUNT_ENDINGS)
          .map((ending) => `.${ending.padStart(2, "0")}`)
          .join(" ")} → declined`,
      ],
      close: () => sim.close(),
    };
  },
  payneteasy: async (host, port, logging) => {
    const { PAYNETEASY_TEST_AMOUNTS, startPayneteasySimulator } = await import("@payspec/payneteasy-server");
    const sim = await startPayneteasySimulator({ host, port, ...logging });
    return {
      protocol: "payneteasy",
      url: sim.url,
      credentials: {
        "login (OAuth consumer key)": sim.credentials.login,
        "merchant control key": sim.credentials.merchantControlKey,
      },
      endpoints: "/paynet/mapi/v1/{sale,preauth}/<endpointid>, /paynet/api/v2/{status,return,close-day}/<endpointid>",
      testValues: [
        `amounts ending ${PAYNETEASY_TEST_AMOUNTS.declined} → declined, ${PAYNETEASY_TEST_AMOUNTS.error} → error`,
        "orders: processing → final after a few seconds or polls",
      ],
      close: () => sim.close(),
    };
  },
  "hipay-ecr": async (host, port, logging) => {
    const { startConnectorSimulator, TEST_AMOUNTS } = await import("@payspec/hipay-ecr-server");
    const sim = await startConnectorSimulator({ host, port, ...HIPAY_SIMULATOR_CREDENTIALS, ...logging });
    return {
      protocol: "hipay-ecr",
      url: sim.url,
      credentials: { "Basic login": sim.login, "Basic password": sim.password },
      endpoints:
        "POST / (payment), GET /payment/{orderId}, POST /refund, /cancel /stop /reset /version /config /tlc /check — a Concert terminal on its serial line",
      testValues: [
        `amounts ending .${String(TEST_AMOUNTS.refused).padStart(2, "0")} → refused`,
        `.${TEST_AMOUNTS.noAnswer} → terminal never answers`,
      ],
      close: () => sim.close(),
    };
  },
  nexo: async (host, port, logging) => {
    const { DECLINE_AMOUNTS, startNexoTerminalSimulator } = await import("@payspec/nexo-server");
    const sim = await startNexoTerminalSimulator({ host, port, poiId: NEXO_SIMULATOR_POIID, ...logging });
    return {
      protocol: "nexo",
      url: sim.url,
      credentials: { POIID: NEXO_SIMULATOR_POIID, SaleID: "any (LoginRequest first)" },
      endpoints: "POST /EPASSaleToPOI/3.1 (XML or JSON)",
      testValues: [
        `amounts ending ${Object.entries(DECLINE_AMOUNTS)
          .map(([cents, { condition }]) => `.${cents} → ${condition}`)
          .join(", ")}`,
      ],
      close: () => sim.close(),
    };
  },
};

/** Starts the simulators of `protocols` in order; on a failure, the ones already started are closed. */
export async function startSimulators(
  protocols: readonly Protocol[],
  options: StartOptions = {},
): Promise<RunningSimulator[]> {
  const host = options.host ?? "127.0.0.1";
  const running: RunningSimulator[] = [];
  try {
    for (const [index, protocol] of protocols.entries()) {
      const port = options.port === undefined || options.port === 0 ? 0 : options.port + index;
      const sink = options.log;
      const logging: LogOptions =
        sink === undefined
          ? {}
          : { log: (entry) => sink({ protocol, ...entry }), logBodies: options.logBodies === true };
      running.push(await STARTERS[protocol](host, port, logging));
    }
  } catch (error) {
    await Promise.allSettled(running.map((simulator) => simulator.close()));
    throw error;
  }
  return running;
}

/** The table `payspec simulate` prints: one block per simulator. */
export function describeSimulators(simulators: readonly RunningSimulator[]): string[] {
  const width = Math.max(...simulators.map((simulator) => simulator.protocol.length));
  const lines: string[] = [];
  for (const simulator of simulators) {
    lines.push(`${simulator.protocol.padEnd(width)}  ${simulator.url}`);
    const indent = " ".repeat(width + 2);
    lines.push(`${indent}endpoints   ${simulator.endpoints}`);
    for (const [name, value] of Object.entries(simulator.credentials))
      lines.push(`${indent}credential  ${name}: ${value}`);
    for (const value of simulator.testValues) lines.push(`${indent}test value  ${value}`);
  }
  return lines;
}
