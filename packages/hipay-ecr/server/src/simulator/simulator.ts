/**
 * The whole simulator in one call: a connector (`createConcertConnector`) on HTTP loopback, a
 * simulated Concert terminal on the other end of its serial line (in memory by default, or any
 * pair of byte streams such as a socat pty pair opened with serialport), and the runtime's fault
 * injection (`Payspec-Fault` header or a run plan):
 * - `drop-after-commit`: the payment runs to its end, then the HTTP answer is lost;
 * - `busy`: 409 without touching the terminal (payments and refunds);
 * - `decline`: the terminal refuses this payment or refund;
 * - `disconnect`: the terminal takes the payment, then its serial line is cut (the connector
 *   answers 503 after `answerTimeoutMs`; `GET /reset` plugs the line back);
 * - `reset`, `latency=<ms>`: as for every simulator.
 */
import type { ByteStream } from "@payspec/hipay-ecr-driver";
import {
  type ConcertTerminalOptions,
  ConcertTerminalSimulator,
  createMemorySerialPair,
} from "@payspec/hipay-ecr-driver/testing";
import {
  attachRequestLog,
  type FaultPlan,
  listenUrl,
  type RequestLogSink,
  type SettledCharge,
} from "@payspec/runtime/server";
import fastify, { type FastifyInstance } from "fastify";
import { hipayAuthenticator } from "../auth.js";
import { rejectHiPay } from "../errors.js";
import { type HiPayEcrHandlers, registerHiPayEcr } from "../gen/index.gen.js";
import { type ConcertConnector, type ConcertConnectorOptions, createConcertConnector } from "./connector.js";

export interface ConnectorSimulatorOptions {
  /** Basic auth of the local API (`TERMINAL_MANAGER_LOGIN` / `TERMINAL_MANAGER_PWD`). Default `log` / `pwd`. */
  login?: string;
  password?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  connector?: ConcertConnectorOptions;
  terminal?: ConcertTerminalOptions;
  /** The serial line: `[connector's end, terminal's end]`. Default an in-memory pair. */
  line?: readonly [ByteStream, ByteStream];
  /** Called with one redacted entry per request (secrets and card numbers never reach it); see `attachRequestLog`. */
  log?: RequestLogSink;
  /** Include redacted request and response bodies in `log` entries. Default false. */
  logBodies?: boolean;
  /** Faults for every request (a request adds its own with the `Payspec-Fault` header). */
  faults?: FaultPlan | (() => FaultPlan);
}

export interface ConnectorSimulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly login: string;
  readonly password: string;
  readonly app: FastifyInstance;
  readonly connector: ConcertConnector;
  readonly terminal: ConcertTerminalSimulator;
  /** Loses the HTTP answer of the next payment after it ran (drop-after-commit). */
  loseNextAnswer(): void;
  /** Approved debits the terminal made (what customers were charged). */
  charges(): number;
  /** The terminal's approved debits, each under the `orderId` of the HTTP payment that asked for it. */
  settlement(): SettledCharge[];
  close(): Promise<void>;
}

export async function startConnectorSimulator(options: ConnectorSimulatorOptions = {}): Promise<ConnectorSimulator> {
  const login = options.login ?? "log";
  const password = options.password ?? "pwd";
  const [connectorEnd, terminalEnd] =
    options.line ??
    (() => {
      const { a, b } = createMemorySerialPair();
      return [a, b] as const;
    })();
  const terminal = new ConcertTerminalSimulator(terminalEnd, options.terminal);
  const connector = createConcertConnector(connectorEnd, options.connector);
  let dropNext = false;
  /** busy, decline and disconnect, for a payment or a refund */
  const faulty =
    <I, C extends { faults: FaultPlan }, R>(run: (input: I, ctx: C) => R) =>
    (input: I, ctx: C) => {
      if (ctx.faults.busy)
        return {
          status: 409 as const,
          body: { status: "Error" as const, error: "A transaction is already in progress" },
        };
      if (ctx.faults.disconnect) terminal.failNext("disconnect");
      else if (ctx.faults.decline) terminal.failNext("decline");
      return run(input, ctx);
    };
  const handlers: HiPayEcrHandlers = {
    ...connector.handlers,
    paymentPay: faulty(connector.handlers.paymentPay),
    paymentRefund: faulty(connector.handlers.paymentRefund),
    maintenanceReset: ((input, ctx) => {
      const reply = connector.handlers.maintenanceReset(input, ctx);
      terminal.plug();
      return reply;
    }) satisfies typeof connector.handlers.maintenanceReset,
  };
  const app = fastify();
  if (options.log) attachRequestLog(app, options.log, { bodies: options.logBodies === true });
  app.addHook("onRequest", async (request) => {
    if (dropNext && request.method === "POST" && request.url.split("?")[0] === "/") {
      dropNext = false;
      const present = request.headers["payspec-fault"];
      request.headers["payspec-fault"] =
        typeof present === "string" ? `${present}, drop-after-commit` : "drop-after-commit";
    }
  });
  await registerHiPayEcr(app, handlers, {
    reject: rejectHiPay,
    authenticate: hipayAuthenticator({ login, password }),
    faults: options.faults ?? {},
  });
  const url = await listenUrl(app, {
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  return {
    url,
    login,
    password,
    app,
    connector,
    terminal,
    loseNextAnswer() {
      dropNext = true;
    },
    charges: () => terminal.charges.filter((c) => c.type === "0").length,
    settlement: () =>
      terminal.charges
        .filter((c) => c.type === "0")
        .map((c) => ({ key: connector.orderIdOf(c.private), id: c.private })),
    async close() {
      terminal.close();
      connector.close();
      await app.close();
    },
  };
}
