// Every example payload the specs carry (taken from the seeds) validates against the emitted
// JSON Schema, and hand-made invalid variants of them are rejected.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectExamples, createValidator } from "../scripts/examples.js";
import { protocols } from "../scripts/protocols.js";
import { specsDir } from "../scripts/schemas.js";

interface InvalidCase {
  /** what rule the variant breaks */
  why: string;
  /** model name in the JSON Schema bundle */
  schema: string;
  /** the invalid value, whole */
  value: unknown;
}

describe.each(protocols.map((p) => p.id))("%s examples", (id) => {
  const v = createValidator(id);
  const examples = collectExamples(id);

  it("carries examples from its seed", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((e) => [e.where, e] as const))("%s is valid", (_where, e) => {
    const r = v.validate(e.schema, e.value);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("rejects every example with a required top-level field removed", () => {
    let checked = 0;
    for (const e of examples) {
      const ref = (e.schema as { $ref?: string }).$ref;
      const def = ref ? v.bundle.$defs[ref.replace(/\.json$/, "")] : undefined;
      const required: string[] = def?.required ?? [];
      if (!e.value || typeof e.value !== "object" || Array.isArray(e.value)) continue;
      for (const field of required) {
        const broken = { ...(e.value as Record<string, unknown>) };
        delete broken[field];
        expect(v.validate(e.schema, broken).ok, `${e.where} without ${field}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  const invalidFile = join(specsDir, id, "examples", "invalid.json");
  const invalid: InvalidCase[] = existsSync(invalidFile) ? JSON.parse(readFileSync(invalidFile, "utf8")) : [];
  it("has hand-made invalid variants", () => {
    expect(invalid.length).toBeGreaterThanOrEqual(3);
  });
  it.each(invalid.map((c) => [`${c.schema}: ${c.why}`, c] as const))("rejects %s", (_name, c) => {
    expect(v.bundle.$defs[c.schema], `no model ${c.schema}`).toBeDefined();
    expect(v.validate(v.schemaFor(c.schema), c.value).ok).toBe(false);
  });
});
