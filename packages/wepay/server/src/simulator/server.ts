/** Starts the WePay v3 simulator on a real port, guarded by App-Id/App-Token like WePay's stage API. */
import {
  attachRequestLog,
  type FaultPlan,
  listenUrl,
  type RequestLogSink,
  type SettledCharge,
} from "@payspec/runtime/server";
import fastify from "fastify";
import { type WePayAppCredentials, wepayAuthenticator } from "../auth.js";
import { rejectWePay } from "../errors.js";
import { registerWePay } from "../gen/index.gen.js";
import { createWePaySimulator, type WePaySimulatorOptions, type WePaySimulatorState } from "./simulator.js";

/** The app credentials the simulator accepts unless told otherwise (test values, not secrets). */
export const WEPAY_SIMULATOR_CREDENTIALS: Readonly<WePayAppCredentials> = Object.freeze({
  appId: "sim-app-id",
  appToken: "sim-app-token",
});

export interface StartWePaySimulatorOptions extends WePaySimulatorOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** App-Id/App-Token the simulator accepts (default WEPAY_SIMULATOR_CREDENTIALS). */
  credentials?: WePayAppCredentials;
  /** Called with one redacted entry per request (secrets and card numbers never reach it); see `attachRequestLog`. */
  log?: RequestLogSink;
  /** Include redacted request and response bodies in `log` entries. Default false. */
  logBodies?: boolean;
  /** Faults for every request (the run plan); a request adds its own with the `Payspec-Fault` header. */
  faults?: FaultPlan | (() => FaultPlan);
}

export interface RunningWePaySimulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (operations live at `/session_tokens`, `/terminals`, `/payments`). */
  readonly url: string;
  /** The App-Id/App-Token to send. */
  readonly credentials: Readonly<WePayAppCredentials>;
  readonly state: WePaySimulatorState;
  /** Approved payments (charges) held now, each under the POS's key: the simulator's settlement report. */
  settlement(): SettledCharge[];
  close(): Promise<void>;
}

export async function startWePaySimulator(options: StartWePaySimulatorOptions = {}): Promise<RunningWePaySimulator> {
  const {
    host = "127.0.0.1",
    port = 0,
    credentials = WEPAY_SIMULATOR_CREDENTIALS,
    faults,
    log,
    logBodies,
    ...rest
  } = options;
  const simulator = createWePaySimulator(rest);
  const app = fastify();
  if (log) attachRequestLog(app, log, { bodies: logBodies === true });
  await registerWePay(app, simulator.handlers, {
    reject: rejectWePay,
    authenticate: wepayAuthenticator(credentials),
    faults,
    faultHeader: true,
  });
  const url = await listenUrl(app, { host, port });
  return {
    url,
    credentials,
    state: simulator.state,
    settlement: () =>
      [...simulator.state.payments.values()]
        .filter((p) => p.status === "completed")
        .map((p) => ({ key: p.reference_id ?? undefined, id: p.id })),
    close: () => app.close(),
  };
}
