// RFC 5849 §3.2 and Payneteasy's control checksums: a handler only ever sees a request signed
// with the merchant control key, fresh, never seen before; anything else gets Payneteasy's own
// refusal (HTTP 200, type=validation-error) and no handler runs.
import { encodeForm, MemoryNonceStore, signOAuth1 } from "@payspec/runtime";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { examples, PAYNETEASY_ERROR_CODES } from "../src/index.js";
import {
  closeDayBody,
  expectRefusal,
  FORM,
  HOST,
  KEY,
  kvAnswer,
  LOGIN,
  NOW_SECONDS,
  type ServerUnderTest,
  saleBody,
  signedPost,
  startServer,
  statusBody,
} from "./helpers.js";

const SALE = "/paynet/mapi/v1/sale/1234";
const PREAUTH = "/paynet/mapi/v1/preauth/1234";
const STATUS = "/paynet/api/v2/status/1234";
const CLOSE_DAY = "/paynet/api/v2/close-day/1234";
const sale = encodeForm(saleBody);
const refused = { status: 200, type: "validation-error", code: PAYNETEASY_ERROR_CODES.unauthorized };

let server: ServerUnderTest;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.app.close());
beforeEach(() => {
  server.calls.length = 0;
});

describe("OAuth 1.0 HMAC-SHA1 on sale, preauth and close-day", () => {
  it("accepts a request signed with the merchant control key", async () => {
    const answer = kvAnswer(await signedPost(server, { path: SALE, body: sale }), 200);
    expect(answer.type).toBe("async-response");
    expect(server.calls).toEqual(["sale"]);
  });

  it("accepts a signed preauth and a signed close-day", async () => {
    kvAnswer(
      await signedPost(server, { path: PREAUTH, body: encodeForm(examples.preauth[0]!.input.body as never) }),
      200,
    );
    kvAnswer(await signedPost(server, { path: CLOSE_DAY, body: encodeForm(closeDayBody) }), 200);
    expect(server.calls).toEqual(["preauth", "closeDay"]);
  });

  it("accepts the spec's own signed example as it is on the wire", async () => {
    const ex = examples.sale.find((e) => e.title === "Sale accepted")!;
    const own = await startServer({ origin: "https://sandbox.payneteasy.com" });
    const res = await own.app.inject({
      method: "POST",
      url: SALE,
      headers: { authorization: ex.input.Authorization as string, "content-type": FORM },
      payload: encodeForm(ex.input.body as never),
    });
    expect(kvAnswer(res, 200).type).toBe("async-response");
    await own.app.close();
  });

  it("refuses the spec's 'Sale rejected' example: its signature is over another body", async () => {
    const ex = examples.sale.find((e) => e.title === "Sale rejected")!;
    const own = await startServer({ origin: "https://sandbox.payneteasy.com" });
    const res = await own.app.inject({
      method: "POST",
      url: SALE,
      headers: { authorization: ex.input.Authorization as string, "content-type": FORM },
      payload: encodeForm(ex.input.body as never),
    });
    const body = expectRefusal(res, refused);
    expect(body["error-message"]).toBe((ex.response as unknown as Record<string, string>)["error-message"]);
    expect(own.calls).toEqual([]);
    await own.app.close();
  });

  it("refuses a signature made with another key (bad signature)", async () => {
    const body = expectRefusal(
      await signedPost(server, { path: SALE, body: sale, key: "not-the-control-key" }),
      refused,
    );
    expect(body["error-message"]).toBe("Invalid signature");
    expect(server.calls).toEqual([]);
  });

  it("refuses a body changed after signing: the signature covers every body parameter", async () => {
    const tampered = encodeForm({ ...saleBody, amount: "1042.00" });
    const body = expectRefusal(await signedPost(server, { path: SALE, body: sale, sendBody: tampered }), refused);
    expect(body["error-message"]).toBe("Invalid signature");
    expect(server.calls).toEqual([]);
  });

  it("refuses a request signed for another URL", async () => {
    const res = await signedPost(server, { path: SALE, body: sale });
    expect(res.statusCode).toBe(200);
    server.calls.length = 0;
    const { authorization } = signOAuth1({
      method: "POST",
      url: `http://${HOST}${PREAUTH}`,
      consumerKey: LOGIN,
      consumerSecret: KEY,
      body: sale,
      timestamp: NOW_SECONDS,
      nonce: "other-url",
    });
    const moved = await server.app.inject({
      method: "POST",
      url: SALE,
      headers: { host: HOST, authorization, "content-type": FORM },
      payload: sale,
    });
    expectRefusal(moved, refused);
    expect(server.calls).toEqual([]);
  });

  it("refuses a stale timestamp (outside the 300 s window)", async () => {
    const body = expectRefusal(
      await signedPost(server, { path: SALE, body: sale, timestamp: NOW_SECONDS - 301 }),
      refused,
    );
    expect(body["error-message"]).toMatch(/oauth_timestamp/);
    expectRefusal(await signedPost(server, { path: SALE, body: sale, timestamp: NOW_SECONDS + 301 }), refused);
    expect(server.calls).toEqual([]);
  });

  it("honours maxSkewSeconds", async () => {
    const strict = await startServer({ maxSkewSeconds: 10 });
    expectRefusal(await signedPost(strict, { path: SALE, body: sale, timestamp: NOW_SECONDS - 11 }), refused);
    kvAnswer(await signedPost(strict, { path: SALE, body: sale, timestamp: NOW_SECONDS - 10 }), 200);
    expect(strict.calls).toEqual(["sale"]);
    await strict.app.close();
  });

  it("refuses a replayed nonce", async () => {
    kvAnswer(await signedPost(server, { path: SALE, body: sale, nonce: "once" }), 200);
    const body = expectRefusal(await signedPost(server, { path: SALE, body: sale, nonce: "once" }), refused);
    expect(body["error-message"]).toMatch(/nonce/);
    expect(server.calls).toEqual(["sale"]);
  });

  it("shares replay protection through the nonce store it is given", async () => {
    const nonceStore = new MemoryNonceStore();
    const a = await startServer({ nonceStore });
    const b = await startServer({ nonceStore });
    kvAnswer(await signedPost(a, { path: SALE, body: sale, nonce: "shared" }), 200);
    expectRefusal(await signedPost(b, { path: SALE, body: sale, nonce: "shared" }), refused);
    expect(b.calls).toEqual([]);
    await Promise.all([a.app.close(), b.app.close()]);
  });

  it("refuses a missing or non-OAuth Authorization header", async () => {
    const none = await server.app.inject({
      method: "POST",
      url: SALE,
      headers: { host: HOST, "content-type": FORM },
      payload: sale,
    });
    expect(expectRefusal(none, refused)["error-message"]).toMatch(/Authorization/);
    const basic = await server.app.inject({
      method: "POST",
      url: SALE,
      headers: { host: HOST, authorization: "Basic VGVzdE1lcmNoYW50OmtleQ==", "content-type": FORM },
      payload: sale,
    });
    expectRefusal(basic, refused);
    expect(server.calls).toEqual([]);
  });

  it("refuses an unknown login exactly like a bad signature (logins are not revealed)", async () => {
    const body = expectRefusal(await signedPost(server, { path: SALE, body: sale, login: "Nobody" }), refused);
    expect(body["error-message"]).toBe("Invalid signature");
  });

  it("never looks a login up on Object.prototype", async () => {
    for (const login of ["constructor", "__proto__", "toString"]) {
      expectRefusal(await signedPost(server, { path: SALE, body: sale, login, key: "[object Object]" }), refused);
    }
    expect(server.calls).toEqual([]);
  });

  it("takes the merchant keys from a lookup function", async () => {
    const looked: string[] = [];
    const own = await startServer({
      merchants: async (login) => {
        looked.push(login);
        return login === LOGIN ? KEY : undefined;
      },
    });
    kvAnswer(await signedPost(own, { path: CLOSE_DAY, body: encodeForm(closeDayBody) }), 200);
    expect(looked).toEqual([LOGIN]);
    await own.app.close();
  });
});

