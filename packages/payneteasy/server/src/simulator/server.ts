/** Starts the Payneteasy gateway simulator on a real port, with the package's own refusals and credential checks. */
import { MemoryNonceStore } from "@payspec/runtime";
import {
  attachRequestLog,
  type FaultPlan,
  listenUrl,
  type RequestLogSink,
  type SettledCharge,
} from "@payspec/runtime/server";
import fastify from "fastify";
import { payneteasyAuthenticator } from "../auth.js";
import { payneteasyErrorEncoding, rejectPayneteasy } from "../errors.js";
import { registerPayneteasy } from "../gen/index.gen.js";
import {
  createPayneteasySimulator,
  type PayneteasySimulatorOptions,
  type PayneteasySimulatorState,
} from "./gateway.js";

export interface StartPayneteasySimulatorOptions extends PayneteasySimulatorOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Accepted `oauth_timestamp` difference in seconds (default 300). */
  maxSkewSeconds?: number;
  /** Called with one redacted entry per request (secrets and card numbers never reach it); see `attachRequestLog`. */
  log?: RequestLogSink;
  /** Include redacted request and response bodies in `log` entries. Default false. */
  logBodies?: boolean;
  /** Faults for every request (the run plan); a request adds its own with the `Payspec-Fault` header. */
  faults?: FaultPlan | (() => FaultPlan);
}

export interface RunningPayneteasySimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (sale is `POST <url>/paynet/mapi/v1/sale/<endpointid>`). */
  readonly url: string;
  /** The test merchant: OAuth consumer key = login, secret = merchant control key. */
  readonly credentials: { readonly login: string; readonly merchantControlKey: string };
  readonly state: PayneteasySimulatorState;
  /** Approved sales, each under its `client_orderid`. */
  settlement(): SettledCharge[];
  /** Makes final every order whose simulated time is up. */
  advance(): void;
  /** Resolves when no callback delivery is in flight or waiting for a retry. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startPayneteasySimulator(
  options: StartPayneteasySimulatorOptions = {},
): Promise<RunningPayneteasySimulator> {
  const { host = "127.0.0.1", port = 0, faults, maxSkewSeconds, log, logBodies, ...gateway } = options;
  const simulator = createPayneteasySimulator(gateway);
  const { login, merchantControlKey } = simulator.credentials;
  const app = fastify();
  if (log) attachRequestLog(app, log, { bodies: logBodies === true });
  await registerPayneteasy(app, simulator.handlers, {
    reject: rejectPayneteasy,
    errorEncoding: payneteasyErrorEncoding,
    faults,
    faultHeader: true,
    authenticate: payneteasyAuthenticator({
      merchants: { [login]: merchantControlKey },
      nonceStore: new MemoryNonceStore(),
      ...(maxSkewSeconds === undefined ? {} : { maxSkewSeconds }),
      ...(gateway.now === undefined ? {} : { now: gateway.now }),
    }),
  });
  const url = await listenUrl(app, { host, port });
  return {
    url,
    credentials: simulator.credentials,
    state: simulator.state,
    advance: () => simulator.advance(),
    settled: () => simulator.settled(),
    settlement: () =>
      [...simulator.state.orders.values()]
        .filter((o) => o.status === "approved" && o.type === "sale")
        .map((o) => ({ key: o.client_orderid, id: o.orderid })),
    close: async () => {
      simulator.stop();
      await app.close();
    },
  };
}
