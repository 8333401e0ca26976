// Every request the Stripe Terminal server refuses is answered with Stripe's error object
// (`{ error: { type, code?, message, param?, doc_url? } }`, Stripe API reference "Errors") and
// the status Stripe would use; hostile or malformed input is never a 5xx.
import { validateErrorResponse } from "@payspec/stripe-terminal-validators";
import fastify, { type FastifyInstance, type LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  examples,
  registerStripeTerminal,
  rejectStripe,
  type StripeTerminalHandlers,
  stripeAuthenticator,
} from "../src/index.js";

const secretKey = "sk_test_51NfZlvSecretKeyForTestsOnly4242wxyz";
const form = { authorization: `Bearer ${secretKey}`, "content-type": "application/x-www-form-urlencoded" };
const auth = { authorization: `Bearer ${secretKey}` };

/** The spec's first success example of an operation, as its handler's reply. */
function exampleReply<K extends keyof StripeTerminalHandlers & keyof typeof examples>(op: K) {
  const example = (examples[op] as readonly { status: number; response?: unknown }[]).find((e) => e.status < 400);
  if (!example) throw new Error(`no success example for ${op}`);
  return { status: example.status, body: example.response } as unknown as Awaited<
    ReturnType<StripeTerminalHandlers[K]>
  >;
}

const received: Record<string, unknown>[] = [];
const handlers: StripeTerminalHandlers = {
  readersList: () => exampleReply("readersList"),
  readersCreate: (input) => {
    received.push(input.body as unknown as Record<string, unknown>);
    return exampleReply("readersCreate");
  },
  readersRetrieve: () => {
    throw new Error("database password is hunter2");
  },
  readersUpdate: (input) => {
    received.push((input.body ?? {}) as unknown as Record<string, unknown>);
    return exampleReply("readersUpdate");
  },
  readersDelete: () => exampleReply("readersDelete"),
  readersCancelAction: () => exampleReply("readersCancelAction"),
  readersProcessPaymentIntent: () => exampleReply("readersProcessPaymentIntent"),
  readersProcessSetupIntent: () => exampleReply("readersProcessSetupIntent"),
  readersRefundPayment: () => exampleReply("readersRefundPayment"),
  readersSetReaderDisplay: () => exampleReply("readersSetReaderDisplay"),
  locationsList: () => exampleReply("locationsList"),
  locationsCreate: () => exampleReply("locationsCreate"),
  locationsRetrieve: () => exampleReply("locationsRetrieve"),
  locationsUpdate: () => exampleReply("locationsUpdate"),
  locationsDelete: () => exampleReply("locationsDelete"),
  connectionTokensCreate: () => exampleReply("connectionTokensCreate"),
  configurationsList: () => exampleReply("configurationsList"),
  configurationsCreate: () => exampleReply("configurationsCreate"),
  configurationsRetrieve: () => exampleReply("configurationsRetrieve"),
  configurationsUpdate: () => exampleReply("configurationsUpdate"),
  configurationsDelete: () => exampleReply("configurationsDelete"),
  testHelpersPresentPaymentMethod: () => exampleReply("testHelpersPresentPaymentMethod"),
  paymentIntentsCreate: () => exampleReply("paymentIntentsCreate"),
  paymentIntentsRetrieve: () => exampleReply("paymentIntentsCreate") as never,
  paymentIntentsCancel: () => exampleReply("paymentIntentsCreate") as never,
  paymentIntentsCapture: () => exampleReply("paymentIntentsCreate") as never,
};

let app: FastifyInstance;
beforeAll(async () => {
  app = fastify();
  await registerStripeTerminal(app, handlers, {
    reject: rejectStripe,
    authenticate: stripeAuthenticator({ secretKey }),
    bodyLimit: 4096,
  });
  await app.ready();
});
afterAll(() => app.close());

interface StripeErrorBody {
  error: { type: string; code?: string; message: string; param?: string; doc_url?: string };
}

