// Given the fixture spec and its JSON Schema, want build-time ajv validators: type guards with
// JSON-pointer issues, and warnings (not errors) for unknown enum values in inbound messages.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { compile, NodeHost } from "@typespec/compiler";
import { beforeAll, describe, expect, it } from "vitest";
import { createValidator } from "../../../packages/runtime/src/validation/issues.js";
import { openEnums } from "../src/artifacts/validators.js";
import { main } from "../src/cli.js";

const fixture = join(import.meta.dirname, "fixture");
const out = join(import.meta.dirname, ".out", "validators");

// biome-ignore lint/suspicious/noExplicitAny: generated module, loaded dynamically
let standalone: any;
// biome-ignore lint/suspicious/noExplicitAny: generated module, loaded dynamically
let standaloneForm: any;
beforeAll(async () => {
  await rm(out, { recursive: true, force: true });
  const program = await compile(NodeHost, join(fixture, "shop", "main.tsp"), {
    emit: ["@typespec/json-schema", "@typespec/openapi3"],
    options: {
      "@typespec/openapi3": {
        "emitter-output-dir": join(out, "schemas", "shop"),
        "openapi-versions": ["3.1.0"],
        "output-file": "openapi.yaml",
      },
      "@typespec/json-schema": {
        "emitter-output-dir": join(out, "schemas", "shop"),
        bundleId: "shop.schema.json",
        "file-type": "json",
        "int64-strategy": "number",
      },
    },
  });
  expect(program.diagnostics).toEqual([]);
  expect(
    await main(["shop", "validators", "--specs", fixture, "--schema-dir", join(out, "schemas")], join(out, "pkg")),
  ).toBe(0);
  standalone = await import(join(out, "pkg", "src", "gen", "standalone.gen.ts"));
  standaloneForm = await import(join(out, "pkg", "src", "gen", "standalone-form.gen.ts"));
});

describe("openEnums", () => {
  it.each([
    [{ type: "string", enum: ["a", "b"] }, { type: "string" }],
    [
      {
        anyOf: [
          { type: "string", const: "a" },
          { type: "string", const: "b" },
        ],
        description: "d",
      },
      { type: "string", description: "d" },
    ],
    [{ properties: { k: { const: 1 } } }, { properties: { k: { type: "number" } } }],
    [
      { type: "object", properties: { x: { type: "integer" } } },
      { type: "object", properties: { x: { type: "integer" } } },
    ],
  ])("%j → %j", (given, want) => {
    expect(openEnums(given)).toEqual(want);
  });
});

describe("validators generator", () => {
  const item = { id: "i1", price: 100, color: "green", tags: {}, note: null };

  it("accepts a valid message", () => {
    const v = createValidator(standalone.v_Item);
    expect(v(item)).toBe(true);
    expect(v.errors).toEqual([]);
  });

  it("reports a missing required property at its own path", () => {
    const v = createValidator(standalone.v_Item);
    const { id: _drop, ...broken } = item;
    expect(v(broken)).toBe(false);
    expect(v.errors).toContainEqual({ path: "/id", message: 'missing required property "id"', keyword: "required" });
  });

  it("rejects a wrong type with its JSON pointer", () => {
    const v = createValidator(standalone.v_Item);
    expect(v({ ...item, price: "ten" })).toBe(false);
    expect(v.errors.map((e) => e.path)).toContain("/price");
  });

  it("rejects an unknown enum value in a message we send", () => {
    const v = createValidator(standalone.v_Item);
    expect(v({ ...item, size: "XL" })).toBe(false);
  });

  it("compiles a parameter validator per operation from the OpenAPI parameters", () => {
    const v = createValidator(standalone.p_listItems);
    expect(v({ limit: 5 })).toBe(true);
    expect(v({ limit: "five" })).toBe(false);
    expect(v.errors.map((e) => e.path)).toEqual(["/limit"]);
  });

  it("resolves a parameter whose schema is a named scalar", () => {
    const v = createValidator(standalone.p_getItem);
    expect(v({ id: "i42" })).toBe(true);
    expect(v({ id: "x" })).toBe(false);
  });

  it("coerces a form body's text leaves to the schema's types, in place", () => {
    const v = createValidator(standaloneForm.f_Item);
    const body = { id: "i1", price: "100", color: "red", tags: { a: "b" }, note: "n" };
    expect(v(body)).toBe(true);
    expect(body.price).toBe(100);
    expect(v({ ...body, price: "ten" })).toBe(false);
  });

  it("compiles a lenient twin only for inbound messages", () => {
    expect(standalone.l_DeviceEvent).toBeTypeOf("function");
    expect(standalone.l_Item).toBeUndefined();
  });

  it("accepts an unknown enum value from a device with a warning", () => {
    const v = createValidator(standalone.v_DeviceEvent, standalone.l_DeviceEvent);
    expect(v({ kind: "tapped", slot: "S" })).toBe(true);
    expect(v.warnings.map((w) => w.path)).toContain("/kind");
  });

  it("still rejects a wrong type from a device", () => {
    const v = createValidator(standalone.v_DeviceEvent, standalone.l_DeviceEvent);
    expect(v({ kind: 3, slot: "S" })).toBe(false);
    expect(v.errors.map((e) => e.path)).toContain("/kind");
  });
});

describe("esmRequires", () => {
  it("gives ajv's CommonJS requires a module-level require in an ES module", async () => {
    const { esmRequires } = await import("../src/artifacts/validators.js");
    const given = 'const a = require("ajv/dist/runtime/ucs2length").default;';
    expect(esmRequires(given)).toBe(
      `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${given}`,
    );
    expect(esmRequires("const x = 1;")).toBe("const x = 1;");
  });

  it("works under this test runner's module interop too (maxLength uses ucs2length)", () => {
    const v = createValidator(standalone.v_Item);
    expect(v({ id: "i1", price: 1, color: "red", tags: {}, note: null, "serial-number": "x" })).toBe(true);
  });
});
