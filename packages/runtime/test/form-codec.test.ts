import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodecError, decodeForm, encodeForm, type FormObject } from "../src/index.js";

function codecError(run: () => unknown): CodecError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return error as CodecError;
  }
  throw new Error("expected a CodecError");
}

describe("form: encodes as Stripe's Node client does (qs indices, literal brackets)", () => {
  it.each([
    { name: "nested metadata", given: { metadata: { order: 42 } }, want: "metadata[order]=42" },
    { name: "expand list", given: { expand: ["location", "action"] }, want: "expand[0]=location&expand[1]=action" },
    {
      name: "array of objects",
      given: { line_items: [{ price: "price_1", quantity: 2 }] },
      want: "line_items[0][price]=price_1&line_items[0][quantity]=2",
    },
    {
      name: "space and reserved characters",
      given: { description: "Café & co +1" },
      want: "description=Caf%C3%A9%20%26%20co%20%2B1",
    },
    { name: "booleans", given: { fail_if_in_use: true }, want: "fail_if_in_use=true" },
    { name: "null unsets (empty value)", given: { metadata: { order: null } }, want: "metadata[order]=" },
    { name: "undefined is skipped", given: { a: "1", b: undefined }, want: "a=1" },
    { name: "dates as Unix seconds", given: { created: new Date(1_700_000_000_999) }, want: "created=1700000000" },
  ])("$name", ({ given, want }) => {
    expect(encodeForm(given)).toBe(want);
  });

  it("writes expand[]=x with arrayFormat brackets", () => {
    expect(encodeForm({ expand: ["a", "b"] }, { arrayFormat: "brackets" })).toBe("expand[]=a&expand[]=b");
  });
});

describe("form: decodes both array notations", () => {
  it.each([
    { given: "expand[0]=location&expand[1]=action", want: { expand: ["location", "action"] } },
    { given: "expand[]=location&expand[]=action", want: { expand: ["location", "action"] } },
    { given: "expand%5B%5D=location", want: { expand: ["location"] } },
    { given: "metadata[order]=42&amount=899", want: { metadata: { order: "42" }, amount: "899" } },
    { given: "description=Caf%C3%A9+%26+co", want: { description: "Café & co" } },
    { given: "a[0][b]=1&a[0][c]=2&a[1][b]=3", want: { a: [{ b: "1", c: "2" }, { b: "3" }] } },
    { given: "", want: {} },
  ])("$given", ({ given, want }) => {
    expect(decodeForm(given)).toEqual(want);
  });

  it("returns null-prototype objects", () => {
    const decoded = decodeForm("a[b]=1");
    expect(Object.getPrototypeOf(decoded)).toBeNull();
    expect(Object.getPrototypeOf(decoded.a)).toBeNull();
  });
});

describe("form: decode ∘ encode = identity", () => {
  const key = fc
    .string({ minLength: 1, maxLength: 8 })
    .filter((k) => !/[[\]]/.test(k) && !["__proto__", "constructor", "prototype"].includes(k));
  const leaf = fc.string({ maxLength: 12 });
  const tree = fc.letrec<{ node: FormObject[string]; object: FormObject }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      tie("object"),
      fc.array(tie("node"), { minLength: 1, maxLength: 3 }),
    ),
    object: fc.dictionary(key, tie("node"), { minKeys: 1, maxKeys: 4 }),
  }));

  it("holds for nested objects, arrays and arbitrary strings", () => {
    fc.assert(
      fc.property(tree.object, (value) => {
        // Arrays holding arrays need indices to round-trip; keep to what Stripe sends: no empty containers.
        fc.pre(!hasNestedArrayOrEmpty(value));
        expect(decodeForm(encodeForm(value))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it("holds for a Stripe reader request", () => {
    const given = {
      registration_code: "simulated-wpe",
      label: "Front desk #1",
      location: "tml_1234",
      metadata: { store: "Opéra", lane: "3" },
      expand: ["location"],
    };
    expect(decodeForm(encodeForm(given))).toEqual(given);
  });
});

function hasNestedArrayOrEmpty(value: unknown, inArray = false): boolean {
  if (typeof value === "string") return false;
  if (Array.isArray(value))
    return inArray || value.length === 0 || value.some((item) => hasNestedArrayOrEmpty(item, true));
  const entries = Object.entries(value as object);
  return entries.length === 0 || entries.some(([k, v]) => /^\d+$/.test(k) || hasNestedArrayOrEmpty(v));
}

describe("form: __proto__ never pollutes Object.prototype", () => {
  it.each([
    "__proto__[polluted]=yes",
    "a[__proto__][polluted]=yes",
    "constructor[prototype][polluted]=yes",
    "%5F%5Fproto%5F%5F[polluted]=yes",
    "a=1&__proto__=x",
  ])("%s is refused", (given) => {
    expect(codecError(() => decodeForm(given)).reason).toBe("forbidden_key");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("form: limits", () => {
  it("refuses nesting deeper than maxDepth", () => {
    expect(codecError(() => decodeForm("a[b][c][d][e][f][g][h][i][j]=1")).reason).toBe("too_deep");
    expect(decodeForm("a[b][c]=1", { maxDepth: 2 })).toEqual({ a: { b: { c: "1" } } });
  });

  it("refuses more parameters than maxParameters", () => {
    const body = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join("&");
    expect(codecError(() => decodeForm(body, { maxParameters: 10 })).reason).toBe("too_many");
  });

  it("refuses array indices beyond maxArrayLength", () => {
    expect(codecError(() => decodeForm("a[500]=x", { maxArrayLength: 100 })).reason).toBe("too_many");
  });

  it("refuses bodies over maxBytes", () => {
    expect(codecError(() => decodeForm(`a=${"x".repeat(100)}`, { maxBytes: 50 })).reason).toBe("too_large");
  });
});