/** The answer is a valid Stripe ErrorResponse with `status` and `type`; returns the error object. */
function expectStripeError(res: LightMyRequestResponse, status: number, type = "invalid_request_error") {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body = res.json() as StripeErrorBody;
  expect(validateErrorResponse(body), JSON.stringify(validateErrorResponse.errors)).toBe(true);
  expect(validateErrorResponse.warnings).toEqual([]);
  expect(body.error.type).toBe(type);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

const post = (url: string, payload: string, headers: Record<string, string> = form) =>
  app.inject({ method: "POST", url, headers, payload });

describe("authentication (Stripe API reference, Authentication): 401 invalid_request_error", () => {
  it("answers a request without a key with Stripe's 'You did not provide an API key'", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/terminal/readers" });
    const error = expectStripeError(res, 401);
    expect(error.message).toMatch(/^You did not provide an API key\./);
    expect(res.headers["www-authenticate"]).toBe('Basic realm="Stripe"');
  });

  it("answers a wrong key with 'Invalid API Key provided' and only its masked form", async () => {
    const wrong = "sk_test_51NfZlvSomebodyElsesKey9876abcd";
    const res = await app.inject({
      method: "GET",
      url: "/v1/terminal/readers",
      headers: { authorization: `Bearer ${wrong}` },
    });
    const error = expectStripeError(res, 401);
    expect(error.message).toBe("Invalid API Key provided: sk_test_****abcd");
    expect(res.body).not.toContain(wrong);
    expect(res.body).not.toContain(secretKey);
  });

  it("refuses a wrong key before looking at the body (no parameter error leaks through)", async () => {
    const res = await post("/v1/terminal/readers", "label=x", { ...form, authorization: "Bearer sk_test_wrong" });
    expectStripeError(res, 401);
  });

  it("accepts the key as a bearer token", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/terminal/readers", headers: auth });
    expect(res.statusCode).toBe(200);
  });

  it("accepts the key as the Basic user name with an empty password (curl -u sk_test_…:)", async () => {
    const basic = `Basic ${Buffer.from(`${secretKey}:`).toString("base64")}`;
    const res = await app.inject({ method: "GET", url: "/v1/terminal/readers", headers: { authorization: basic } });
    expect(res.statusCode).toBe(200);
  });

  it("refuses a Basic header whose user name is not the key (the key as password does not count)", async () => {
    const basic = `Basic ${Buffer.from(`someone:${secretKey}`).toString("base64")}`;
    const res = await app.inject({ method: "GET", url: "/v1/terminal/readers", headers: { authorization: basic } });
    expect(expectStripeError(res, 401).message).toBe("Invalid API Key provided: ****");
  });
});

describe("invalid parameters: 400 invalid_request_error with Stripe's code and bracketed param", () => {
  it("a missing required form field is parameter_missing", async () => {
    const error = expectStripeError(await post("/v1/terminal/readers", "label=Caisse%201"), 400);
    expect(error).toEqual({
      type: "invalid_request_error",
      code: "parameter_missing",
      message: "Missing required param: registration_code.",
      param: "registration_code",
      doc_url: "https://stripe.com/docs/error-codes/parameter-missing",
    });
  });

  it("an empty body of an operation that needs one names its first required field", async () => {
    const error = expectStripeError(
      await post("/v1/terminal/readers/tmr_FDOt2wlRZEdpd7/process_payment_intent", ""),
      400,
    );
    expect(error.code).toBe("parameter_missing");
    expect(error.param).toBe("payment_intent");
  });

  it("a non-integer amount is parameter_invalid_integer and quotes the value", async () => {
    const res = await post(
      "/v1/terminal/readers/tmr_FDOt2wlRZEdpd7/refund_payment",
      "payment_intent=pi_3NfZlv2eZvKYlo2C0fNGQ3vR&amount=ten",
    );
    const error = expectStripeError(res, 400);
    expect(error).toMatchObject({
      code: "parameter_invalid_integer",
      param: "amount",
      message: "Invalid integer: ten",
    });
  });

  it("a non-integer query parameter is parameter_invalid_integer", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/terminal/readers?limit=many", headers: auth });
    expect(expectStripeError(res, 400)).toMatchObject({ code: "parameter_invalid_integer", param: "limit" });
  });

  it("a hash where a metadata string belongs points at metadata[order] (bracket notation)", async () => {
    const res = await post("/v1/terminal/readers", "registration_code=simulated-wpe&metadata[order][id]=42");
    expect(expectStripeError(res, 400)).toMatchObject({ code: "parameter_invalid_string", param: "metadata[order]" });
  });

  it("a hash inside expand[] points at expand[0]", async () => {
    const res = await post("/v1/terminal/readers", "registration_code=simulated-wpe&expand[0][field]=location");
    expect(expectStripeError(res, 400)).toMatchObject({ code: "parameter_invalid_string", param: "expand[0]" });
  });

  it("a value outside an enum (set_reader_display type=receipt) names the allowed value", async () => {
    const res = await post("/v1/terminal/readers/tmr_FDOt2wlRZEdpd7/set_reader_display", "type=receipt");
    const error = expectStripeError(res, 400);
    expect(error).toMatchObject({ code: "parameter_invalid_string", param: "type" });
    expect(error.message).toBe("Invalid type: must be cart");
  });

  it("a query value outside its enum (status=sleeping) lists the allowed values", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/terminal/readers?status=sleeping", headers: auth });
    const error = expectStripeError(res, 400);
    expect(error).toMatchObject({ code: "parameter_invalid_string", param: "status" });
    expect(error.message).toBe("Invalid status: must be one of online or offline");
  });

  it("a string over its maxLength is parameter_invalid_string, without echoing the whole value", async () => {
    const long = "x".repeat(1001);
    const res = await post("/v1/terminal/locations", `display_name=${long}&address[country]=FR`);
    const error = expectStripeError(res, 400);
    expect(error).toMatchObject({ code: "parameter_invalid_string", param: "display_name" });
    expect(error.message).not.toContain(long);
  });

  it("a nested required field is named in brackets (address[country])", async () => {
    const res = await post("/v1/terminal/locations", "display_name=Boutique&address[city]=Paris");
    expect(expectStripeError(res, 400)).toMatchObject({ code: "parameter_missing", param: "address[country]" });
  });
});

