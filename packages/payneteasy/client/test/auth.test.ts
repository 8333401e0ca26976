// RFC 5849 §3.4 as Payneteasy uses it: the client signs Sale, Preauth and Close Day over the
// method, the URL and every form body parameter with the merchant control key, and sends the
// signature in `Authorization: OAuth …`; status requests are not signed but carry `control`.

import { examples } from "@payspec/payneteasy-server";
import {
  createOAuth1Verifier,
  decodeForm,
  hmacSha1Signature,
  parseOAuthHeader,
  percentEncode,
  signatureBaseString,
  type TransportRequest,
} from "@payspec/runtime";
import { describe, expect, it } from "vitest";
import {
  amountInCents,
  PayneteasyClient,
  payneteasyAuth,
  returnControl,
  returnRequest,
  statusControl,
  statusRequest,
} from "../src/index.js";

const login = "TestMerchant";
const merchantControlKey = "B17F59B4-A7DC-41B4-8FF9-37D5B41E9ED4";
const baseUrl = "https://sandbox.payneteasy.com";
const accepted = examples.sale.find((e) => e.title === "Sale accepted")!;
const saleBody = accepted.input.body as unknown as Record<string, string>;

/** A client whose transport records each request and answers `answer` (kv). */
function recordingClient(options: { nonce?: () => string; now?: () => number } = {}) {
  const sent: TransportRequest[] = [];
  const client = new PayneteasyClient({
    baseUrl,
    auth: payneteasyAuth({ login, merchantControlKey, ...options }),
    transport: async (request) => {
      sent.push(request);
      return {
        status: 200,
        headers: { "content-type": "text/html; charset=utf-8" },
        body: "type=async-response\n&serial-number=1\n&paynet-order-id=5582716\n&merchant-order-id=902B4FF5\n",
      };
    },
  });
  return { client, sent };
}

function authorizationOf(request: TransportRequest): Record<string, string> {
  const header = request.headers.Authorization;
  expect(header).toMatch(/^OAuth /);
  return parseOAuthHeader(header!)!;
}

describe("OAuth 1.0 HMAC-SHA1 signing", () => {
  it("signs with login as consumer key, HMAC-SHA1, version 1.0, the given nonce and timestamp", async () => {
    const { client, sent } = recordingClient({ nonce: () => "n-1", now: () => 1702073235_000 });
    await client.sale({ endpointid: "1234", body: saleBody as never });
    expect(authorizationOf(sent[0]!)).toMatchObject({
      oauth_consumer_key: login,
      oauth_nonce: "n-1",
      oauth_signature_method: "HMAC-SHA1",
      oauth_timestamp: "1702073235",
      oauth_version: "1.0",
    });
  });

  it("reproduces the spec's example signature for the same body, URL, nonce and timestamp", async () => {
    const fixed = /oauth_nonce="([^"]+)"/.exec(accepted.input.Authorization as string)![1]!;
    const { client, sent } = recordingClient({ nonce: () => fixed, now: () => 1702073235_000 });
    await client.sale({ endpointid: "1234", body: saleBody as never });
    expect(sent[0]!.headers.Authorization).toBe(accepted.input.Authorization);
  });

  it("the signature base string covers the method, the URL and every body parameter", async () => {
    const { client, sent } = recordingClient();
    await client.sale({ endpointid: "1234", body: saleBody as never });
    const request = sent[0]!;
    const oauth = authorizationOf(request);
    const { oauth_signature: signature, ...protocol } = oauth;
    const body = [...new URLSearchParams(request.body as string).entries()];
    const base = signatureBaseString("POST", request.url, [...Object.entries(protocol), ...body]);
    expect(base.startsWith(`POST&${percentEncode(`${baseUrl}/paynet/mapi/v1/sale/1234`)}&`)).toBe(true);
    for (const [name, value] of Object.entries(saleBody)) {
      expect(base, name).toContain(percentEncode(`${percentEncode(name)}=${percentEncode(value)}`));
    }
    expect(hmacSha1Signature(base, merchantControlKey)).toBe(signature);
  });

  it("a verifier accepts the request as sent and refuses it with any body parameter changed", async () => {
    const { client, sent } = recordingClient();
    await client.sale({ endpointid: "1234", body: saleBody as never });
    const request = sent[0]!;
    const verify = () =>
      createOAuth1Verifier({ consumerSecret: (key) => (key === login ? merchantControlKey : undefined) });
    const authorization = request.headers.Authorization;
    expect(
      await verify()({ method: "POST", url: request.url, authorization, body: request.body as string }),
    ).toMatchObject({ ok: true });
    for (const name of Object.keys(saleBody)) {
      const changed = new URLSearchParams(request.body as string);
      changed.set(name, `${changed.get(name)}x`);
      const result = await verify()({ method: "POST", url: request.url, authorization, body: changed.toString() });
      expect(result, name).toEqual({ ok: false, reason: "bad_signature" });
    }
  });

  it("signs Preauth and Close Day, each request with a fresh nonce", async () => {
    const { client, sent } = recordingClient();
    await client.preauth({ endpointid: "1234", body: examples.preauth[0]!.input.body as never });
    await client.preauth({ endpointid: "1234", body: examples.preauth[0]!.input.body as never });
    await client.closeDay({ endpointid: "1234", body: examples.closeDay[0]!.input.body as never });
    const nonces = sent.map((r) => authorizationOf(r).oauth_nonce);
    expect(new Set(nonces).size).toBe(3);
  });

  it("replaces an Authorization given in the input: a signature belongs to one body", async () => {
    const { client, sent } = recordingClient();
    await client.sale({
      endpointid: "1234",
      Authorization: accepted.input.Authorization as never,
      body: saleBody as never,
    });
    const headers = Object.keys(sent[0]!.headers).filter((h) => h.toLowerCase() === "authorization");
    expect(headers).toEqual(["Authorization"]);
    expect(sent[0]!.headers.Authorization).not.toBe(accepted.input.Authorization);
  });

  it("leaves status requests and callbacks unsigned", async () => {
    const { client, sent } = recordingClient();
    await client.status({
      endpointid: "1234",
      body: statusRequest({ login, merchantControlKey }, { client_orderid: "902B4FF5", orderid: "5582716" }),
    });
    await client.merchantCallbackNotify(examples.merchantCallbackNotify[0]!.input as never).catch(() => undefined);
    for (const request of sent)
      expect(Object.keys(request.headers).map((h) => h.toLowerCase())).not.toContain("authorization");
  });

  it("refuses to be built without credentials", () => {
    expect(() => payneteasyAuth({ login: "", merchantControlKey })).toThrow(TypeError);
    expect(() => payneteasyAuth({ login, merchantControlKey: "" })).toThrow(TypeError);
  });
});

