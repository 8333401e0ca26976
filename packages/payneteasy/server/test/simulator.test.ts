// The gateway simulator behaves like Payneteasy (seed 002; PROTOCOLS.md §3): each test names the
// rule it enforces and fails when the simulator breaks it. Real loopback HTTP only; the clock and
// the callback retry schedule are injected, so nothing waits on real time.
import { decodeKv, encodeForm, type KvRecord, payneteasyStatusControl, signOAuth1 } from "@payspec/runtime";
import fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import {
  PAYNETEASY_CALLBACK_RETRY_DELAYS_MS,
  PAYNETEASY_ERROR_CODES,
  PAYNETEASY_SIMULATOR_CREDENTIALS,
  type RunningPayneteasySimulator,
  type StartPayneteasySimulatorOptions,
  startPayneteasySimulator,
  verifyCallback,
} from "../src/index.js";
import { saleBody } from "./helpers.js";

const EP = "1234";
const SALE = `/paynet/mapi/v1/sale/${EP}`;
const PREAUTH = `/paynet/mapi/v1/preauth/${EP}`;
const STATUS = `/paynet/api/v2/status/${EP}`;
const CLOSE_DAY = `/paynet/api/v2/close-day/${EP}`;
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const { login: LOGIN, merchantControlKey: KEY } = PAYNETEASY_SIMULATOR_CREDENTIALS;

let clock = START;
let sim: RunningPayneteasySimulator | undefined;
let receiver: FastifyInstance | undefined;
let nonces = 0;
let orderIds = 0;

afterEach(async () => {
  await sim?.close();
  await receiver?.close();
  sim = undefined;
  receiver = undefined;
  clock = START;
});

async function start(options: Partial<StartPayneteasySimulatorOptions> = {}): Promise<RunningPayneteasySimulator> {
  sim = await startPayneteasySimulator({ host: "127.0.0.1", port: 0, now: () => clock, ...options });
  return sim;
}

interface Signing {
  key?: string;
  timestampSeconds?: number;
  nonce?: string;
  fault?: string;
}