describe("malformed and hostile form bodies: 400, never 5xx, nothing polluted", () => {
  it.each([
    ["__proto__[polluted]=yes", "__proto__"],
    ["registration_code=x&__proto__[polluted]=yes", "__proto__"],
    ["constructor[prototype][polluted]=yes", "constructor"],
    ["registration_code=x&metadata[constructor][prototype][polluted]=yes", "constructor"],
    ["registration_code=x&metadata[prototype]=yes", "prototype"],
  ])("refuses %s as parameter_unknown %s without touching Object.prototype", async (payload, param) => {
    const before = received.length;
    const error = expectStripeError(await post("/v1/terminal/readers", payload), 400);
    expect(error).toMatchObject({ code: "parameter_unknown", param, message: `Received unknown parameter: ${param}` });
    expect(received.length).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("refuses a key nested deeper than the form codec allows", async () => {
    const deep = `registration_code=x&metadata${"[a]".repeat(12)}=1`;
    expectStripeError(await post("/v1/terminal/readers", deep), 400);
  });

  it("refuses more parameters than the form codec allows", async () => {
    const many = Array.from({ length: 1200 }, (_, i) => `m${i}=1`).join("&");
    const res = await post("/v1/terminal/readers", many);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(validateErrorResponse(res.json())).toBe(true);
  });

  it.each([
    "%",
    "registration_code=%E0%A4%A",
    "&&&===&&",
    "registration_code[=x",
    "registration_code=x&expand[999999]=location",
    "[]=x",
  ])("answers the odd body %j with a Stripe error or success, never 5xx", async (payload) => {
    const res = await post("/v1/terminal/readers", payload);
    expect(res.statusCode).toBeLessThan(500);
    if (res.statusCode >= 400) expectStripeError(res, res.statusCode);
  });
});

describe("transport-level refusals in Stripe's shape", () => {
  it("415 for a JSON body (Stripe bodies are form-encoded)", async () => {
    const res = await post("/v1/terminal/readers", JSON.stringify({ registration_code: "simulated-wpe" }), {
      ...auth,
      "content-type": "application/json",
    });
    expect(expectStripeError(res, 415).message).toMatch(/application\/x-www-form-urlencoded/);
  });

  it("413 for a body over the limit", async () => {
    const res = await post("/v1/terminal/readers", `registration_code=simulated-wpe&label=${"x".repeat(5000)}`);
    expectStripeError(res, 413);
  });

  it("404 with Stripe's 'Unrecognized request URL (METHOD: /path)' for an unknown route", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/terminal/readerz?limit=3", headers: auth });
    const error = expectStripeError(res, 404);
    expect(error.message).toBe(
      "Unrecognized request URL (GET: /v1/terminal/readerz). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
    );
  });

  it("404 for a known path with the wrong method", async () => {
    const res = await app.inject({ method: "PUT", url: "/v1/terminal/readers", headers: auth });
    expect(expectStripeError(res, 404).message).toMatch(/^Unrecognized request URL \(PUT: \/v1\/terminal\/readers\)/);
  });

  it("500 api_error when a handler throws, without the handler's message", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/terminal/readers/tmr_FDOt2wlRZEdpd7", headers: auth });
    expectStripeError(res, 500, "api_error");
    expect(res.body).not.toContain("hunter2");
  });
});

describe("valid requests reach the handler typed", () => {
  it("passes nested metadata and expand[] through as the form says", async () => {
    const res = await post(
      "/v1/terminal/readers",
      "registration_code=simulated-wpe&label=Caisse%201&metadata[order]=42&metadata[note]=a%20b%26c%3Dd&expand[]=location",
    );
    expect(res.statusCode).toBe(200);
    expect(received.at(-1)).toEqual({
      registration_code: "simulated-wpe",
      label: "Caisse 1",
      metadata: { order: "42", note: "a b&c=d" },
      expand: ["location"],
    });
  });
});
