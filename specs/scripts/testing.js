// @ts-check
/**
 * Shared checks for generated packages: every example payload a protocol's spec carries must
 * pass that message's generated validator, and every hand-made invalid variant must fail it.
 * Used by packages/<protocol>/validators/test.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { collectExamples, createValidator } from "./examples.js";
import { specsDir } from "./schemas.js";

/**
 * @param {string} protocol
 * @param {Record<string, unknown>} validators the validators package's exports (`validateX`)
 */
export function describeValidatorsAgainstSpec(protocol, validators) {
  const fns = /** @type {Record<string, ((v: unknown) => boolean) & { errors: unknown[] }>} */ (validators);
  const byModel = collectExamples(protocol).filter((e) => "$ref" in e.schema);
  /** @type {{ why: string, schema: string, value: unknown }[]} */
  const invalidFile = join(specsDir, protocol, "examples", "invalid.json");
  const invalid = existsSync(invalidFile) ? JSON.parse(readFileSync(invalidFile, "utf8")) : [];

  describe(`${protocol} validators against the spec's examples`, () => {
    it("loads under plain Node (no bundler, no require shim)", () => {
      const entry = join(process.cwd(), "dist", "index.js");
      const r = spawnSync(
        process.execPath,
        ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(entry).href)})`],
        { encoding: "utf8" },
      );
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      // Spawning node and compiling every validator takes seconds on a loaded 2-core machine; nothing is timed.
    }, 60_000);
    it("has a validator for every model with an example", () => {
      expect(byModel.length).toBeGreaterThan(0);
      for (const e of byModel) {
        const name = /** @type {string} */ (/** @type {any} */ (e.schema).$ref).replace(/\.json$/, "");
        expect(fns[`validate${name}`], `validate${name}`).toBeTypeOf("function");
      }
    });
    it.each(byModel.map((e) => [e.where, e]))("%s passes", (_w, e) => {
      const name = /** @type {any} */ (e).schema.$ref.replace(/\.json$/, "");
      const fn = fns[`validate${name}`];
      expect(fn?.(/** @type {any} */ (e).value), JSON.stringify(fn?.errors)).toBe(true);
    });
    // A message a terminal or vendor sends may carry an enum value newer than the spec: that one
    // is accepted with a warning (vendors add values over time); everything else is rejected.
    it.each(invalid.map((/** @type {any} */ c) => [`${c.schema}: ${c.why}`, c]))("rejects or warns on %s", (_n, c) => {
      const fn = /** @type {any} */ (fns[`validate${/** @type {any} */ (c).schema}`]);
      expect(fn, `validate${/** @type {any} */ (c).schema}`).toBeTypeOf("function");
      if (fn(/** @type {any} */ (c).value)) {
        expect(fn.warnings.length, "accepted without a warning").toBeGreaterThan(0);
        for (const w of fn.warnings) expect(["enum", "const", "anyOf"]).toContain(w.keyword);
      } else {
        expect(fn.errors.length).toBeGreaterThan(0);
      }
    });
  });
}

/**
 * The enums a types package exports as values (`export const Result = { Success: "Success" }`)
 * must list exactly the values the JSON Schema allows for the same declaration.
 * @param {string} protocol
 * @param {Record<string, unknown>} types the types package's exports
 */
export function describeTypesAgainstSpec(protocol, types) {
  const { bundle } = createValidator(protocol);
  // Enums are the object exports; frame layouts (`XFrame`, with `fields`) are the other kind.
  const enums = Object.entries(types).filter(([, v]) => v && typeof v === "object" && !("fields" in v));
  describe(`${protocol} types against the spec's JSON Schema`, () => {
    it("exports its enums as values", () => {
      const schemaEnums = Object.entries(bundle.$defs).filter(([, d]) => Array.isArray(d.enum));
      expect(enums.length).toBe(schemaEnums.length);
    });
    it.each(enums)("enum %s has the schema's values", (name, values) => {
      const def = bundle.$defs[name];
      expect(def, `no ${name} in ${protocol}.schema.json`).toBeDefined();
      expect(Object.values(/** @type {object} */ (values)).sort()).toEqual([...def.enum].sort());
    });
  });
}

/** @param {URL} file @returns {string[]} names in `export { a, type b }` / `export type { c }` statements */
function exportedNames(file) {
  const source = readFileSync(file, "utf8");
  /** @type {string[]} */
  const names = [];
  for (const m of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of (m[1] ?? "").split(",")) {
      const name = part.trim().replace(/^type\s+/, "");
      if (name) names.push(name);
    }
  }
  return names;
}

/**
 * Public API on purpose: a package's src/index.ts re-exports by name (no `export *`), and every
 * name its generated barrel exports is among them, so a message added to the spec cannot go missing.
 * @param {string} packageDir the package folder (`new URL("..", import.meta.url)` from its test)
 */
export function describePublicApi(packageDir) {
  const base = packageDir.endsWith("/") ? packageDir : `${packageDir}/`;
  const index = new URL("src/index.ts", base);
  const barrel = new URL("src/gen/index.gen.ts", base);
  describe("public API", () => {
    it("re-exports by name, never with export *", () => {
      expect(readFileSync(index, "utf8")).not.toMatch(/export\s+\*/);
    });
    it("re-exports every name of the generated barrel", () => {
      const generated = exportedNames(barrel);
      expect(generated.length).toBeGreaterThan(0);
      expect(exportedNames(index)).toEqual(expect.arrayContaining(generated));
    });
  });
}
