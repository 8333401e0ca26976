// Returns (/paynet/api/v2/return) on the gateway simulator: each test names the rule it enforces
// and fails when the simulator breaks it. Real loopback HTTP; the clock is injected.
import { decodeKv, encodeForm, type KvRecord, payneteasyStatusControl, signOAuth1 } from "@payspec/runtime";
import fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import {
  amountInCents,
  PAYNETEASY_ERROR_CODES,
  PAYNETEASY_SIMULATOR_CREDENTIALS,
  type RunningPayneteasySimulator,
  returnControl,
  type StartPayneteasySimulatorOptions,
  startPayneteasySimulator,
  verifyCallback,
} from "../src/index.js";
import { saleBody } from "./helpers.js";

const EP = "1234";
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const { login: LOGIN, merchantControlKey: KEY } = PAYNETEASY_SIMULATOR_CREDENTIALS;

let clock = START;
let sim: RunningPayneteasySimulator | undefined;
let receiver: FastifyInstance | undefined;
let seq = 0;

afterEach(async () => {
  await sim?.close();
  await receiver?.close();
  sim = undefined;
  receiver = undefined;
  clock = START;
});

async function start(options: Partial<StartPayneteasySimulatorOptions> = {}): Promise<RunningPayneteasySimulator> {
  sim = await startPayneteasySimulator({ now: () => clock, pollsToFinal: 1, backgroundFinalize: false, ...options });
  return sim;
}

async function post(path: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(sim!.url + path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: encodeForm(body),
  });
  expect(res.status).toBe(200);
  return decodeKv(await res.text());
}

/** Creates a signed order and polls it to its final status; returns its ids. */
async function finalOrder(
  type: "sale" | "preauth" = "sale",
  overrides: Record<string, string> = {},
): Promise<{ client_orderid: string; orderid: string }> {
  const { server_callback_url: _omit, ...base } = saleBody;
  const body = { ...base, client_orderid: `RET${process.pid}x${++seq}`, amount: "10.42", ...overrides };
  const path = `/paynet/mapi/v1/${type}/${EP}`;
  const form = encodeForm(body);
  const { authorization } = signOAuth1({
    method: "POST",
    url: sim!.url + path,
    consumerKey: LOGIN,
    consumerSecret: KEY,
    body: form,
    timestamp: Math.floor(clock / 1000),
    nonce: `rn${process.pid}x${seq}`,
  });
  const res = await fetch(sim!.url + path, {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    body: form,
  });
  const answer = decodeKv(await res.text());
  const orderid = answer["paynet-order-id"]!;
  for (let polls = 0; (await status(body.client_orderid, orderid)).status === "processing"; polls++) {
    if (polls > 10) throw new Error("order never became final");
  }
  return { client_orderid: body.client_orderid, orderid };
}

function returnBody(
  order: { client_orderid: string; orderid: string },
  amount: string | undefined,
  currency: string | undefined,
  key: string = KEY,
): Record<string, string> {
  const control = returnControl({
    login: LOGIN,
    client_orderid: order.client_orderid,
    orderid: order.orderid,
    amount_in_cents: amount === undefined ? "" : amountInCents(amount)!,
    currency: currency ?? "",
    merchant_control_key: key,
  });
  return {
    login: LOGIN,
    client_orderid: order.client_orderid,
    orderid: order.orderid,
    ...(amount === undefined ? {} : { amount }),
    ...(currency === undefined ? {} : { currency }),
    comment: "returned goods",
    control,
  };
}

const giveBack = (
  order: { client_orderid: string; orderid: string },
  amount: string | undefined,
  currency: string | undefined = amount === undefined ? undefined : "EUR",
  headers: Record<string, string> = {},
): Promise<KvRecord> => post(`/paynet/api/v2/return/${EP}`, returnBody(order, amount, currency), headers);

function status(client_orderid: string, orderid: string, bySn?: string): Promise<KvRecord> {
  const control = payneteasyStatusControl({ login: LOGIN, client_orderid, orderid, merchant_control_key: KEY });
  return post(`/paynet/api/v2/status/${EP}`, {
    login: LOGIN,
    client_orderid,
    orderid,
    ...(bySn === undefined ? {} : { "by-request-sn": bySn }),
    control,
  });
}

function expectRefused(answer: KvRecord, message: RegExp): void {
  expect(answer).toMatchObject({ type: "validation-error", "error-code": PAYNETEASY_ERROR_CODES.invalid });
  expect(answer["error-message"]).toMatch(message);
}

