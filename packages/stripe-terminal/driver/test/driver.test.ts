// The driver against the simulator over loopback: discovery, the failIfInUse table, a fresh token per
// connect, onDisconnect and auto-reconnect, server-driven payments and recovery by the PaymentIntent.
import { createFetchTransport, type Transport } from "@payspec/runtime";
import { StripeTerminalClient, stripeAuth } from "@payspec/stripe-terminal-client";
import {
  type PresentedCard,
  type RunningStripeTerminalSimulator,
  type SimulatedAction,
  type StartStripeTerminalSimulatorOptions,
  type StripeTerminalState,
  startStripeTerminalSimulator,
} from "@payspec/stripe-terminal-server";
import type { DisconnectEvent, Reader } from "@payspec/stripe-terminal-types";
import { afterEach, describe, expect, it } from "vitest";
import {
  MemoryReaderStore,
  NotConnectedError,
  OutcomeUnknownError,
  ReaderInUseError,
  type ReaderLink,
  ReaderNotFoundError,
  StripeTerminalDriver,
  type StripeTerminalDriverOptions,
} from "../src/index.js";

let sim: RunningStripeTerminalSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** The SDK side of the simulator: connects with the token, the seed's failIfInUse table. */
function sdkLink(state: StripeTerminalState): ReaderLink {
  return {
    async connect(reader, token, config) {
      const result = state.connectReader(reader.id, token, config);
      if (!result.ok) {
        const message = result.error.message ?? "connect refused";
        if (result.error.code === "terminal_reader_busy") throw new ReaderInUseError(message);
        throw new Error(message);
      }
      return {
        readerId: reader.id,
        isConnected: () => state.isConnected(result.connectionId),
        disconnect: () => state.disconnectReader(result.connectionId),
      };
    },
  };
}

/** Customer behaviour by amount: 7001 never presents a card; anything else presents the default card. */
const customer = (action: SimulatedAction): PresentedCard | false =>
  action.paymentIntent?.amount === 7001 ? false : {};

async function setup(options: StartStripeTerminalSimulatorOptions = {}) {
  sim = await startStripeTerminalSimulator({ customer, ...options });
  const s = sim;
  let fault: string | undefined;
  let tokens = 0;
  const base = createFetchTransport();
  const transport: Transport = (request) => {
    if (request.url.endsWith("/v1/terminal/connection_tokens")) tokens++;
    if (fault && request.url.includes(fault.split(" ")[0]!)) {
      const header = fault.split(" ")[1]!;
      fault = undefined;
      return base({ ...request, headers: { ...request.headers, "payspec-fault": header } });
    }
    return base(request);
  };
  const client = new StripeTerminalClient({
    baseUrl: s.url,
    auth: stripeAuth({ secretKey: s.credentials.secretKey }),
    transport,
    retry: { maxAttempts: 1 },
  });
  const location = await client.locationsCreate({
    body: { display_name: "Rivoli", address: { country: "FR", city: "Paris", line1: "1 rue", postal_code: "75001" } },
  });
  const other = await client.locationsCreate({
    body: { display_name: "Opera", address: { country: "FR", city: "Paris", line1: "2 rue", postal_code: "75002" } },
  });
  const reader = await client.readersCreate({ body: { registration_code: "simulated-wpe", location: location.id } });
  await client.readersCreate({ body: { registration_code: "simulated-s700", location: other.id } });
  const driver = (extra: Partial<StripeTerminalDriverOptions> = {}) =>
    new StripeTerminalDriver({
      client,
      location: location.id,
      link: sdkLink(s.state),
      pollIntervalMs: 1,
      ...extra,
    });
  return {
    sim: s,
    client,
    location,
    reader,
    driver,
    tokens: () => tokens,
    /** The next request whose URL contains `path` carries `Payspec-Fault: <fault>`. */
    faultNext: (path: string, header: string) => {
      fault = `${path} ${header}`;
    },
  };
}

const pay = (amount: number, key: string) => ({ amount, currency: "EUR", idempotencyKey: key });

