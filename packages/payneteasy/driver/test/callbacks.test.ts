// The callback receiver (seed 002, "Connecting Party Callback"): control checked in constant
// time, genuine callbacks answered 200 (repeats too) and handed on once per order. Real loopback.
import { encodeForm, payneteasyCallbackControl } from "@payspec/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { PayneteasyCallbackReceiver } from "../src/index.js";

const KEY = "B17F59B4-A7DC-41B4-8FF9-37D5B41E9ED4";
let receiver: PayneteasyCallbackReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function callback(overrides: Record<string, string> = {}, key = KEY): Record<string, string> {
  const base = {
    status: "approved",
    merchant_order: "CB1",
    client_orderid: "CB1",
    orderid: "5582716",
    type: "sale",
    amount: "10.42",
    "approval-code": "242805",
    ...overrides,
  };
  return {
    ...base,
    control: payneteasyCallbackControl({
      status: base.status,
      orderid: base.orderid,
      client_orderid: base.client_orderid,
      merchant_control_key: key,
    }),
  };
}

async function send(url: string, query: Record<string, string>): Promise<number> {
  const res = await fetch(`${url}?${encodeForm(query)}`);
  await res.body?.cancel();
  return res.status;
}

async function started(): Promise<{ r: PayneteasyCallbackReceiver; url: string }> {
  receiver = new PayneteasyCallbackReceiver({ merchantControlKey: KEY });
  return { r: receiver, url: await receiver.listen() };
}

describe("rule: a callback is trusted only with the right control", () => {
  it("answers 200 to a genuine callback and hands it to the order's waiter", async () => {
    const { r, url } = await started();
    const waiting = r.waitFor("5582716");
    expect(await send(url, callback())).toBe(200);
    await expect(waiting).resolves.toMatchObject({ status: "approved", "approval-code": "242805" });
  });

  it("refuses a callback signed with another key (403) and hands nothing on", async () => {
    const { r, url } = await started();
    expect(await send(url, callback({}, "another-key"))).toBe(403);
    expect(await send(url, { ...callback(), status: "declined" })).toBe(403); // status changed after signing
    expect(r.stats).toMatchObject({ accepted: 0, rejected: 2 });
  });

  it("refuses parameters the spec does not allow (400)", async () => {
    const { r, url } = await started();
    expect(await send(url, callback({ amount: "ten" }))).toBe(400);
    expect(await send(url, { orderid: "1" })).toBe(400);
    expect(r.stats.accepted).toBe(0);
  });
});

describe("rule: repeated callbacks are deduplicated", () => {
  it("answers every repeat 200 (else Payneteasy retries) but hands the order on once", async () => {
    const { r, url } = await started();
    const handed: string[] = [];
    void r.waitFor("5582716").then((c) => handed.push(c.status));
    for (let i = 0; i < 3; i++) expect(await send(url, callback())).toBe(200);
    expect(r.stats).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(handed).toEqual(["approved"]);
  });

  it("keeps a callback that came before anyone waited, for the waiter that comes later", async () => {
    const { r, url } = await started();
    await send(url, callback({ status: "declined" }));
    await expect(r.waitFor("5582716")).resolves.toMatchObject({ status: "declined" });
  });

  it("acknowledges a non-final status without handing it on", async () => {
    const { r, url } = await started();
    expect(await send(url, callback({ status: "processing" }))).toBe(200);
    expect(r.stats.accepted).toBe(0);
    expect(await send(url, callback())).toBe(200);
    expect(r.stats.accepted).toBe(1);
  });

  it("forgets the oldest orders beyond `remember`", () => {
    const r = new PayneteasyCallbackReceiver({ merchantControlKey: KEY, remember: 1 });
    expect(r.accept(callback({ orderid: "1" }))).toBe("accepted");
    expect(r.accept(callback({ orderid: "2" }))).toBe("accepted");
    expect(r.accept(callback({ orderid: "2" }))).toBe("duplicate");
    expect(r.accept(callback({ orderid: "1" }))).toBe("accepted");
  });
});
