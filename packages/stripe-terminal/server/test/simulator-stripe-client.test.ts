// The official `stripe` client, pointed at the simulator with its host/port/protocol options, works
// unchanged: each test names the rule that makes it so and fails when the simulator answers otherwise
// than api.stripe.com (object fields, list envelope, form encoding, error classes, headers, webhooks).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import {
  type RunningStripeTerminalSimulator,
  SIMULATOR_API_VERSION,
  type StartStripeTerminalSimulatorOptions,
  startStripeTerminalSimulator,
} from "../src/index.js";

let running: RunningStripeTerminalSimulator | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await running?.close();
  running = undefined;
  for (const close of closers.splice(0)) await close();
});

async function start(options: StartStripeTerminalSimulatorOptions = {}) {
  running = await startStripeTerminalSimulator(options);
  const port = Number(new URL(running.url).port);
  const stripe = new Stripe(running.credentials.secretKey, {
    host: "127.0.0.1",
    port,
    protocol: "http",
    maxNetworkRetries: 0,
  });
  return { sim: running, stripe };
}

const ADDRESS = { country: "FR", city: "Paris", line1: "1 rue de Rivoli", postal_code: "75001" };

async function withReader(options: StartStripeTerminalSimulatorOptions = {}) {
  const s = await start(options);
  const location = await s.stripe.terminal.locations.create({ display_name: "Rivoli", address: ADDRESS });
  const reader = await s.stripe.terminal.readers.create({
    registration_code: "simulated-wpe",
    location: location.id,
    label: "Till 1",
  });
  return { ...s, location, reader };
}

/** A card-present PaymentIntent, created as a server-driven backend does. */
function createIntent(stripe: Stripe, amount = 1000, extra: Record<string, unknown> = {}) {
  return stripe.paymentIntents.create({
    amount,
    currency: "eur",
    payment_method_types: ["card_present"],
    ...extra,
  } as Stripe.PaymentIntentCreateParams);
}

describe("the official client: locations", () => {
  it("creates locations (nested address, metadata) and lists them in Stripe's list envelope", async () => {
    const { stripe } = await start();
    const a = await stripe.terminal.locations.create({
      display_name: "Rivoli",
      address: ADDRESS,
      metadata: { store: "12" },
    });
    expect(a).toMatchObject({ object: "terminal.location", display_name: "Rivoli", metadata: { store: "12" } });
    expect(a.id).toMatch(/^tml_/);
    expect(a.address).toMatchObject(ADDRESS);
    const b = await stripe.terminal.locations.create({ display_name: "Opera", address: ADDRESS });
    const page = await stripe.terminal.locations.list({ limit: 1 });
    expect(page).toMatchObject({ object: "list", has_more: true, url: "/v1/terminal/locations" });
    expect(page.data.map((l) => l.id)).toEqual([b.id]);
    const all: string[] = [];
    for await (const location of stripe.terminal.locations.list({ limit: 1 })) all.push(location.id);
    expect(all).toEqual([b.id, a.id]);
  });
});