describe("discovery and connection", () => {
  it("discovers only the readers of the location", async () => {
    const { driver, reader } = await setup();
    const found = await driver().discoverReaders();
    expect(found.map((r: Reader) => r.id)).toEqual([reader.id]);
  });

  it("fetches a fresh connection token for every connect and remembers the serial number", async () => {
    const { driver, reader, tokens } = await setup();
    const store = new MemoryReaderStore();
    const d = driver({ store });
    await d.connectReader(reader);
    await d.connectReader(reader);
    expect(tokens()).toBe(2);
    expect(d.state).toBe("connected");
    expect(store.load()).toEqual({ serial_number: reader.serial_number, location: reader.location });
  });

  it("failIfInUse: an incoming connect fails while a payment is collected, and the running payment continues", async () => {
    const { driver, reader } = await setup();
    const a = driver();
    await a.connectReader(reader);
    let paying: Promise<unknown> = Promise.resolve();
    await new Promise<void>((resolve) => {
      paying = a.collectPayment(pay(7001, "in-use-1"), {
        onStatus: (s) => {
          if (s === "waiting-for-card") resolve();
        },
      });
    });
    const b = driver();
    await expect(b.connectReader(reader, { failIfInUse: true })).rejects.toBeInstanceOf(ReaderInUseError);
    expect(b.state).toBe("disconnected");
    expect(a.state).toBe("connected");
    await a.cancelCollect();
    await expect(paying).resolves.toMatchObject({ status: "cancelled" });
  });

  it("without failIfInUse the new connection takes over: the old one's next command calls onDisconnect", async () => {
    const { driver, reader } = await setup();
    const events: DisconnectEvent[] = [];
    const a = driver({ autoReconnect: false, onDisconnect: (e) => events.push(e) });
    await a.connectReader(reader);
    const b = driver();
    await b.connectReader(reader, { failIfInUse: false });
    await expect(a.collectPayment(pay(1000, "old-1"))).rejects.toBeInstanceOf(NotConnectedError);
    expect(events).toEqual([{ reason: "unknown" }]);
    expect(a.state).toBe("disconnected");
    expect((await b.collectPayment(pay(1000, "new-1"))).status).toBe("approved");
  });

  it("auto-reconnects to the remembered serial number after a disconnect, with a fresh token", async () => {
    const { driver, reader, tokens } = await setup();
    const events: DisconnectEvent[] = [];
    const a = driver({ onDisconnect: (e) => events.push(e) });
    await a.connectReader(reader);
    await driver().connectReader(reader); // another SDK takes the idle reader over
    const result = await a.collectPayment(pay(1000, "after-reconnect"));
    expect(events).toEqual([{ reason: "unknown" }]);
    expect(result.status).toBe("approved");
    expect(tokens()).toBe(3);
  });

  it("reconnects at start to the remembered reader; an unknown serial stops discovery", async () => {
    const { driver, reader } = await setup();
    const d = driver({ store: new MemoryReaderStore({ serial_number: reader.serial_number }) });
    expect((await d.reconnect()).id).toBe(reader.id);
    const lost = driver({ store: new MemoryReaderStore({ serial_number: "WSC-GONE" }) });
    await expect(lost.reconnect()).rejects.toBeInstanceOf(ReaderNotFoundError);
    expect(lost.state).toBe("disconnected");
  });

  it("disconnectReader reports disconnectRequested", async () => {
    const { driver, reader } = await setup();
    const events: DisconnectEvent[] = [];
    const d = driver({ onDisconnect: (e) => events.push(e) });
    await d.connectReader(reader);
    await d.disconnectReader();
    expect(events).toEqual([{ reason: "disconnectRequested" }]);
    await expect(d.collectPayment(pay(1000, "x"))).rejects.toBeInstanceOf(NotConnectedError);
  });
});

