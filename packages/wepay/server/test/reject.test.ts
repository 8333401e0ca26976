// Every request the WePay server refuses is answered in WePay's v3 error shape
// (dev.wepay.com/api/guides/errors) with the status that says why, and bad input is never a 5xx.
import { validateApiError } from "@payspec/wepay-validators";
import fastify, { type FastifyInstance, type LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  examples,
  operations,
  registerWePay,
  rejectWePay,
  type WePayHandlers,
  wepayAuthenticator,
} from "../src/index.js";

const credentials = { appId: "123456", appToken: "stage_app_token_secret" };
const headers = {
  "app-id": credentials.appId,
  "app-token": credentials.appToken,
  "api-version": "3.0",
  "content-type": "application/json",
};
/** The first `@opExample` of an operation (the spec gives every operation at least one). */
function exampleOf<K extends keyof typeof examples>(op: K): (typeof examples)[K][number] {
  const example = examples[op][0];
  if (example === undefined) throw new Error(`the spec has no @opExample for ${op}`);
  return example;
}

/** The spec's example answer of an operation, as its handler's reply. */
function exampleReply<K extends keyof WePayHandlers & keyof typeof examples>(op: K) {
  const example = exampleOf(op);
  return { status: example.status, body: example.response } as Awaited<ReturnType<WePayHandlers[K]>>;
}

const sessionRequest = exampleOf("sessionTokensCreate").input.body;
const paymentRequest = exampleOf("paymentsCreate").input.body;
const terminalRequest = exampleOf("terminalsCreate").input.body;
const uniqueKey = exampleOf("paymentsCreate").input["Unique-Key"];

let calls = 0;
const handlers: WePayHandlers = {
  sessionTokensCreate: () => exampleReply("sessionTokensCreate"),
  sessionTokensList: () => exampleReply("sessionTokensList"),
  sessionTokensGet: () => exampleReply("sessionTokensGet"),
  sessionTokensDelete: () => exampleReply("sessionTokensDelete"),
  terminalsCreate: () => {
    calls++;
    return exampleReply("terminalsCreate");
  },
  terminalsList: () => exampleReply("terminalsList"),
  terminalsGet: () => {
    throw new Error("database password is hunter2");
  },
  terminalsUpdate: () => exampleReply("terminalsUpdate"),
  terminalsDelete: () => exampleReply("terminalsDelete"),
  paymentsCreate: () => {
    calls++;
    return exampleReply("paymentsCreate");
  },
  paymentsGet: () => exampleReply("paymentsGet"),
  paymentsList: () => exampleReply("paymentsList"),
  refundsCreate: () => exampleReply("refundsCreate"),
  refundsGet: () => exampleReply("refundsGet"),
};

let app: FastifyInstance;
beforeAll(async () => {
  // WePay ids run to 255 characters: above fastify's default maxParamLength (100).
  app = fastify({ maxParamLength: 300 });
  await registerWePay(app, handlers, {
    reject: rejectWePay,
    authenticate: wepayAuthenticator(credentials),
    bodyLimit: 4096,
  });
  await app.ready();
});
afterAll(() => app.close());

/** The answer is a valid WePay ApiError with `status` and `error_code`; returns the body. */
function expectWePayError(res: LightMyRequestResponse, status: number, errorCode: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body = res.json();
  expect(validateApiError(body), JSON.stringify(validateApiError.errors)).toBe(true);
  expect(validateApiError.warnings).toEqual([]);
  expect(body.error_code).toBe(errorCode);
  return body as { error_code: string; error_message: string; details?: Record<string, unknown>[] };
}

