import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { luhnValid, maskPan, maskPansInText, REDACTED, redact, redactHeaders } from "../src/index.js";

describe("maskPan keeps at most the first 6 and last 4 digits", () => {
  it.each([
    { given: "1234567890127890", want: "123456XXXXXX7890" },
    { given: "4111111111111111", want: "411111XXXXXX1111" },
    { given: "378282246310005", want: "378282XXXXX0005" },
    { given: "6011000990139424123", want: "601100XXXXXXXXX4123" },
    { given: "4111 1111 1111 1111", want: "4111 11XX XXXX 1111" },
    { given: "4111-1111-1111-1111", want: "4111-11XX-XXXX-1111" },
    { given: "123456789012", want: "XXXXXXXX9012" },
    { given: "1234567", want: "XXXXXXX" },
    { given: "123456XXXXXX7890", want: "123456XXXXXX7890" },
    { given: "", want: "" },
  ])("$given → $want", ({ given, want }) => {
    expect(maskPan(given)).toBe(want);
  });
});

describe("Luhn", () => {
  it.each([
    { given: "4111111111111111", want: true },
    { given: "5555555555554444", want: true },
    { given: "378282246310005", want: true },
    { given: "4111111111111112", want: false },
    { given: "4711892728946", want: false },
    { given: "41111x1111111111", want: false },
    { given: "", want: false },
  ])("$given → $want", ({ given, want }) => {
    expect(luhnValid(given)).toBe(want);
  });
});

describe("PANs in free text", () => {
  it.each([
    { given: "card 4111111111111111 declined", want: "card 411111XXXXXX1111 declined" },
    { given: "pan=5555 5555 5555 4444;", want: "pan=5555 55XX XXXX 4444;" },
    { given: "order 4111111111111112 (fails Luhn)", want: "order 4111111111111112 (fails Luhn)" },
    { given: "timestamp 1318622958", want: "timestamp 1318622958" },
    { given: "EAN 4711892728946", want: "EAN 4711892728946" },
    { given: "20 digits 41111111111111111111", want: "20 digits 41111111111111111111" },
  ])("$given", ({ given, want }) => {
    expect(maskPansInText(given)).toBe(want);
  });
});

describe("redactHeaders", () => {
  it("keeps the scheme of credentials and removes the rest", () => {
    expect(
      redactHeaders({
        Authorization: "Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "Proxy-Authorization": "Basic bG9nOnB3ZA==",
        "App-Token": "wepay-app-token",
        "App-Id": "12345",
        "Api-Version": "3.0",
        Cookie: "session=abc",
        "set-cookie": ["a=1", "b=2"],
        "X-Card": "4111111111111111",
        "Content-Type": "application/json",
        "Idempotency-Key": undefined,
      }),
    ).toEqual({
      Authorization: `Bearer ${REDACTED}`,
      "Proxy-Authorization": `Basic ${REDACTED}`,
      "App-Token": REDACTED,
      "App-Id": "12345",
      "Api-Version": "3.0",
      Cookie: REDACTED,
      "set-cookie": [REDACTED, REDACTED],
      "X-Card": "411111XXXXXX1111",
      "Content-Type": "application/json",
      "Idempotency-Key": undefined,
    });
  });

  it("redacts an OAuth header to its scheme", () => {
    expect(redactHeaders({ authorization: 'OAuth oauth_consumer_key="m", oauth_signature="x"' })).toEqual({
      authorization: `OAuth ${REDACTED}`,
    });
  });
});

describe("redact", () => {
  it("masks secrets, card-number fields and Luhn-valid runs, leaving the rest", () => {
    const given = {
      amount: 899,
      TERMINAL_MANAGER_PWD: "pwd",
      HIPAY_PWD: "Test_XXXX",
      merchant_control_key: "control-key-abc",
      control: "a04944df70a3c28b2067c8b70bdb7474491f5519",
      session_token: "stage_abc",
      client_secret: "pi_123_secret_456",
      payment_method: {
        encoded_payment_method: "opaque",
        card: { number: "4111111111111111", cvc: "123", exp_month: 12 },
      },
      pan: "5555555555554444",
      note: "customer read 4000056655665556 aloud",
      basket: { european_article_numbering: 4711892728946 },
      list: [{ password: "p" }, "6011000990139424"],
      unset: null,
    };
    expect(redact(given)).toEqual({
      amount: 899,
      TERMINAL_MANAGER_PWD: REDACTED,
      HIPAY_PWD: REDACTED,
      merchant_control_key: REDACTED,
      control: REDACTED,
      session_token: REDACTED,
      client_secret: REDACTED,
      payment_method: {
        encoded_payment_method: REDACTED,
        card: { number: "411111XXXXXX1111", cvc: REDACTED, exp_month: 12 },
      },
      pan: "555555XXXXXX4444",
      note: "customer read 400005XXXXXX5556 aloud",
      basket: { european_article_numbering: 4711892728946 },
      list: [{ password: REDACTED }, "601100XXXXXX9424"],
      unset: null,
    });
    // The input is untouched.
    expect(given.pan).toBe("5555555555554444");
  });

  it("leaves the HiPay seed response unchanged but for nothing secret (its PAN is already masked)", () => {
    const seed = JSON.parse(
      readFileSync(new URL("./fixtures/hipay-ecr-payment-response.seed003.json", import.meta.url), "utf8"),
    );
    expect(redact(seed)).toEqual(seed);
  });

  it("accepts extra keys, survives cycles and bounds depth", () => {
    const cyclic: Record<string, unknown> = { merchant_ref: "m-1" };
    cyclic.self = cyclic;
    expect(redact(cyclic, { extraKeys: ["merchant-ref"] })).toEqual({ merchant_ref: REDACTED, self: "[Circular]" });
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    expect(JSON.stringify(redact(deep, { maxDepth: 3 }))).toBe('{"next":{"next":{"next":"[Truncated]"}}}');
  });

  it("keeps a __proto__ key as data, never as a prototype", () => {
    const given = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    const out = redact(given) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(["__proto__", "a"]);
  });
});
