// The HiPay ECR client's contract beyond the round trip: the connector's refusals arrive as
// HiPayEcrApiError with a typed ConnectorError body, the caller can abort a payment that waits on
// the customer, Basic auth goes on every request, and only the maintenance reads are retried.
import {
  examples,
  type HiPayEcrHandlers,
  hipayAuthenticator,
  registerHiPayEcr,
  rejectHiPay,
} from "@payspec/hipay-ecr-server";
import type { CheckResponse, ConnectorError, PaymentRequest } from "@payspec/hipay-ecr-types";
import {
  AbortedError,
  AuthError,
  scriptedTransport,
  TransportError,
  type TransportRequest,
  type TransportResponse,
} from "@payspec/runtime";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HiPayEcrApiError, HiPayEcrClient, hipayAuth } from "../src/index.js";

const credentials = { login: "log", password: "pwd" };

/** The spec's first @opExample of an operation, and its success answer (the body of its 200). */
function seed<I, B>(list: readonly { input: I; status: number; response?: B | undefined }[]) {
  const [example] = list;
  if (example?.status !== 200) throw new Error("the spec has no success example here");
  return { input: example.input, answer: example.response as Exclude<B, ConnectorError> };
}
const { input: payInput, answer: paid } = seed(examples.paymentPay);
const payment: PaymentRequest = payInput.body;
const checked: CheckResponse = seed(examples.maintenanceCheck).answer;
const noRetryWait = { sleep: async () => undefined, random: () => 0 };

