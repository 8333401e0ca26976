// JUnit XML and Markdown report shapes, the table, and main()'s exit codes.
import { describe, expect, it } from "vitest";
import { formatJUnit, formatMarkdown, formatTable, main, type RunResult, runConformance } from "../src/index.js";

const fake: RunResult = {
  protocol: "wepay",
  target: { kind: "url", label: "http://127.0.0.1:1", url: "http://127.0.0.1:1" },
  durationMs: 12,
  results: [
    {
      id: "wepay/a",
      protocol: "wepay",
      doc: "A",
      outcome: "passed",
      failures: [],
      durationMs: 3,
      operations: ["paymentsGet"],
      messages: ["Payment"],
    },
    {
      id: "wepay/b",
      protocol: "wepay",
      doc: "B",
      outcome: "failed",
      reason: "step 1 <boom> & co",
      failures: ["step 1 <boom> & co"],
      durationMs: 4,
      operations: ["paymentsCreate"],
      messages: [],
    },
    {
      id: "wepay/c",
      protocol: "wepay",
      doc: "C",
      outcome: "skipped",
      reason: "needs the simulator's clock",
      failures: [],
      durationMs: 0,
      operations: [],
      messages: [],
    },
  ],
  coverage: {
    protocol: "wepay",
    operationRatio: 0.5,
    messageRatio: 1,
    operations: [
      { name: "Payments_get (GET /payments/{id})", state: "passed", scenarios: ["wepay/a"] },
      { name: "Payments_create (POST /payments)", state: "failed", scenarios: ["wepay/b"] },
      { name: "Refunds_get (GET /refunds/{id})", state: "not covered", scenarios: [] },
    ],
    messages: [{ name: "Payment", state: "passed", scenarios: ["wepay/a"] }],
  },
};

describe("reporters", () => {
  it("JUnit XML: one testsuite per run, one testcase per scenario, failure and skipped elements, escaped", () => {
    const xml = formatJUnit([fake]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toContain('<testsuites name="payspec-conformance" tests="3" failures="1" skipped="1">');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain('<failure message="step 1 &lt;boom&gt; &amp; co">');
    expect(xml).toContain(`<skipped message="needs the simulator&apos;s clock"/>`);
    expect(xml).not.toContain("<boom>");
  });

  it("Markdown: the coverage rule, per-operation and per-message tables, and what is not covered", () => {
    const md = formatMarkdown([fake]);
    expect(md).toContain("# Payspec conformance report");
    expect(md).toContain("Coverage rule:");
    expect(md).toContain("### Operations");
    expect(md).toContain("| `Refunds_get (GET /refunds/{id})` | not covered |  |");
    expect(md).toContain("| `Payments_create (POST /payments)` | failed | wepay/b |");
    expect(md).toMatch(/Not fully covered \(2\): .*Refunds_get/);
    expect(md).toContain("| wepay/c | skipped | needs the simulator's clock |");
  });

  it("the table lists every scenario and the totals", () => {
    const table = formatTable([fake]);
    expect(table).toMatch(/PASS +wepay\/a/);
    expect(table).toMatch(/FAIL +wepay\/b/);
    expect(table).toMatch(/SKIP +wepay\/c/);
    expect(table).toContain("1 passed, 1 failed, 1 skipped");
  });

  it("says so when every operation and message is covered", () => {
    const complete: RunResult = {
      ...fake,
      coverage: {
        ...fake.coverage,
        operationRatio: 1,
        operations: [fake.coverage.operations[0]!],
      },
    };
    const md = formatMarkdown([complete]);
    expect(md).toContain("Operations: 100% covered; messages: 100% covered.");
    expect(md).toContain("Every operation and every message is covered.");
  });

  it("a real run's Markdown has a row for every OpenAPI operation and message, with its state", async () => {
    const run = await runConformance({ protocol: "payneteasy", filter: "preauth" });
    const md = formatMarkdown([run]);
    for (const item of [...run.coverage.operations, ...run.coverage.messages])
      expect(md).toContain(`| \`${item.name}\` | ${item.state} |`);
    expect(md).toContain("| `preauth (POST /paynet/mapi/v1/preauth/{endpointid})` | passed | payneteasy/preauth |");
    expect(md).toMatch(/\| `sale \(POST [^|]+\| not covered \|/);
  }, 30_000);
});

describe("main", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    const progress: string[] = [];
    const files = new Map<string, string>();
    return {
      out,
      err,
      progress,
      files,
      io: {
        out: (l: string) => out.push(l),
        err: (l: string) => err.push(l),
        progress: (l: string) => progress.push(l),
        writeFile: async (p: string, t: string) => {
          files.set(p, t);
        },
      },
    };
  };

  it("run prints the table and progress, writes JUnit and Markdown, exits 0 without failure", async () => {
    const t = io();
    const code = await main(["run", "--protocol", "hipay-ecr", "--junit", "r.xml", "--markdown", "r.md"], t.io);
    expect(code).toBe(0);
    expect(t.out.join("\n")).toMatch(/hipay-ecr against .*passed, 0 failed/);
    expect(t.progress.some((l) => /^\[ *1\/\d+\] PASS/.test(l))).toBe(true);
    expect(t.files.get("r.xml")).toContain("<testsuites");
    expect(t.files.get("r.md")).toContain("## hipay-ecr");
  }, 30_000);

  it("exits 1 when a scenario fails (a target that refuses every connection)", async () => {
    const t = io();
    const code = await main(
      ["run", "--protocol", "hipay-ecr", "--target", "http://127.0.0.1:9", "--filter", "maintenance-version"],
      t.io,
    );
    expect(code).toBe(1);
  });

  it("usage errors exit 2", async () => {
    const t = io();
    expect(await main(["run"], t.io)).toBe(2);
    expect(await main(["run", "--protocol", "nope"], t.io)).toBe(2);
    expect(await main(["frobnicate"], t.io)).toBe(2);
    expect(t.err.join("\n")).toMatch(/unknown protocol "nope"/);
  });

  it("list prints every scenario with its doc line", async () => {
    const t = io();
    expect(await main(["list", "--protocol", "nexo"], t.io)).toBe(0);
    expect(t.out.some((l) => l.startsWith("nexo/abort  AbortRequest"))).toBe(true);
  });
});
