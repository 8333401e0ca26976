// The WePay client's contract beyond the round trip: vendor errors arrive typed, the caller can
// abort, App-Id/App-Token go on every request, and only an idempotent payment is retried.
import { AbortedError, AuthError, scriptedTransport, type TransportResponse } from "@payspec/runtime";
import { examples, registerWePay, rejectWePay, type WePayHandlers, wepayAuthenticator } from "@payspec/wepay-server";
import type { ApiError, ErrorCode, Payment } from "@payspec/wepay-types";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PaymentsCreateInput, WePayApiError, WePayClient, wepayAuth } from "../src/index.js";

const credentials = { appId: "123456", appToken: "stage_app_token_secret" };
/** The first `@opExample` of an operation (the spec gives every operation at least one). */
function exampleOf<K extends keyof typeof examples>(op: K): (typeof examples)[K][number] {
  const example = examples[op][0];
  if (example === undefined) throw new Error(`the spec has no @opExample for ${op}`);
  return example;
}

const paymentInput: PaymentsCreateInput = exampleOf("paymentsCreate").input;
const payment = exampleOf("paymentsCreate").response as Payment;
const terminalRequest = exampleOf("terminalsCreate").input.body;
const noRetryWait = { sleep: async () => undefined, random: () => 0 };

/** An error answer in WePay's shape. */
function wepayError(status: number, error_code: ErrorCode, error_message: string): TransportResponse {
  const body: ApiError = { error_code, error_message };
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** A transport that answers from `answers` in turn and records what it was sent. */

const paymentOk: TransportResponse = {
  status: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(payment),
};
const unavailable = wepayError(503, "SERVICE_TEMPORARILY_UNAVAILABLE", "WePay is temporarily unavailable.");

describe("against a WePay server on loopback", () => {
  let app: FastifyInstance;
  let baseUrl: string;
  let release: () => void = () => undefined;
  let arrived: Promise<void>;
  let markArrived: () => void = () => undefined;

  beforeAll(async () => {
    app = fastify();
    const unused = () => ({
      status: 500 as const,
      body: { error_code: "UNEXPECTED_ERROR", error_message: "not part of this test" },
    });
    const handlers: WePayHandlers = {
      sessionTokensCreate: unused,
      sessionTokensList: unused,
      sessionTokensGet: unused,
      sessionTokensDelete: unused,
      terminalsCreate: () => ({
        status: 400,
        body: {
          error_code: "ACCOUNT_CANNOT_CREATE_TERMINALS",
          error_message: "The account cannot create terminals.",
          details: [
            {
              message: "The account is not enabled for card present.",
              reason_code: "ACCOUNT_NOT_ENABLED",
              target: ["account_id"],
              target_type: "HTTP_REQUEST_BODY",
            },
          ],
        },
      }),
      terminalsList: unused,
      terminalsGet: unused,
      terminalsUpdate: unused,
      terminalsDelete: unused,
      paymentsCreate: unused,
      paymentsList: unused,
      refundsCreate: unused,
      refundsGet: unused,
      // Holds the request open until the test releases it, so a call is pending for sure.
      paymentsGet: async () => {
        markArrived();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { status: 200, body: payment };
      },
    };
    await registerWePay(app, handlers, { reject: rejectWePay, authenticate: wepayAuthenticator(credentials) });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    release();
    await app.close();
  });

  it("turns a 4xx answer into WePayApiError with the typed ApiError body", async () => {
    const client = new WePayClient({ baseUrl, auth: wepayAuth(credentials) });
    const error = await client.terminalsCreate({ body: terminalRequest }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WePayApiError);
    if (!(error instanceof WePayApiError)) return;
    const code: ErrorCode = error.body.error_code;
    expect(error.status).toBe(400);
    expect(code).toBe("ACCOUNT_CANNOT_CREATE_TERMINALS");
    expect(error.body.details?.[0]?.target).toEqual(["account_id"]);
    expect(error.operation).toBe("terminalsCreate");
  });

  it("turns wrong credentials into WePayApiError 401 NOT_AUTHORIZED", async () => {
    const client = new WePayClient({ baseUrl, auth: wepayAuth({ ...credentials, appToken: "stage_wrong" }) });
    const error = await client.sessionTokensList({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WePayApiError);
    expect((error as WePayApiError).status).toBe(401);
    expect((error as WePayApiError).body.error_code).toBe("NOT_AUTHORIZED");
  });

  it("ends a pending call with AbortedError when the caller's signal aborts", async () => {
    arrived = new Promise<void>((resolve) => {
      markArrived = resolve;
    });
    const client = new WePayClient({ baseUrl, auth: wepayAuth(credentials) });
    const controller = new AbortController();
    const call = client.paymentsGet({ id: payment.id }, { signal: controller.signal });
    await arrived;
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    release();
  });
});

describe("wepayAuth", () => {
  it("adds App-Id, App-Token and Api-Version 3.0 to every request", async () => {
    const { sent, transport } = scriptedTransport([paymentOk]);
    const client = new WePayClient({ baseUrl: "https://stage-api.wepay.com", transport, auth: wepayAuth(credentials) });
    await client.paymentsGet({ id: payment.id });
    expect(sent[0]?.headers).toMatchObject({
      "App-Id": "123456",
      "App-Token": "stage_app_token_secret",
      "Api-Version": "3.0",
    });
    expect(sent[0]?.url).toBe(`https://stage-api.wepay.com/payments/${payment.id}`);
  });

  it("refuses a credential that would split a header, before any request", () => {
    expect(() => wepayAuth({ appId: "123456", appToken: "token\r\nX-Injected: 1" })).toThrow(AuthError);
    expect(() => wepayAuth({ appId: "", appToken: "token" })).toThrow(AuthError);
  });
});

describe("retries (PROTOCOLS.md §1: retry a payment only with the same Unique-Key)", () => {
  it("retries POST /payments with a Unique-Key after a 503, sending the same key again", async () => {
    const { sent, transport } = scriptedTransport([unavailable, paymentOk]);
    const client = new WePayClient({
      baseUrl: "https://stage-api.wepay.com",
      transport,
      auth: wepayAuth(credentials),
      retry: noRetryWait,
    });
    const result = await client.paymentsCreate(paymentInput);
    expect(result).toEqual(payment);
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.headers["Unique-Key"])).toEqual([paymentInput["Unique-Key"], paymentInput["Unique-Key"]]);
    expect(sent[1]?.body).toBe(sent[0]?.body);
  });

  it("does not retry POST /payments without a Unique-Key: a lost answer could mean a second charge", async () => {
    const { sent, transport } = scriptedTransport([unavailable, paymentOk]);
    const client = new WePayClient({
      baseUrl: "https://stage-api.wepay.com",
      transport,
      auth: wepayAuth(credentials),
      retry: noRetryWait,
    });
    const { "Unique-Key": _key, ...withoutKey } = paymentInput;
    const error = await client.paymentsCreate(withoutKey as PaymentsCreateInput).catch((e: unknown) => e);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers["Unique-Key"]).toBeUndefined();
    expect(error).toBeInstanceOf(WePayApiError);
    expect((error as WePayApiError).status).toBe(503);
    expect((error as WePayApiError).body.error_code).toBe("SERVICE_TEMPORARILY_UNAVAILABLE");
  });

  it("does not retry another POST without a Unique-Key (POST /terminals)", async () => {
    const { sent, transport } = scriptedTransport([unavailable]);
    const client = new WePayClient({
      baseUrl: "https://stage-api.wepay.com",
      transport,
      auth: wepayAuth(credentials),
      retry: noRetryWait,
    });
    await expect(client.terminalsCreate({ body: terminalRequest })).rejects.toBeInstanceOf(WePayApiError);
    expect(sent).toHaveLength(1);
  });

  it("retries a read (GET /payments/{id}) after a 503", async () => {
    const { sent, transport } = scriptedTransport([unavailable, paymentOk]);
    const client = new WePayClient({
      baseUrl: "https://stage-api.wepay.com",
      transport,
      auth: wepayAuth(credentials),
      retry: noRetryWait,
    });
    await expect(client.paymentsGet({ id: payment.id })).resolves.toEqual(payment);
    expect(sent).toHaveLength(2);
  });
});