/** An error answer in the connector's shape. */
function connectorError(status: number, error: string): TransportResponse {
  const body: ConnectorError = { status: "Error", error };
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function jsonAnswer(body: unknown): TransportResponse {
  return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** A transport that answers from `answers` in turn and records what it was sent. */

const unreachable = connectorError(503, "The terminal does not answer on /dev/ttyUSB0");
const busy = connectorError(409, "A transaction is already in progress");

describe("against a connector on loopback", () => {
  let app: FastifyInstance;
  let baseUrl: string;
  let release: () => void = () => undefined;
  let arrived: Promise<void> = Promise.resolve();
  let markArrived: () => void = () => undefined;
  let cancelCalls = 0;

  beforeAll(async () => {
    app = fastify();
    const handlers: HiPayEcrHandlers = {
      // Holds a payment open until the test releases it: the customer is still at the terminal.
      paymentPay: async (input) => {
        if (input.body.orderId === "Order_busy")
          return { status: 409, body: { status: "Error", error: "A transaction is already in progress" } };
        markArrived();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { status: 200, body: paid };
      },
      paymentStatus: () => ({ status: 200, body: [] }),
      paymentRefund: () => ({ status: 200, body: [] }),
      maintenanceCancel: () => {
        cancelCalls++;
        return { status: 503, body: { status: "Error", error: "The terminal does not answer on /dev/ttyUSB0" } };
      },
      maintenanceStop: () => ({ status: 200 }),
      maintenanceReset: () => ({
        status: 409,
        body: { status: "Error", error: "A transaction is already in progress" },
      }),
      // The spec's own answers.
      maintenanceVersion: () => ({ status: 200, body: seed(examples.maintenanceVersion).answer }),
      maintenanceConfig: () => ({ status: 200, body: seed(examples.maintenanceConfig).answer }),
      maintenanceTlc: () => ({ status: 200, body: seed(examples.maintenanceTlc).answer }),
      maintenanceCheck: () => ({ status: 200, body: checked }),
    };
    await registerHiPayEcr(app, handlers, { reject: rejectHiPay, authenticate: hipayAuthenticator(credentials) });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    release();
    await app.close();
  });

  it("turns a 409 into HiPayEcrApiError with the typed ConnectorError body", async () => {
    const client = new HiPayEcrClient({ baseUrl, auth: hipayAuth(credentials) });
    const error = await client.paymentPay({ body: { ...payment, orderId: "Order_busy" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HiPayEcrApiError);
    if (!(error instanceof HiPayEcrApiError)) return;
    const body: ConnectorError = error.body;
    expect(error.status).toBe(409);
    expect(body).toEqual({ status: "Error", error: "A transaction is already in progress" });
    expect(error.operation).toBe("paymentPay");
  });

  it("turns a 503 into HiPayEcrApiError after retrying the maintenance read", async () => {
    const client = new HiPayEcrClient({
      baseUrl,
      auth: hipayAuth(credentials),
      retry: { ...noRetryWait, maxAttempts: 2 },
    });
    cancelCalls = 0;
    const error = await client.maintenanceCancel({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HiPayEcrApiError);
    expect((error as HiPayEcrApiError).status).toBe(503);
    expect((error as HiPayEcrApiError).body).toEqual({
      status: "Error",
      error: "The terminal does not answer on /dev/ttyUSB0",
    });
    expect(cancelCalls).toBe(2);
  });

  it("turns a 409 on a maintenance call into HiPayEcrApiError without a retry", async () => {
    const client = new HiPayEcrClient({ baseUrl, auth: hipayAuth(credentials), retry: noRetryWait });
    const error = await client.maintenanceReset({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HiPayEcrApiError);
    expect((error as HiPayEcrApiError).status).toBe(409);
    expect((error as HiPayEcrApiError).body.status).toBe("Error");
  });

  it("answers 200 without a body with undefined (GET /stop)", async () => {
    const client = new HiPayEcrClient({ baseUrl, auth: hipayAuth(credentials) });
    await expect(client.maintenanceStop({})).resolves.toBeUndefined();
  });

  it("turns wrong Basic credentials into HiPayEcrApiError 401 with a Basic challenge", async () => {
    const client = new HiPayEcrClient({ baseUrl, auth: hipayAuth({ ...credentials, password: "wrong" }) });
    const error = await client.maintenanceCheck({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HiPayEcrApiError);
    if (!(error instanceof HiPayEcrApiError)) return;
    expect(error.status).toBe(401);
    expect(error.body).toEqual({ status: "Error", error: "The credentials were not accepted." });
    expect(error.headers["www-authenticate"]).toMatch(/^Basic realm="/);
  });

  it("turns missing credentials into HiPayEcrApiError 401", async () => {
    const client = new HiPayEcrClient({ baseUrl });
    const error = await client.maintenanceVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HiPayEcrApiError);
    expect((error as HiPayEcrApiError).status).toBe(401);
    expect((error as HiPayEcrApiError).body.error).toBe("HTTP Basic credentials are required.");
  });

  it("turns a payment the connector refuses (amount 0) into HiPayEcrApiError 400 naming the field", async () => {
    const client = new HiPayEcrClient({ baseUrl, auth: hipayAuth(credentials) });
    const error = await client.paymentPay({ body: { ...payment, amount: 0 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HiPayEcrApiError);
    expect((error as HiPayEcrApiError).status).toBe(400);
    expect((error as HiPayEcrApiError).body.status).toBe("Error");
    expect((error as HiPayEcrApiError).body.error).toContain("/body/amount");
  });

  it("ends a pending payment with AbortedError when the caller's signal aborts", async () => {
    arrived = new Promise<void>((resolve) => {
      markArrived = resolve;
    });
    const client = new HiPayEcrClient({ baseUrl, auth: hipayAuth(credentials) });
    const controller = new AbortController();
    const call = client.paymentPay({ body: payment }, { signal: controller.signal });
    await arrived;
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    release();
  });
});

describe("hipayAuth (seed: TERMINAL_MANAGER_LOGIN / TERMINAL_MANAGER_PWD protect the local API with Basic Auth)", () => {
  it("adds Authorization: Basic base64(login:password) to every request", async () => {
    const { sent, transport } = scriptedTransport([jsonAnswer(checked), jsonAnswer(paid)]);
    const client = new HiPayEcrClient({ baseUrl: "http://localhost:8080", transport, auth: hipayAuth(credentials) });
    await client.maintenanceCheck({});
    await client.paymentPay({ body: payment });
    expect(sent.map((r) => r.headers.authorization)).toEqual(["Basic bG9nOnB3ZA==", "Basic bG9nOnB3ZA=="]);
    expect(sent[0]?.url).toBe("http://localhost:8080/check");
    expect(sent[1]?.url).toBe("http://localhost:8080/");
    expect(sent[1]?.method).toBe("POST");
    expect(JSON.parse(String(sent[1]?.body))).toEqual(payment);
  });

  it("encodes a non-ASCII password as UTF-8 (RFC 7617 §2.1)", async () => {
    const { sent, transport } = scriptedTransport([jsonAnswer(checked)]);
    const client = new HiPayEcrClient({
      baseUrl: "http://localhost:8080",
      transport,
      auth: hipayAuth({ login: "log", password: "pässwörd" }),
    });
    await client.maintenanceCheck({});
    const encoded = String(sent[0]?.headers.authorization).slice("Basic ".length);
    expect(Buffer.from(encoded, "base64").toString("utf8")).toBe("log:pässwörd");
  });

  it("refuses credentials that cannot be sent, before any request", () => {
    expect(() => hipayAuth({ login: "lo:g", password: "pwd" })).toThrow(AuthError);
    expect(() => hipayAuth({ login: "log", password: "pwd\r\nX-Injected: 1" })).toThrow(AuthError);
    expect(() => hipayAuth({ login: "", password: "pwd" })).toThrow(AuthError);
    expect(() => hipayAuth({ login: "log", password: "" })).toThrow(AuthError);
  });
});

describe("retries (a payment is never sent twice: a lost answer could mean a second charge)", () => {
  it("does not retry POST / (payment) after a 503", async () => {
    const { sent, transport } = scriptedTransport([unreachable, jsonAnswer(paid)]);
    const client = new HiPayEcrClient({
      baseUrl: "http://localhost:8080",
      transport,
      auth: hipayAuth(credentials),
      retry: noRetryWait,
    });
    const error = await client.paymentPay({ body: payment }).catch((e: unknown) => e);
    expect(sent).toHaveLength(1);
    expect(error).toBeInstanceOf(HiPayEcrApiError);
    expect((error as HiPayEcrApiError).status).toBe(503);
    expect((error as HiPayEcrApiError).body.error).toBe("The terminal does not answer on /dev/ttyUSB0");
  });

  it("does not retry POST / (payment) after a network error", async () => {
    const sent: TransportRequest[] = [];
    const transport = async (request: TransportRequest): Promise<TransportResponse> => {
      sent.push(request);
      throw new TransportError("connection reset", { retryable: true });
    };
    const client = new HiPayEcrClient({
      baseUrl: "http://localhost:8080",
      transport,
      auth: hipayAuth(credentials),
      retry: noRetryWait,
    });
    await expect(client.paymentPay({ body: payment })).rejects.toBeInstanceOf(TransportError);
    expect(sent).toHaveLength(1);
  });

  it.each([
    ["maintenanceCheck", "/check"],
    ["maintenanceVersion", "/version"],
    ["maintenanceConfig", "/config"],
    ["maintenanceTlc", "/tlc"],
    ["maintenanceCancel", "/cancel"],
  ] as const)("retries GET %s after a 503 (terminal unreachable)", async (op, path) => {
    const answer = op === "maintenanceCancel" ? { status: 200, headers: {}, body: "" } : jsonAnswer(checked);
    const { sent, transport } = scriptedTransport([unreachable, answer]);
    const client = new HiPayEcrClient({
      baseUrl: "http://localhost:8080",
      transport,
      auth: hipayAuth(credentials),
      retry: noRetryWait,
    });
    await client[op]({});
    expect(sent).toHaveLength(2);
    expect(sent.map((r) => r.url)).toEqual([`http://localhost:8080${path}`, `http://localhost:8080${path}`]);
    expect(sent[1]?.headers.authorization).toBe("Basic bG9nOnB3ZA==");
  });

  it("does not retry a maintenance call answered 409 (busy is not transient by the clock)", async () => {
    const { sent, transport } = scriptedTransport([busy, jsonAnswer(checked)]);
    const client = new HiPayEcrClient({
      baseUrl: "http://localhost:8080",
      transport,
      auth: hipayAuth(credentials),
      retry: noRetryWait,
    });
    await expect(client.maintenanceCheck({})).rejects.toBeInstanceOf(HiPayEcrApiError);
    expect(sent).toHaveLength(1);
  });
});