/** POSTs a form body signed as the connecting party signs it, and decodes the kv answer. */
async function signedPost(path: string, body: Record<string, string>, signing: Signing = {}): Promise<KvRecord> {
  const s = sim!;
  const form = encodeForm(body);
  const { authorization } = signOAuth1({
    method: "POST",
    url: s.url + path,
    consumerKey: LOGIN,
    consumerSecret: signing.key ?? KEY,
    body: form,
    timestamp: signing.timestampSeconds ?? Math.floor(clock / 1000),
    nonce: signing.nonce ?? `n${process.pid}x${++nonces}`,
  });
  const res = await fetch(s.url + path, {
    method: "POST",
    headers: {
      authorization,
      "content-type": "application/x-www-form-urlencoded",
      ...(signing.fault ? { "payspec-fault": signing.fault } : {}),
    },
    body: form,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  return decodeKv(await res.text());
}

type OrderBody = Record<string, string> & { client_orderid: string; amount: string };

function order(overrides: Record<string, string> = {}): OrderBody {
  const { server_callback_url: _omit, ...body } = saleBody;
  return { ...body, client_orderid: `SIM${process.pid}x${++orderIds}`, amount: "10.42", ...overrides };
}

async function status(client_orderid: string, orderid: string, key: string = KEY): Promise<KvRecord> {
  const control = payneteasyStatusControl({ login: LOGIN, client_orderid, orderid, merchant_control_key: key });
  const res = await fetch(sim!.url + STATUS, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: encodeForm({ login: LOGIN, client_orderid, orderid, control }),
  });
  expect(res.status).toBe(200);
  return decodeKv(await res.text());
}

/** Polls status until the order is final; returns every answer. */
async function pollToFinal(client_orderid: string, orderid: string): Promise<KvRecord[]> {
  const answers: KvRecord[] = [];
  for (let i = 0; i < 10; i++) {
    const answer = await status(client_orderid, orderid);
    answers.push(answer);
    if (answer.status !== "processing") return answers;
  }
  throw new Error("order never became final");
}

function expectRefusal(answer: KvRecord, code: string): void {
  expect(answer.type).toBe("validation-error");
  expect(answer["error-code"]).toBe(code);
  expect(answer["error-message"]).toBeTruthy();
}

const unauthorized = PAYNETEASY_ERROR_CODES.unauthorized;

describe("rule 1: OAuth 1.0 signatures on sale, preauth and close-day", () => {
  it("accepts a sale signed with the test merchant's control key", async () => {
    await start();
    expect((await signedPost(SALE, order())).type).toBe("async-response");
  });

  it("refuses a wrong signature on sale, preauth and close-day, creating nothing", async () => {
    const s = await start();
    expectRefusal(await signedPost(SALE, order(), { key: "wrong-key" }), unauthorized);
    expectRefusal(await signedPost(PREAUTH, order(), { key: "wrong-key" }), unauthorized);
    expectRefusal(
      await signedPost(CLOSE_DAY, { day_close_request_id: "CLOSE0001" }, { key: "wrong-key" }),
      unauthorized,
    );
    expect(s.state.orders.size).toBe(0);
    expect(s.state.dayCloses).toHaveLength(0);
  });

  it("refuses a stale timestamp against the injected clock", async () => {
    await start();
    const answer = await signedPost(SALE, order(), { timestampSeconds: Math.floor(clock / 1000) - 301 });
    expectRefusal(answer, unauthorized);
    expect(answer["error-message"]).toMatch(/timestamp/);
  });

  it("refuses a replayed nonce", async () => {
    await start();
    expect((await signedPost(SALE, order(), { nonce: "replayed-nonce-1" })).type).toBe("async-response");
    const again = await signedPost(SALE, order(), { nonce: "replayed-nonce-1" });
    expectRefusal(again, unauthorized);
    expect(again["error-message"]).toMatch(/nonce/);
  });
});

describe("rule 2: sale and preauth create an order that becomes final", () => {
  it("answers async-response processing with paynet-order-id and serial-number", async () => {
    const s = await start();
    const body = order();
    const answer = await signedPost(PREAUTH, body);
    expect(answer).toMatchObject({
      type: "async-response",
      status: "processing",
      "merchant-order-id": body.client_orderid,
    });
    expect(answer["paynet-order-id"]).toMatch(/^[0-9]+$/);
    expect(answer["serial-number"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.state.orders.get(answer["paynet-order-id"]!)).toMatchObject({ type: "preauth", status: "processing" });
  });

  it("becomes final after pollsToFinal status polls", async () => {
    await start({ pollsToFinal: 3, secondsToFinal: 3600 });
    const body = order();
    const id = (await signedPost(SALE, body))["paynet-order-id"]!;
    const statuses = (await pollToFinal(body.client_orderid, id)).map((a) => a.status);
    expect(statuses).toEqual(["processing", "processing", "approved"]);
  });

  it("becomes final after secondsToFinal simulated seconds, without polls", async () => {
    const s = await start({ pollsToFinal: 100, secondsToFinal: 5 });
    const id = (await signedPost(SALE, order()))["paynet-order-id"]!;
    clock += 4_999;
    s.advance();
    expect(s.state.orders.get(id)!.status).toBe("processing");
    clock += 1;
    s.advance();
    expect(s.state.orders.get(id)!.status).toBe("approved");
  });

  it("declines amounts ending in .13, errors .99, and declines any amount under the decline fault", async () => {
    await start({ pollsToFinal: 1 });
    const outcome = async (amount: string, fault?: string) => {
      const body = order({ amount });
      const id = (await signedPost(SALE, body, fault ? { fault } : {}))["paynet-order-id"]!;
      return (await pollToFinal(body.client_orderid, id)).at(-1)!.status;
    };
    expect(await outcome("20.13")).toBe("declined");
    expect(await outcome("20.99")).toBe("error");
    expect(await outcome("20.00")).toBe("approved");
    expect(await outcome("20.00", "decline")).toBe("declined");
  });

  it("answers type=error and creates no order under the busy fault", async () => {
    const s = await start();
    const answer = await signedPost(SALE, order(), { fault: "busy" });
    expect(answer.type).toBe("error");
    expect(answer["error-message"]).toBeTruthy();
    expect(s.state.orders.size).toBe(0);
  });

  it("refuses a client_orderid already used on the endpoint with validation-error", async () => {
    const s = await start();
    const body = order();
    expect((await signedPost(SALE, body)).type).toBe("async-response");
    const again = await signedPost(SALE, body);
    expectRefusal(again, PAYNETEASY_ERROR_CODES.invalid);
    expect(again["merchant-order-id"]).toBe(body.client_orderid);
    expect(s.state.orders.size).toBe(1);
  });
});

describe("rule 3: status with the control checksum", () => {
  it("refuses a wrong control", async () => {
    await start();
    const body = order();
    const id = (await signedPost(SALE, body))["paynet-order-id"]!;
    expectRefusal(await status(body.client_orderid, id, "wrong-key"), unauthorized);
  });

  it("answers processing until final, then approved with approval-code, last-four-digits and card-type", async () => {
    await start({ pollsToFinal: 2 });
    const body = order();
    const id = (await signedPost(SALE, body))["paynet-order-id"]!;
    const [first, final] = await pollToFinal(body.client_orderid, id);
    expect(first).toMatchObject({ type: "status-response", status: "processing", "paynet-order-id": id });
    expect(first!["approval-code"]).toBeUndefined();
    expect(final).toMatchObject({
      type: "status-response",
      status: "approved",
      "merchant-order-id": body.client_orderid,
      "last-four-digits": "1111",
      "card-type": "VISA",
    });
    expect(final!["approval-code"]).toMatch(/^[0-9]{6}$/);
  });

  it("answers declined once a declined order is final", async () => {
    await start({ pollsToFinal: 1 });
    const body = order({ amount: "3.13" });
    const id = (await signedPost(SALE, body))["paynet-order-id"]!;
    expect((await status(body.client_orderid, id)).status).toBe("declined");
  });
});

describe("rule 4: merchant callbacks", () => {
  /** A merchant's receiver that answers 500 to the first `failures` callbacks. */
  async function startReceiver(failures: number): Promise<{ url: string; received: Record<string, string>[] }> {
    const received: Record<string, string>[] = [];
    receiver = fastify();
    receiver.get("/cb", async (request, reply) => {
      received.push(request.query as Record<string, string>);
      return reply.code(received.length <= failures ? 500 : 200).send("OK");
    });
    await receiver.listen({ host: "127.0.0.1", port: 0 });
    const address = receiver.server.address();
    return { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/cb`, received };
  }

  it("GETs the callback URL with the final status and a valid control when the order is final", async () => {
    const merchant = await startReceiver(0);
    const s = await start({ pollsToFinal: 1, callbackUrl: merchant.url });
    const body = order();
    const id = (await signedPost(SALE, body))["paynet-order-id"]!;
    expect(merchant.received).toHaveLength(0);
    await status(body.client_orderid, id);
    await s.settled();
    expect(merchant.received).toHaveLength(1);
    const callback = merchant.received[0]!;
    expect(callback).toMatchObject({
      orderid: id,
      merchant_order: body.client_orderid,
      client_orderid: body.client_orderid,
      amount: "10.42",
      status: "approved",
      type: "sale",
    });
    expect(verifyCallback(callback, KEY)).toBe(true);
    expect(s.state.callbacks[0]).toMatchObject({ orderid: id, delivered: true, attempts: [{ httpStatus: 200 }] });
  });

  it("retries on the injected schedule until the merchant answers 200", async () => {
    const merchant = await startReceiver(2);
    const s = await start({ pollsToFinal: 1, callbackRetryDelaysMs: [0, 0, 0, 0] });
    const body = order({ amount: "7.13", server_callback_url: merchant.url });
    const id = (await signedPost(SALE, body))["paynet-order-id"]!;
    await status(body.client_orderid, id);
    await s.settled();
    expect(merchant.received.map((q) => q.status)).toEqual(["declined", "declined", "declined"]);
    expect(s.state.callbacks[0]!.attempts.map((a) => a.httpStatus)).toEqual([500, 500, 200]);
    expect(s.state.callbacks[0]!.delivered).toBe(true);
  });

  it("defaults to Payneteasy's 30 tries spread over about 14 days", () => {
    const total = PAYNETEASY_CALLBACK_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(PAYNETEASY_CALLBACK_RETRY_DELAYS_MS).toHaveLength(29);
    expect(total / 86_400_000).toBeGreaterThan(13);
    expect(total / 86_400_000).toBeLessThanOrEqual(14);
  });

  it("gives up after the last try of the schedule and records it", async () => {
    const merchant = await startReceiver(100);
    const s = await start({ pollsToFinal: 1, callbackUrl: merchant.url, callbackRetryDelaysMs: [0] });
    const body = order();
    const id = (await signedPost(SALE, body))["paynet-order-id"]!;
    await status(body.client_orderid, id);
    await s.settled();
    expect(merchant.received).toHaveLength(2);
    expect(s.state.callbacks[0]).toMatchObject({ delivered: false, gaveUp: true });
  });
});

describe("rule 5: close-day", () => {
  it("totals the approved sales of the day, then starts a new day", async () => {
    await start({ pollsToFinal: 1 });
    for (const amount of ["10.42", "5.00", "1.13"]) {
      const body = order({ amount });
      await status(body.client_orderid, (await signedPost(SALE, body))["paynet-order-id"]!);
    }
    const preauth = order({ amount: "50.00" });
    await status(preauth.client_orderid, (await signedPost(PREAUTH, preauth))["paynet-order-id"]!);
    const closed = await signedPost(CLOSE_DAY, { day_close_request_id: "CLOSE0001" });
    expect(closed).toMatchObject({ status: "finished", saleApprovedCount: "2", saleAmount: "15.42" });
    const next = await signedPost(CLOSE_DAY, { day_close_request_id: "CLOSE0002" });
    expect(next).toMatchObject({ status: "finished", saleApprovedCount: "0", saleAmount: "0.00" });
  });

  it("refuses a day_close_request_id used before", async () => {
    const s = await start();
    expect((await signedPost(CLOSE_DAY, { day_close_request_id: "CLOSE0001" })).status).toBe("finished");
    expectRefusal(await signedPost(CLOSE_DAY, { day_close_request_id: "CLOSE0001" }), PAYNETEASY_ERROR_CODES.invalid);
    expect(s.state.dayCloses).toHaveLength(1);
  });
});
