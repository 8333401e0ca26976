// Public API on purpose: src/index.ts re-exports by name (no `export *`), and every name the
// generated barrel exports is among them, so a message added to the spec cannot go missing.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** Names in `export { a, type b }` and `export type { c }` statements of a module's source. */
function exportedNames(file: URL): string[] {
  const source = readFileSync(file, "utf8");
  const names: string[] = [];
  for (const m of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of (m[1] ?? "").split(",")) {
      const name = part.trim().replace(/^type\s+/, "");
      if (name) names.push(name);
    }
  }
  return names;
}

describe("public API", () => {
  const index = new URL("../src/index.ts", import.meta.url);
  const barrel = new URL("../src/gen/index.gen.ts", import.meta.url);

  it("re-exports by name, never with export *", () => {
    expect(readFileSync(index, "utf8")).not.toMatch(/export\s+\*/);
  });

  it("re-exports every name of the generated barrel", () => {
    const generated = exportedNames(barrel);
    expect(generated.length).toBeGreaterThan(0);
    expect(exportedNames(index)).toEqual(expect.arrayContaining(generated));
  });
});