describe("control checksum on status: SHA1(login + client_orderid + orderid + merchant_control_key)", () => {
  const post = (payload: string) =>
    server.app.inject({ method: "POST", url: STATUS, headers: { host: HOST, "content-type": FORM }, payload });

  it("accepts the right control (the spec's example)", async () => {
    const ex = examples.status.find((e) => e.title === "Approved")!;
    kvAnswer(await post(encodeForm(ex.input.body as never)), 200);
    kvAnswer(await post(statusBody({ client_orderid: "902B4FF5", orderid: "5582716" })), 200);
    expect(server.calls).toEqual(["status", "status"]);
  });

  it("refuses a control computed with another key", async () => {
    const body = expectRefusal(
      await post(statusBody({ client_orderid: "902B4FF5", orderid: "5582716", key: "wrong" })),
      refused,
    );
    expect(body["error-message"]).toBe("Invalid control");
    expect(server.calls).toEqual([]);
  });

  it("refuses a control that was computed for another order", async () => {
    const other = new URLSearchParams(statusBody({ client_orderid: "902B4FF5", orderid: "5582716" }));
    other.set("orderid", "5582717");
    expectRefusal(await post(other.toString()), refused);
    expect(server.calls).toEqual([]);
  });

  it("refuses an unknown login and a missing control", async () => {
    expectRefusal(await post(statusBody({ login: "Nobody", client_orderid: "902B4FF5", orderid: "5582716" })), refused);
    expectRefusal(await post(encodeForm({ login: LOGIN, client_orderid: "902B4FF5", orderid: "5582716" })), refused);
    expect(server.calls).toEqual([]);
  });

  it("does not ask for an OAuth header on status", async () => {
    const res = await post(statusBody({ client_orderid: "902B4FF5", orderid: "5582716" }));
    expect(kvAnswer(res, 200).type).toBe("status-response");
  });
});

describe("a server without callbackControlKey", () => {
  it("refuses every callback: an unchecked callback is never trusted", async () => {
    const own = await startServer({ callbackControlKey: undefined as never });
    const ex = examples.merchantCallbackNotify[0]!;
    const res = await own.app.inject({ method: "GET", url: `/callback?${encodeForm(ex.input as never)}` });
    expect(res.statusCode).toBe(403);
    expect(own.calls).toEqual([]);
    await own.app.close();
  });
});
