// Merchant callback (seed 002, "Connecting Party Callback"): control = SHA1(status + orderid +
// client_orderid + merchant_control_key) is checked before the handler sees the callback;
// anything but 200 makes Payneteasy retry, so refusals are plain-text 400 / 403 / 500.
import { encodeForm, payneteasyCallbackControl } from "@payspec/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { examples, verifyCallback } from "../src/index.js";
import { KEY, type ServerUnderTest, startServer } from "./helpers.js";

const example = examples.merchantCallbackNotify[0]!.input as unknown as Record<string, string>;

let server: ServerUnderTest;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.app.close());
beforeEach(() => {
  server.calls.length = 0;
});

const notify = (query: Record<string, string>) =>
  server.app.inject({ method: "GET", url: `/callback?${encodeForm(query)}` });

function signed(query: Record<string, string>): Record<string, string> {
  const control = payneteasyCallbackControl({
    status: query.status ?? "",
    orderid: query.orderid ?? "",
    client_orderid: query.client_orderid ?? "",
    merchant_control_key: KEY,
  });
  return { ...query, control };
}

describe("callback control", () => {
  it("accepts the spec's example callback and answers 200", async () => {
    const res = await notify(example);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe("OK");
    expect(server.calls).toEqual(["merchantCallbackNotify"]);
  });

  it("refuses a control made with another key: 403, no handler", async () => {
    const forged = {
      ...example,
      control: payneteasyCallbackControl({
        ...example,
        status: example.status!,
        orderid: example.orderid!,
        client_orderid: example.client_orderid!,
        merchant_control_key: "guess",
      }),
    };
    const res = await notify(forged);
    expect(res.statusCode).toBe(403);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.body).toBe("Invalid control");
    expect(server.calls).toEqual([]);
  });

  it("refuses a callback whose status was changed after signing", async () => {
    const res = await notify({ ...example, status: "declined" });
    expect(res.statusCode).toBe(403);
    expect(server.calls).toEqual([]);
  });

  it("refuses a callback without control", async () => {
    const { control: _, ...unsigned } = example;
    expect((await notify(unsigned)).statusCode).toBe(403);
    expect(server.calls).toEqual([]);
  });

  it("accepts a transaction type it does not know (vendors add types; refusing means endless retries)", async () => {
    const res = await notify(signed({ ...example, type: "instant-payout" }));
    expect(res.statusCode).toBe(200);
    expect(server.calls).toEqual(["merchantCallbackNotify"]);
  });

  it("answers 400 for a malformed amount, so the callback is retried rather than lost", async () => {
    const res = await notify(signed({ ...example, amount: "ten" }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/amount/);
    expect(server.calls).toEqual([]);
  });

  it("answers 500 when the handler fails, so Payneteasy retries", async () => {
    const res = await notify(signed({ ...example, client_orderid: "crash", merchant_order: "crash" }));
    expect(res.statusCode).toBe(500);
    expect(res.body).toBe("Internal error");
    expect(res.body).not.toMatch(/database/);
  });
});

describe("verifyCallback", () => {
  it("checks SHA1(status + orderid + client_orderid + merchant_control_key)", () => {
    expect(verifyCallback(example, KEY)).toBe(true);
    expect(verifyCallback({ ...example, control: example.control!.toUpperCase() }, KEY)).toBe(true);
    expect(verifyCallback(example, "other key")).toBe(false);
    expect(verifyCallback({ ...example, orderid: "5582717" }, KEY)).toBe(false);
  });

  it("is false when a field is missing or not a string", () => {
    const { status: _, ...noStatus } = example;
    expect(verifyCallback(noStatus, KEY)).toBe(false);
    expect(verifyCallback({ ...example, orderid: ["5582716"] }, KEY)).toBe(false);
    expect(verifyCallback({}, KEY)).toBe(false);
  });
});
