// The committed contract in specs/openapi/ must be exactly what a fresh `tsp compile` emits.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileProtocol } from "../scripts/compile.mjs";
import { protocols } from "../scripts/protocols.js";
import { specsDir } from "../scripts/schemas.js";

const outRoot = await mkdtemp(join(tmpdir(), "payspec-specs-"));
afterAll(() => rm(outRoot, { recursive: true, force: true }));

describe.each(protocols.map((p) => p.id))("%s contract", (id) => {
  it("compiles without diagnostics", async () => {
    expect(await compileProtocol(id, outRoot)).toEqual([]);
  });

  it("matches the committed specs/openapi output byte for byte", async () => {
    const fresh = (await readdir(join(outRoot, id))).sort();
    const committed = (await readdir(join(specsDir, "openapi", id))).sort();
    expect(committed).toEqual(fresh);
    for (const file of fresh) {
      const want = await readFile(join(outRoot, id, file), "utf8");
      const got = await readFile(join(specsDir, "openapi", id, file), "utf8");
      expect(got, `${id}/${file} differs from a fresh compile: run \`pnpm gen\``).toBe(want);
    }
  });
});
