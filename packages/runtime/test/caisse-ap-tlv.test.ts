import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodecError, decodeTlv, encodeTlv } from "../src/index.js";

function codecError(run: () => unknown): CodecError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return error as CodecError;
  }
  throw new Error("expected a CodecError");
}

describe("Caisse-AP TLV: tag(2) length(3 digits) value", () => {
  const payment = [
    { tag: "CZ", value: "0300" },
    { tag: "CJ", value: "012345678901" },
    { tag: "CA", value: "01" },
    { tag: "CB", value: "899" },
    { tag: "CD", value: "0" },
    { tag: "CE", value: "978" },
  ];
  const paymentText = "CZ0040300CJ012012345678901CA00201CB003899CD0010CE003978";

  it("encodes a payment request, version first, in the order given", () => {
    expect(encodeTlv(payment)).toBe(paymentText);
  });

  it("decodes an answer, keeping order", () => {
    expect(decodeTlv("CZ0040300AE00210AF00200CC003001AC006123456AA016123456XXXXXX7890")).toEqual([
      { tag: "CZ", value: "0300" },
      { tag: "AE", value: "10" },
      { tag: "AF", value: "00" },
      { tag: "CC", value: "001" },
      { tag: "AC", value: "123456" },
      { tag: "AA", value: "123456XXXXXX7890" },
    ]);
  });

  it("decode ∘ encode = identity", () => {
    expect(decodeTlv(encodeTlv(payment))).toEqual(payment);
    expect(decodeTlv(Buffer.from(paymentText, "latin1"))).toEqual(payment);
    const field = fc.record({
      tag: fc.stringMatching(/^[A-Z0-9]{2}$/),
      value: fc.string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 40,
      }),
    });
    fc.assert(
      fc.property(fc.array(field, { maxLength: 10 }), (fields) => {
        expect(decodeTlv(encodeTlv(fields))).toEqual(fields);
      }),
    );
  });

  it.each([
    { name: "a truncated header", given: "CZ00", reason: "invalid_length" },
    { name: "a value past the end", given: "CZ0100300", reason: "invalid_length" },
    { name: "a non-digit length", given: "CZ0x40300", reason: "syntax" },
    { name: "a bad tag", given: "c?0040300", reason: "syntax" },
  ])("decode refuses $name", ({ given, reason }) => {
    expect(codecError(() => decodeTlv(given)).reason).toBe(reason);
  });

  it.each([
    { name: "a three-character tag", given: [{ tag: "CZZ", value: "1" }], reason: "invalid_value" },
    { name: "a value over 999 characters", given: [{ tag: "CZ", value: "x".repeat(1000) }], reason: "invalid_length" },
    { name: "a control character", given: [{ tag: "CZ", value: "a\u0002" }], reason: "invalid_value" },
  ])("encode refuses $name", ({ given, reason }) => {
    expect(codecError(() => encodeTlv(given)).reason).toBe(reason);
  });

  it("bounds the field count", () => {
    expect(codecError(() => decodeTlv("CA0011".repeat(5), { maxFields: 4 })).reason).toBe("too_many");
  });
});
