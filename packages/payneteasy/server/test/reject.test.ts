// Whatever a connecting party sends, the server answers in Payneteasy's own shape, never a 5xx
// for bad input: a rejected request is HTTP 200 type=validation-error (as Payneteasy answers
// it), and only HTTP itself failing (404, 413, 415) changes the status, still with a kv body.

import { validateErrorResponse, validateValidationError } from "@payspec/payneteasy-validators";
import { encodeForm } from "@payspec/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PAYNETEASY_ERROR_CODES, rejectPayneteasy } from "../src/index.js";
import {
  BODY_LIMIT,
  expectRefusal,
  FORM,
  HOST,
  kvAnswer,
  type ServerUnderTest,
  saleBody,
  signedPost,
  startServer,
  statusBody,
} from "./helpers.js";

const SALE = "/paynet/mapi/v1/sale/1234";
const STATUS = "/paynet/api/v2/status/1234";
const invalid = { status: 200, type: "validation-error", code: PAYNETEASY_ERROR_CODES.invalid };

let server: ServerUnderTest;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.app.close());
beforeEach(() => {
  server.calls.length = 0;
});

function withoutOrderId(): Record<string, string> {
  const { client_orderid: _, ...rest } = saleBody;
  return rest;
}

describe("rejected requests: HTTP 200, type=validation-error (Payneteasy's answer)", () => {
  it("missing client_orderid", async () => {
    const body = expectRefusal(await signedPost(server, { path: SALE, body: encodeForm(withoutOrderId()) }), invalid);
    expect(body["error-message"]).toMatch(/client_orderid/);
    expect(body["merchant-order-id"]).toBeUndefined();
    expect(validateValidationError(body)).toBe(true);
    expect(server.calls).toEqual([]);
  });

  it("client_orderid longer than 128 characters (not echoed back)", async () => {
    const body = expectRefusal(
      await signedPost(server, { path: SALE, body: encodeForm({ ...saleBody, client_orderid: "A".repeat(129) }) }),
      invalid,
    );
    expect(body["error-message"]).toMatch(/^client_orderid: .*128/);
    expect(body["merchant-order-id"]).toBeUndefined();
    expect(server.calls).toEqual([]);
  });

  it("echoes a readable client_orderid as merchant-order-id", async () => {
    const body = expectRefusal(
      await signedPost(server, { path: SALE, body: encodeForm({ ...saleBody, amount: "10,42" }) }),
      invalid,
    );
    expect(body["merchant-order-id"]).toBe(saleBody.client_orderid);
    expect(body["error-message"]).toMatch(/^amount: /);
  });

  it("a form body that cannot be decoded (nesting too deep)", async () => {
    const deep = `${encodeForm(saleBody)}&a[b][c][d][e][f][g][h][i][j]=1`;
    const body = expectRefusal(await signedPost(server, { path: SALE, body: deep }), invalid);
    expect(body["error-message"]).toBeTruthy();
    expect(server.calls).toEqual([]);
  });

  it("a repeated parameter (two client_orderid values)", async () => {
    const twice = `${encodeForm(saleBody)}&client_orderid=second`;
    expectRefusal(await signedPost(server, { path: SALE, body: twice }), invalid);
    expect(server.calls).toEqual([]);
  });

  it("a __proto__ key is refused and pollutes nothing", async () => {
    const hostile = `${encodeForm(saleBody)}&__proto__[polluted]=yes&constructor[prototype][polluted]=yes`;
    expectRefusal(await signedPost(server, { path: SALE, body: hostile }), invalid);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(server.calls).toEqual([]);
  });

  it("a status request without client_orderid", async () => {
    const body = new URLSearchParams(statusBody({ client_orderid: "", orderid: "5582716" }));
    body.delete("client_orderid");
    const res = await server.app.inject({
      method: "POST",
      url: STATUS,
      headers: { host: HOST, "content-type": FORM },
      payload: body.toString(),
    });
    expect(expectRefusal(res, invalid)["error-message"]).toMatch(/client_orderid/);
    expect(server.calls).toEqual([]);
  });

  it("an endpointid that is not digits", async () => {
    const res = await signedPost(server, { path: "/paynet/mapi/v1/sale/12x4", body: encodeForm(saleBody) });
    expect(expectRefusal(res, invalid)["error-message"]).toMatch(/endpointid/);
  });

  it("an empty body", async () => {
    expectRefusal(await signedPost(server, { path: SALE, body: "" }), invalid);
    expect(server.calls).toEqual([]);
  });
});