describe("return rule 1: control = SHA1(login + client_orderid + orderid + amount_in_cents + currency + key)", () => {
  it("refuses a return whose control was made with another key or over another amount, returning nothing", async () => {
    const s = await start();
    const order = await finalOrder();
    const wrongKey = await post(`/paynet/api/v2/return/${EP}`, returnBody(order, "10.42", "EUR", "not-the-key"));
    expect(wrongKey).toMatchObject({ type: "validation-error", "error-code": PAYNETEASY_ERROR_CODES.unauthorized });
    const tampered = { ...returnBody(order, "1.00", "EUR"), amount: "10.42" };
    expect((await post(`/paynet/api/v2/return/${EP}`, tampered))["error-message"]).toBe("Invalid control");
    expect(s.state.orders.get(order.orderid)!.returns).toHaveLength(0);
  });
});

describe("return rule 2: only an approved sale can be returned", () => {
  it("refuses declined and errored sales, preauths and unknown orders", async () => {
    const s = await start();
    expectRefused(await giveBack(await finalOrder("sale", { amount: "10.13" }), "10.13"), /approved sale/);
    expectRefused(await giveBack(await finalOrder("sale", { amount: "10.99" }), "10.99"), /approved sale/);
    expectRefused(await giveBack(await finalOrder("preauth"), "10.42"), /approved sale/);
    const approved = await finalOrder();
    expectRefused(await giveBack({ ...approved, orderid: "999999999" }, "1.00"), /Order not found/);
    expectRefused(await giveBack({ ...approved, client_orderid: "someone-else" }, "1.00"), /Order not found/);
    expect([...s.state.orders.values()].every((o) => o.returns.length === 0)).toBe(true);
  });

  it("refuses a sale that is still processing", async () => {
    await start({ pollsToFinal: 100 });
    const { server_callback_url: _omit, ...base } = saleBody;
    const s = sim!;
    // create without polling it final
    const body = { ...base, client_orderid: `RETP${process.pid}`, amount: "10.42" };
    const form = encodeForm(body);
    const path = `/paynet/mapi/v1/sale/${EP}`;
    const { authorization } = signOAuth1({
      method: "POST",
      url: s.url + path,
      consumerKey: LOGIN,
      consumerSecret: KEY,
      body: form,
      timestamp: Math.floor(clock / 1000),
    });
    const res = await fetch(s.url + path, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    const orderid = decodeKv(await res.text())["paynet-order-id"]!;
    expectRefused(await giveBack({ client_orderid: body.client_orderid, orderid }, "10.42"), /processing/);
  });
});

describe("return rule 3: never more than the sale charged, in the sale's currency", () => {
  it("accepts partial returns up to the amount charged and refuses what goes beyond", async () => {
    const s = await start();
    const order = await finalOrder();
    expect((await giveBack(order, "4.00")).type).toBe("async-response");
    expect((await giveBack(order, "6.00")).type).toBe("async-response");
    expectRefused(await giveBack(order, "0.43"), /exceeds|fully returned/);
    expect((await giveBack(order, "0.42")).type).toBe("async-response");
    expect(s.state.orders.get(order.orderid)!.returns.map((r) => r.amount)).toEqual(["4.00", "6.00", "0.42"]);
  });

  it("refuses a second full return, with or without an amount", async () => {
    const s = await start();
    const order = await finalOrder();
    expect((await giveBack(order, "10.42")).type).toBe("async-response");
    expectRefused(await giveBack(order, "10.42"), /fully returned/);
    expectRefused(await giveBack(order, undefined), /fully returned/);
    expect(s.state.orders.get(order.orderid)!.returns).toHaveLength(1);
  });

  it("a return without amount gives back the whole amount left", async () => {
    const s = await start();
    const order = await finalOrder();
    await giveBack(order, "2.42");
    expect((await giveBack(order, undefined)).type).toBe("async-response");
    expect(s.state.orders.get(order.orderid)!.returns.map((r) => r.amount)).toEqual(["2.42", "8.00"]);
  });

  it("refuses a currency other than the order's, and an amount more than the sale", async () => {
    const s = await start();
    const order = await finalOrder();
    expectRefused(await giveBack(order, "10.42", "USD"), /Currency USD/);
    expectRefused(await giveBack(order, "10.43"), /exceeds/);
    expectRefused(await giveBack(order, "0.00"), /more than zero/);
    expect(s.state.orders.get(order.orderid)!.returns).toHaveLength(0);
  });
});

describe("return rule 4: processing, then approved, visible through status", () => {
  it("answers async-response with the return's serial-number; status by-request-sn follows it to approved", async () => {
    await start({ pollsToFinal: 2 });
    const order = await finalOrder();
    const answer = await giveBack(order, "3.00");
    expect(answer).toMatchObject({
      type: "async-response",
      status: "processing",
      "paynet-order-id": order.orderid,
      "merchant-order-id": order.client_orderid,
    });
    const sn = answer["serial-number"]!;
    const first = await status(order.client_orderid, order.orderid, sn);
    expect(first).toMatchObject({ status: "processing", "transaction-type": "reversal", "by-request-sn": sn });
    const second = await status(order.client_orderid, order.orderid, sn);
    expect(second).toMatchObject({
      status: "approved",
      amount: "3.00",
      currency: "EUR",
      "transaction-type": "reversal",
    });
  });

  it("status without by-request-sn reports the latest stage (the return); the sale's serial-number still names the sale", async () => {
    const s = await start();
    const order = await finalOrder();
    const saleSn = s.state.orders.get(order.orderid)!.serialNumber;
    await giveBack(order, "10.42");
    expect(await status(order.client_orderid, order.orderid)).toMatchObject({
      status: "approved",
      "transaction-type": "reversal",
      amount: "10.42",
    });
    expect(await status(order.client_orderid, order.orderid, saleSn)).toMatchObject({
      status: "approved",
      "transaction-type": "sale",
    });
    // the sale stays an approved charge in the simulator's state
    expect(s.state.orders.get(order.orderid)!.status).toBe("approved");
  });

  it("becomes final after secondsToFinal in the background, and the decline fault declines it", async () => {
    const s = await start({ pollsToFinal: 100, backgroundFinalize: true, secondsToFinal: 5 });
    const order = await finalOrderInBackground(s);
    const sn = (await giveBack(order, "1.00"))["serial-number"]!;
    clock += 5_000;
    s.advance();
    expect(s.state.orders.get(order.orderid)!.returns[0]).toMatchObject({ serialNumber: sn, status: "approved" });
    const declinedSn = (await giveBack(order, "1.00", "EUR", { "payspec-fault": "decline" }))["serial-number"]!;
    clock += 5_000;
    expect(await status(order.client_orderid, order.orderid, declinedSn)).toMatchObject({ status: "declined" });
  });

  async function finalOrderInBackground(s: RunningPayneteasySimulator) {
    const { server_callback_url: _omit, ...base } = saleBody;
    const body = { ...base, client_orderid: `RETB${process.pid}x${++seq}`, amount: "10.42" };
    const form = encodeForm(body);
    const path = `/paynet/mapi/v1/sale/${EP}`;
    const { authorization } = signOAuth1({
      method: "POST",
      url: s.url + path,
      consumerKey: LOGIN,
      consumerSecret: KEY,
      body: form,
      timestamp: Math.floor(clock / 1000),
    });
    const res = await fetch(s.url + path, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    const orderid = decodeKv(await res.text())["paynet-order-id"]!;
    clock += 5_000;
    s.advance();
    expect(s.state.orders.get(orderid)!.status).toBe("approved");
    return { client_orderid: body.client_orderid, orderid };
  }
});

describe("return rule 5: a final return is reported to the merchant callback like an order", () => {
  it("GETs the callback with type=reversal, the return's amount, its status and a valid control", async () => {
    const received: Record<string, string>[] = [];
    receiver = fastify();
    receiver.get("/cb", async (request) => {
      received.push(request.query as Record<string, string>);
      return "OK";
    });
    await receiver.listen({ host: "127.0.0.1", port: 0 });
    const address = receiver.server.address() as { port: number };
    const s = await start({ callbackUrl: `http://127.0.0.1:${address.port}/cb` });
    const order = await finalOrder();
    await s.settled();
    expect(received).toHaveLength(1);
    const sn = (await giveBack(order, "2.50"))["serial-number"]!;
    await status(order.client_orderid, order.orderid, sn);
    await s.settled();
    expect(received).toHaveLength(2);
    expect(received[1]).toMatchObject({
      orderid: order.orderid,
      client_orderid: order.client_orderid,
      type: "reversal",
      amount: "2.50",
      status: "approved",
    });
    expect(verifyCallback(received[1]!, KEY)).toBe(true);
  });
});

describe("return rule 6: close-day totals the approved returns", () => {
  it("reports reversalApprovedCount and reversalAmount of the returns approved since the last close", async () => {
    const s = await start();
    const order = await finalOrder();
    const sn = (await giveBack(order, "2.50"))["serial-number"]!;
    await status(order.client_orderid, order.orderid, sn);
    const form = encodeForm({ day_close_request_id: "CLOSERET1" });
    const path = `/paynet/api/v2/close-day/${EP}`;
    const { authorization } = signOAuth1({
      method: "POST",
      url: s.url + path,
      consumerKey: LOGIN,
      consumerSecret: KEY,
      body: form,
      timestamp: Math.floor(clock / 1000),
    });
    const res = await fetch(s.url + path, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: form,
    });
    expect(decodeKv(await res.text())).toMatchObject({ reversalApprovedCount: "1", reversalAmount: "2.50" });
    expect(s.state.dayCloses[0]).toMatchObject({ reversalApprovedCount: 1, reversalAmount: "2.50" });
  });
});