describe("invalid input is 400 INVALID_PARAMS with one detail per issue", () => {
  it("names a missing body field with its path in the body", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/session_tokens",
      headers,
      payload: { type: "mobile_session" },
    });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({
        target: ["mobile_session"],
        target_type: "HTTP_REQUEST_BODY",
        reason_code: "PARAM_REQUIRED",
      }),
    ]);
  });

  it("names a nested missing field by every segment of its path", async () => {
    const payload = { ...paymentRequest, payment_method: {} };
    const res = await app.inject({
      method: "POST",
      url: "/payments",
      headers: { ...headers, "unique-key": uniqueKey },
      payload,
    });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({
        target: ["payment_method", "encoded_payment_method"],
        target_type: "HTTP_REQUEST_BODY",
      }),
    ]);
  });

  it("names a field of the wrong type", async () => {
    const payload = { ...paymentRequest, amount: "2500" };
    const res = await app.inject({
      method: "POST",
      url: "/payments",
      headers: { ...headers, "unique-key": uniqueKey },
      payload,
    });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toContainEqual(
      expect.objectContaining({
        target: ["amount"],
        target_type: "HTTP_REQUEST_BODY",
        reason_code: "PARAM_TYPE_INVALID",
      }),
    );
  });

  it("names a value outside an enum of a request once (no inbound leniency)", async () => {
    const payload = { ...terminalRequest, model: "verifone_m400" };
    const res = await app.inject({ method: "POST", url: "/terminals", headers, payload });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      {
        message: 'must be one of: "verifone_p400", "verifone_v400m", "ingenico_lane3000", "xac_at170r"',
        reason_code: "PARAM_VALUE_NOT_ALLOWED",
        target: ["model"],
        target_type: "HTTP_REQUEST_BODY",
      },
    ]);
  });

  it.each([
    [
      "a nullable string given a number",
      { reference_id: 5 },
      "reference_id",
      "PARAM_TYPE_INVALID",
      "must be one of: string, null",
    ],
    [
      "a nullable object given a number",
      { custom_data: 5 },
      "custom_data",
      "PARAM_TYPE_INVALID",
      "must be one of: object, null",
    ],
    ["a nullable timestamp below zero", { capture_at: -1 }, "capture_at", "PARAM_OUT_OF_RANGE", "must be >= 0"],
    [
      "a nullable reference that is empty",
      { reference_id: "" },
      "reference_id",
      "PARAM_OUT_OF_RANGE",
      "must NOT have fewer than 1 characters",
    ],
  ])("names one problem for %s", async (_name, change, target, reasonCode, message) => {
    const payload = { ...paymentRequest, ...change };
    const res = await app.inject({
      method: "POST",
      url: "/payments",
      headers: { ...headers, "unique-key": uniqueKey },
      payload,
    });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      { message, reason_code: reasonCode, target: [target], target_type: "HTTP_REQUEST_BODY" },
    ]);
  });

  it("reports every issue of a body, not only the first", async () => {
    const payload = { ...terminalRequest, model: "verifone_m400", serial_number: "FA00332_1000138!" };
    const res = await app.inject({ method: "POST", url: "/terminals", headers, payload });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    const targets = body.details?.map((d) => (d.target as string[]).join("."));
    expect(targets).toEqual(expect.arrayContaining(["model", "serial_number"]));
  });

  it("refuses malformed JSON", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/session_tokens",
      headers,
      payload: '{"type":"mobile_session",',
    });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({ target_type: "HTTP_REQUEST_BODY", reason_code: "PARAM_MALFORMED" }),
    ]);
  });

  it("refuses a __proto__ key without calling the handler or touching Object.prototype", async () => {
    const before = calls;
    const payload = `{"__proto__":{"polluted":true},${JSON.stringify(terminalRequest).slice(1)}`;
    const res = await app.inject({ method: "POST", url: "/terminals", headers, payload });
    expectWePayError(res, 400, "INVALID_PARAMS");
    expect(calls).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses a missing body", async () => {
    const res = await app.inject({ method: "POST", url: "/session_tokens", headers });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({ target_type: "HTTP_REQUEST_BODY", reason_code: "PARAM_REQUIRED" }),
    ]);
  });

  it("names a missing required header (Unique-Key on POST /payments)", async () => {
    const before = calls;
    const res = await app.inject({ method: "POST", url: "/payments", headers, payload: paymentRequest });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({
        target: ["Unique-Key"],
        target_type: "HTTP_REQUEST_HEADER",
        reason_code: "PARAM_REQUIRED",
      }),
    ]);
    expect(calls).toBe(before);
  });

  it("names an Api-Version other than 3.0", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/terminals",
      headers: { ...headers, "api-version": "2019-04-01" },
    });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({ target: ["Api-Version"], target_type: "HTTP_REQUEST_HEADER" }),
    ]);
  });

  it.each([
    [
      "a query value outside its enum",
      "/session_tokens?state=expired",
      ["state"],
      "PARAM_VALUE_NOT_ALLOWED",
      "HTTP_REQUEST_QUERY_STRING",
    ],
    [
      "a query value over its maximum",
      "/session_tokens?page_size=500",
      ["page_size"],
      "PARAM_OUT_OF_RANGE",
      "HTTP_REQUEST_QUERY_STRING",
    ],
    [
      "one bad item of a repeated query parameter",
      "/terminals?status=active&status=retired",
      ["status", "1"],
      "PARAM_VALUE_NOT_ALLOWED",
      "HTTP_REQUEST_QUERY_STRING",
    ],
    [
      "a query value against its pattern",
      "/terminals?serial_number=FA00332_1000138",
      ["serial_number"],
      "PARAM_FORMAT_INVALID",
      "HTTP_REQUEST_QUERY_STRING",
    ],
    [
      "a path id over 255 characters",
      `/terminals/${"a".repeat(256)}`,
      ["id"],
      "PARAM_OUT_OF_RANGE",
      "HTTP_REQUEST_PATH",
    ],
  ])("names %s", async (_name, url, target, reasonCode, targetType) => {
    const res = await app.inject({ method: "GET", url, headers });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({ target, target_type: targetType, reason_code: reasonCode }),
    ]);
  });

  it("names a query parameter of the wrong type", async () => {
    const res = await app.inject({ method: "GET", url: "/session_tokens?page_size=ten", headers });
    const body = expectWePayError(res, 400, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({
        target: ["page_size"],
        target_type: "HTTP_REQUEST_QUERY_STRING",
        reason_code: "PARAM_TYPE_INVALID",
      }),
    ]);
  });
});

