import {
  ConcertTerminalSimulator,
  createConcertConnector,
  createMemorySerialPair,
  examples,
  hipayAuthenticator,
  operations,
  registerHiPayEcr,
  rejectHiPay,
} from "@payspec/hipay-ecr-server";
import * as validators from "@payspec/hipay-ecr-validators";
import { basicAuth } from "@payspec/runtime";
import { attachRequestLog } from "@payspec/runtime/server";
import fastify from "fastify";
import { simulatorCapabilities } from "./common.js";
import type { ProtocolAdapter, SimulatorOptions, Target } from "./types.js";

/** Test credentials of the in-process connector. */
export const HIPAY_CONFORMANCE_CREDENTIALS = { login: "conformance", password: "conformance-secret" } as const;

function basic(login: string, password: string) {
  const header = basicAuth(login, password);
  return (request: { headers: Record<string, string> }) => {
    request.headers.Authorization = header;
  };
}

export const hipayEcr: ProtocolAdapter = {
  name: "hipay-ecr",
  operations,
  validators,
  examples: examples as unknown as ProtocolAdapter["examples"],
  /** The connector's handlers over an in-memory null-modem cable to the simulated Concert terminal. */
  async startSimulator(options: SimulatorOptions = {}): Promise<Target> {
    const { a, b } = createMemorySerialPair();
    const terminal = new ConcertTerminalSimulator(b, { timeoutMs: 500 });
    const connector = createConcertConnector(a, { answerTimeoutMs: 1500, timeoutMs: 500 });
    const app = fastify();
    if (options.log) attachRequestLog(app, options.log, { bodies: options.logBodies === true });
    await registerHiPayEcr(app, connector.handlers, {
      reject: rejectHiPay,
      authenticate: hipayAuthenticator(HIPAY_CONFORMANCE_CREDENTIALS),
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const port = (app.server.address() as { port: number }).port;
    return {
      kind: "simulator",
      label: "HiPay ECR connector + simulated Concert terminal",
      url: `http://127.0.0.1:${port}`,
      capabilities: new Set([...simulatorCapabilities, "serial"]),
      auth: basic(HIPAY_CONFORMANCE_CREDENTIALS.login, HIPAY_CONFORMANCE_CREDENTIALS.password),
      context: { terminal, connector, line: b },
      close: async () => {
        connector.close();
        await app.close();
      },
    };
  },
  sandbox(env) {
    if (!env.HIPAY_CONNECTOR_URL) return { skip: "HIPAY_CONNECTOR_URL not set" };
    return { ...hipayEcr.urlTarget(env.HIPAY_CONNECTOR_URL, env), kind: "sandbox" };
  },
  urlTarget(url, env) {
    return {
      kind: "url",
      label: url,
      url,
      capabilities: new Set(["semantics"]),
      auth: basic(
        env.HIPAY_CONNECTOR_LOGIN ?? HIPAY_CONFORMANCE_CREDENTIALS.login,
        env.HIPAY_CONNECTOR_PASSWORD ?? HIPAY_CONFORMANCE_CREDENTIALS.password,
      ),
      context: {},
      close: async () => {},
    };
  },
  actions: {
    /** Sets the simulated terminal: `fault` (decline, silent, none), `delayMs` (the customer's time), `restart` (power cycle). */
    async "hipay.terminal"(args, ctx) {
      let terminal = ctx.target.context.terminal as ConcertTerminalSimulator | undefined;
      if (terminal && args.restart === true) {
        // a power cycle: the transaction the terminal was stuck in is gone
        terminal.close();
        terminal = new ConcertTerminalSimulator(
          ctx.target.context.line as ConstructorParameters<typeof ConcertTerminalSimulator>[0],
          { timeoutMs: 500 },
        );
        ctx.target.context.terminal = terminal;
      }
      if (!terminal) return { skip: "needs the simulated Concert terminal (a real one cannot be told to refuse)" };
      if ("fault" in args)
        terminal.fault = args.fault === "none" ? undefined : (args.fault as ConcertTerminalSimulator["fault"]);
      if ("delayMs" in args) terminal.delayMs = Number(args.delayMs);
      return { body: { requests: terminal.requests.length } };
    },
    /** Waits until the connector has a payment in progress (so `/cancel` has one to cancel). */
    async "hipay.awaitBusy"(_args, ctx) {
      const connector = ctx.target.context.connector as { busy: boolean } | undefined;
      if (!connector) return { skip: "needs the in-process connector's state" };
      const deadline = Date.now() + 10_000;
      while (!connector.busy && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return { body: { busy: connector.busy } };
    },
  },
  prism: { supported: true },
};
