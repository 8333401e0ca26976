// The bench harness plumbing: a --quick run of a suite writes a results file the report writer
// turns into BENCHMARKS.md rows with method, median, spread, ratio and verdict. No timing is
// asserted: only that the figures exist, are positive and land where they should.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, runBench } from "../src/cli.js";
import { renderReport } from "../src/report.js";
import { type BenchResult, compare, type RunFile, result } from "../src/results.js";
import { median, summarize } from "../src/stats.js";
import { lineSeconds } from "../src/suites/serial.js";
import { cases } from "../src/suites/validators.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payspec-bench-test-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const method = { tool: "t", payload: "p", warmup: "w", run: "r" };

describe("a --quick run writes results and the report", () => {
  it("codecs --quick: one sample per contender, a method, a positive median, and rows in the report", async () => {
    const options = { ...parseArgs(["--quick", "--suite", "codecs"]), outDir: dir, reportPath: join(dir, "B.md") };
    const { file, run } = await runBench(options, () => {});
    expect(file).toBe(join(dir, `${run.date}.quick.json`));
    const onDisk = JSON.parse(await readFile(file, "utf8")) as RunFile;
    expect(onDisk.quick).toBe(true);
    expect(onDisk.suites).toEqual(["codecs"]);
    expect(onDisk.results.length).toBe(12); // 6 codec cases × (runtime, library)
    for (const r of onDisk.results) {
      expect(r.suite).toBe("codecs");
      expect(r.samples).toHaveLength(1);
      expect(r.summary.median).toBeGreaterThan(0);
      expect(r.method.tool).toMatch(/tinybench/);
    }
    const markdown = await readFile(join(dir, "B.md"), "utf8");
    expect(markdown).toContain("## Codecs");
    expect(markdown).toContain("### nexo XML decode");
    expect(markdown).toContain("(**--quick**");
    expect(markdown).toMatch(/\| @payspec\/runtime codec \| [\d,.]+ ops\/s \|/);
  });

  it("a later run of another suite keeps the earlier suite's results in the same day's file", async () => {
    const options = { ...parseArgs(["--quick", "--suite=validators"]), outDir: dir, reportPath: join(dir, "B.md") };
    const { run } = await runBench(options, () => {});
    expect(run.suites).toEqual(["validators", "codecs"]);
    expect(run.results.filter((r) => r.suite === "codecs")).toHaveLength(12);
    // 2 messages × valid/invalid × (payspec, zod, ajv)
    expect(run.results.filter((r) => r.suite === "validators")).toHaveLength(12);
    const markdown = await readFile(join(dir, "B.md"), "utf8");
    expect(markdown.indexOf("## Validators")).toBeGreaterThan(0);
    expect(markdown.indexOf("## Validators")).toBeLessThan(markdown.indexOf("## Codecs"));
  });
});

describe("the validators compared agree on every payload", () => {
  it("payspec, zod and ajv accept the valid message and refuse the invalid one", () => {
    for (const c of cases()) {
      expect([c.payspec(c.valid), c.zod.safeParse(c.valid).success, c.ajv(c.valid)]).toEqual([true, true, true]);
      expect([c.payspec(c.invalid), c.zod.safeParse(c.invalid).success, c.ajv(c.invalid)]).toEqual([
        false,
        false,
        false,
      ]);
    }
  });
});

describe("report writer", () => {
  const row = (id: string, samples: number[], extra: Partial<BenchResult> = {}): BenchResult =>
    result({
      suite: "server",
      id,
      group: "g",
      name: id,
      unit: "req/s",
      higherIsBetter: true,
      method,
      samples,
      ...extra,
    });

  const run = (results: BenchResult[]): RunFile => ({
    date: "2026-01-01",
    quick: false,
    suites: ["server"],
    machine: {
      cpus: 2,
      cpuModel: "cpu",
      loadStart: [1, 2, 3],
      loadEnd: [1, 2, 3],
      node: "v20",
      platform: "linux",
      condition: "quiet",
    },
    results,
  });

  it("shows the ratio to each reference, met / missed / not measured, and the note of a missed target", () => {
    const markdown = renderReport(
      run([
        row("payspec", [80, 90, 100], {
          targets: [
            { op: ">=", value: 0.7, against: "raw node:http", reference: { id: "raw" } },
            { op: ">=", value: 10, against: "Prism", reference: { id: "prism" } },
          ],
          note: "because of X; Y would close it",
        }),
        row("raw", [100, 100, 100]),
        row("prism", [], { error: "prism did not start" }),
      ]),
    );
    expect(markdown).toContain(
      "| payspec | 90 req/s | 22.2% | 3 | 0.90× raw node:http; – vs Prism | ≥ 0.7× raw node:http; ≥ 10× Prism | met; no reference |",
    );
    expect(markdown).toContain("| prism | – | – | 0 |");
    expect(markdown).toContain("not measured: prism did not start");
    expect(markdown).toContain("- payspec: because of X; Y would close it");
    expect(markdown).toContain("Targets: 1 met, 0 missed, 1 not measured.");
    expect(markdown).toContain("Condition: quiet");
  });

  it("a throughput below its target reads missed; a fixed reference (a time budget) is compared too", () => {
    const rows = [
      row("payspec", [50], { targets: [{ op: ">=", value: 0.7, against: "raw", reference: { id: "raw" } }] }),
      row("raw", [100]),
      result({
        suite: "codegen",
        id: "full",
        group: "g",
        name: "gen",
        unit: "s",
        higherIsBetter: false,
        method,
        samples: [25],
        targets: [{ op: "<=", value: 1, against: "20 s budget", reference: { value: 20 } }],
      }),
    ];
    const [slow, , budget] = compare(rows);
    expect(slow?.targets?.[0]).toMatchObject({ ratio: 0.5, met: false });
    expect(budget?.targets?.[0]).toMatchObject({ ratio: 1.25, met: false });
    expect(renderReport(run(rows.slice(0, 2)))).toContain(
      "| payspec | 50 req/s | 0.0% | 1 | 0.50× raw | ≥ 0.7× raw | **missed** |",
    );
  });

  it("an informational comparison shows its ratio but counts as no target", () => {
    const markdown = renderReport(
      run([
        row("payspec", [200], {
          targets: [{ op: ">=", value: 1, against: "ajv", reference: { id: "ajv" }, info: true }],
        }),
        row("ajv", [100]),
      ]),
    );
    expect(markdown).toContain("| payspec | 200 req/s | 0.0% | 1 | 2.00× ajv |  | no target (information) |");
    expect(markdown).toContain("Targets: 0 met, 0 missed.");
  });
});

describe("options and figures", () => {
  it("refuses an unknown suite or flag", () => {
    expect(() => parseArgs(["--suite", "nope"])).toThrow(/unknown suite nope/);
    expect(() => parseArgs(["--fast"])).toThrow(/unknown flag/);
    expect(parseArgs(["--", "--quick", "--protocol", "nexo,wepay"])).toMatchObject({
      quick: true,
      protocols: ["nexo", "wepay"],
    });
  });

  it("median and spread of the runs", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(summarize([90, 100, 110])).toEqual({ n: 3, median: 100, min: 90, max: 110, spreadPct: 20 });
  });

  it("line time: 10 bits per byte at 9600 baud", () => {
    expect(lineSeconds(960)).toBe(1);
    expect(lineSeconds(128) * 1000).toBeCloseTo(133.33, 2);
  });
});
