/** Reporters: the terminal table, JUnit XML, and the Markdown coverage report. */
import type { CoverageItem } from "./coverage.js";
import type { RunResult } from "./run.js";

const MARK = { passed: "PASS", failed: "FAIL", skipped: "SKIP" } as const;

/** One line for the progress display. */
export function progressLine(done: number, total: number, id: string, outcome: keyof typeof MARK): string {
  return `[${String(done).padStart(String(total).length)}/${total}] ${MARK[outcome]} ${id}`;
}

/** A plain-text table of every scenario, then per protocol totals and coverage. */
export function formatTable(runs: readonly RunResult[]): string {
  const rows = runs.flatMap((r) =>
    r.results.map((x) => [MARK[x.outcome], x.id, `${x.durationMs} ms`, (x.reason ?? "").slice(0, 110)]),
  );
  const head = ["RESULT", "SCENARIO", "TIME", "NOTE"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const out = [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), ""];
  for (const r of runs) {
    const n = (o: string) => r.results.filter((x) => x.outcome === o).length;
    const c = r.coverage;
    out.push(
      `${r.protocol} against ${r.target.label || r.target.kind}: ${n("passed")} passed, ${n("failed")} failed, ${n("skipped")} skipped; ` +
        `operations ${pct(c.operationRatio)} (${c.operations.filter((o) => o.state === "passed").length}/${c.operations.length}), ` +
        `messages ${pct(c.messageRatio)} (${c.messages.filter((o) => o.state === "passed").length}/${c.messages.length})` +
        (r.skipped ? ` [target skipped: ${r.skipped}]` : ""),
    );
  }
  return `${out.join("\n")}\n`;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

const xml = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!)
    .split("")
    .filter((c) => {
      // XML 1.0 has no place for control characters but tab, newline and carriage return
      const code = c.charCodeAt(0);
      return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
    })
    .join("");

/** JUnit XML: one testsuite per protocol run, one testcase per scenario. */
export function formatJUnit(runs: readonly RunResult[]): string {
  const total = (o: string) => runs.reduce((n, r) => n + r.results.filter((x) => x.outcome === o).length, 0);
  const tests = runs.reduce((n, r) => n + r.results.length, 0);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="payspec-conformance" tests="${tests}" failures="${total("failed")}" skipped="${total("skipped")}">`,
  ];
  for (const r of runs) {
    const n = (o: string) => r.results.filter((x) => x.outcome === o).length;
    out.push(
      `  <testsuite name="${xml(`${r.protocol} @ ${r.target.label || r.target.kind}`)}" tests="${r.results.length}" failures="${n("failed")}" skipped="${n("skipped")}" time="${(r.durationMs / 1000).toFixed(3)}">`,
    );
    for (const x of r.results) {
      const open = `    <testcase classname="${xml(`conformance.${r.protocol}`)}" name="${xml(x.id)}" time="${(x.durationMs / 1000).toFixed(3)}"`;
      if (x.outcome === "passed") out.push(`${open}/>`);
      else if (x.outcome === "skipped")
        out.push(`${open}>`, `      <skipped message="${xml(x.reason ?? "")}"/>`, `    </testcase>`);
      else
        out.push(
          `${open}>`,
          `      <failure message="${xml(x.reason ?? "failed")}">${xml(x.failures.join("\n"))}</failure>`,
          `    </testcase>`,
        );
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`, "");
  return out.join("\n");
}

const COVERAGE_RULE =
  "An operation is covered when a passed scenario called it (or received it, for calls the target makes to the suite) " +
  "and checked the answer's status and schema. A message is covered when a passed scenario validated a value against it " +
  "with the generated validator — a body sent or received, callback parameters, or a message scenario that validated the " +
  "spec's example and refused an invalid variant — or against a message that references it.";

function table(items: readonly CoverageItem[]): string[] {
  const rows = ["| Item | State | Scenarios |", "| --- | --- | --- |"];
  for (const i of items)
    rows.push(
      `| \`${i.name}\` | ${i.state} | ${i.scenarios.slice(0, 4).join(", ")}${i.scenarios.length > 4 ? ", …" : ""}${i.detail ? ` (${i.detail})` : ""} |`,
    );
  return rows;
}

/** The Markdown coverage report: per protocol, every operation and message with its state. */
export function formatMarkdown(runs: readonly RunResult[]): string {
  const out = ["# Payspec conformance report", "", `Coverage rule: ${COVERAGE_RULE}`, ""];
  for (const r of runs) {
    const c = r.coverage;
    const n = (o: string) => r.results.filter((x) => x.outcome === o).length;
    const missing = [...c.operations, ...c.messages].filter((i) => i.state !== "passed");
    out.push(
      `## ${r.protocol}`,
      "",
      `Target: ${r.target.label || r.target.kind} (${r.target.kind})${r.skipped ? ` — skipped: ${r.skipped}` : ""}`,
      "",
      `Scenarios: ${n("passed")} passed, ${n("failed")} failed, ${n("skipped")} skipped.`,
      `Operations: ${pct(c.operationRatio)} covered; messages: ${pct(c.messageRatio)} covered.`,
      "",
      missing.length === 0
        ? "Every operation and every message is covered."
        : `Not fully covered (${missing.length}): ${missing.map((i) => `\`${i.name}\` (${i.state})`).join(", ")}.`,
      "",
      "### Operations",
      "",
      ...table(c.operations),
      "",
      "### Messages",
      "",
      ...table(c.messages),
      "",
    );
    const skipped = r.results.filter((x) => x.outcome !== "passed");
    if (skipped.length > 0) {
      out.push("### Failed and skipped scenarios", "", "| Scenario | Result | Reason |", "| --- | --- | --- |");
      for (const x of skipped) out.push(`| ${x.id} | ${x.outcome} | ${(x.reason ?? "").replace(/\|/g, "\\|")} |`);
      out.push("");
    }
  }
  return out.join("\n");
}
