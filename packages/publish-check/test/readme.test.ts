/** Every published package has a README with its install line and a code example. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findWorkspacePackages } from "../src/workspace.js";

const packages = (await findWorkspacePackages()).filter((pkg) => !pkg.private);

describe("README of every published package", () => {
  for (const pkg of packages) {
    it(`${pkg.name}: README.md has "npm install ${pkg.name}" and a ts/js example`, async () => {
      const readme = await readFile(join(pkg.dir, "README.md"), "utf8").catch(() => "");
      expect(readme, `${pkg.path}/README.md exists`).not.toBe("");
      expect(readme).toMatch(new RegExp(`npm install (?:[^\\n]* )?${pkg.name.replace(/[/.-]/g, "\\$&")}(?:\\s|$)`));
      const examples = [
        ...readme.matchAll(/```(?:ts|typescript|js|javascript|sh|bash|console)\n([\s\S]*?)```/g),
      ].filter((match) => /import |payspec |await |new /.test(match[1]!));
      expect(examples.length, `${pkg.path}/README.md has an example`).toBeGreaterThan(0);
    });
  }
});
