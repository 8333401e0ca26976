// callOperation: builds the request from the descriptor, retries only what is safe to retry,
// and turns an error status into the protocol's error.
import { describe, expect, it } from "vitest";
import { type ClientConfig, callOperation } from "../src/http/client.js";
import type { OperationDescriptor } from "../src/http/operation.js";
import { scriptedTransport } from "../src/transport/scripted.js";
import type { Transport, TransportResponse } from "../src/transport/types.js";

const op = (over: Partial<OperationDescriptor> = {}): OperationDescriptor => ({
  id: "createPayment",
  method: "POST",
  path: "/accounts/{account}/payments",
  params: [
    { name: "account", in: "path", required: true },
    { name: "expand[]", in: "query", required: false, array: true },
    { name: "Unique-Key", in: "header", required: false },
    { name: "Api-Version", in: "header", required: true, fixed: "3.0" },
  ],
  body: {
    contentTypes: ["application/x-www-form-urlencoded"],
    encoding: "form",
    message: "PaymentRequest",
    required: true,
  },
  responses: [
    { status: 200, error: false, contentType: "application/json", encoding: "json", message: "Payment" },
    { status: 400, error: true, contentType: "application/json", encoding: "json", message: "ApiError" },
  ],
  safe: false,
  idempotencyHeader: "Unique-Key",
  ...over,
});

const ok: TransportResponse = { status: 200, headers: { "content-type": "application/json" }, body: '{"id":"p1"}' };
const unavailable: TransportResponse = { status: 503, headers: {}, body: "" };
const makeError = (status: number, body: unknown) => Object.assign(new Error(`HTTP ${status}`), { status, body });
const config = (transport: Transport): ClientConfig => ({
  baseUrl: "http://127.0.0.1:9/",
  transport,
  retry: { baseDelayMs: 1, maxDelayMs: 2 },
});

describe("callOperation", () => {
  it("builds the URL, headers and form body from the descriptor", async () => {
    const { sent: seen, transport } = scriptedTransport([ok]);
    const out = await callOperation(
      op(),
      { account: "a/1", "expand[]": ["payment_method"], body: { amount: 100, metadata: { order: "42" } } },
      config(transport),
      makeError,
    );
    expect(out).toEqual({ id: "p1" });
    expect(seen[0]?.url).toBe("http://127.0.0.1:9/accounts/a%2F1/payments?expand[0]=payment_method");
    expect(seen[0]?.headers).toMatchObject({
      "Api-Version": "3.0",
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(seen[0]?.body).toBe("amount=100&metadata[order]=42");
  });

  it("writes array query parameters in the spec's style", async () => {
    const { sent: seen, transport } = scriptedTransport([ok]);
    const list: OperationDescriptor = op({
      method: "GET",
      safe: true,
      body: undefined,
      params: [
        { name: "account", in: "path", required: true },
        { name: "status", in: "query", required: false, array: true, explode: true },
        { name: "ids", in: "query", required: false, array: true },
        { name: "expand[]", in: "query", required: false, array: true },
      ],
    });
    await callOperation(
      list,
      { account: "a", status: ["active", "inactive"], ids: ["1", "2"], "expand[]": ["x"] },
      config(transport),
      makeError,
    );
    expect(seen[0]?.url).toBe(
      "http://127.0.0.1:9/accounts/a/payments?expand[0]=x&status=active&status=inactive&ids=1,2",
    );
  });

  it("sends the body in the media type the caller asks for, when the spec allows it", async () => {
    const { sent: seen, transport } = scriptedTransport([ok]);
    const both = op({
      body: {
        contentTypes: ["application/xml", "application/json"],
        encoding: "xml",
        message: "Msg",
        required: true,
        xmlRoot: "Msg",
      },
    });
    await callOperation(
      both,
      { account: "a", "Content-Type": "application/json", body: { Msg: { a: 1 } } },
      config(transport),
      makeError,
    );
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(seen[0]?.body).toBe('{"Msg":{"a":1}}');
  });

  it("does not retry a write without an idempotency key", async () => {
    const { sent: seen, transport } = scriptedTransport([unavailable, ok]);
    await expect(callOperation(op(), { account: "a", body: {} }, config(transport), makeError)).rejects.toMatchObject({
      status: 503,
    });
    expect(seen).toHaveLength(1);
  });

  it("retries a write that carries its idempotency key, with the same key", async () => {
    const { sent: seen, transport } = scriptedTransport([unavailable, ok]);
    await callOperation(op(), { account: "a", "Unique-Key": "k1", body: {} }, config(transport), makeError);
    expect(seen.map((r) => r.headers["Unique-Key"])).toEqual(["k1", "k1"]);
  });

  it("retries a read", async () => {
    const { sent: seen, transport } = scriptedTransport([unavailable, unavailable, ok]);
    await callOperation(
      op({ method: "GET", safe: true, body: undefined }),
      { account: "a" },
      config(transport),
      makeError,
    );
    expect(seen).toHaveLength(3);
  });

  it("throws the protocol's error with the decoded error body", async () => {
    const { transport } = scriptedTransport([
      { status: 400, headers: { "content-type": "application/json" }, body: '{"error_code":"INVALID_PARAMS"}' },
    ]);
    await expect(callOperation(op(), { account: "a", body: {} }, config(transport), makeError)).rejects.toMatchObject({
      status: 400,
      body: { error_code: "INVALID_PARAMS" },
    });
  });

  it("refuses to send without a required path parameter or body", async () => {
    const { transport } = scriptedTransport([ok]);
    await expect(callOperation(op(), { body: {} }, config(transport), makeError)).rejects.toThrow(/account/);
    await expect(callOperation(op(), { account: "a" }, config(transport), makeError)).rejects.toThrow(/body/);
  });

  it("lets the authenticator see the encoded body (OAuth signs it)", async () => {
    const { sent: seen, transport } = scriptedTransport([ok]);
    await callOperation(
      op(),
      { account: "a", body: { x: "1" } },
      {
        ...config(transport),
        auth: (req) => {
          req.headers.authorization = `signed:${req.body}`;
        },
      },
      makeError,
    );
    expect(seen[0]?.headers.authorization).toBe("signed:x=1");
  });

  it("stops at once when the caller aborts", async () => {
    const ac = new AbortController();
    ac.abort();
    const { sent: seen, transport } = scriptedTransport([unavailable]);
    await expect(
      callOperation(
        op({ method: "GET", safe: true, body: undefined }),
        { account: "a" },
        config(transport),
        makeError,
        { signal: ac.signal },
      ),
    ).rejects.toThrow();
    expect(seen.length).toBeLessThanOrEqual(1);
  });
});

describe("scriptedTransport", () => {
  it("answers in order, repeats the last answer and keeps every request", async () => {
    const { sent, transport } = scriptedTransport([unavailable, ok]);
    const req = { method: "GET", url: "http://127.0.0.1:9/x", headers: {} };
    expect((await transport(req)).status).toBe(503);
    expect((await transport(req)).status).toBe(200);
    expect((await transport(req)).status).toBe(200);
    expect(sent).toHaveLength(3);
  });
  it("refuses an empty script", () => {
    expect(() => scriptedTransport([])).toThrow(TypeError);
  });
});
