// The mPOS flow against the real Payneteasy simulator over loopback: card read → signed sale or
// preauth → status polls (3-5 s with jitter, injected sleep) and callbacks, first final wins once;
// recovery lookups by client_orderid / orderid. No test waits on real time.

import {
  PAYNETEASY_DISCONNECT_ERROR,
  type RunningPayneteasySimulator,
  type StartPayneteasySimulatorOptions,
  startPayneteasySimulator,
} from "@payspec/payneteasy-server";
import { createFetchTransport, type Transport } from "@payspec/runtime";
import type { FaultPlan } from "@payspec/runtime/server";
import { afterEach, describe, expect, it } from "vitest";
import {
  type PaymentEvent,
  PayneteasyCallbackReceiver,
  PayneteasyDriver,
  type PayneteasyDriverOptions,
  PayneteasyOutcomeUnknownError,
  SimulatedMposDevice,
  TEST_PAYER,
} from "../src/index.js";

const PAN = "4111111111111111";
const payer = TEST_PAYER;

let sim: RunningPayneteasySimulator | undefined;
let receiver: PayneteasyCallbackReceiver | undefined;
let nextFault: FaultPlan = {};
let counter = 0;
const orderId = () => `DRV${process.pid}x${++counter}`;

afterEach(async () => {
  await receiver?.close();
  await sim?.close();
  sim = undefined;
  receiver = undefined;
  nextFault = {};
});

async function start(options: Partial<StartPayneteasySimulatorOptions> = {}): Promise<RunningPayneteasySimulator> {
  sim = await startPayneteasySimulator({
    pollsToFinal: 2,
    secondsToFinal: 3600,
    ...options,
    // the next request only gets the fault set by the test
    faults: () => {
      const plan = nextFault;
      nextFault = {};
      return plan;
    },
  });
  return sim;
}

/** Sleeps that never wait: they record the delay asked for and yield one macrotask. */
function recordingSleep(delays: number[]) {
  return (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      delays.push(ms);
      if (signal.aborted) return reject(signal.reason);
      setImmediate(resolve);
    });
}