describe("the official client: readers", () => {
  it("registers a reader with a registration code, lists it with filters and retrieves it", async () => {
    const { stripe, location, reader } = await withReader();
    expect(reader).toMatchObject({
      object: "terminal.reader",
      device_type: "bbpos_wisepos_e",
      label: "Till 1",
      location: location.id,
      status: "online",
      action: null,
    });
    const other = await stripe.terminal.readers.create({ registration_code: "simulated-s700" });
    const inLocation = await stripe.terminal.readers.list({ location: location.id, status: "online" });
    expect(inLocation.data.map((r) => r.id)).toEqual([reader.id]);
    const byType = await stripe.terminal.readers.list({ device_type: "stripe_s700" });
    expect(byType.data.map((r) => r.id)).toEqual([other.id]);
    const bySerial = await stripe.terminal.readers.list({ serial_number: reader.serial_number });
    expect(bySerial.data).toHaveLength(1);
    const got = await stripe.terminal.readers.retrieve(reader.id, { expand: ["location"] });
    expect((got as Stripe.Terminal.Reader).location).toMatchObject({ id: location.id, object: "terminal.location" });
  });

  it("answers errors the client maps to its own error classes, with code, param and status", async () => {
    const { stripe } = await start();
    const missing = await stripe.terminal.readers.retrieve("tmr_nope").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing", type: "StripeInvalidRequestError" });
    const badCode = await stripe.terminal.readers.create({ registration_code: "nope" }).catch((e: unknown) => e);
    expect(badCode).toMatchObject({ statusCode: 400, param: "registration_code" });
    const badKey = new Stripe("sk_test_wrongwrongwrongwrong1234", {
      host: "127.0.0.1",
      port: Number(new URL(running!.url).port),
      protocol: "http",
      maxNetworkRetries: 0,
    });
    const denied = await badKey.terminal.locations.list().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it("names every answer with a Request-Id and the Stripe-Version it was rendered in", async () => {
    const { stripe, sim } = await start();
    const list = await stripe.terminal.locations.list();
    expect(list.lastResponse.requestId).toMatch(/^req_/);
    expect(list.lastResponse.headers["stripe-version"]).toBe(Stripe.API_VERSION);
    const bare = await fetch(`${sim.url}/v1/terminal/locations`, {
      headers: { authorization: `Bearer ${sim.credentials.secretKey}` },
    });
    expect(bare.headers.get("stripe-version")).toBe(SIMULATOR_API_VERSION);
    expect(bare.headers.get("request-id")).toMatch(/^req_/);
  });
});

describe("the official client: connection tokens", () => {
  it("creates a fresh pst_test_ secret each time, scoped to a location when asked", async () => {
    const { stripe, location } = await withReader();
    const a = await stripe.terminal.connectionTokens.create({ location: location.id });
    const b = await stripe.terminal.connectionTokens.create();
    expect(a).toMatchObject({ object: "terminal.connection_token", location: location.id });
    expect(a.secret).toMatch(/^pst_test_/);
    expect(b.secret).not.toBe(a.secret);
  });
});

describe("the official client: reader actions", () => {
  it("processes a PaymentIntent: in_progress, then the test helper presents a card and it succeeds", async () => {
    const { stripe, reader } = await withReader();
    const intent = await createIntent(stripe);
    const started = await stripe.terminal.readers.processPaymentIntent(reader.id, {
      payment_intent: intent.id,
      process_config: { skip_tipping: true },
    });
    expect(started.action).toMatchObject({
      type: "process_payment_intent",
      status: "in_progress",
      process_payment_intent: { payment_intent: intent.id },
    });
    const done = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id, {
      type: "card_present",
      card_present: { number: "4242424242424242" },
    });
    expect(done.action?.status).toBe("succeeded");
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe("succeeded");
  });

  it("processes a SetupIntent with the client's allow_redisplay (newer API) or customer_consent_collected (2023-08-16)", async () => {
    const { stripe, reader, sim } = await withReader();
    const started = await stripe.terminal.readers.processSetupIntent(reader.id, {
      setup_intent: "seti_1",
      allow_redisplay: "always",
    });
    expect(started.action).toMatchObject({ type: "process_setup_intent", status: "in_progress" });
    await stripe.terminal.readers.cancelAction(reader.id);
    const old = await fetch(`${sim.url}/v1/terminal/readers/${reader.id}/process_setup_intent`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${sim.credentials.secretKey}`,
        "content-type": "application/x-www-form-urlencoded",
        "stripe-version": "2023-08-16",
      },
      body: "setup_intent=seti_1",
    });
    expect(old.status).toBe(400);
    expect(((await old.json()) as { error: { param: string } }).error.param).toBe("customer_consent_collected");
    const neither = await stripe.terminal.readers
      .processSetupIntent(reader.id, { setup_intent: "seti_1" } as Stripe.Terminal.ReaderProcessSetupIntentParams)
      .catch((e: unknown) => e);
    expect(neither).toMatchObject({ statusCode: 400, param: "allow_redisplay", code: "parameter_missing" });
  });

  it("refunds a payment, shows a cart and cancels the action in progress", async () => {
    const { stripe, reader } = await withReader();
    const refund = await stripe.terminal.readers.refundPayment(reader.id, { payment_intent: "pi_123", amount: 500 });
    expect(refund.action).toMatchObject({ type: "refund_payment", refund_payment: { amount: 500 } });
    const cancelled = await stripe.terminal.readers.cancelAction(reader.id);
    expect((cancelled as Stripe.Terminal.Reader).action).toMatchObject({ status: "failed", failure_code: "canceled" });
    const display = await stripe.terminal.readers.setReaderDisplay(reader.id, {
      type: "cart",
      cart: {
        currency: "eur",
        line_items: [{ amount: 500, description: "Tea", quantity: 2 }],
        total: 1000,
        tax: 0,
      },
    });
    expect(display.action).toMatchObject({
      type: "set_reader_display",
      set_reader_display: { cart: { total: 1000, line_items: [{ description: "Tea", quantity: 2 }] } },
    });
    // The cart gives way to the payment that follows it.
    const intent = await createIntent(stripe);
    const next = await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: intent.id });
    expect(next.action?.type).toBe("process_payment_intent");
  });
});

describe("the official client: PaymentIntents", () => {
  it("moves requires_payment_method → requires_capture → succeeded with capture_method manual", async () => {
    const { stripe, reader } = await withReader();
    const intent = await createIntent(stripe, 2000, { capture_method: "manual", metadata: { ref: "A-1" } });
    expect(intent).toMatchObject({
      object: "payment_intent",
      status: "requires_payment_method",
      amount: 2000,
      currency: "eur",
      capture_method: "manual",
      payment_method_types: ["card_present"],
      metadata: { ref: "A-1" },
      last_payment_error: null,
    });
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: intent.id });
    await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id);
    const held = await stripe.paymentIntents.retrieve(intent.id);
    expect(held).toMatchObject({ status: "requires_capture", amount_capturable: 2000 });
    const captured = await stripe.paymentIntents.capture(intent.id, { amount_to_capture: 1500 });
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 1500, amount_capturable: 0 });
    const again = await stripe.paymentIntents.capture(intent.id).catch((e: unknown) => e);
    expect(again).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
  });

  it("keeps a declined PaymentIntent in requires_payment_method with last_payment_error", async () => {
    const { stripe, reader } = await withReader();
    const intent = await createIntent(stripe);
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: intent.id });
    const failed = await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id, {
      card_present: { number: "4000000000009995" },
    });
    expect(failed.action).toMatchObject({ status: "failed", failure_code: "card_declined" });
    const after = await stripe.paymentIntents.retrieve(intent.id);
    expect(after.status).toBe("requires_payment_method");
    expect(after.last_payment_error).toMatchObject({ type: "card_error", decline_code: "insufficient_funds" });
  });

  it("cancels a PaymentIntent that was not charged, and refuses to cancel a succeeded one", async () => {
    const { stripe, reader } = await withReader();
    const open = await createIntent(stripe);
    const cancelled = await stripe.paymentIntents.cancel(open.id, { cancellation_reason: "abandoned" });
    expect(cancelled).toMatchObject({ status: "canceled", cancellation_reason: "abandoned" });
    expect(cancelled.canceled_at).toEqual(expect.any(Number));
    const paid = await createIntent(stripe);
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: paid.id });
    await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id);
    const refused = await stripe.paymentIntents.cancel(paid.id).catch((e: unknown) => e);
    expect(refused).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
    const unknown = await stripe.paymentIntents.retrieve("pi_unknown").catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });

  it("honours Idempotency-Key: same key and parameters → the same PaymentIntent; other parameters → idempotency_error", async () => {
    const { stripe, sim } = await start();
    const first = await createIntent(stripe, 1000, {}).then(() =>
      stripe.paymentIntents.create(
        { amount: 1200, currency: "eur", payment_method_types: ["card_present"] } as Stripe.PaymentIntentCreateParams,
        { idempotencyKey: "order-42" },
      ),
    );
    const replay = await stripe.paymentIntents.create(
      { amount: 1200, currency: "eur", payment_method_types: ["card_present"] } as Stripe.PaymentIntentCreateParams,
      { idempotencyKey: "order-42" },
    );
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(sim.state.paymentIntents.size).toBe(2);
    const conflict = await stripe.paymentIntents
      .create(
        { amount: 1300, currency: "eur", payment_method_types: ["card_present"] } as Stripe.PaymentIntentCreateParams,
        { idempotencyKey: "order-42" },
      )
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(conflict).toMatchObject({ statusCode: 400 });
    expect(sim.state.paymentIntents.size).toBe(2);
  });
});

describe("the simulated customer (option customer)", () => {
  it("presents the card it chooses when the reader is next read; false keeps the action waiting", async () => {
    const seen: string[] = [];
    const { stripe, reader } = await withReader({
      customer: (action) => {
        seen.push(`${action.type}:${action.paymentIntent?.amount ?? "-"}`);
        return action.paymentIntent?.amount === 4242 ? false : { card_present: { number: "4000000000000002" } };
      },
    });
    const declined = await createIntent(stripe, 1000);
    const started = await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: declined.id });
    expect(started.action?.status).toBe("in_progress"); // the process call itself never completes the action
    const read = (await stripe.terminal.readers.retrieve(reader.id)) as Stripe.Terminal.Reader;
    expect(read.action).toMatchObject({ status: "failed", failure_code: "card_declined" });
    const waiting = await createIntent(stripe, 4242);
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: waiting.id });
    expect((await stripe.paymentIntents.retrieve(waiting.id)).status).toBe("requires_payment_method");
    const still = (await stripe.terminal.readers.retrieve(reader.id)) as Stripe.Terminal.Reader;
    expect(still.action?.status).toBe("in_progress");
    expect(seen).toEqual(["process_payment_intent:1000", "process_payment_intent:4242", "process_payment_intent:4242"]);
  });
});

describe("webhooks", () => {
  async function endpoint() {
    const received: { body: string; signature: string }[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => {
        body += chunk;
      });
      req.on("end", () => {
        received.push({ body, signature: String(req.headers["stripe-signature"]) });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` };
  }

  it("POSTs terminal.reader.action_succeeded / action_failed events that stripe.webhooks.constructEvent verifies", async () => {
    const hook = await endpoint();
    const secret = "whsec_test_simulator";
    const { stripe, reader, sim } = await withReader({ webhook: { url: hook.url, secret } });
    const ok = await createIntent(stripe);
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: ok.id });
    await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id);
    const declined = await createIntent(stripe, 1005);
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: declined.id });
    await stripe.testHelpers.terminal.readers.presentPaymentMethod(reader.id);
    await sim.state.flushWebhooks();

    expect(hook.received).toHaveLength(2);
    const events = hook.received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, secret));
    expect(events.map((e) => e.type)).toEqual(["terminal.reader.action_succeeded", "terminal.reader.action_failed"]);
    const first = events[0]!;
    expect(first).toMatchObject({ object: "event", livemode: false });
    expect(first.data.object).toMatchObject({ id: reader.id, object: "terminal.reader" });
    expect(sim.state.webhookDeliveries.map((d) => d.status)).toEqual([200, 200]);

    // A tampered payload or the wrong secret does not verify.
    const { body, signature } = hook.received[0]!;
    expect(() => stripe.webhooks.constructEvent(body.replace(reader.id, "tmr_x"), signature, secret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => stripe.webhooks.constructEvent(body, signature, "whsec_other")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it("sends action_failed when an action is cancelled", async () => {
    const hook = await endpoint();
    const { stripe, reader, sim } = await withReader({ webhook: { url: hook.url, secret: "whsec_x" } });
    const intent = await createIntent(stripe);
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: intent.id });
    await stripe.terminal.readers.cancelAction(reader.id);
    await sim.state.flushWebhooks();
    const event = stripe.webhooks.constructEvent(hook.received[0]!.body, hook.received[0]!.signature, "whsec_x");
    expect(event.type).toBe("terminal.reader.action_failed");
    expect((event.data.object as Stripe.Terminal.Reader).action?.failure_code).toBe("canceled");
  });
});

