/**
 * Every package the workspace publishes (not private) passes publint: exports resolve to files
 * that are packed, `types` conditions come first, and so on. Errors fail; warnings are listed.
 */
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { describe, expect, it } from "vitest";
import { findWorkspacePackages } from "../src/workspace.js";

const packages = (await findWorkspacePackages()).filter((pkg) => !pkg.private);

describe("publint on every published workspace package", () => {
  it("finds the published packages from pnpm-workspace.yaml", () => {
    const names = packages.map((pkg) => pkg.name);
    expect(names).toContain("@payspec/runtime");
    expect(names).toContain("@payspec/nexo-client");
    expect(names).toContain("@payspec/cli");
    expect(names).not.toContain("@payspec/publish-check");
    expect(names).not.toContain("@payspec/specs");
  });

  for (const pkg of packages) {
    it(`${pkg.name} (${pkg.path}) has no publint errors`, async () => {
      const { messages, pkg: manifest } = await publint({
        pkgDir: pkg.dir,
        level: "warning",
        pack: "npm",
        strict: false,
      });
      const lines = messages.map((message) => `${message.type}: ${formatMessage(message, manifest) ?? message.code}`);
      const warnings = lines.filter((line) => !line.startsWith("error:"));
      if (warnings.length > 0) console.warn(`${pkg.name}\n  ${warnings.join("\n  ")}`);
      expect(lines.filter((line) => line.startsWith("error:"))).toEqual([]);
    }, 180_000);
  }
});

describe("exports put types first", () => {
  for (const pkg of packages) {
    it(`${pkg.name}: every export condition object starts with "types"`, () => {
      const exports = pkg.manifest.exports as Record<string, unknown> | undefined;
      expect(exports, "exports field").toBeTypeOf("object");
      for (const [subpath, target] of Object.entries(exports ?? {})) {
        if (typeof target !== "object" || target === null) continue;
        const keys = Object.keys(target);
        if (keys.some((key) => key === "types")) expect(keys[0], `${pkg.name} exports["${subpath}"]`).toBe("types");
        else expect(keys.some((key) => key === "import" || key === "default")).toBe(true);
      }
    });
  }
});
