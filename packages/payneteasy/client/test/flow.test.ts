// The README's flow against a Payneteasy server on loopback: a signed Sale, then status polling
// until the status is final. Payneteasy answers refusals with HTTP 200 (type=validation-error /
// error), so they come back as results; only HTTP failures throw PayneteasyApiError.

import {
  examples,
  type PayneteasyHandlers,
  payneteasyAuthenticator,
  payneteasyErrorEncoding,
  registerPayneteasy,
  rejectPayneteasy,
} from "@payspec/payneteasy-server";
import type { SaleRequest, StatusQueryResponse } from "@payspec/payneteasy-types";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isFinalStatus,
  isPayneteasyError,
  PayneteasyApiError,
  PayneteasyClient,
  payneteasyAuth,
  returnRequest,
  statusRequest,
} from "../src/index.js";

const credentials = { login: "TestMerchant", merchantControlKey: "B17F59B4-A7DC-41B4-8FF9-37D5B41E9ED4" };
const sale = examples.sale.find((e) => e.title === "Sale accepted")!.input.body as unknown as SaleRequest;
const approved = examples.status.find((e) => e.title === "Approved")!.response as StatusQueryResponse;
const processing = examples.status.find((e) => e.title === "Still processing")!.response as StatusQueryResponse;

let app: FastifyInstance;
let client: PayneteasyClient;
let polls = 0;

beforeAll(async () => {
  app = fastify();
  const handlers: PayneteasyHandlers = {
    sale: () => ({ status: 200, body: examples.sale.find((e) => e.title === "Sale accepted")!.response as never }),
    preauth: () => ({ status: 200, body: examples.preauth[0]!.response as never }),
    status: () => ({ status: 200, body: ++polls < 3 ? processing : approved }),
    closeDay: () => ({ status: 200, body: examples.closeDay[0]!.response as never }),
    returnOrder: () => ({
      status: 200,
      body: examples.returnOrder.find((e) => e.title === "Return accepted")!.response as never,
    }),
    merchantCallbackNotify: () => ({ status: 200, body: "OK" }),
  };
  await registerPayneteasy(app, handlers, {
    reject: rejectPayneteasy,
    errorEncoding: payneteasyErrorEncoding,
    authenticate: payneteasyAuthenticator({ merchants: { [credentials.login]: credentials.merchantControlKey } }),
    bodyLimit: 8 * 1024,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as { port: number };
  client = new PayneteasyClient({ baseUrl: `http://127.0.0.1:${port}`, auth: payneteasyAuth(credentials) });
});
afterAll(() => app.close());

describe("sale, then status polling until final", () => {
  it("polls while processing and stops at the first final status", async () => {
    const started = await client.sale({ endpointid: "1234", body: sale });
    if (started.type !== "async-response") throw new Error(`sale refused: ${started["error-message"]}`);
    let answer: StatusQueryResponse;
    let rounds = 0;
    for (;;) {
      rounds++;
      answer = await client.status({
        endpointid: "1234",
        body: statusRequest(credentials, { client_orderid: sale.client_orderid, orderid: started["paynet-order-id"] }),
      });
      if (isPayneteasyError(answer) || isFinalStatus(answer.status)) break;
      // a real client waits 3-5 s here (seed 002); the test server needs no pause
    }
    expect(rounds).toBe(3);
    expect(answer).toEqual(approved);
  });
});

describe("return of an approved sale", () => {
  it("a return with its control is accepted: async-response naming the return by serial-number", async () => {
    const answer = await client.returnOrder({
      endpointid: "1234",
      body: returnRequest(credentials, {
        client_orderid: "902B4FF5",
        orderid: "5582716",
        amount: "10.42",
        currency: "EUR",
      }),
    });
    expect(answer).toMatchObject({ type: "async-response", "paynet-order-id": "5582716" });
  });

  it("a return whose amount differs from the one its control was made over is a validation-error result", async () => {
    const body = returnRequest(credentials, {
      client_orderid: "902B4FF5",
      orderid: "5582716",
      amount: "1.00",
      currency: "EUR",
    });
    const answer = await client.returnOrder({ endpointid: "1234", body: { ...body, amount: "10.42" } });
    expect(answer).toMatchObject({ type: "validation-error", "error-message": "Invalid control" });
  });
});

describe("refusals", () => {
  it("a bad signature comes back as a validation-error result, not an exception", async () => {
    const wrong = new PayneteasyClient({
      baseUrl: client.config.baseUrl,
      auth: payneteasyAuth({ ...credentials, merchantControlKey: "not-the-key" }),
    });
    const answer = await wrong.sale({ endpointid: "1234", body: sale });
    expect(isPayneteasyError(answer)).toBe(true);
    expect(answer).toMatchObject({ type: "validation-error", "error-message": "Invalid signature" });
  });

  it("a status request with a wrong control is a validation-error result", async () => {
    const answer = await client.status({
      endpointid: "1234",
      body: { ...statusRequest(credentials, { client_orderid: "902B4FF5", orderid: "5582716" }), orderid: "5582717" },
    });
    expect(answer).toMatchObject({ type: "validation-error", "error-message": "Invalid control" });
  });

  it("a body over the server's limit throws PayneteasyApiError 413 with the kv type=error body", async () => {
    const error = await client.sale({ endpointid: "1234", body: { ...sale, order_desc: "x".repeat(9 * 1024) } }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(PayneteasyApiError);
    expect((error as PayneteasyApiError).status).toBe(413);
    expect((error as PayneteasyApiError).body).toMatchObject({ type: "error" });
  });
});

describe("answer helpers", () => {
  it("isPayneteasyError tells refusals from results", () => {
    expect(isPayneteasyError({ type: "validation-error", "error-message": "x" })).toBe(true);
    expect(isPayneteasyError({ type: "error", "error-message": "x" })).toBe(true);
    expect(isPayneteasyError(approved)).toBe(false);
    expect(isPayneteasyError({ status: "finished" })).toBe(false);
    expect(isPayneteasyError(null)).toBe(false);
    expect(isPayneteasyError("type=error")).toBe(false);
  });

  it("isFinalStatus: approved, declined, error and filtered are final; processing, unknown and new values are not", () => {
    expect(["approved", "declined", "error", "filtered"].every(isFinalStatus)).toBe(true);
    expect(["processing", "unknown", "reversed-soon", undefined].some(isFinalStatus)).toBe(false);
  });
});
