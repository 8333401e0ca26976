// Small given/want tables for the pieces of a Stripe error: bracketed parameter names, masked
// keys, and the error chosen for a validation issue.
import { describe, expect, it } from "vitest";
import { docUrlOf, invalidRequest, maskKey, rejectStripe, stripeAuthenticator, stripeParam } from "../src/index.js";

describe("stripeParam: JSON Pointer → Stripe's bracket notation", () => {
  it.each([
    ["/registration_code", "registration_code"],
    ["/metadata/order", "metadata[order]"],
    ["/expand/0", "expand[0]"],
    ["/cart/line_items/1/amount", "cart[line_items][1][amount]"],
    ["/tipping/eur/fixed_amounts/2", "tipping[eur][fixed_amounts][2]"],
    ["/metadata/a~1b", "metadata[a/b]"],
    ["/metadata/a~0b", "metadata[a~b]"],
    ["", ""],
  ])("%s → %s", (pointer, param) => {
    expect(stripeParam(pointer)).toBe(param);
  });
});

describe("maskKey: a refused key is never echoed whole", () => {
  it.each([
    ["sk_test_51NfZlvSomebodyElsesKey9876abcd", "sk_test_****abcd"],
    ["sk_live_51NfZlvSomebodyElsesKey9876wxyz", "sk_live_****wxyz"],
    ["rk_test_51NfZlvRestrictedKey1234", "rk_test_****1234"],
    ["sk_test_short", "sk_test_****"],
    ["abc", "****"],
    ["sk_test_<script>alert(1)</script>xxxxxxxx", "sk_test_****"],
  ])("%s → %s", (key, masked) => {
    expect(maskKey(key)).toBe(masked);
  });
});

describe("invalidRequest: the first issue decides code and param", () => {
  it("prefers a concrete issue over the anyOf summary ajv adds for unions", () => {
    const error = invalidRequest(
      [
        { path: "/body/metadata", message: "must match a schema in anyOf", keyword: "anyOf" },
        { path: "/body/metadata/order", message: "must be string", keyword: "type" },
      ],
      undefined,
      { metadata: { order: { id: "1" } } },
    );
    expect(error).toMatchObject({
      code: "parameter_invalid_string",
      param: "metadata[order]",
      message: 'Invalid string: {"id":"1"}',
    });
  });

  it("an invalid boolean has Stripe's wording and no code (Stripe has none for it)", () => {
    const error = invalidRequest(
      [{ path: "/body/customer_consent_collected", message: "must be boolean", keyword: "type" }],
      undefined,
      {
        customer_consent_collected: "yes",
      },
    );
    expect(error).toEqual({
      type: "invalid_request_error",
      message: "Invalid boolean: yes",
      param: "customer_consent_collected",
    });
  });

  it("an unknown parameter is parameter_unknown", () => {
    const error = invalidRequest(
      [{ path: "/body/colour", message: "unknown property", keyword: "additionalProperties" }],
      undefined,
    );
    expect(error).toMatchObject({ code: "parameter_unknown", param: "colour", doc_url: docUrlOf("parameter_unknown") });
  });

  it("a fastify-level refusal without a path has no param", () => {
    const error = invalidRequest([{ path: "", message: "Bad Request", keyword: "request" }], undefined);
    expect(error.type).toBe("invalid_request_error");
    expect(error.param).toBeUndefined();
  });
});

describe("rejectStripe: status per reason", () => {
  it.each([
    [{ kind: "unauthorized", message: "Invalid API Key provided: sk_test_****abcd" }, 401, "invalid_request_error"],
    [
      { kind: "not-found", message: "no route GET /v1/nope", method: "GET", url: "/v1/nope" },
      404,
      "invalid_request_error",
    ],
    [{ kind: "too-large", message: "body over 10 bytes" }, 413, "invalid_request_error"],
    [{ kind: "unsupported-media-type", message: "content-type text/plain" }, 415, "invalid_request_error"],
    [{ kind: "internal", message: "Error: secret stack" }, 500, "api_error"],
  ] as const)("%o → %i %s", (reason, status, type) => {
    const reply = rejectStripe(reason, undefined);
    expect(reply.status).toBe(status);
    expect(reply.body?.error.type).toBe(type);
    expect(JSON.stringify(reply.body)).not.toContain("secret stack");
  });
});

describe("stripeAuthenticator", () => {
  it("refuses an empty configuration at start-up", () => {
    expect(() => stripeAuthenticator({ keys: [] })).toThrow(TypeError);
    expect(() => stripeAuthenticator({ secretKey: "" })).toThrow(TypeError);
  });

  it("accepts any of several keys (rotation)", async () => {
    const check = stripeAuthenticator({ keys: ["sk_test_old0000000000000000", "sk_test_new1111111111111111"] });
    const request = (key: string) => ({ headers: { authorization: `Bearer ${key}` } }) as never;
    expect(await check(request("sk_test_old0000000000000000"), undefined as never, undefined)).toBeUndefined();
    expect(await check(request("sk_test_new1111111111111111"), undefined as never, undefined)).toBeUndefined();
    expect(await check(request("sk_test_neither22222222222"), undefined as never, undefined)).toMatchObject({
      kind: "unauthorized",
    });
  });
});
