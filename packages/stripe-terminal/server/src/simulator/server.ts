/** Starts the Stripe Terminal simulator on a real port: the `/v1/terminal/*` API of a test-mode account. */

import { randomBytes } from "node:crypto";
import { attachRequestLog, type FaultPlan, listenUrl, type RequestLogSink } from "@payspec/runtime/server";
import fastify from "fastify";
import { stripeAuthenticator } from "../auth.js";
import { rejectStripe } from "../errors.js";
import { registerStripeTerminal } from "../gen/index.gen.js";
import {
  createStripeTerminalSimulator,
  SIMULATOR_API_VERSION,
  type StripeTerminalSimulatorOptions,
  type StripeTerminalState,
} from "./terminal.js";

export interface StartStripeTerminalSimulatorOptions extends StripeTerminalSimulatorOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Called with one redacted entry per request (secrets and card numbers never reach it); see `attachRequestLog`. */
  log?: RequestLogSink;
  /** Include redacted request and response bodies in `log` entries. Default false. */
  logBodies?: boolean;
  /** Faults for every request (the run plan); a request adds its own with the `Payspec-Fault` header. */
  faults?: FaultPlan | (() => FaultPlan);
}

export interface RunningStripeTerminalSimulator {
  /** Base URL to use instead of `https://api.stripe.com`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The secret key to send as `Authorization: Bearer <secretKey>`. */
  readonly credentials: { readonly secretKey: string };
  readonly state: StripeTerminalState;
  close(): Promise<void>;
}

export async function startStripeTerminalSimulator(
  options: StartStripeTerminalSimulatorOptions = {},
): Promise<RunningStripeTerminalSimulator> {
  const { host = "127.0.0.1", port = 0, faults, log, logBodies, ...account } = options;
  const simulator = createStripeTerminalSimulator(account);
  const app = fastify();
  if (log) attachRequestLog(app, log, { bodies: logBodies === true });
  // Every Stripe answer names its request and the API version it was rendered in.
  app.addHook("onSend", async (request, reply) => {
    const pinned = request.headers["stripe-version"];
    reply.header("request-id", `req_${randomBytes(9).toString("base64url")}`);
    reply.header("stripe-version", typeof pinned === "string" && pinned !== "" ? pinned : SIMULATOR_API_VERSION);
  });
  await registerStripeTerminal(app, simulator.handlers, {
    reject: rejectStripe,
    authenticate: stripeAuthenticator({ secretKey: simulator.state.secretKey }),
    faults,
    faultHeader: true,
  });
  const url = await listenUrl(app, { host, port });
  return {
    url,
    credentials: { secretKey: simulator.state.secretKey },
    state: simulator.state,
    close: () => app.close(),
  };
}
