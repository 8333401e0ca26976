// Whatever a client sends, the connector answers in its own error shape (ConnectorError
// `{ status: "Error", error }`) with the status that says why, never a 5xx, and the handler only
// ever sees an authenticated, valid request.
import type { ConnectorError, PaymentRequest } from "@payspec/hipay-ecr-types";
import { validateConnectorError } from "@payspec/hipay-ecr-validators";
import fastify, { type FastifyInstance, type LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { examples, type HiPayEcrHandlers, hipayAuthenticator, registerHiPayEcr, rejectHiPay } from "../src/index.js";

const credentials = { login: "log", password: "pwd" };
const authorization = `Basic ${Buffer.from("log:pwd").toString("base64")}`;

/** The spec's first @opExample of an operation, and its success answer (the body of its 200). */
function seed<I, B>(list: readonly { input: I; status: number; response?: B | undefined }[]) {
  const [example] = list;
  if (example?.status !== 200) throw new Error("the spec has no success example here");
  return { input: example.input, answer: example.response as Exclude<B, ConnectorError> };
}
const { input: payInput, answer: paid } = seed(examples.paymentPay);
const payment: PaymentRequest = payInput.body;

let app: FastifyInstance;
let calls: string[] = [];

beforeAll(async () => {
  // As the README advises: fastify's automatic HEAD routes would run the GET handlers (HEAD /reset reboots).
  app = fastify({ exposeHeadRoutes: false });
  const ok = (id: string) => () => {
    calls.push(id);
    return { status: 200 as const };
  };
  // The spec's own answers.
  const list =
    <B>(id: string, answer: B) =>
    (): { status: 200; body: B } => {
      calls.push(id);
      return { status: 200, body: answer };
    };
  const handlers: HiPayEcrHandlers = {
    paymentPay: (input) => {
      calls.push("paymentPay");
      if (input.body.orderId === "Order_crash") throw new Error("serial port /dev/ttyUSB0 exploded");
      return { status: 200, body: paid };
    },
    paymentStatus: () => ({ status: 200, body: [] }),
    paymentRefund: () => ({ status: 200, body: paid }),
    maintenanceCancel: ok("maintenanceCancel"),
    maintenanceStop: ok("maintenanceStop"),
    maintenanceReset: ok("maintenanceReset"),
    maintenanceVersion: list("maintenanceVersion", seed(examples.maintenanceVersion).answer),
    maintenanceConfig: list("maintenanceConfig", seed(examples.maintenanceConfig).answer),
    maintenanceTlc: list("maintenanceTlc", seed(examples.maintenanceTlc).answer),
    maintenanceCheck: list("maintenanceCheck", seed(examples.maintenanceCheck).answer),
  };
  await registerHiPayEcr(app, handlers, {
    reject: rejectHiPay,
    authenticate: hipayAuthenticator(credentials),
    bodyLimit: 64 * 1024,
  });
  await app.ready();
});
afterAll(() => app.close());
beforeEach(() => {
  calls = [];
});

function pay(body: string, headers: Record<string, string> = {}) {
  return app.inject({
    method: "POST",
    url: "/",
    headers: { authorization, "content-type": "application/json", ...headers },
    payload: body,
  });
}

/** The answer is a ConnectorError with `status`, served as JSON, and no handler ran. */
function expectRefusal(res: LightMyRequestResponse, status: number): { status: "Error"; error: string } {
  expect(res.statusCode).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body: unknown = res.json();
  expect(validateConnectorError(body), JSON.stringify(validateConnectorError.errors)).toBe(true);
  expect(calls).toEqual([]);
  return body as { status: "Error"; error: string };
}

describe("a valid, authenticated payment", () => {
  it("reaches the handler and is answered 200 with the payment result", async () => {
    const res = await pay(JSON.stringify(payment));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(paid);
    expect(calls).toEqual(["paymentPay"]);
  });

  it("accepts the mandatory fields alone (currency defaults to EUR)", async () => {
    const res = await pay(JSON.stringify({ amount: 9.99, orderId: "Order_1" }));
    expect(res.statusCode).toBe(200);
  });
});

describe("400: a payment request the spec refuses (seed, REQUEST table)", () => {
  it("refuses a payment without amount (mandatory)", async () => {
    const { amount: _amount, ...rest } = payment;
    const body = expectRefusal(await pay(JSON.stringify(rest)), 400);
    expect(body.error).toContain("/body/amount");
    expect(body.error).toContain("missing required");
  });

  it("refuses a payment without orderId (mandatory)", async () => {
    const { orderId: _orderId, ...rest } = payment;
    expect(expectRefusal(await pay(JSON.stringify(rest)), 400).error).toContain("/body/orderId");
  });

  it('refuses amount "abc" (a float is required)', async () => {
    const body = expectRefusal(await pay(JSON.stringify({ ...payment, amount: "abc" })), 400);
    expect(body.error).toContain("/body/amount");
  });

  it('refuses amount "100" as a string: the seed sends a JSON number', async () => {
    expectRefusal(await pay(JSON.stringify({ ...payment, amount: "100" })), 400);
  });

  it("refuses a zero or negative amount", async () => {
    expectRefusal(await pay(JSON.stringify({ ...payment, amount: 0 })), 400);
    expectRefusal(await pay(JSON.stringify({ ...payment, amount: -1 })), 400);
  });

  it('refuses currency "USD" (the seed lists EUR only)', async () => {
    const body = expectRefusal(await pay(JSON.stringify({ ...payment, currency: "USD" })), 400);
    expect(body.error).toContain("/body/currency");
  });

  it("refuses customData with a nested object (only Bool, Int, Float and String values)", async () => {
    const body = expectRefusal(
      await pay(JSON.stringify({ ...payment, customData: { shop: "Opera", nested: { a: 1 } } })),
      400,
    );
    expect(body.error).toContain("/body/customData/nested");
  });

  it("refuses customData with an array or a null value", async () => {
    expectRefusal(await pay(JSON.stringify({ ...payment, customData: { list: [1, 2] } })), 400);
    expectRefusal(await pay(JSON.stringify({ ...payment, customData: { none: null } })), 400);
  });

  it("refuses malformed JSON", async () => {
    const body = expectRefusal(await pay('{"amount": 100, "orderId": '), 400);
    expect(body.error).toContain("/body");
  });

  it("refuses a body that is JSON but not an object", async () => {
    expectRefusal(await pay("[1,2,3]"), 400);
    expectRefusal(await pay("null"), 400);
  });

  it("refuses an empty body", async () => {
    expectRefusal(await pay(""), 400);
  });

  it("refuses a __proto__ key anywhere in the body (prototype pollution)", async () => {
    const top = '{"amount":100,"orderId":"Order_1","__proto__":{"polluted":true}}';
    const deep = '{"amount":100,"orderId":"Order_1","customData":{"__proto__":{"polluted":true}}}';
    expect(expectRefusal(await pay(top), 400).error).toContain("__proto__");
    expectRefusal(await pay(deep), 400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("lists at most ten issues, so a hostile body cannot grow the answer", async () => {
    const customData = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, { nested: i }]));
    const body = expectRefusal(await pay(JSON.stringify({ ...payment, customData })), 400);
    expect(body.error.split("; ").length).toBeLessThanOrEqual(11);
  });
});

describe("415, 413, 404: requests the connector does not serve", () => {
  it("answers 415 to a payment that is not application/json", async () => {
    const body = expectRefusal(
      await pay("amount=100&orderId=Order_1", { "content-type": "application/x-www-form-urlencoded" }),
      415,
    );
    expect(body.error).toContain("application/json");
  });

  it("answers 415 to a payment with a media type it has no parser for", async () => {
    expectRefusal(await pay(JSON.stringify(payment), { "content-type": "application/octet-stream" }), 415);
  });

  it("answers 415 to a payment body without a Content-Type", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/",
      headers: { authorization },
      payload: JSON.stringify(payment),
    });
    expectRefusal(res, 415);
  });

  it("accepts application/json with a charset parameter", async () => {
    const res = await pay(JSON.stringify(payment), { "content-type": "application/json; charset=utf-8" });
    expect(res.statusCode).toBe(200);
  });

  it("answers 413 to a body over the limit", async () => {
    const huge = JSON.stringify({ ...payment, customData: { filler: "x".repeat(70 * 1024) } });
    expectRefusal(await pay(huge), 413);
  });

  it("answers 404 to an unknown path", async () => {
    const body = expectRefusal(await app.inject({ method: "GET", url: "/refund", headers: { authorization } }), 404);
    expect(body.error).toContain("/refund");
  });

  it("answers 404 to HEAD /reset without rebooting the terminal (HEAD must be safe, RFC 9110 §9.2.1)", async () => {
    const res = await app.inject({ method: "HEAD", url: "/reset", headers: { authorization } });
    expect(res.statusCode).toBe(404);
    expect(calls).toEqual([]);
  });

  it("answers 404 to a known path with another method (POST /check)", async () => {
    expectRefusal(await app.inject({ method: "POST", url: "/check", headers: { authorization } }), 404);
  });
});

