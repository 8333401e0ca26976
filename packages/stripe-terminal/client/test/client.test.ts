// The Stripe Terminal client's contract beyond the round trip: Stripe errors arrive typed, the
// caller can abort, the key and Stripe-Version go on every request, and a POST is retried only
// when it carries an Idempotency-Key (Stripe API reference, "Idempotent requests").
import {
  AbortedError,
  AuthError,
  scriptedTransport,
  type TransportRequest,
  type TransportResponse,
} from "@payspec/runtime";
import {
  examples,
  registerStripeTerminal,
  rejectStripe,
  type StripeTerminalHandlers,
  stripeAuthenticator,
} from "@payspec/stripe-terminal-server";
import type { ErrorCode, ErrorResponse, ErrorType, Reader, ReaderList } from "@payspec/stripe-terminal-types";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRIPE_API_VERSION, StripeTerminalApiError, StripeTerminalClient, stripeAuth } from "../src/index.js";

const secretKey = "sk_test_51NfZlvClientTestKey000000000abcd";
/** The response of an operation's first success example in the spec. */
function exampleResponse<T>(list: readonly { status: number; response?: unknown }[]): T {
  const example = list.find((e) => e.status < 400);
  if (!example) throw new Error("no success example");
  return example.response as T;
}

const reader = exampleResponse<Reader>(examples.readersProcessPaymentIntent);
const readerList = exampleResponse<ReaderList>(examples.readersList);
const noRetryWait = { sleep: async () => undefined, random: () => 0 };
const paymentInput = { reader: reader.id, body: { payment_intent: "pi_3NfZlv2eZvKYlo2C0fNGQ3vR" } };

function json(status: number, body: unknown): TransportResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** An error answer in Stripe's shape. */
function stripeError(status: number, type: ErrorType, message: string, code?: ErrorCode): TransportResponse {
  const body: ErrorResponse = { error: { type, message, ...(code ? { code } : {}) } };
  return json(status, body);
}

/** A transport that answers from `answers` in turn and records what it was sent. */

const unavailable = stripeError(503, "api_error", "The server is temporarily unavailable.");
const readerOk = json(200, reader);
const listOk = json(200, readerList);

