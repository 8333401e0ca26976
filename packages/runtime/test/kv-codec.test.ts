import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodecError, decodeKv, encodeKv } from "../src/index.js";

function codecError(run: () => unknown): CodecError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return error as CodecError;
  }
  throw new Error("expected a CodecError");
}

describe("kv: Payneteasy response bodies decode", () => {
  it.each([
    {
      name: "async-response, each pair ending in \\n",
      given:
        "type=async-response\n&status=processing\n&paynet-order-id=123\n&merchant-order-id=Order_12345\n&serial-number=00000000-0000-0000-0000-000002d1a6e1\n",
      want: {
        type: "async-response",
        status: "processing",
        "paynet-order-id": "123",
        "merchant-order-id": "Order_12345",
        "serial-number": "00000000-0000-0000-0000-000002d1a6e1",
      },
    },
    {
      name: "\\r\\n line ends",
      given: "type=status-response\r\n&status=approved\r\n&approval-code=242805\r\n",
      want: { type: "status-response", status: "approved", "approval-code": "242805" },
    },
    {
      name: "no trailing newline",
      given: "type=validation-error\n&error-message=Invalid+amount%3A+0.00\n&error-code=2",
      want: { type: "validation-error", "error-message": "Invalid amount: 0.00", "error-code": "2" },
    },
    { name: "empty value", given: "type=error\n&error-message=\n", want: { type: "error", "error-message": "" } },
    { name: "empty body", given: "", want: {} },
    { name: "value containing '='", given: "receipt-id=a%3Db=c\n", want: { "receipt-id": "a=b=c" } },
  ])("$name", ({ given, want }) => {
    const decoded = decodeKv(given);
    expect({ ...decoded }).toEqual(want);
    expect(Object.getPrototypeOf(decoded)).toBeNull();
  });
});

describe("kv: encode writes pairs joined by & and ending in \\n", () => {
  it.each([
    {
      given: { type: "async-response", status: "processing", "paynet-order-id": 123 },
      want: "type=async-response\n&status=processing\n&paynet-order-id=123\n",
    },
    {
      given: { "error-message": "Invalid amount: 0.00 & more" },
      want: "error-message=Invalid+amount%3A+0.00+%26+more\n",
    },
    { given: { a: "1", skipped: undefined }, want: "a=1\n" },
    { given: {}, want: "" },
  ])("$want", ({ given, want }) => {
    expect(encodeKv(given)).toBe(want);
  });

  it("refuses values that cannot be written", () => {
    expect(codecError(() => encodeKv({ amount: Number.NaN })).reason).toBe("invalid_value");
    expect(codecError(() => encodeKv({ "": "x" })).reason).toBe("invalid_value");
    expect(codecError(() => encodeKv({ text: "\ud800" })).reason).toBe("invalid_value");
  });
});

describe("kv: decode ∘ encode = identity", () => {
  it("holds for arbitrary keys and values", () => {
    const key = fc
      .string({ minLength: 1, maxLength: 10 })
      .filter((k) => !["__proto__", "constructor", "prototype"].includes(k));
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ maxLength: 30 }), { maxKeys: 10 }), (record) => {
        expect({ ...decodeKv(encodeKv(record)) }).toEqual(record);
      }),
      { numRuns: 300 },
    );
  });
});

describe("kv: malformed bodies are a CodecError", () => {
  it.each([
    { given: "type=async-response\n&garbage\n", reason: "syntax" },
    { given: "=value", reason: "syntax" },
    { given: "status=%E0%A4%A", reason: "syntax" },
    { given: "status=a&status=b", reason: "duplicate" },
    { given: "__proto__=x", reason: "forbidden_key" },
  ])("$given → $reason", ({ given, reason }) => {
    expect(codecError(() => decodeKv(given)).reason).toBe(reason);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("bounds size and pair count", () => {
    expect(codecError(() => decodeKv("a=1&b=2&c=3", { maxPairs: 2 })).reason).toBe("too_many");
    expect(codecError(() => decodeKv(`a=${"x".repeat(100)}`, { maxBytes: 10 })).reason).toBe("too_large");
  });
});