describe("401: HTTP Basic auth (seed: TERMINAL_MANAGER_LOGIN / TERMINAL_MANAGER_PWD)", () => {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

  it.each([
    ["no Authorization header", undefined],
    ["an empty Authorization header", ""],
    ["the wrong password", basic("log", "wrong")],
    ["the wrong login", basic("admin", "pwd")],
    ["both swapped", basic("pwd", "log")],
    ["the password as a prefix of the right one", basic("log", "pw")],
    ["another scheme", "Bearer bG9nOnB3ZA=="],
    ["credentials that are not base64", "Basic !!!not-base64!!!"],
    ["base64 without a colon", `Basic ${Buffer.from("logpwd").toString("base64")}`],
  ])("refuses %s with 401 and a Basic challenge", async (_name, header) => {
    const headers: Record<string, string> = header === undefined ? {} : { authorization: header };
    const res = await app.inject({ method: "GET", url: "/check", headers });
    const body = expectRefusal(res, 401);
    expect(res.headers["www-authenticate"]).toBe('Basic realm="HiPay ECR connector", charset="UTF-8"');
    expect(body.error).not.toContain("pwd");
  });

  it("refuses every operation without credentials", async () => {
    for (const [method, url] of [
      ["POST", "/"],
      ["GET", "/cancel"],
      ["GET", "/stop"],
      ["GET", "/reset"],
      ["GET", "/version"],
      ["GET", "/config"],
      ["GET", "/tlc"],
      ["GET", "/check"],
    ] as const) {
      const res = await app.inject({
        method,
        url,
        headers: { "content-type": "application/json" },
        payload: method === "POST" ? JSON.stringify(payment) : undefined,
      });
      expectRefusal(res, 401);
    }
  });

  it("checks credentials before the body: a bad body without credentials is a 401, not a 400", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expectRefusal(res, 401);
  });

  it("accepts the scheme name in any case (RFC 9110 §11.1)", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/check",
      headers: { authorization: `basic ${Buffer.from("log:pwd").toString("base64")}` },
    });
    expect(res.statusCode).toBe(200);
    expect(calls).toEqual(["maintenanceCheck"]);
  });
});

describe("a handler that throws", () => {
  it("is answered 500 in the connector's shape, without the internal message", async () => {
    const res = await pay(JSON.stringify({ ...payment, orderId: "Order_crash" }));
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(validateConnectorError(body)).toBe(true);
    expect(JSON.stringify(body)).not.toContain("ttyUSB0");
  });
});