describe("against a Stripe Terminal server on loopback", () => {
  let app: FastifyInstance;
  let baseUrl: string;
  let release: () => void = () => undefined;
  let markArrived: () => void = () => undefined;

  beforeAll(async () => {
    app = fastify();
    const unused = () => ({
      status: 500 as const,
      body: { error: { type: "api_error", message: "not part of this test" } },
    });
    const handlers: StripeTerminalHandlers = {
      readersList: unused,
      readersCreate: unused,
      readersRetrieve: (input) => ({
        status: 404,
        body: {
          error: {
            type: "invalid_request_error",
            code: "resource_missing",
            message: `No such terminal.reader: '${input.reader}'`,
            param: "reader",
            doc_url: "https://stripe.com/docs/error-codes/resource-missing",
          },
        },
      }),
      readersUpdate: unused,
      readersDelete: unused,
      readersCancelAction: unused,
      readersProcessPaymentIntent: () => ({
        status: 400,
        body: {
          error: {
            type: "invalid_request_error",
            code: "terminal_reader_busy",
            message: "Reader is currently busy processing another request.",
            doc_url: "https://stripe.com/docs/error-codes/terminal-reader-busy",
          },
        },
      }),
      readersProcessSetupIntent: unused,
      readersRefundPayment: unused,
      readersSetReaderDisplay: unused,
      locationsList: unused,
      locationsCreate: unused,
      locationsRetrieve: unused,
      locationsUpdate: unused,
      locationsDelete: unused,
      connectionTokensCreate: unused,
      configurationsList: unused,
      configurationsCreate: unused,
      configurationsRetrieve: unused,
      configurationsUpdate: unused,
      configurationsDelete: unused,
      paymentIntentsCreate: unused,
      paymentIntentsRetrieve: unused,
      paymentIntentsCancel: unused,
      paymentIntentsCapture: unused,
      // Holds the request open until the test releases it, so a call is pending for sure.
      testHelpersPresentPaymentMethod: async () => {
        markArrived();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { status: 200, body: reader };
      },
    };
    await registerStripeTerminal(app, handlers, {
      reject: rejectStripe,
      authenticate: stripeAuthenticator({ secretKey }),
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    release();
    await app.close();
  });

  it("turns a 4xx answer into StripeTerminalApiError with the typed error body (terminal_reader_busy)", async () => {
    const client = new StripeTerminalClient({ baseUrl, auth: stripeAuth({ secretKey }) });
    const error = await client.readersProcessPaymentIntent(paymentInput).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StripeTerminalApiError);
    if (!(error instanceof StripeTerminalApiError)) return;
    const type: ErrorType = error.body.error.type;
    const code: ErrorCode | undefined = error.body.error.code;
    expect(error.status).toBe(400);
    expect(type).toBe("invalid_request_error");
    expect(code).toBe("terminal_reader_busy");
    expect(error.operation).toBe("readersProcessPaymentIntent");
  });

  it("turns an unknown reader into a 404 resource_missing naming the param", async () => {
    const client = new StripeTerminalClient({ baseUrl, auth: stripeAuth({ secretKey }) });
    const error = await client.readersRetrieve({ reader: "tmr_doesnotexist" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StripeTerminalApiError);
    expect((error as StripeTerminalApiError).status).toBe(404);
    expect((error as StripeTerminalApiError).body.error).toMatchObject({ code: "resource_missing", param: "reader" });
  });

  it("turns a wrong key into a 401 whose message shows the key masked only", async () => {
    const wrong = "sk_test_51NfZlvNotTheRightKey00000000zzzz";
    const client = new StripeTerminalClient({ baseUrl, auth: stripeAuth({ secretKey: wrong }) });
    const error = await client.readersList({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StripeTerminalApiError);
    if (!(error instanceof StripeTerminalApiError)) return;
    expect(error.status).toBe(401);
    expect(error.body.error.type).toBe("invalid_request_error");
    expect(error.body.error.message).toBe("Invalid API Key provided: sk_test_****zzzz");
    expect(JSON.stringify(error.body)).not.toContain(wrong);
  });

  it("ends a pending call with AbortedError when the caller's signal aborts", async () => {
    const arrived = new Promise<void>((resolve) => {
      markArrived = resolve;
    });
    const client = new StripeTerminalClient({ baseUrl, auth: stripeAuth({ secretKey }) });
    const controller = new AbortController();
    const call = client.testHelpersPresentPaymentMethod({ reader: reader.id }, { signal: controller.signal });
    await arrived;
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    release();
  });
});

describe("AbortSignal", () => {
  it("sends nothing when the signal is already aborted", async () => {
    const { sent, transport } = scriptedTransport([listOk]);
    const client = new StripeTerminalClient({
      baseUrl: "https://api.stripe.com",
      transport,
      auth: stripeAuth({ secretKey }),
    });
    const controller = new AbortController();
    controller.abort();
    await expect(client.readersList({}, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    expect(sent).toHaveLength(0);
  });

  it("does not retry once the signal aborted during a 503", async () => {
    const controller = new AbortController();
    const sent: TransportRequest[] = [];
    const transport = async (request: TransportRequest) => {
      sent.push(request);
      controller.abort();
      return unavailable;
    };
    const client = new StripeTerminalClient({ baseUrl: "https://api.stripe.com", transport, retry: noRetryWait });
    await expect(client.readersList({}, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    expect(sent).toHaveLength(1);
  });
});

describe("stripeAuth", () => {
  it("adds Authorization: Bearer and the contract's Stripe-Version to every request", async () => {
    const { sent, transport } = scriptedTransport([listOk]);
    const client = new StripeTerminalClient({
      baseUrl: "https://api.stripe.com",
      transport,
      auth: stripeAuth({ secretKey }),
    });
    await expect(client.readersList({ location: "tml_FDOtHwxAAdIJOh" })).resolves.toEqual(readerList);
    expect(sent[0]?.headers).toMatchObject({
      authorization: `Bearer ${secretKey}`,
      "Stripe-Version": STRIPE_API_VERSION,
    });
    expect(STRIPE_API_VERSION).toBe("2023-08-16");
    expect(sent[0]?.url).toBe("https://api.stripe.com/v1/terminal/readers?location=tml_FDOtHwxAAdIJOh");
  });

  it("adds Stripe-Account for a Connect platform, and lets a call's own headers win", async () => {
    const { sent, transport } = scriptedTransport([listOk, listOk]);
    const auth = stripeAuth({ secretKey, stripeVersion: "2024-06-20", stripeAccount: "acct_1NfZlvConnected" });
    const client = new StripeTerminalClient({ baseUrl: "https://api.stripe.com", transport, auth });
    await client.readersList({});
    await client.readersList({ "Stripe-Version": "2023-08-16", "Stripe-Account": "acct_1Other" });
    expect(sent[0]?.headers).toMatchObject({
      "Stripe-Version": "2024-06-20",
      "Stripe-Account": "acct_1NfZlvConnected",
    });
    expect(sent[1]?.headers).toMatchObject({ "Stripe-Version": "2023-08-16", "Stripe-Account": "acct_1Other" });
    expect(Object.keys(sent[1]?.headers ?? {}).filter((k) => k.toLowerCase() === "stripe-version")).toHaveLength(1);
  });

  it("sends a form body with bracket nesting and its media type", async () => {
    const { sent, transport } = scriptedTransport([readerOk]);
    const client = new StripeTerminalClient({
      baseUrl: "https://api.stripe.com",
      transport,
      auth: stripeAuth({ secretKey }),
    });
    await client.readersCreate({
      body: { registration_code: "simulated-wpe", metadata: { order: "42" }, expand: ["location"] },
    });
    expect(sent[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(sent[0]?.body).toBe("registration_code=simulated-wpe&metadata[order]=42&expand[0]=location");
  });

  it("refuses an empty key or one that would split a header, before any request", () => {
    expect(() => stripeAuth({ secretKey: "" })).toThrow(AuthError);
    expect(() => stripeAuth({ secretKey: "sk_test_x\r\nX-Injected: 1" })).toThrow(AuthError);
  });

  it("does not put the key in the error message of a refused key", () => {
    const key = "sk_test_bad key";
    const error = (() => {
      try {
        stripeAuth({ secretKey: key });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).not.toContain(key);
  });
});

describe("retries (Stripe: retry a POST only with the same Idempotency-Key)", () => {
  it("retries POST process_payment_intent with an Idempotency-Key after a 503, sending the same key and body", async () => {
    const { sent, transport } = scriptedTransport([unavailable, readerOk]);
    const client = new StripeTerminalClient({
      baseUrl: "https://api.stripe.com",
      transport,
      auth: stripeAuth({ secretKey }),
      retry: noRetryWait,
    });
    const key = "c6f1f8a4-6d3e-4f5b-9b8e-2f1d0c9a7e61";
    await expect(client.readersProcessPaymentIntent({ ...paymentInput, "Idempotency-Key": key })).resolves.toEqual(
      reader,
    );
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.headers["Idempotency-Key"])).toEqual([key, key]);
    expect(sent[1]?.body).toBe(sent[0]?.body);
    expect(sent[0]?.body).toBe("payment_intent=pi_3NfZlv2eZvKYlo2C0fNGQ3vR");
  });

  it("does not retry POST process_payment_intent without an Idempotency-Key: a lost answer could mean a second charge", async () => {
    const { sent, transport } = scriptedTransport([unavailable, readerOk]);
    const client = new StripeTerminalClient({
      baseUrl: "https://api.stripe.com",
      transport,
      auth: stripeAuth({ secretKey }),
      retry: noRetryWait,
    });
    const error = await client.readersProcessPaymentIntent(paymentInput).catch((e: unknown) => e);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers["Idempotency-Key"]).toBeUndefined();
    expect(error).toBeInstanceOf(StripeTerminalApiError);
    expect((error as StripeTerminalApiError).status).toBe(503);
    expect((error as StripeTerminalApiError).body.error.type).toBe("api_error");
  });

  it("retries a read (GET /v1/terminal/readers) after a 503", async () => {
    const { sent, transport } = scriptedTransport([unavailable, listOk]);
    const client = new StripeTerminalClient({
      baseUrl: "https://api.stripe.com",
      transport,
      auth: stripeAuth({ secretKey }),
      retry: noRetryWait,
    });
    await expect(client.readersList({ location: "tml_FDOtHwxAAdIJOh" })).resolves.toEqual(readerList);
    expect(sent).toHaveLength(2);
    expect(sent.every((r) => r.method === "GET")).toBe(true);
  });

  it("gives up after maxAttempts and throws the last 503 as StripeTerminalApiError", async () => {
    const { sent, transport } = scriptedTransport([unavailable]);
    const client = new StripeTerminalClient({
      baseUrl: "https://api.stripe.com",
      transport,
      auth: stripeAuth({ secretKey }),
      retry: { ...noRetryWait, maxAttempts: 3 },
    });
    await expect(client.readersList({})).rejects.toBeInstanceOf(StripeTerminalApiError);
    expect(sent).toHaveLength(3);
  });

  it("does not retry a 400 even on a read", async () => {
    const { sent, transport } = scriptedTransport([
      stripeError(400, "invalid_request_error", "Invalid integer: many", "parameter_invalid_integer"),
    ]);
    const client = new StripeTerminalClient({ baseUrl: "https://api.stripe.com", transport, retry: noRetryWait });
    await expect(client.readersList({})).rejects.toBeInstanceOf(StripeTerminalApiError);
    expect(sent).toHaveLength(1);
  });
});
