// A Payneteasy server under test (fastify inject, no socket) with recording handlers, and the
// requests a connecting party sends to it.
import { decodeKv, encodeForm, type KvRecord, payneteasyStatusControl, signOAuth1 } from "@payspec/runtime";
import fastify, { type FastifyInstance, type LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import {
  examples,
  type PayneteasyAuthenticatorOptions,
  type PayneteasyHandlers,
  payneteasyAuthenticator,
  payneteasyErrorEncoding,
  registerPayneteasy,
  rejectPayneteasy,
} from "../src/index.js";

/** The made-up credentials the spec's examples are signed with (specs/payneteasy/main.tsp). */
export const LOGIN = "TestMerchant";
export const KEY = "B17F59B4-A7DC-41B4-8FF9-37D5B41E9ED4";
export const HOST = "gate.payneteasy.test";
export const FORM = "application/x-www-form-urlencoded";
/** The server's clock: 2023-12-08, when the examples were signed. */
export const NOW_SECONDS = 1702073235;
export const BODY_LIMIT = 16 * 1024;

export const saleBody = examples.sale.find((e) => e.title === "Sale accepted")!.input.body as unknown as Record<
  string,
  string
>;
export const closeDayBody = examples.closeDay[0]!.input.body as unknown as Record<string, string>;

export interface ServerUnderTest {
  app: FastifyInstance;
  /** operation ids of the handlers that ran, in order */
  calls: string[];
}

/** A server with every operation mounted, the real authenticator and the vendor-shaped reject. */
export async function startServer(auth: Partial<PayneteasyAuthenticatorOptions> = {}): Promise<ServerUnderTest> {
  const calls: string[] = [];
  const app = fastify();
  const accepted = examples.sale.find((e) => e.title === "Sale accepted")!.response;
  const handlers: PayneteasyHandlers = {
    sale: (input) => {
      calls.push("sale");
      if (input.body.client_orderid === "crash") throw new Error("processor link down");
      return { status: 200, body: accepted as never };
    },
    preauth: () => {
      calls.push("preauth");
      return { status: 200, body: examples.preauth[0]!.response as never };
    },
    status: () => {
      calls.push("status");
      return { status: 200, body: examples.status.find((e) => e.title === "Approved")!.response as never };
    },
    returnOrder: () => {
      calls.push("returnOrder");
      return { status: 200, body: examples.returnOrder.find((e) => e.title === "Return accepted")!.response as never };
    },
    closeDay: () => {
      calls.push("closeDay");
      return { status: 200, body: examples.closeDay[0]!.response as never };
    },
    merchantCallbackNotify: (input) => {
      calls.push("merchantCallbackNotify");
      if (input.client_orderid === "crash") throw new Error("database down");
      return { status: 200, body: "OK" };
    },
  };
  await registerPayneteasy(app, handlers, {
    reject: rejectPayneteasy,
    errorEncoding: payneteasyErrorEncoding,
    authenticate: payneteasyAuthenticator({
      merchants: { [LOGIN]: KEY },
      callbackControlKey: KEY,
      now: () => NOW_SECONDS * 1000,
      ...auth,
    }),
    bodyLimit: BODY_LIMIT,
  });
  await app.ready();
  return { app, calls };
}

export interface SignedPost {
  path: string;
  body: string;
  login?: string;
  key?: string;
  timestamp?: number;
  nonce?: string;
  contentType?: string;
  /** replaces the body after signing */
  sendBody?: string;
}

let nonces = 0;

/** POSTs a form body signed as a connecting party signs it (OAuth 1.0 HMAC-SHA1 over URL and body). */
export function signedPost(server: ServerUnderTest, req: SignedPost): Promise<LightMyRequestResponse> {
  const { authorization } = signOAuth1({
    method: "POST",
    url: `http://${HOST}${req.path}`,
    consumerKey: req.login ?? LOGIN,
    consumerSecret: req.key ?? KEY,
    body: req.body,
    timestamp: req.timestamp ?? NOW_SECONDS,
    nonce: req.nonce ?? `nonce-${process.pid}-${++nonces}`,
  });
  return server.app.inject({
    method: "POST",
    url: req.path,
    headers: { host: HOST, authorization, "content-type": req.contentType ?? FORM },
    payload: req.sendBody ?? req.body,
  });
}

/** A status request body with its `control` computed from `key`. */
export function statusBody(fields: { login?: string; client_orderid: string; orderid: string; key?: string }): string {
  const login = fields.login ?? LOGIN;
  const control = payneteasyStatusControl({
    login,
    client_orderid: fields.client_orderid,
    orderid: fields.orderid,
    merchant_control_key: fields.key ?? KEY,
  });
  return encodeForm({ login, client_orderid: fields.client_orderid, orderid: fields.orderid, control });
}

/** The answer is a kv body served as Payneteasy serves it (`text/html; charset=utf-8`). */
export function kvAnswer(res: LightMyRequestResponse, status: number): KvRecord {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
  return decodeKv(res.body);
}

/** A Payneteasy refusal: `type`, a fresh `serial-number`, `error-message` and `error-code`. */
export function expectRefusal(
  res: LightMyRequestResponse,
  want: { status: number; type: string; code: string },
): KvRecord {
  const body = kvAnswer(res, want.status);
  expect(body.type).toBe(want.type);
  expect(body["serial-number"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(body["error-message"]).toBeTruthy();
  expect(body["error-code"]).toBe(want.code);
  return body;
}
