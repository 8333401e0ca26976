// The driver end to end against the WePay simulator over loopback: card read → POST /payments with Unique-Key.
import { WePayApiError, type WePayClient } from "@payspec/wepay-client";
import type { RunningWePaySimulator } from "@payspec/wepay-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SimulatedCardReader, simulatedTransport, WePayDriver } from "../src/index.js";
import { ACCOUNT, startSim } from "./helpers.js";

let sim: RunningWePaySimulator;
let client: WePayClient;
let driver: WePayDriver;
beforeEach(async () => {
  ({ sim, client } = await startSim());
  const reader = new SimulatedCardReader({ acceptSessionToken: (t) => sim.state.useSessionToken(t).ok });
  driver = new WePayDriver({
    client,
    accountId: ACCOUNT,
    transports: [simulatedTransport("bluetooth", [reader])],
    activate: (t) => sim.state.useSessionToken(t).ok,
  });
  await driver.connect();
});
afterEach(async () => {
  await driver.close();
  await sim.close();
});

describe("rule: a payment is created once from the card read's encoded payment method", () => {
  it("reads the card, creates the payment under the Unique-Key and finds it by reference_id", async () => {
    const card = await driver.readCard(2500, "USD");
    const payment = await driver.createPayment({ uniqueKey: "k-1", referenceId: "order-1", card });
    expect(payment).toMatchObject({ status: "completed", amount: 2500, currency: "USD", reference_id: "order-1" });
    expect((await driver.findPayment("order-1"))?.id).toBe(payment.id);
    expect(await driver.findPayment("order-never")).toBeUndefined();
    expect(sim.state.sessionTokens.size).toBe(1);
  });

  it("a replay with the same key and body answers the first payment; the same card read under another key is refused", async () => {
    const card = await driver.readCard(2500, "USD");
    const first = await driver.createPayment({ uniqueKey: "k-2", referenceId: "order-2", card });
    const replay = await driver.createPayment({ uniqueKey: "k-2", referenceId: "order-2", card });
    expect(replay.id).toBe(first.id);
    const error = await driver
      .createPayment({ uniqueKey: "k-3", referenceId: "order-3", card })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WePayApiError);
    expect((error as WePayApiError).body.details?.[0]?.reason_code).toBe("PAYMENT_METHOD_ALREADY_USED");
    expect(sim.state.charges).toBe(1);
  });

  it("refunds a payment; the same refund key and body answer the first refund", async () => {
    const card = await driver.readCard(2500, "USD");
    const payment = await driver.createPayment({ uniqueKey: "k-4", referenceId: "order-4", card });
    const input = {
      uniqueKey: "r-1",
      paymentId: payment.id,
      amount: 2500,
      reason: "returned",
      referenceId: "refund-1",
    };
    const refund = await driver.createRefund(input);
    expect(refund).toMatchObject({ status: "completed", amount: 2500, payment: { id: payment.id } });
    expect((await driver.createRefund(input)).id).toBe(refund.id);
    expect(sim.state.refunds.size).toBe(1);
  });
});
