// Generated validators report issues with JSON pointers, and an unknown enum value in a message a
// vendor sends is one warning, not one per known member.
import { describe, expect, it } from "vitest";
import { type CompiledValidate, createValidator, formatIssues, toIssues, valueAt } from "../src/validation/issues.js";

function compiled(check: (v: unknown) => boolean, errors: CompiledValidate["errors"]): CompiledValidate {
  const fn = ((v: unknown) => {
    const ok = check(v);
    fn.errors = ok ? null : errors;
    return ok;
  }) as CompiledValidate;
  return fn;
}

describe("toIssues", () => {
  it("points a missing property at itself and escapes the pointer", () => {
    expect(toIssues([{ instancePath: "/a~1b", keyword: "required", params: { missingProperty: "x/y" } }])).toEqual([
      { path: "/a~1b/x~1y", message: 'missing required property "x/y"', keyword: "required" },
    ]);
  });
  it("formats one line per issue", () => {
    expect(
      formatIssues([
        { path: "", message: "must be object", keyword: "type" },
        { path: "/n", message: "must be number", keyword: "type" },
      ]),
    ).toBe("/: must be object\n/n: must be number");
  });
});

describe("valueAt", () => {
  it.each([
    ["", { a: 1 }, { a: 1 }],
    ["/a/0/b", { a: [{ b: "x" }] }, "x"],
    ["/a~1b", { "a/b": 2 }, 2],
    ["/__proto__", {}, undefined],
  ])("%s", (pointer, root, want) => {
    expect(valueAt(root, pointer)).toEqual(want);
  });
});

describe("createValidator", () => {
  const knownStatus = (v: unknown) => ["online", "offline"].includes((v as { status?: string }).status ?? "");
  const strict = compiled(knownStatus, [
    { instancePath: "/status", keyword: "const", params: { allowedValue: "online" } },
    { instancePath: "/status", keyword: "const", params: { allowedValue: "offline" } },
    { instancePath: "/status", keyword: "anyOf", message: "must match a schema in anyOf" },
  ]);
  const lenient = compiled(
    (v) => typeof (v as { status?: unknown }).status === "string",
    [{ instancePath: "/status", keyword: "type", message: "must be string" }],
  );

  it("accepts an unknown value from a vendor with exactly one warning at its path", () => {
    const v = createValidator<{ status: string }>(strict, lenient);
    expect(v({ status: "sleeping" })).toBe(true);
    expect(v.warnings).toEqual([
      { path: "/status", keyword: "enum", message: 'unknown value "sleeping" (newer than the spec: accepted)' },
    ]);
  });

  it("names only the unknown value, not the union that holds it", () => {
    const nested = compiled(
      () => false,
      [
        { instancePath: "/action/status", keyword: "const", params: { allowedValue: "succeeded" } },
        { instancePath: "/action", keyword: "anyOf", message: "must match a schema in anyOf" },
      ],
    );
    const v = createValidator<unknown>(
      nested,
      compiled(() => true, null),
    );
    expect(v({ action: { status: "waiting" } })).toBe(true);
    expect(v.warnings.map((w) => w.path)).toEqual(["/action/status"]);
  });

  it("rejects what even the lenient schema refuses, with the lenient issues", () => {
    const v = createValidator<{ status: string }>(strict, lenient);
    expect(v({ status: 3 })).toBe(false);
    expect(v.errors).toEqual([{ path: "/status", message: "must be string", keyword: "type" }]);
    expect(v.warnings).toEqual([]);
  });

  it("without a lenient twin, an unknown value is an error", () => {
    const v = createValidator<{ status: string }>(strict);
    expect(v.check({ status: "sleeping" }).valid).toBe(false);
  });
});
