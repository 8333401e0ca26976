import { bearerAuth } from "@payspec/runtime";
import {
  examples,
  operations,
  SIMULATOR_SECRET_KEY,
  startStripeTerminalSimulator,
} from "@payspec/stripe-terminal-server";
import * as validators from "@payspec/stripe-terminal-validators";
import { manualClock, simulatorCapabilities } from "./common.js";
import type { ProtocolAdapter, SimulatorOptions, Target } from "./types.js";

export const stripeTerminal: ProtocolAdapter = {
  name: "stripe-terminal",
  operations,
  validators,
  examples: examples as unknown as ProtocolAdapter["examples"],
  async startSimulator(options: SimulatorOptions = {}): Promise<Target> {
    const clock = manualClock();
    const sim = await startStripeTerminalSimulator({ host: "127.0.0.1", port: 0, now: clock.now, ...options });
    const key = sim.credentials.secretKey;
    return {
      kind: "simulator",
      label: "Stripe Terminal simulator",
      url: sim.url,
      capabilities: simulatorCapabilities,
      auth: (request) => {
        request.headers.Authorization = bearerAuth(key);
      },
      clock,
      context: { sim },
      close: () => sim.close(),
    };
  },
  sandbox(env) {
    const key = env.STRIPE_SECRET_KEY;
    if (!key) return { skip: "STRIPE_SECRET_KEY not set" };
    if (!key.startsWith("sk_test_")) return { skip: "STRIPE_SECRET_KEY is not a test-mode key (sk_test_…)" };
    return stripeTerminal.urlTarget("https://api.stripe.com", env);
  },
  urlTarget(url, env) {
    const key = env.STRIPE_SECRET_KEY ?? SIMULATOR_SECRET_KEY;
    return {
      kind: url.includes("stripe.com") ? "sandbox" : "url",
      label: url,
      url,
      capabilities: new Set(["semantics"]),
      auth: (request) => {
        request.headers.Authorization = bearerAuth(key);
      },
      context: {},
      close: async () => {},
    };
  },
  actions: {
    /** A PaymentIntent to present on a reader (the PaymentIntents API is not part of the Terminal spec). */
    async "stripe.createPaymentIntent"(args, ctx) {
      const sim = ctx.target.context.sim as
        | {
            state: {
              createPaymentIntent(i: { amount: number; currency: string; captureMethod?: "automatic" | "manual" }): {
                id: string;
              };
            };
          }
        | undefined;
      if (!sim) return { skip: "needs a PaymentIntent: the PaymentIntents API is outside the Terminal spec" };
      const input: { amount: number; currency: string; captureMethod?: "automatic" | "manual" } = {
        amount: Number(args.amount),
        currency: String(args.currency ?? "eur"),
      };
      if (args.captureMethod === "manual") input.captureMethod = "manual";
      return { body: sim.state.createPaymentIntent(input) };
    },
  },
  prism: { supported: true },
};
