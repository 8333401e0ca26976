// Refunds: Payneteasy's return (/api/v2/return) of an approved sale, against the real simulator
// over loopback (control-signed, then status polls by the return's serial number), and the refund
// state machine. No test waits on real time.

import {
  type RunningPayneteasySimulator,
  type StartPayneteasySimulatorOptions,
  startPayneteasySimulator,
} from "@payspec/payneteasy-server";
import { createFetchTransport, type Transport } from "@payspec/runtime";
import type { FaultPlan } from "@payspec/runtime/server";
import { afterEach, describe, expect, it } from "vitest";
import {
  IllegalTransitionError,
  PayneteasyDriver,
  type PayneteasyDriverOptions,
  PayneteasyOutcomeUnknownError,
  REFUND_TRANSITIONS,
  RefundMachine,
  type RefundState,
  SimulatedMposDevice,
  TEST_PAYER,
} from "../src/index.js";

const payer = TEST_PAYER;

let sim: RunningPayneteasySimulator | undefined;
let nextFault: FaultPlan = {};
let counter = 0;
const orderId = () => `RFD${process.pid}x${++counter}`;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  nextFault = {};
});

async function start(options: Partial<StartPayneteasySimulatorOptions> = {}): Promise<RunningPayneteasySimulator> {
  sim = await startPayneteasySimulator({
    pollsToFinal: 2,
    secondsToFinal: 3600,
    ...options,
    faults: () => {
      const plan = nextFault;
      nextFault = {};
      return plan;
    },
  });
  return sim;
}

const tick = (_ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    setImmediate(resolve);
  });

function driver(overrides: Partial<PayneteasyDriverOptions> = {}): PayneteasyDriver {
  const s = sim!;
  return new PayneteasyDriver({
    baseUrl: s.url,
    endpointId: "1234",
    credentials: s.credentials,
    device: new SimulatedMposDevice({ pan: "4111111111111111" }),
    payer,
    sleep: tick,
    ...overrides,
  });
}

async function approvedSale(d: PayneteasyDriver, amount = "10.42") {
  const sale = await d.pay({ client_orderid: orderId(), amount, currency: "EUR" });
  expect(sale.state).toBe("approved");
  return { client_orderid: sale.client_orderid, orderid: sale.orderid! };
}

describe("rule: a refund is a control-signed return of the sale, polled by its serial number until final", () => {
  it("approves a full return and reports it through status as a reversal of the order", async () => {
    const s = await start();
    const d = driver();
    const sale = await approvedSale(d);
    const states: RefundState[] = [];
    const result = await d.refund(
      { ...sale, amount: "10.42", currency: "EUR" },
      { onEvent: (e) => states.push(e.state) },
    );
    expect(result).toMatchObject({ state: "approved", ...sale, amount: "10.42", currency: "EUR", source: "status" });
    expect(states).toEqual(["sending", "processing", "approved"]);
    const ret = s.state.orders.get(sale.orderid)!.returns[0]!;
    expect(result.serialNumber).toBe(ret.serialNumber);
    expect(ret).toMatchObject({ amount: "10.42", status: "approved" });
  });

  it("a partial return, then one over what is left is refused by the gateway, creating nothing", async () => {
    const s = await start();
    const d = driver();
    const sale = await approvedSale(d);
    expect((await d.refund({ ...sale, amount: "4.00", currency: "EUR" })).state).toBe("approved");
    const over = await d.refund({ ...sale, amount: "6.43", currency: "EUR" });
    expect(over).toMatchObject({ state: "refused", source: "gateway" });
    expect(over.reason).toMatch(/exceeds/);
    expect(s.state.orders.get(sale.orderid)!.returns).toHaveLength(1);
  });

  it("the return of a declined sale is refused", async () => {
    await start();
    const d = driver();
    const sale = await d.pay({ client_orderid: orderId(), amount: "3.13", currency: "EUR" });
    const result = await d.refund({
      client_orderid: sale.client_orderid,
      orderid: sale.orderid!,
      amount: "3.13",
      currency: "EUR",
    });
    expect(result).toMatchObject({ state: "refused" });
  });

  it("a lost answer throws PayneteasyOutcomeUnknownError; lookupReturn then finds the return", async () => {
    const s = await start();
    const d = driver();
    const sale = await approvedSale(d);
    // the gateway commits the return, the answer never arrives
    const dropping: Transport = (request) => {
      if (request.url.includes("/return/")) nextFault = { dropAfterCommit: true };
      return createFetchTransport()(request);
    };
    const lossy = driver({ transport: dropping, timeoutMs: 2_000 });
    const error = await lossy.refund({ ...sale, amount: "2.00", currency: "EUR" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayneteasyOutcomeUnknownError);
    expect(s.state.orders.get(sale.orderid)!.returns).toHaveLength(1);
    const first = await d.lookupReturn(sale);
    expect(first.kind).toBe("processing");
    const second = await d.lookupReturn(sale);
    expect(second).toMatchObject({ kind: "final", result: { state: "approved", amount: "2.00" } });
  });

  it("lookupReturn says not-found while the order's latest stage is the sale (no return reached it)", async () => {
    await start();
    const d = driver();
    const sale = await approvedSale(d);
    expect(await d.lookupReturn(sale)).toMatchObject({ kind: "not-found" });
  });
});

describe("refund state machine: only the listed transitions, each end final", () => {
  it("walks idle → sending → processing → approved and ends there", () => {
    const machine = new RefundMachine();
    for (const state of ["sending", "processing", "approved"] as const) machine.to(state);
    expect(machine.done).toBe(true);
    expect(() => machine.to("declined")).toThrow(IllegalTransitionError);
  });

  it("has no card read, and a refused or unknown return ends", () => {
    expect(REFUND_TRANSITIONS.idle).toEqual(["sending"]);
    const machine = new RefundMachine();
    expect(() => machine.to("processing")).toThrow(/idle → processing/);
    machine.to("sending");
    machine.to("refused");
    expect(machine.done).toBe(true);
  });
});
