// "Comparisons are constant-time": every check of a secret (token, key, password, control checksum, signature) in the
// handwritten sources of the runtime, servers, simulators, clients and drivers goes through `constantTimeEqual`, never
// `===`. A static scan, since timing itself must not be asserted in unit tests.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { constantTimeEqual } from "@payspec/runtime";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;
const PROTOCOLS = ["wepay", "stripe-terminal", "payneteasy", "hipay-ecr", "nexo"];
const ROOTS = [
  "packages/runtime/src",
  "packages/terminal/src",
  ...PROTOCOLS.flatMap((p) => ["server", "driver", "client"].map((artifact) => `packages/${p}/${artifact}/src`)),
];

function sources(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "gen") walk(path);
      } else if (path.endsWith(".ts")) files.push(path);
    }
  };
  for (const root of ROOTS) walk(join(ROOT, root));
  return files;
}

const SECRET = /token|secret|password|passwd|pwd|control|signature|apikey|api_key|credential/i;
const COMPARISON = /([\w.$[\]"'?]+)\s*(?:===|!==|==|!=)\s*([\w.$[\]"'?]+)/g;
/** Comparisons with a literal, a length, a type or a missing value leak nothing. */
const harmless = (operand: string) =>
  /^(undefined|null|true|false|\d+|"[^"]*"|'[^']*')$/.test(operand) || /\.(length|size)$|typeof/.test(operand);
/** Matches reviewed and not about secrets (file suffix, line text). */
const REVIEWED: ReadonlyArray<readonly [string, string]> = [
  // a reader's location id against the connection token's location scope (ids, not secrets)
  ["stripe-terminal/server/src/simulator/terminal.ts", "reader?.location !== token.location"],
  // the nexo test amount that asks for a signature
  ["nexo/server/src/simulator/terminal.ts", "cents === TEST_AMOUNTS.signature"],
];

describe("secret comparisons", () => {
  const files = sources();

  it("scans the handwritten sources (not the generated ones)", () => {
    expect(files.length).toBeGreaterThan(80);
    expect(files.some((f) => f.includes("/gen/"))).toBe(false);
    expect(files.some((f) => f.endsWith("runtime/src/auth/oauth1.ts"))).toBe(true);
  });

  it("never compare a secret with === / !==: they go through constantTimeEqual", () => {
    const found: string[] = [];
    for (const file of files) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, index) => {
          for (const [, left = "", right = ""] of line.matchAll(COMPARISON)) {
            if (harmless(left) || harmless(right)) continue;
            if (!SECRET.test(left) && !SECRET.test(right)) continue;
            if (REVIEWED.some(([suffix, text]) => file.endsWith(suffix) && line.includes(text))) continue;
            found.push(`${file.slice(ROOT.length)}:${index + 1}: ${line.trim()}`);
          }
        });
    }
    expect(found).toEqual([]);
  });

  it("the checkers of each scheme call constantTimeEqual", () => {
    const uses = (path: string) => readFileSync(join(ROOT, path), "utf8").includes("constantTimeEqual(");
    expect(uses("packages/runtime/src/auth/http.ts")).toBe(true); // Basic / Bearer
    expect(uses("packages/runtime/src/auth/oauth1.ts")).toBe(true); // OAuth 1.0 signatures
    expect(uses("packages/runtime/src/auth/payneteasy-control.ts")).toBe(true); // control checksums
    expect(uses("packages/wepay/server/src/auth.ts")).toBe(true); // App-Token
    expect(uses("packages/stripe-terminal/server/src/auth.ts")).toBe(true); // secret keys
  });

  it("the scan would catch a plain comparison (the pattern is not blind)", () => {
    const line = "if (request.headers.token === expectedToken) return ok;";
    const hits = [...line.matchAll(COMPARISON)].filter(
      ([, l = "", r = ""]) => !harmless(l) && !harmless(r) && (SECRET.test(l) || SECRET.test(r)),
    );
    expect(hits).toHaveLength(1);
  });

  it("constantTimeEqual answers like === for equal, different and different-length strings", () => {
    expect(constantTimeEqual("sk_test_abc", "sk_test_abc")).toBe(true);
    expect(constantTimeEqual("sk_test_abc", "sk_test_abd")).toBe(false);
    expect(constantTimeEqual("sk_test_abc", "sk_test_ab")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
  });
});
