/** Starts the terminal simulator on a real port: `POST <url>/EPASSaleToPOI/3.1`. */
import {
  attachRequestLog,
  type FaultPlan,
  listenUrl,
  type RequestLogSink,
  type SettledCharge,
} from "@payspec/runtime/server";
import fastify from "fastify";
import { rejectNexo } from "../errors.js";
import { registerNexoTerminal } from "../gen/index.gen.js";
import { createNexoTerminalSimulator, type NexoTerminalSimulatorOptions, type NexoTerminalState } from "./terminal.js";

export interface StartNexoTerminalSimulatorOptions extends NexoTerminalSimulatorOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port; Swedbank Pay terminals use 11000). */
  port?: number;
  /** Called with one redacted entry per request (secrets and card numbers never reach it); see `attachRequestLog`. */
  log?: RequestLogSink;
  /** Include redacted request and response bodies in `log` entries. Default false. */
  logBodies?: boolean;
  /** Faults for every request (the run plan); a request adds its own with the `Payspec-Fault` header. */
  faults?: FaultPlan | (() => FaultPlan);
}

export interface RunningNexoTerminalSimulator {
  /** Base URL of the terminal, e.g. `http://127.0.0.1:41234` (the endpoint is `/EPASSaleToPOI/3.1`). */
  readonly url: string;
  readonly state: NexoTerminalState;
  /** Approved, unreversed payments (PaymentType Normal), each under the POS's SaleTransactionID. */
  settlement(): SettledCharge[];
  /** Resolves when the payment in progress (if any) has finished. */
  settled(): Promise<void>;
  /** Ends the waits of the payment in progress at once (see NexoTerminalSimulator.hurry). */
  hurry(): void;
  /** Announces pending maintenance (see NexoTerminalSimulator.requireMaintenance). */
  requireMaintenance(): Promise<void>;
  close(): Promise<void>;
}

export async function startNexoTerminalSimulator(
  options: StartNexoTerminalSimulatorOptions,
): Promise<RunningNexoTerminalSimulator> {
  const { host = "127.0.0.1", port = 0, faults, log, logBodies, ...terminal } = options;
  const simulator = createNexoTerminalSimulator(terminal);
  const app = fastify();
  if (log) attachRequestLog(app, log, { bodies: logBodies === true });
  await registerNexoTerminal(app, simulator.handlers, { reject: rejectNexo, faults, faultHeader: true });
  const url = await listenUrl(app, { host, port });
  return {
    url,
    state: simulator.state,
    settled: () => simulator.settled(),
    hurry: () => simulator.hurry(),
    requireMaintenance: () => simulator.requireMaintenance(),
    settlement: () =>
      [...simulator.state.transactions.values()]
        .filter((t) => t.approved && !t.reversed && t.paymentType === "Normal")
        .map((t) => ({ key: t.saleTransactionId, id: t.poiTransactionId.TransactionID })),
    close: async () => {
      await simulator.settled();
      await app.close();
    },
  };
}
