// Simulator gaps (issue #4): orders become final in the background, the callback then fires by
// itself (retried with backoff until answered 200), and the `disconnect` fault (the mPOS reader
// drops mid-transaction) ends the order in `error` with an error-message. Real loopback HTTP; the
// clock and the scheduler are injected, so nothing waits on real time.
import { decodeKv, encodeForm, type KvRecord, payneteasyStatusControl, signOAuth1 } from "@payspec/runtime";
import fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import {
  PAYNETEASY_DISCONNECT_ERROR,
  PAYNETEASY_SIMULATOR_CREDENTIALS,
  type RunningPayneteasySimulator,
  type StartPayneteasySimulatorOptions,
  startPayneteasySimulator,
  verifyCallback,
} from "../src/index.js";
import { saleBody } from "./helpers.js";

const EP = "1234";
const SALE = `/paynet/mapi/v1/sale/${EP}`;
const STATUS = `/paynet/api/v2/status/${EP}`;
const START = Date.UTC(2026, 10, 23, 12, 0, 0);
const { login: LOGIN, merchantControlKey: KEY } = PAYNETEASY_SIMULATOR_CREDENTIALS;

let clock = START;
let sim: RunningPayneteasySimulator | undefined;
let receiver: FastifyInstance | undefined;
let counter = 0;

afterEach(async () => {
  await sim?.close();
  await receiver?.close();
  sim = undefined;
  receiver = undefined;
  clock = START;
});

/** A scheduler the test drives: tasks run only when `runDue` says their time has come. */
function manualScheduler() {
  const tasks: { at: number; delayMs: number; task: () => void; cancelled: boolean }[] = [];
  return {
    tasks,
    schedule(task: () => void, delayMs: number) {
      const entry = { at: clock + delayMs, delayMs, task, cancelled: false };
      tasks.push(entry);
      return {
        cancel: () => {
          entry.cancelled = true;
        },
      };
    },
    /** Moves the clock to the earliest pending task and runs every task due then. */
    runNext(): number | undefined {
      const pending = tasks.filter((t) => !t.cancelled);
      if (pending.length === 0) return undefined;
      const at = Math.min(...pending.map((t) => t.at));
      clock = Math.max(clock, at);
      for (const t of pending.filter((p) => p.at <= clock)) {
        t.cancelled = true;
        t.task();
      }
      return at;
    },
  };
}

