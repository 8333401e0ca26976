// A third party: Stoplight Prism mocking the committed OpenAPI runs the stateless scenarios.
import { describe, expect, it } from "vitest";
import { runConformance } from "../src/index.js";

describe("stateless scenarios against Stoplight Prism", () => {
  for (const protocol of ["wepay", "hipay-ecr"] as const) {
    it(`${protocol}: every stateless scenario passes against Prism; the others are skipped with the reason`, async () => {
      const run = await runConformance({ protocol, target: "prism" });
      expect(run.skipped).toBeUndefined();
      const stateless = run.results.filter((r) => r.outcome === "passed");
      expect(stateless.length).toBeGreaterThan(0);
      expect(run.results.filter((r) => r.outcome === "failed").map((r) => `${r.id}: ${r.reason}`)).toEqual([]);
      const skipped = run.results.filter((r) => r.outcome === "skipped");
      expect(skipped.length).toBeGreaterThan(0);
      for (const s of skipped) expect(s.reason).toMatch(/mock|needs/);
    }, 90_000);
  }

  for (const protocol of ["nexo", "payneteasy"] as const) {
    it(`${protocol}: Prism cannot mock it; the run says so as skipped with the reason`, async () => {
      const run = await runConformance({ protocol, target: "prism" });
      expect(run.skipped).toMatch(/XML|kv/);
      expect(run.results.every((r) => r.outcome === "skipped" && r.reason === run.skipped)).toBe(true);
    });
  }
});
