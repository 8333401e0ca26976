/** Starts the Stripe Terminal simulator on a real port: the `/v1/terminal/*` API of a test-mode account. */
import { type FaultPlan, listenUrl } from "@payspec/runtime/server";
import fastify from "fastify";
import { stripeAuthenticator } from "../auth.js";
import { rejectStripe } from "../errors.js";
import { registerStripeTerminal } from "../gen/index.gen.js";
import {
  createStripeTerminalSimulator,
  type StripeTerminalSimulatorOptions,
  type StripeTerminalState,
} from "./terminal.js";

export interface StartStripeTerminalSimulatorOptions extends StripeTerminalSimulatorOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: any free port). */
  port?: number;
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
  const { host = "127.0.0.1", port = 0, faults, ...account } = options;
  const simulator = createStripeTerminalSimulator(account);
  const app = fastify();
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
