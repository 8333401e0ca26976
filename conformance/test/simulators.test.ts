// What CI runs: every scenario against the five built-in simulators, no failure, every operation covered.
import { describe, expect, it } from "vitest";
import { PROTOCOLS, runConformance } from "../src/index.js";

describe("the suite against the built-in simulators", () => {
  for (const protocol of PROTOCOLS) {
    it(`${protocol}: every scenario passes and every operation of the OpenAPI is covered`, async () => {
      const run = await runConformance({ protocol });
      const failed = run.results.filter((r) => r.outcome === "failed").map((r) => `${r.id}: ${r.failures.join("; ")}`);
      expect(failed).toEqual([]);
      expect(run.results.filter((r) => r.outcome === "skipped").map((r) => r.id)).toEqual([]);
      const missing = run.coverage.operations.filter((o) => o.state !== "passed" && !o.detail).map((o) => o.name);
      expect(missing).toEqual([]);
      expect(run.results.length).toBeGreaterThan(5);
    }, 60_000);
  }
});