/** A sleep that never ends until aborted: polling is parked, only the callback can win. */
const parkedSleep = (_ms: number, signal: AbortSignal) =>
  new Promise<void>((_resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

function driver(overrides: Partial<PayneteasyDriverOptions> = {}): PayneteasyDriver {
  const s = sim!;
  return new PayneteasyDriver({
    baseUrl: s.url,
    endpointId: "1234",
    credentials: s.credentials,
    device: new SimulatedMposDevice({ pan: PAN }),
    payer,
    sleep: recordingSleep([]),
    ...overrides,
  });
}

describe("rule: a sale reads the card, is OAuth-signed, and polls status until final", () => {
  it("approves with the order id, approval code and masked PAN, after processing", async () => {
    const s = await start();
    const states: string[] = [];
    const result = await driver().pay(
      { client_orderid: orderId(), amount: "10.42", currency: "EUR" },
      { onEvent: (e) => e.type === "state" && states.push(e.state) },
    );
    expect(result).toMatchObject({ state: "approved", amount: "10.42", currency: "EUR", source: "status" });
    expect(result.approvalCode).toMatch(/^[0-9]{6}$/);
    expect(result.maskedPan).toBe("411111XXXXXX1111");
    expect(s.state.orders.get(result.orderid!)).toMatchObject({ type: "sale", status: "approved" });
    expect(states).toEqual(["reading-card", "sending", "processing", "approved"]);
  });

  it("runs a preauth when asked", async () => {
    const s = await start();
    const result = await driver().pay({ type: "preauth", client_orderid: orderId(), amount: "5.00", currency: "EUR" });
    expect(result.state).toBe("approved");
    expect(s.state.orders.get(result.orderid!)!.type).toBe("preauth");
  });

  it("declines with the gateway's reason", async () => {
    await start();
    const result = await driver().pay({ client_orderid: orderId(), amount: "3.13", currency: "EUR" });
    expect(result).toMatchObject({ state: "declined", reason: expect.any(String) });
  });

  it("waits 3-5 s between polls, with jitter from the injected random source", async () => {
    await start({ pollsToFinal: 3 });
    const delays: number[] = [];
    const draws = [0, 0.5, 0.999];
    await driver({ sleep: recordingSleep(delays), random: () => draws.shift() ?? 0 }).pay({
      client_orderid: orderId(),
      amount: "1.00",
      currency: "EUR",
    });
    expect(delays).toEqual([3000, 4000, 4998]);
  });

  it("never sends the PAN in clear: only the reader's encrypted data leaves", async () => {
    await start();
    const bodies: string[] = [];
    const fetchTransport = createFetchTransport();
    const transport: Transport = (request) => {
      bodies.push(String(request.body ?? "") + JSON.stringify(request.headers) + request.url);
      return fetchTransport(request);
    };
    await driver({ transport }).pay({ client_orderid: orderId(), amount: "1.00", currency: "EUR" });
    expect(bodies.length).toBeGreaterThan(1);
    expect(bodies[0]).toContain("encrypted-data=");
    for (const body of bodies) expect(body).not.toContain(PAN);
  });

  it("is refused (nothing created) when the signature is made with a wrong key", async () => {
    const s = await start();
    const result = await driver({
      credentials: { login: s.credentials.login, merchantControlKey: "wrong" },
    }).pay({ client_orderid: orderId(), amount: "1.00", currency: "EUR" });
    expect(result).toMatchObject({ state: "refused", reason: "Invalid signature", source: "gateway" });
    expect(s.state.orders.size).toBe(0);
  });
});

describe("rule: the reader's ends: cancelled or disconnected before the card is read, nothing sent", () => {
  it("cancels a payment waiting for the card through its AbortSignal", async () => {
    const s = await start();
    const controller = new AbortController();
    const result = await driver({ device: new SimulatedMposDevice({ holdAmounts: ["8.00"] }) }).pay(
      { client_orderid: orderId(), amount: "8.00", currency: "EUR" },
      {
        signal: controller.signal,
        onEvent: (e: PaymentEvent) => e.type === "waiting-for-card" && controller.abort(),
      },
    );
    expect(result).toMatchObject({ state: "cancelled", source: "device" });
    expect(s.state.orders.size).toBe(0);
  });

  it("ends disconnected when the reader drops while waiting for the card", async () => {
    const s = await start();
    const device = new SimulatedMposDevice();
    device.disconnectNext();
    const result = await driver({ device }).pay({ client_orderid: orderId(), amount: "1.00", currency: "EUR" });
    expect(result).toMatchObject({ state: "disconnected", source: "device" });
    expect(s.state.orders.size).toBe(0);
  });

  it("ends in error with the gateway's message when the reader drops after the card was sent", async () => {
    await start();
    nextFault = { disconnect: true };
    const result = await driver().pay({ client_orderid: orderId(), amount: "1.00", currency: "EUR" });
    expect(result).toMatchObject({ state: "error", reason: PAYNETEASY_DISCONNECT_ERROR.message });
  });
});

describe("rule: callbacks: verified, acknowledged, and the first final status wins once", () => {
  it("resolves from the callback while polling is parked", async () => {
    const s = await start({ secondsToFinal: 0 });
    receiver = new PayneteasyCallbackReceiver({ merchantControlKey: s.credentials.merchantControlKey });
    await receiver.listen();
    const result = await driver({ receiver, sleep: parkedSleep }).pay({
      client_orderid: orderId(),
      amount: "10.42",
      currency: "EUR",
    });
    expect(result).toMatchObject({ state: "approved", source: "callback", currency: "EUR" });
    expect(s.state.orders.get(result.orderid!)!.polls).toBe(0);
    await s.settled();
    expect(s.state.callbacks[0]).toMatchObject({ delivered: true });
    expect(receiver.stats.accepted).toBe(1);
  });

  it("with both poll and callback arriving, reports one final state once", async () => {
    const s = await start({ pollsToFinal: 1 });
    receiver = new PayneteasyCallbackReceiver({ merchantControlKey: s.credentials.merchantControlKey });
    await receiver.listen();
    const finals: string[] = [];
    const result = await driver({ receiver }).pay(
      { client_orderid: orderId(), amount: "3.13", currency: "EUR" },
      { onEvent: (e) => e.type === "state" && e.state === "declined" && finals.push(e.state) },
    );
    await s.settled();
    expect(result.state).toBe("declined");
    expect(["status", "callback"]).toContain(result.source);
    expect(finals).toEqual(["declined"]);
    expect(receiver.stats.accepted).toBe(1);
  });
});

describe("rule: a lost answer is never guessed: the order is looked up by its ids", () => {
  it("throws PayneteasyOutcomeUnknownError when the sale answer is lost after the gateway committed", async () => {
    const s = await start({ pollsToFinal: 1 });
    nextFault = { dropAfterCommit: true };
    const d = driver();
    const client_orderid = orderId();
    const error = await d.pay({ client_orderid, amount: "2.00", currency: "EUR" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayneteasyOutcomeUnknownError);
    expect(error).toMatchObject({ client_orderid, orderid: undefined });
    expect(s.state.orders.size).toBe(1);
    // by client_orderid alone (orderid never came back): processing, then final
    expect(await d.lookup({ client_orderid })).toMatchObject({ kind: "final", result: { state: "approved" } });
  });

  it("answers not-found for an order the gateway never received", async () => {
    await start();
    expect(await driver().lookup({ client_orderid: "NEVER-SENT-1" })).toMatchObject({ kind: "not-found" });
  });

  it("answers processing for an order not final yet, with its orderid", async () => {
    const s = await start({ pollsToFinal: 100 });
    nextFault = { dropAfterCommit: true };
    const d = driver();
    const client_orderid = orderId();
    await d.pay({ client_orderid, amount: "2.00", currency: "EUR" }).catch(() => undefined);
    const [order] = [...s.state.orders.values()];
    expect(await d.lookup({ client_orderid, orderid: order!.orderid })).toEqual({
      kind: "processing",
      orderid: order!.orderid,
    });
  });

  it("gives up after maxPolls with the order's ids in the error", async () => {
    await start({ pollsToFinal: 100 });
    const error = await driver({ maxPolls: 3 })
      .pay({ client_orderid: orderId(), amount: "2.00", currency: "EUR" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayneteasyOutcomeUnknownError);
    expect((error as PayneteasyOutcomeUnknownError).orderid).toMatch(/^[0-9]+$/);
  });
});

describe("rule: a cancel that lands as the card is read still sends nothing", () => {
  it("drops the card data when the signal aborts on card-read", async () => {
    const s = await start();
    const controller = new AbortController();
    const result = await driver().pay(
      { client_orderid: orderId(), amount: "1.00", currency: "EUR" },
      { signal: controller.signal, onEvent: (e) => e.type === "card-read" && controller.abort() },
    );
    expect(result).toMatchObject({ state: "cancelled", source: "device" });
    expect(s.state.orders.size).toBe(0);
  });
});