describe("server-driven payments", () => {
  it("approves: PaymentIntent created, processed on the reader, re-read as succeeded", async () => {
    const { driver, reader, sim } = await setup();
    const d = driver();
    await d.connectReader(reader);
    const statuses: string[] = [];
    const result = await d.collectPayment(
      { ...pay(1000, "ok-1"), cart: { lineItems: [{ description: "Tea", amount: 1000, quantity: 1 }] } },
      { onStatus: (s) => statuses.push(s) },
    );
    expect(result.status).toBe("approved");
    expect(result.paymentIntent).toMatchObject({ status: "succeeded", amount: 1000, currency: "eur" });
    expect(statuses).toEqual(["displaying", "waiting-for-card"]);
    expect(sim.state.paymentIntents.get(result.paymentIntent!.id)?.status).toBe("succeeded");
  });

  it("declines with the issuer's decline code and cancels the PaymentIntent", async () => {
    const { driver, reader } = await setup();
    const d = driver();
    await d.connectReader(reader);
    const result = await d.collectPayment(pay(1005, "decline-1"));
    expect(result).toMatchObject({ status: "declined", reason: "generic_decline", code: "card_declined" });
    expect(result.paymentIntent?.status).toBe("canceled");
  });

  it("cancel_action ends a payment waiting for the card as cancelled, nothing charged", async () => {
    const { driver, reader, sim } = await setup();
    const d = driver();
    await d.connectReader(reader);
    const paying = d.collectPayment(pay(7001, "cancel-1"), {
      onStatus: (s) => {
        if (s === "waiting-for-card") void d.cancelCollect();
      },
    });
    const result = await paying;
    expect(result.status).toBe("cancelled");
    expect(sim.state.paymentIntents.get(result.paymentIntent!.id)?.status).toBe("canceled");
  });

  it("an AbortSignal cancels the reader action", async () => {
    const { driver, reader } = await setup();
    const d = driver();
    await d.connectReader(reader);
    const controller = new AbortController();
    const result = await d.collectPayment(pay(7001, "abort-1"), {
      signal: controller.signal,
      onStatus: (s) => {
        if (s === "waiting-for-card") controller.abort();
      },
    });
    expect(result.status).toBe("cancelled");
  });

  it("a busy reader fails the payment before any charge and cancels the PaymentIntent", async () => {
    const { driver, reader, faultNext } = await setup();
    const d = driver();
    await d.connectReader(reader);
    faultNext("/process_payment_intent", "busy");
    const result = await d.collectPayment(pay(1000, "busy-1"));
    expect(result).toMatchObject({ status: "failed", code: "terminal_reader_busy" });
    expect(result.paymentIntent?.status).toBe("canceled");
  });
});

describe("recovery by re-reading the PaymentIntent", () => {
  it("an answer lost after the reader took the payment: OutcomeUnknownError, then findPayment says approved", async () => {
    const { driver, reader, faultNext, sim } = await setup();
    const d = driver();
    await d.connectReader(reader);
    faultNext("/process_payment_intent", "drop-after-commit");
    const error = await d.collectPayment(pay(1000, "lost-1")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    // A fresh driver (after a restart) knows only the key and the request.
    const recovered = await driver().findPayment(pay(1000, "lost-1"), reader.id);
    expect(recovered.status).toBe("approved");
    expect(sim.state.paymentIntents.size).toBe(1);
  });

  it("a PaymentIntent no reader ever processed is canceled and reported never-processed", async () => {
    const { driver, reader, faultNext, sim } = await setup();
    const d = driver();
    await d.connectReader(reader);
    faultNext("/process_payment_intent", "reset");
    await expect(d.collectPayment(pay(1000, "unsent-1"))).rejects.toBeInstanceOf(OutcomeUnknownError);
    const recovered = await d.findPayment(pay(1000, "unsent-1"), reader.id);
    expect(recovered.status).toBe("never-processed");
    expect(recovered.paymentIntent?.status).toBe("canceled");
    expect([...sim.state.paymentIntents.values()].filter((p) => p.status === "succeeded")).toHaveLength(0);
  });
});
