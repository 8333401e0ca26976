/** The sample changeset in CONTRIBUTING.md is a valid changeset file for a fixed group. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findWorkspacePackages, workspaceRoot } from "../src/workspace.js";

const root = workspaceRoot();

describe("CONTRIBUTING.md sample changeset", () => {
  it("is front matter of '\"<package>\": <bump>' lines between --- fences, then a summary", async () => {
    const text = await readFile(join(root, "CONTRIBUTING.md"), "utf8");
    const block = /```text\n(---\n[\s\S]*?)```/.exec(text);
    expect(block, "a ```text block starting with ---").not.toBeNull();
    const file = block![1]!;
    const match = /^---\n((?:"[^"\n]+": (?:major|minor|patch)\n)+)---\n\n(\S[\s\S]*\n)$/.exec(file);
    expect(match, file).not.toBeNull();
    const releases = match![1]!
      .trim()
      .split("\n")
      .map((line) => /^"([^"]+)": (major|minor|patch)$/.exec(line)!.slice(1));
    const config = JSON.parse(await readFile(join(root, ".changeset", "config.json"), "utf8")) as {
      fixed: string[][];
    };
    const published = (await findWorkspacePackages()).filter((pkg) => !pkg.private).map((pkg) => pkg.name);
    for (const [name] of releases) {
      expect(published).toContain(name);
      const group = config.fixed.find((patterns) =>
        patterns.some((pattern) =>
          new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, ".*")}$`).test(name!),
        ),
      );
      expect(group, `${name} is in a fixed group`).toBeDefined();
    }
  });

  it("has no markdown heading where the front matter belongs (the mangled form)", async () => {
    const text = await readFile(join(root, "CONTRIBUTING.md"), "utf8");
    expect(text).not.toMatch(/## "@payspec\/[^"]+": (?:major|minor|patch)/);
  });
});
