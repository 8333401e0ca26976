// Every Stripe Terminal operation, client → loopback HTTP → server and back, with the spec's
// examples, authenticated on both sides (Bearer key and Stripe-Version from stripeAuth, checked by
// stripeAuthenticator). Then form bodies whose shape is easy to lose on the way: nested metadata,
// `expand[]` arrays, nested arrays of hashes, and characters the form encoding must escape.

import { describeRoundTrip } from "@payspec/specs/round-trip";
import {
  examples,
  operations,
  registerStripeTerminal,
  rejectStripe,
  type StripeTerminalHandlers,
  stripeAuthenticator,
} from "@payspec/stripe-terminal-server";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StripeTerminalClient, stripeAuth } from "../src/index.js";

const secretKey = "sk_test_51NfZlvRoundTripKey0000000000wxyz";

describeRoundTrip("stripe-terminal", {
  examples,
  servers: [{ name: "api.stripe.com", register: registerStripeTerminal, operations: Object.values(operations) }],
  fastify: () => fastify(),
  serverOptions: { reject: rejectStripe, authenticate: stripeAuthenticator({ secretKey }) },
  createClient: (baseUrl) => new StripeTerminalClient({ baseUrl, auth: stripeAuth({ secretKey }) }),
});

describe("form bodies survive the round trip exactly", () => {
  let app: FastifyInstance;
  let client: StripeTerminalClient;
  const got: { op: string; input: Record<string, unknown>; authorization?: string; version?: string }[] = [];

  beforeAll(async () => {
    app = fastify();
    const record =
      (op: keyof typeof examples) =>
      (input: unknown, ctx: { request: { headers: Record<string, string | string[] | undefined> } }) => {
        got.push({
          op,
          input: { ...(input as Record<string, unknown>) },
          authorization: ctx.request.headers.authorization as string | undefined,
          version: ctx.request.headers["stripe-version"] as string | undefined,
        });
        const example = examples[op].find((e) => e.status < 400);
        if (!example) throw new Error(`no success example for ${op}`);
        return { status: example.status, body: example.response };
      };
    const handlers = Object.fromEntries(Object.keys(operations).map((op) => [op, record(op as keyof typeof examples)]));
    await registerStripeTerminal(app, handlers as unknown as StripeTerminalHandlers, {
      reject: rejectStripe,
      authenticate: stripeAuthenticator({ secretKey }),
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    client = new StripeTerminalClient({ baseUrl: `http://127.0.0.1:${address.port}`, auth: stripeAuth({ secretKey }) });
  });
  afterAll(() => app.close());

  const last = () => {
    const entry = got.at(-1);
    if (!entry) throw new Error("the handler was not called");
    return entry;
  };

  it("keeps nested metadata (strings that look like numbers stay strings) and expand[] in order", async () => {
    const body = {
      registration_code: "simulated-wpe",
      label: "Caisse 1 — Café & Crème",
      location: "tml_FDOtHwxAAdIJOh",
      metadata: { order: "42", till: "007", note: "a b&c=d[e]", empty: "" },
      expand: ["location", "location.configuration_overrides"],
    };
    await client.readersCreate({ body, "Idempotency-Key": "7c9e6679-7425-40de-944b-e07fc1f90ae7" });
    expect(last().input.body).toEqual(body);
    expect(last().input["Idempotency-Key"]).toBe("7c9e6679-7425-40de-944b-e07fc1f90ae7");
  });

  it("keeps a nested address hash and metadata on a location", async () => {
    const body = {
      display_name: "Boutique Rivoli",
      address: { line1: "10 rue de Rivoli", line2: "2e étage", city: "Paris", postal_code: "75004", country: "FR" },
      metadata: { store_code: "RIV-01" },
      expand: ["configuration_overrides"],
    };
    await client.locationsCreate({ body });
    expect(last().input.body).toEqual(body);
  });

  it("gives back integers and booleans where the schema has them, and strings where it has strings", async () => {
    const refund = {
      payment_intent: "pi_3NfZlv2eZvKYlo2C0fNGQ3vR",
      amount: 1000,
      refund_application_fee: false,
      metadata: { amount_before: "1000", partial: "true" },
      expand: ["refund_payment.refund"],
    };
    await client.readersRefundPayment({ reader: "tmr_FDOt2wlRZEdpd7", body: refund });
    expect(last().input.body).toEqual(refund);
    await client.readersProcessSetupIntent({
      reader: "tmr_FDOt2wlRZEdpd7",
      body: { setup_intent: "seti_1NfZmP2eZvKYlo2CWc4dLdGq", customer_consent_collected: true },
    });
    expect(last().input.body).toEqual({
      setup_intent: "seti_1NfZmP2eZvKYlo2CWc4dLdGq",
      customer_consent_collected: true,
    });
  });

  it("keeps an array of hashes (cart[line_items][i][…]) in order, with their amounts", async () => {
    const cart = {
      type: "cart" as const,
      cart: {
        currency: "eur",
        line_items: [
          { description: "Café crème", amount: 350, quantity: 2 },
          { description: "Croissant au beurre", amount: 180, quantity: 1 },
          { description: "Jus d'orange 25 cl", amount: 420, quantity: 3 },
        ],
        tax: 230,
        total: 2140,
      },
    };
    await client.readersSetReaderDisplay({ reader: "tmr_FDOt2wlRZEdpd7", body: cart });
    expect(last().input.body).toEqual(cart);
  });

  it("keeps an empty-string metadata (Stripe's 'unset all keys')", async () => {
    await client.readersUpdate({ reader: "tmr_FDOt2wlRZEdpd7", body: { metadata: "" } });
    expect(last().input.body).toEqual({ metadata: "" });
  });

  it("sends expand[] on a GET as a query array and gets it back as one", async () => {
    await client.readersRetrieve({
      reader: "tmr_FDOt2wlRZEdpd7",
      "expand[]": ["location", "action.process_payment_intent.payment_intent"],
    });
    expect(last().input["expand[]"]).toEqual(["location", "action.process_payment_intent.payment_intent"]);
    expect(last().input.reader).toBe("tmr_FDOt2wlRZEdpd7");
  });

  it("keeps list filters, with limit as an integer", async () => {
    await client.readersList({
      location: "tml_FDOtHwxAAdIJOh",
      limit: 3,
      status: "online",
      device_type: "bbpos_wisepos_e",
    });
    expect(last().input).toMatchObject({
      location: "tml_FDOtHwxAAdIJOh",
      limit: 3,
      status: "online",
      device_type: "bbpos_wisepos_e",
    });
  });

  it("authenticates with the bearer key and pins Stripe-Version to the contract's version", async () => {
    await client.connectionTokensCreate({ body: { location: "tml_FDOtHwxAAdIJOh" } });
    expect(last().authorization).toBe(`Bearer ${secretKey}`);
    expect(last().version).toBe("2023-08-16");
  });
});