describe("HTTP failures: their own status, still a kv type=error body", () => {
  it("415 for a body that is not form-urlencoded, before its signature is read", async () => {
    const res = await server.app.inject({
      method: "POST",
      url: SALE,
      headers: { host: HOST, "content-type": "application/json" },
      payload: JSON.stringify(saleBody),
    });
    const body = expectRefusal(res, { status: 415, type: "error", code: PAYNETEASY_ERROR_CODES.unsupportedMediaType });
    expect(body["error-message"]).toMatch(/application\/x-www-form-urlencoded/);
    expect(validateErrorResponse(body)).toBe(true);
    expect(server.calls).toEqual([]);
  });

  it("413 for a body over the limit", async () => {
    const huge = encodeForm({ ...saleBody, order_desc: "x".repeat(BODY_LIMIT + 1) });
    const res = await server.app.inject({
      method: "POST",
      url: SALE,
      headers: { host: HOST, "content-type": FORM },
      payload: huge,
    });
    expectRefusal(res, { status: 413, type: "error", code: PAYNETEASY_ERROR_CODES.tooLarge });
    expect(server.calls).toEqual([]);
  });

  it("404 for an unknown path", async () => {
    const res = await server.app.inject({
      method: "POST",
      url: "/paynet/mapi/v1/refund/1234",
      headers: { host: HOST, "content-type": FORM },
      payload: "a=1",
    });
    const body = expectRefusal(res, { status: 404, type: "error", code: PAYNETEASY_ERROR_CODES.notFound });
    expect(body["error-message"]).toMatch(/refund/);
  });
});

describe("a handler that fails", () => {
  it("is answered type=error with HTTP 200, as Payneteasy answers a request it could not process", async () => {
    const res = await signedPost(server, { path: SALE, body: encodeForm({ ...saleBody, client_orderid: "crash" }) });
    const body = expectRefusal(res, { status: 200, type: "error", code: PAYNETEASY_ERROR_CODES.internal });
    expect(body["error-message"]).toBe("Internal error");
    expect(res.body).not.toMatch(/processor link down/);
  });
});

describe("rejectPayneteasy", () => {
  it("gives every refusal a fresh serial-number", () => {
    const a = rejectPayneteasy({ kind: "unauthorized", message: "Invalid signature" }, undefined)
      .body as unknown as Record<string, string>;
    const b = rejectPayneteasy({ kind: "unauthorized", message: "Invalid signature" }, undefined)
      .body as unknown as Record<string, string>;
    expect(a["serial-number"]).not.toBe(b["serial-number"]);
  });

  it("answers 500 only for an internal failure outside any operation", () => {
    expect(rejectPayneteasy({ kind: "internal", message: "x" }, undefined).status).toBe(500);
  });

  it("caps the error-message length", () => {
    const issues = Array.from({ length: 200 }, (_, i) => ({
      path: `/body/f${i}`,
      message: "must be string",
      keyword: "type",
    }));
    const reply = rejectPayneteasy({ kind: "invalid", issues }, undefined);
    expect(((reply.body as unknown as Record<string, string>)["error-message"] ?? "").length).toBeLessThanOrEqual(500);
  });

  it("answers each kind with the status documented in the README", () => {
    const status = (kind: "invalid" | "unauthorized" | "not-found" | "too-large" | "unsupported-media-type") =>
      rejectPayneteasy(kind === "invalid" ? { kind, issues: [] } : { kind, message: "m" }, undefined).status;
    expect([
      status("invalid"),
      status("unauthorized"),
      status("not-found"),
      status("too-large"),
      status("unsupported-media-type"),
    ]).toEqual([200, 200, 404, 413, 415]);
  });
});

it("kvAnswer decodes the accepted sale as Payneteasy writes it", async () => {
  const res = await signedPost(server, { path: SALE, body: encodeForm(saleBody) });
  expect(res.body).toMatch(/^type=async-response\n&/);
  expect(kvAnswer(res, 200)["paynet-order-id"]).toBe("5582716");
});
