/**
 * The full-size campaigns, on demand: `npx -y pnpm@10 --filter @payspec/reliability full [--runs N] [--codec-runs N]`.
 * Writes results/<date>.json and rewrites RELIABILITY.md (beside this package) with the figures and how to reproduce them.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CODECS, type CodecReport, fuzzCodec, type LineNoiseReport, lineNoise } from "./codecs.js";
import { type FuzzReport, fuzzTarget } from "./fuzz.js";
import { PROTOCOLS, startTarget } from "./targets.js";

export interface FullResults {
  readonly date: string;
  readonly machine: string;
  readonly seed: number;
  readonly endpoints: ReadonlyArray<FuzzReport & { readonly seconds: number; readonly ranAt?: string }>;
  readonly codecs: readonly CodecReport[];
  readonly lineNoise: LineNoiseReport;
  readonly campaigns?: unknown;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "10000" },
      "codec-runs": { type: "string", default: "100000" },
      seed: { type: "string", default: "20261123" },
      /** A folder of fault-campaign results (one <protocol>.json each, written by @payspec/terminal's campaign). */
      campaigns: { type: "string" },
      /** Fuzz only these endpoints (comma-separated) and keep the newest results file's figures for the others. */
      protocols: { type: "string" },
      /** Rewrite RELIABILITY.md from the newest results file and --campaigns, without running the fuzzers. */
      "report-only": { type: "boolean" },
    },
  });
  const campaigns = values.campaigns === undefined ? undefined : readCampaigns(resolve(values.campaigns));
  const previous = newestResults();
  if (values["report-only"] === true) {
    if (previous === undefined) throw new Error("no results/fuzz-*.json yet: run without --report-only first");
    writeReport(campaigns === undefined ? previous : { ...previous, campaigns });
    return;
  }
  const chosen =
    values.protocols === undefined ? PROTOCOLS : PROTOCOLS.filter((p) => values.protocols?.split(",").includes(p));
  const runs = Number(values.runs);
  const codecRuns = Number(values["codec-runs"]);
  const seed = Number(values.seed);
  const endpoints: Array<FuzzReport & { seconds: number; ranAt?: string }> = [];
  for (const protocol of PROTOCOLS) {
    if (!chosen.includes(protocol)) {
      const kept = previous?.endpoints.find((e) => e.protocol === protocol);
      if (kept !== undefined) endpoints.push({ ...kept, ranAt: kept.ranAt ?? previous?.date ?? "?" });
      continue;
    }
    const target = await startTarget(protocol);
    const started = performance.now();
    let last = 0;
    const report = await fuzzTarget(target, {
      runs,
      seed,
      onProgress: (done) => {
        if (done - last >= 1000 || done === runs) {
          last = done;
          process.stderr.write(`\r${protocol}: ${done}/${runs}`);
        }
      },
    });
    process.stderr.write("\n");
    endpoints.push({ ...report, seconds: (performance.now() - started) / 1000, ranAt: new Date().toISOString() });
    await target.close();
  }
  const codecs = CODECS.map((codec) => fuzzCodec(codec, { runs: codecRuns, seed }));
  const noise = lineNoise({ runs: codecRuns, seed });
  const date = new Date().toISOString();
  const results: FullResults = {
    date,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`,
    seed,
    endpoints,
    codecs,
    lineNoise: noise,
  };
  const dir = new URL("../results/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`fuzz-${date.slice(0, 10)}.json`, dir), `${JSON.stringify(results, null, 2)}\n`);
  writeReport(results);
  const failed =
    endpoints.some((e) => e.failures.length > 0 || e.polluted) ||
    codecs.some((c) => c.escaped.length > 0) ||
    noise.corruptedAccepted > 0;
  process.exitCode = failed ? 1 : 0;
}

function writeReport(results: FullResults): void {
  const path = new URL("../RELIABILITY.md", import.meta.url);
  const previous = safeRead(path);
  const campaignSection =
    results.campaigns !== undefined
      ? campaignMarkdown(results.campaigns as CampaignResult[])
      : (/<!-- campaigns:start -->[\s\S]*<!-- campaigns:end -->/.exec(previous)?.[0] ??
        "<!-- campaigns:start -->\n_Fault campaign: not run yet._\n<!-- campaigns:end -->");
  const statusColumns = [...new Set(results.endpoints.flatMap((e) => Object.keys(e.byStatus)))].sort();
  const lines = [
    "# Reliability and security figures",
    "",
    `Last full run: ${results.date} on ${results.machine}, seed ${results.seed}.`,
    "",
    "Reproduce: `npx -y pnpm@10 turbo run build --filter=@payspec/reliability... && npx -y pnpm@10 --filter @payspec/reliability full`",
    "(options `--runs N` per protocol, `--codec-runs N` per codec, `--seed N`). The bounded versions of every campaign",
    "run in the test command (`packages/reliability/test/`, seed fixed; `FUZZ_SEED=random FUZZ_RUNS=1000` hunts).",
    "",
    "## Endpoint fuzzing",
    "",
    "Random and mutated requests against each protocol's simulator behind its generated server, over loopback HTTP:",
    "mutated spec examples (dropped, retyped and extra fields, `__proto__`/`constructor` keys, 200 kB strings), random",
    "JSON, binary garbage, XML entity bombs and external entities, 50,000-deep nesting, 1–3 MB bodies, wrong and missing",
    "Content-Type, mangled path parameters, missing and wrong credentials. Oracle for every answer: not a 5xx, not a",
    "dropped connection, a status the operation declares (or a generic 404/413/415 refusal) with a body that decodes and",
    "validates as the spec's message for it, and `Object.prototype` untouched.",
    "",
    `| protocol | requests | failures | ${statusColumns.map((s) => `HTTP ${s}`).join(" | ")} | seconds | run at |`,
    `|---|---:|---:|${statusColumns.map(() => "---:").join("|")}|---:|---|`,
    ...results.endpoints.map(
      (e) =>
        `| ${e.protocol} | ${e.runs} | ${e.failures.length} | ${statusColumns.map((s) => e.byStatus[s] ?? 0).join(" | ")} | ${e.seconds.toFixed(1)} | ${(e.ranAt ?? results.date).slice(0, 16).replace("T", " ")} |`,
    ),
    "",
    "## Codec fuzzing",
    "",
    "Each runtime decoder fed random text (unicode and binary), random bytes, random JSON, key=value soup and the hostile",
    "set above. Oracle: a value or a `CodecError`; any other exception escaping, or a polluted prototype, is a failure.",
    "",
    "| codec | inputs | decoded | refused (CodecError) | escaped exceptions |",
    "|---|---:|---:|---:|---:|",
    ...results.codecs.map((c) => `| ${c.codec} | ${c.inputs} | ${c.decoded} | ${c.refused} | ${c.escaped.length} |`),
    "",
    "## Serial line noise (Concert frames)",
    "",
    "Concert request frames (the 34-character layout) with one flipped bit or one dropped byte, fed byte by byte to the",
    "frame reader, then decoded with the fixed-width layout. A frame whose LRC fails is answered NAK by the link layer",
    "(and resent, 3 tries); a frame lost entirely is resent on the sender's timer. The XOR LRC can be fooled when a flip",
    "turns a payload byte into ETX (the frame ends early and the next byte is read as the LRC, matching about 1 time in",
    "256): those truncated frames are refused by the fixed-width decode.",
    "",
    "| frames | corrupted and accepted | LRC fooled, refused by the layout | corrupted, caught by the LRC (NAK) | lost (resent on timeout) | intact |",
    "|---:|---:|---:|---:|---:|---:|",
    `| ${results.lineNoise.frames} | **${results.lineNoise.corruptedAccepted}** | ${results.lineNoise.lrcCollisionsCaughtByLayout ?? 0} | ${results.lineNoise.corruptedRejected} | ${results.lineNoise.lost} | ${results.lineNoise.intact} |`,
    "",
    "## Fault campaign through @payspec/terminal",
    "",
    campaignSection,
    "",
  ];
  writeFileSync(path, lines.join("\n"));
}

/** One protocol's fault campaign, as packages/terminal/test/campaign.ts writes it. */
interface CampaignResult {
  readonly protocol: string;
  readonly seed: number;
  readonly attempted: number;
  readonly byFault: Record<string, number>;
  readonly approved: number;
  readonly declined: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly recovered: number;
  readonly lostOrChargedTwice: number;
  readonly phantomApprovals: number;
  readonly open: number;
  readonly vendorCharges: number;
  readonly seconds: number;
}

function readCampaigns(dir: string): CampaignResult[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(dir, file), "utf8")) as CampaignResult);
}

function campaignMarkdown(campaigns: readonly CampaignResult[]): string {
  const faults = ["none", "decline", "lost-answer", "crash-after-commit", "crash-before-send", "repeat"];
  return [
    "<!-- campaigns:start -->",
    "Randomized payments through `@payspec/terminal` on each protocol's simulator, with a `FileJournal` (fsync per",
    "record). Per payment one of: a plain payment, a decline, the answer dropped after the vendor committed",
    "(`drop-after-commit`), the POS process dying while that answer is lost (it is closed without any recovery attempt;",
    "a new process reopens the journal file and reconciles), the POS process dying between the journal write and the",
    "send, or a retry of an earlier reference. The run ends with one more restart and reconciliation, then the ledger",
    "check: the vendor's approved charges must equal the journal's approved payments, with no entry left open.",
    "Process death is simulated inside the test process at those two moments (the dying POS stops and its successor",
    "only has the journal file), not with an OS-level SIGKILL. The ledger is compared by counts: a lost payment or a",
    "double charge makes the vendor hold more charges than the journal approvals (`lost or charged twice`), an approval",
    "the vendor does not hold shows as `phantom`. Every protocol gets the same seed, hence the same fault sequence: the",
    "counts match across protocols by design, and the columns say what each protocol went through.",
    "",
    'Reproduce: `cd packages/terminal && CAMPAIGN_PAYMENTS=1200 CAMPAIGN_REPORT=../reliability/results/campaign npx vitest run -t "fault campaign" --testTimeout=2700000 --hookTimeout=600000`,',
    "then `npx -y pnpm@10 --filter @payspec/reliability full --report-only --campaigns results/campaign`.",
    "",
    `| protocol | distinct payments (+ retried references) | ${faults.join(" | ")} | approved | declined | failed (never reached the vendor) | recovered by reconciliation | vendor charges | **lost or charged twice** | phantom | left open | seconds |`,
    `|---|---:|${faults.map(() => "---:").join("|")}|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...campaigns.map(
      (c) =>
        `| ${c.protocol} | ${c.attempted} (+${c.byFault.repeat ?? 0}) | ${faults.map((f) => c.byFault[f] ?? 0).join(" | ")} | ${c.approved} | ${c.declined} | ${c.failed} | ${c.recovered} | ${c.vendorCharges} | **${c.lostOrChargedTwice}** | ${c.phantomApprovals} | ${c.open} | ${c.seconds.toFixed(1)} |`,
    ),
    "<!-- campaigns:end -->",
  ].join("\n");
}

function newestResults(): FullResults | undefined {
  const dir = new URL("../results/", import.meta.url);
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.startsWith("fuzz-"));
  } catch {
    return undefined;
  }
  const newest = files.sort().at(-1);
  return newest === undefined ? undefined : (JSON.parse(readFileSync(new URL(newest, dir), "utf8")) as FullResults);
}

function safeRead(path: URL): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

await main();
