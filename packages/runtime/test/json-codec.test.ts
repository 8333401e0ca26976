import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodecError, decodeJson, encodeJson } from "../src/index.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

function codecError(run: () => unknown): CodecError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return error as CodecError;
  }
  throw new Error("expected a CodecError");
}

describe("json: decode ∘ encode = identity", () => {
  it.each([
    { name: "HiPay ECR payment request (seed 003)", file: "hipay-ecr-payment-request.seed003.json" },
    { name: "HiPay ECR payment response (seed 003)", file: "hipay-ecr-payment-response.seed003.json" },
  ])("$name", ({ file }) => {
    const text = fixture(file);
    const value = decodeJson(text);
    expect(value).toEqual(JSON.parse(text));
    expect(decodeJson(encodeJson(value))).toEqual(value);
  });

  it("keeps the seed's values exactly (receipt amounts stay strings, PAN stays masked)", () => {
    const [response] = decodeJson(fixture("hipay-ecr-payment-response.seed003.json")) as unknown as [
      { receipt: Record<string, string>; basket: Record<string, number>; error: null },
    ];
    expect(response.receipt.amount).toBe("00000899");
    expect(response.receipt.primaryAccountNumber).toBe("123456XXXXXX7890");
    expect(response.basket.unit_price).toBe(8.99);
    expect(response.error).toBeNull();
  });

  it("holds for arbitrary JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = encodeJson(value);
        // fast-check draws `__proto__`/`constructor`/`prototype` keys too: those are refused, always.
        if (hasForbiddenKey(value)) {
          expect(() => decodeJson(text)).toThrow(expect.objectContaining({ reason: "forbidden_key" }));
          return;
        }
        // JSON has no -0: it encodes as 0.
        const normalised = JSON.parse(text);
        expect(decodeJson(text)).toEqual(normalised);
      }),
      { numRuns: 300 },
    );
  });

  it("accepts UTF-8 bytes and a leading BOM", () => {
    expect(decodeJson(new TextEncoder().encode('{"name":"Café"}'))).toEqual({ name: "Café" });
    expect(decodeJson('\uFEFF{"a":1}')).toEqual({ a: 1 });
  });
});

describe("json: no prototype pollution", () => {
  it.each([
    { given: '{"__proto__":{"polluted":true}}', path: "$.__proto__" },
    { given: '{"a":{"constructor":{"prototype":{"polluted":true}}}}', path: "$.a.constructor" },
    { given: '[{"ok":1},{"prototype":1}]', path: "$[1].prototype" },
  ])("refuses $given at $path", ({ given, path }) => {
    const error = codecError(() => decodeJson(given));
    expect(error.reason).toBe("forbidden_key");
    expect(error.path).toBe(path);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });
});

describe("json: limits", () => {
  it("refuses nesting deeper than maxDepth before parsing, with the offset", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const error = codecError(() => decodeJson(deep));
    expect(error.reason).toBe("too_deep");
    expect(error.offset).toBe(64);
    expect(decodeJson("[[[1]]]", { maxDepth: 3 })).toEqual([[[1]]]);
    expect(codecError(() => decodeJson("[[[1]]]", { maxDepth: 2 })).reason).toBe("too_deep");
  });

  it("ignores brackets inside strings when measuring depth", () => {
    expect(decodeJson(`{"a":"${"[".repeat(200)}\\"{{"}`)).toEqual({ a: `${"[".repeat(200)}"{{` });
  });

  it("refuses input over maxBytes, counting UTF-8 bytes", () => {
    expect(codecError(() => decodeJson(`"${"x".repeat(100)}"`, { maxBytes: 50 })).reason).toBe("too_large");
    expect(codecError(() => decodeJson('"éééé"', { maxBytes: 8 })).reason).toBe("too_large");
    expect(codecError(() => decodeJson(new Uint8Array(51), { maxBytes: 50 })).reason).toBe("too_large");
  });
});

describe("json: malformed input is a CodecError with an offset", () => {
  it.each([
    { given: '{"a":1,}', offset: 7 },
    { given: '{"a" 1}', offset: 5 },
  ])("$given", ({ given, offset }) => {
    const error = codecError(() => decodeJson(given));
    expect(error.reason).toBe("syntax");
    expect(error.offset).toBe(offset);
  });

  it.each(["", "{", "nul", "'a'", "[1,2", "\u0000"])("%j", (given) => {
    expect(codecError(() => decodeJson(given)).reason).toBe("syntax");
  });

  it("refuses bytes that are not UTF-8", () => {
    expect(codecError(() => decodeJson(new Uint8Array([0x22, 0xff, 0x22]))).reason).toBe("syntax");
  });
});

describe("json: encode refuses what JSON cannot hold", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  it.each([
    { name: "BigInt", given: { n: 1n } },
    { name: "a cycle", given: cyclic },
    { name: "undefined", given: undefined },
  ])("$name", ({ given }) => {
    expect(codecError(() => encodeJson(given)).reason).toBe("invalid_value");
  });
});

function hasForbiddenKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (value === null || typeof value !== "object") return false;
  return Object.keys(value).some(
    (k) =>
      k === "__proto__" ||
      k === "constructor" ||
      k === "prototype" ||
      hasForbiddenKey((value as Record<string, unknown>)[k]),
  );
}
