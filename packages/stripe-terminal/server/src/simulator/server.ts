/** Starts the Stripe Terminal simulator on a real port: the `/v1/terminal/*` API of a test-mode account. */

import { randomBytes } from "node:crypto";
import {
  attachRequestLog,
  type FaultPlan,
  listenUrl,
  type RequestLogSink,
  type SettledCharge,
} from "@payspec/runtime/server";
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
  /** Succeeded (or authorized, `requires_capture`) PaymentIntents, each under `metadata.payspec_reference`. */
  settlement(): SettledCharge[];
  /**
   * Sets up a till through the simulator's own API, as a merchant would in the Dashboard: a location, then a reader
   * registered there with a simulated registration code. Returns their ids.
   */
  addReader(options?: AddReaderOptions): Promise<{ readonly location: string; readonly reader: string }>;
  close(): Promise<void>;
}

export interface AddReaderOptions {
  /** Default `simulated-wpe` (BBPOS WisePOS E); `simulated-s700` for a Stripe Reader S700. */
  readonly registrationCode?: string;
  readonly label?: string;
  /** Default "Rivoli". */
  readonly locationName?: string;
  /** Default 1 rue de Rivoli, 75001 Paris, FR. */
  readonly address?: {
    readonly line1: string;
    readonly city: string;
    readonly postal_code: string;
    readonly country: string;
  };
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
  const post = async (path: string, form: URLSearchParams): Promise<string> => {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${simulator.state.secretKey}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: form.toString(),
    });
    const body = (await response.json()) as { id?: string; error?: { message?: string } };
    if (!response.ok || body.id === undefined)
      throw new Error(`POST ${path}: ${response.status} ${body.error?.message ?? ""}`);
    return body.id;
  };
  return {
    url,
    addReader: async (options = {}) => {
      const address = options.address ?? {
        line1: "1 rue de Rivoli",
        city: "Paris",
        postal_code: "75001",
        country: "FR",
      };
      const location = await post(
        "/v1/terminal/locations",
        new URLSearchParams({
          display_name: options.locationName ?? "Rivoli",
          "address[line1]": address.line1,
          "address[city]": address.city,
          "address[postal_code]": address.postal_code,
          "address[country]": address.country,
        }),
      );
      const reader = await post(
        "/v1/terminal/readers",
        new URLSearchParams({
          registration_code: options.registrationCode ?? "simulated-wpe",
          location,
          ...(options.label === undefined ? {} : { label: options.label }),
        }),
      );
      return { location, reader };
    },
    credentials: { secretKey: simulator.state.secretKey },
    state: simulator.state,
    settlement: () =>
      [...simulator.state.paymentIntents.values()]
        .filter((p) => p.status === "succeeded" || p.status === "requires_capture")
        .map((p) => ({ key: p.metadata?.payspec_reference, id: p.id })),
    close: () => app.close(),
  };
}