describe("status control: SHA1(login + client_orderid + orderid + merchant_control_key)", () => {
  const example = examples.status.find((e) => e.title === "Approved")!.input.body as unknown as Record<string, string>;

  it("matches the spec's example", () => {
    expect(statusControl({ login, merchantControlKey, client_orderid: "902B4FF5", orderid: "5582716" })).toBe(
      example.control,
    );
  });

  it("statusRequest builds the example's body", () => {
    expect(statusRequest({ login, merchantControlKey }, { client_orderid: "902B4FF5", orderid: "5582716" })).toEqual(
      example,
    );
  });

  it("an order without Payneteasy's id is controlled over an empty orderid", () => {
    const body = statusRequest({ login, merchantControlKey }, { client_orderid: "902B4FF5" });
    expect(body.orderid).toBeUndefined();
    expect(body.control).toBe(statusControl({ login, merchantControlKey, client_orderid: "902B4FF5", orderid: "" }));
  });

  it("sends control in the form body", async () => {
    const { client, sent } = recordingClient();
    await client.status({
      endpointid: "1234",
      body: statusRequest({ login, merchantControlKey }, { client_orderid: "902B4FF5", orderid: "5582716" }),
    });
    expect(decodeForm(sent[0]!.body as string)).toEqual(example);
  });
});

describe("return control: SHA1(login + client_orderid + orderid + amount_in_cents + currency + merchant_control_key)", () => {
  const accepted = examples.returnOrder.find((e) => e.title === "Return accepted")!.input.body as unknown as Record<
    string,
    string
  >;

  it("matches the spec's example (10.42 EUR hashed as 1042 and EUR)", () => {
    expect(
      returnControl({
        login,
        merchantControlKey,
        client_orderid: "902B4FF5",
        orderid: "5582716",
        amount: "10.42",
        currency: "EUR",
      }),
    ).toBe(accepted.control);
  });

  it("returnRequest builds the example's body", () => {
    const { comment, ...rest } = accepted;
    expect(
      returnRequest(
        { login, merchantControlKey },
        { client_orderid: "902B4FF5", orderid: "5582716", amount: "10.42", currency: "EUR", comment: comment! },
      ),
    ).toEqual({ ...rest, comment });
  });

  it("amount_in_cents is the amount times 100 as an integer; a third decimal other than 0 has no cents", () => {
    expect(amountInCents("10.42")).toBe("1042");
    expect(amountInCents("7")).toBe("700");
    expect(amountInCents("0.5")).toBe("50");
    expect(amountInCents("1.230")).toBe("123");
    expect(amountInCents("1.234")).toBeUndefined();
    expect(amountInCents("1,23")).toBeUndefined();
    expect(() =>
      returnControl({ login, merchantControlKey, client_orderid: "A", orderid: "1", amount: "1.234" }),
    ).toThrow(RangeError);
  });

  it("a whole-order return (no amount, no currency) is controlled over empty strings", () => {
    const body = returnRequest({ login, merchantControlKey }, { client_orderid: "902B4FF5", orderid: "5582716" });
    expect(body.amount).toBeUndefined();
    expect(body.control).toBe(
      returnControl({ login, merchantControlKey, client_orderid: "902B4FF5", orderid: "5582716" }),
    );
    expect(body.control).not.toBe(accepted.control);
  });
});