describe("refusals outside validation keep WePay's shape", () => {
  it("answers a body that is not application/json with 415", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/session_tokens",
      headers: { ...headers, "content-type": "text/plain" },
      payload: JSON.stringify(sessionRequest),
    });
    const body = expectWePayError(res, 415, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({ target: ["Content-Type"], target_type: "HTTP_REQUEST_HEADER" }),
    ]);
  });

  it("answers a body over bodyLimit with 413", async () => {
    const payload = { ...sessionRequest, padding: "x".repeat(5000) };
    const res = await app.inject({ method: "POST", url: "/session_tokens", headers, payload });
    const body = expectWePayError(res, 413, "INVALID_PARAMS");
    expect(body.details).toEqual([
      expect.objectContaining({ target_type: "HTTP_REQUEST_BODY", reason_code: "BODY_TOO_LARGE" }),
    ]);
  });

  it("answers an unknown route with 404 NOT_FOUND", async () => {
    const res = await app.inject({ method: "GET", url: "/accounts/0ef0dcd6-a2c6-49c4-9051-bbbe5c6c36e2", headers });
    expectWePayError(res, 404, "NOT_FOUND");
  });

  it("answers a handler failure with 500 UNEXPECTED_ERROR and no internals", async () => {
    const res = await app.inject({ method: "GET", url: "/terminals/eaf1ef26-ea2d-4be3-b990-ec2c410b54de", headers });
    expectWePayError(res, 500, "UNEXPECTED_ERROR");
    expect(res.body).not.toContain("hunter2");
  });
});

describe("App-Id and App-Token are required and checked", () => {
  const request = { method: "POST", url: "/session_tokens", payload: sessionRequest } as const;

  it("accepts the right pair", async () => {
    const res = await app.inject({ ...request, headers });
    expect(res.statusCode).toBe(200);
  });

  it.each([
    ["a missing App-Token", { "app-token": undefined }],
    ["a missing App-Id", { "app-id": undefined }],
    ["a wrong App-Token", { "app-token": "stage_app_token_secreT" }],
    ["a longer App-Token with the right prefix", { "app-token": `${credentials.appToken}x` }],
    ["a wrong App-Id", { "app-id": "654321" }],
    ["an empty App-Token", { "app-token": "" }],
  ])("refuses %s with 401 NOT_AUTHORIZED", async (_name, change) => {
    const before = calls;
    const sent: Record<string, string> = { ...headers };
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) delete sent[name];
      else sent[name] = value;
    }
    const res = await app.inject({ ...request, headers: sent });
    const body = expectWePayError(res, 401, "NOT_AUTHORIZED");
    expect(res.body).not.toContain(credentials.appToken);
    expect(body.error_message).not.toContain(credentials.appId);
    expect(calls).toBe(before);
  });

  it("checks credentials before the body, so a stranger learns nothing about validation", async () => {
    const res = await app.inject({ ...request, headers: { ...headers, "app-token": "nope" }, payload: "{" });
    expectWePayError(res, 401, "NOT_AUTHORIZED");
  });

  it("refuses to be built with an empty secret", () => {
    expect(() => wepayAuthenticator({ appId: "123456", appToken: "" })).toThrow(TypeError);
  });
});