/** Waits (event-loop turns, no clock) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function start(options: Partial<StartPayneteasySimulatorOptions>): Promise<RunningPayneteasySimulator> {
  sim = await startPayneteasySimulator({ host: "127.0.0.1", port: 0, now: () => clock, ...options });
  return sim;
}

async function sale(overrides: Record<string, string> = {}, fault?: string): Promise<KvRecord> {
  const { server_callback_url: _omit, ...base } = saleBody;
  const body = { ...base, client_orderid: `BG${process.pid}x${++counter}`, amount: "10.42", ...overrides };
  const form = encodeForm(body);
  const { authorization } = signOAuth1({
    method: "POST",
    url: sim!.url + SALE,
    consumerKey: LOGIN,
    consumerSecret: KEY,
    body: form,
    timestamp: Math.floor(clock / 1000),
    nonce: `bg${process.pid}n${counter}`,
  });
  const res = await fetch(sim!.url + SALE, {
    method: "POST",
    headers: {
      authorization,
      "content-type": "application/x-www-form-urlencoded",
      ...(fault ? { "payspec-fault": fault } : {}),
    },
    body: form,
  });
  return decodeKv(await res.text());
}

async function status(client_orderid: string, orderid: string): Promise<KvRecord> {
  const control = payneteasyStatusControl({ login: LOGIN, client_orderid, orderid, merchant_control_key: KEY });
  const res = await fetch(sim!.url + STATUS, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: encodeForm({ login: LOGIN, client_orderid, orderid, control }),
  });
  return decodeKv(await res.text());
}

async function startReceiver(failures: number): Promise<{ url: string; received: Record<string, string>[] }> {
  const received: Record<string, string>[] = [];
  receiver = fastify();
  receiver.get("/cb", async (request, reply) => {
    received.push(request.query as Record<string, string>);
    return reply.code(received.length <= failures ? 503 : 200).send("OK");
  });
  await receiver.listen({ host: "127.0.0.1", port: 0 });
  const address = receiver.server.address();
  return { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/cb`, received };
}

describe("rule 6: orders become final in the background, without polls", { timeout: 60_000 }, () => {
  it("schedules finalisation secondsToFinal after the sale and finalises when the timer fires", async () => {
    const scheduler = manualScheduler();
    const s = await start({ secondsToFinal: 7, pollsToFinal: 100, schedule: scheduler.schedule });
    const answer = await sale();
    const id = answer["paynet-order-id"]!;
    expect(scheduler.tasks.map((t) => t.delayMs)).toEqual([7_000]);
    expect(s.state.orders.get(id)!.status).toBe("processing");
    scheduler.runNext();
    // nobody polled and nobody called advance(): the timer alone made it final
    expect(s.state.orders.get(id)!.status).toBe("approved");
    expect(s.state.orders.get(id)!.finalAt).toBe(START + 7_000);
  });

  it("does not finalise in the background when backgroundFinalize is off", async () => {
    const scheduler = manualScheduler();
    const s = await start({ backgroundFinalize: false, schedule: scheduler.schedule });
    const id = (await sale())["paynet-order-id"]!;
    expect(scheduler.tasks).toHaveLength(0);
    expect(s.state.orders.get(id)!.status).toBe("processing");
  });

  it("cancels the pending finalisation timers on close", async () => {
    const scheduler = manualScheduler();
    await start({ schedule: scheduler.schedule });
    await sale();
    await sim!.close();
    sim = undefined;
    expect(scheduler.tasks.every((t) => t.cancelled)).toBe(true);
  });
});

describe("rule 7: the callback of a background-finalised order fires by itself, retried with backoff until 200", {
  timeout: 60_000,
}, () => {
  it("delivers the final status to the callback URL once the timer finalises the order", async () => {
    const merchant = await startReceiver(0);
    const scheduler = manualScheduler();
    const s = await start({ schedule: scheduler.schedule, pollsToFinal: 100 });
    const answer = await sale({ server_callback_url: merchant.url });
    scheduler.runNext();
    await s.settled();
    expect(merchant.received).toHaveLength(1);
    expect(merchant.received[0]).toMatchObject({ orderid: answer["paynet-order-id"], status: "approved" });
    expect(verifyCallback(merchant.received[0]!, KEY)).toBe(true);
  });

  it("retries a refused callback after growing delays until the merchant answers 200", async () => {
    const merchant = await startReceiver(3);
    const scheduler = manualScheduler();
    const s = await start({
      schedule: scheduler.schedule,
      callbackRetryDelaysMs: [1_000, 2_000, 4_000, 8_000],
      secondsToFinal: 5,
    });
    await sale({ server_callback_url: merchant.url, amount: "4.13" });
    scheduler.runNext(); // finalisation
    // each failed attempt schedules its retry on the injected scheduler: run them as they come
    while (!s.state.callbacks[0]?.delivered) {
      await until(() => s.state.callbacks[0]?.delivered === true || scheduler.tasks.some((t) => !t.cancelled));
      if (!s.state.callbacks[0]!.delivered) scheduler.runNext();
    }
    await s.settled();
    expect(merchant.received.map((q) => q.status)).toEqual(["declined", "declined", "declined", "declined"]);
    expect(s.state.callbacks[0]!.attempts.map((a) => a.httpStatus)).toEqual([503, 503, 503, 200]);
    // backoff: each retry waited longer than the one before
    expect(scheduler.tasks.slice(1).map((t) => t.delayMs)).toEqual([1_000, 2_000, 4_000]);
    expect(s.state.callbacks[0]!.delivered).toBe(true);
  });
});

describe("rule 8: the disconnect fault: the mPOS reader drops mid-transaction", { timeout: 60_000 }, () => {
  it("accepts the order, which then ends in error with an error-message saying the device disconnected", async () => {
    await start({ pollsToFinal: 1 });
    const answer = await sale({}, "disconnect");
    expect(answer).toMatchObject({ type: "async-response", status: "processing" });
    const final = await status(answer["merchant-order-id"]!, answer["paynet-order-id"]!);
    expect(final).toMatchObject({
      type: "status-response",
      status: "error",
      "error-message": PAYNETEASY_DISCONNECT_ERROR.message,
      "error-code": PAYNETEASY_DISCONNECT_ERROR.code,
    });
    expect(final["approval-code"]).toBeUndefined();
  });

  it("reports the disconnect in the callback's error_message, with a valid control", async () => {
    const merchant = await startReceiver(0);
    const scheduler = manualScheduler();
    const s = await start({ schedule: scheduler.schedule });
    await sale({ server_callback_url: merchant.url }, "disconnect");
    scheduler.runNext();
    await s.settled();
    expect(merchant.received[0]).toMatchObject({
      status: "error",
      error_message: PAYNETEASY_DISCONNECT_ERROR.message,
      error_code: PAYNETEASY_DISCONNECT_ERROR.code,
    });
    expect(verifyCallback(merchant.received[0]!, KEY)).toBe(true);
  });
});