describe("SDK connections (seed 001, failIfInUse table)", () => {
  it("takes over an idle reader whatever failIfInUse says; the old connection ends", async () => {
    const { stripe, reader, sim } = await withReader();
    const token = async () => (await stripe.terminal.connectionTokens.create()).secret;
    const first = sim.state.connectReader(reader.id, await token());
    if (!first.ok) throw new Error(first.error.message);
    const second = sim.state.connectReader(reader.id, await token(), { failIfInUse: true });
    expect(second.ok).toBe(true);
    expect(sim.state.isConnected(first.connectionId)).toBe(false);
  });

  it("with failIfInUse, refuses while a payment is collected and keeps the existing connection; without, takes over", async () => {
    const { stripe, reader, sim } = await withReader();
    const token = async () => (await stripe.terminal.connectionTokens.create()).secret;
    const first = sim.state.connectReader(reader.id, await token());
    if (!first.ok) throw new Error(first.error.message);
    const intent = await createIntent(stripe);
    await stripe.terminal.readers.processPaymentIntent(reader.id, { payment_intent: intent.id });
    const refused = sim.state.connectReader(reader.id, await token(), { failIfInUse: true });
    expect(refused).toMatchObject({ ok: false, error: { code: "terminal_reader_busy" } });
    expect(sim.state.isConnected(first.connectionId)).toBe(true);
    const taken = sim.state.connectReader(reader.id, await token(), { failIfInUse: false });
    expect(taken.ok).toBe(true);
    expect(sim.state.isConnected(first.connectionId)).toBe(false);
  });

  it("needs a fresh connection token for every connect", async () => {
    const { stripe, reader, sim } = await withReader();
    const secret = (await stripe.terminal.connectionTokens.create()).secret;
    expect(sim.state.connectReader(reader.id, secret).ok).toBe(true);
    expect(sim.state.connectReader(reader.id, secret)).toMatchObject({ ok: false });
  });
});