describe("rejectWePay maps each issue to its target", () => {
  it.each([
    [
      "a path parameter",
      operations.terminalsGet,
      { path: "/id", message: "too long", keyword: "maxLength" },
      { target: ["id"], target_type: "HTTP_REQUEST_PATH", reason_code: "PARAM_OUT_OF_RANGE" },
    ],
    [
      "a query parameter",
      operations.terminalsList,
      { path: "/status", message: "bad", keyword: "enum" },
      { target: ["status"], target_type: "HTTP_REQUEST_QUERY_STRING", reason_code: "PARAM_VALUE_NOT_ALLOWED" },
    ],
    [
      "a header",
      operations.paymentsCreate,
      { path: "/Unique-Key", message: "missing", keyword: "required" },
      { target: ["Unique-Key"], target_type: "HTTP_REQUEST_HEADER", reason_code: "PARAM_REQUIRED" },
    ],
    [
      "a body field with an escaped pointer",
      operations.terminalsCreate,
      { path: "/body/a~1b/c~0d", message: "bad", keyword: "pattern" },
      { target: ["a/b", "c~d"], target_type: "HTTP_REQUEST_BODY", reason_code: "PARAM_FORMAT_INVALID" },
    ],
    [
      "an array item of the body",
      operations.terminalsCreate,
      {
        path: "/body/terminal_configuration/deferred_authorization/supported_card_entry_modes/0",
        message: "bad",
        keyword: "enum",
      },
      {
        target: ["terminal_configuration", "deferred_authorization", "supported_card_entry_modes", "0"],
        target_type: "HTTP_REQUEST_BODY",
        reason_code: "PARAM_VALUE_NOT_ALLOWED",
      },
    ],
    [
      "an undecodable query string",
      operations.terminalsList,
      { path: "/query", message: "too deep", keyword: "encoding" },
      { target_type: "HTTP_REQUEST_QUERY_STRING", reason_code: "PARAM_MALFORMED" },
    ],
  ] as const)("%s", (_name, op, issue, detail) => {
    const reply = rejectWePay({ kind: "invalid", issues: [{ ...issue }] }, op);
    expect(reply.status).toBe(400);
    expect(reply.body?.details).toEqual([{ message: issue.message, ...detail }]);
    expect(validateApiError(reply.body)).toBe(true);
  });

  it("reports the nested problems of a union member, not the branches that did not fit", () => {
    const issues = [
      { path: "/body/owner/id", message: 'missing required property "id"', keyword: "required" },
      { path: "/body/owner", message: "must be null", keyword: "type" },
      { path: "/body/owner", message: "must match a schema in anyOf", keyword: "anyOf" },
    ];
    const reply = rejectWePay({ kind: "invalid", issues }, operations.terminalsCreate);
    expect(reply.body?.details).toEqual([
      {
        message: 'missing required property "id"',
        reason_code: "PARAM_REQUIRED",
        target: ["owner", "id"],
        target_type: "HTTP_REQUEST_BODY",
      },
    ]);
  });

  it("keeps an issue it cannot place as a detail without a target type", () => {
    const reply = rejectWePay(
      { kind: "invalid", issues: [{ path: "", message: "Bad Request", keyword: "request" }] },
      undefined,
    );
    expect(reply.body?.details).toEqual([{ message: "Bad Request", reason_code: "PARAM_INVALID" }]);
  });

  it.each([
    ["unauthorized", 401, "NOT_AUTHORIZED"],
    ["not-found", 404, "NOT_FOUND"],
    ["too-large", 413, "INVALID_PARAMS"],
    ["unsupported-media-type", 415, "INVALID_PARAMS"],
    ["internal", 500, "UNEXPECTED_ERROR"],
  ] as const)("answers %s with %i %s", (kind, status, code) => {
    const reply = rejectWePay({ kind, message: "why" }, undefined);
    expect(reply.status).toBe(status);
    expect(reply.body?.error_code).toBe(code);
    expect(validateApiError(reply.body)).toBe(true);
  });
});
