/**
 * The full-size campaigns, on demand: `npx -y pnpm@10 --filter @payspec/reliability full [--runs N] [--codec-runs N]
 * [--kill-payments N] [--only kill]`. Writes results/fuzz-<date>.json and results/kill/<protocol>.json and rewrites
 * RELIABILITY.md (beside this package) with the figures and how to reproduce them.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CODECS, type CodecReport, fuzzCodec, type LineNoiseReport, lineNoise } from "./codecs.js";
import { type FuzzReport, fuzzTarget } from "./fuzz.js";
import { type KillCampaignResult, runKillCampaign } from "./kill/campaign.js";
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
      /** Payments per protocol of the SIGKILL campaign (POS in a child process). */
      "kill-payments": { type: "string", default: "1000" },
      /** `kill`: run only the SIGKILL campaign (for --protocols), keep the other figures. */
      only: { type: "string" },
    },
  });
  const campaigns = values.campaigns === undefined ? undefined : readCampaigns(resolve(values.campaigns));
  if (values.only === "kill") {
    const chosenKill =
      values.protocols === undefined ? PROTOCOLS : PROTOCOLS.filter((p) => values.protocols?.split(",").includes(p));
    const killed = await runKills(chosenKill, Number(values["kill-payments"]), Number(values.seed));
    const kept = newestResults();
    if (kept !== undefined) writeReport(campaigns === undefined ? kept : { ...kept, campaigns });
    process.exitCode = killed.some(killFailed) ? 1 : 0;
    return;
  }
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
  const killed = await runKills(chosen, Number(values["kill-payments"]), seed);
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
    noise.corruptedAccepted > 0 ||
    killed.some(killFailed);
  process.exitCode = failed ? 1 : 0;
}

const KILL_DIR = new URL("../results/kill/", import.meta.url);

const killFailed = (k: KillCampaignResult): boolean =>
  k.lost + k.chargedTwice + k.phantomApprovals + k.open + k.repeatMismatches > 0;

/** Runs the SIGKILL campaign for each protocol and writes results/kill/<protocol>.json. */
async function runKills(protocols: readonly string[], payments: number, seed: number): Promise<KillCampaignResult[]> {
  mkdirSync(KILL_DIR, { recursive: true });
  const results: KillCampaignResult[] = [];
  for (const protocol of PROTOCOLS.filter((p) => protocols.includes(p))) {
    let last = 0;
    const result = await runKillCampaign({
      protocol,
      payments,
      seed,
      onProgress: (done) => {
        if (done - last >= 50 || done === payments) {
          last = done;
          process.stderr.write(`\rkill ${protocol}: ${done}/${payments}`);
        }
      },
    });
    process.stderr.write("\n");
    writeFileSync(
      new URL(`${protocol}.json`, KILL_DIR),
      `${JSON.stringify({ ...result, ranAt: new Date().toISOString() }, null, 2)}\n`,
    );
    results.push(result);
  }
  return results;
}

function readKills(): Array<KillCampaignResult & { ranAt?: string }> {
  let files: string[] = [];
  try {
    files = readdirSync(KILL_DIR).filter((file) => file.endsWith(".json"));
  } catch {
    return [];
  }
  return files.sort().map((file) => JSON.parse(readFileSync(new URL(file, KILL_DIR), "utf8")));
}

function killMarkdown(kills: ReadonlyArray<KillCampaignResult & { ranAt?: string }>): string {
  if (kills.length === 0) return "_SIGKILL campaign: not run yet._";
  return [
    "Each payment goes through `@payspec/terminal` in a POS that is a separate Node.js process (`src/kill/pos-process.ts`,",
    "run from the build output) with a `FileJournal`; the simulator lives in the campaign's process and outlives it.",
    "Per payment one of: a plain payment, a decline, a retry of an earlier reference; a transport fault on a random HTTP",
    "request of the payment (through the simulators' `Payspec-Fault` header: the answer dropped after commit, a reset",
    "before the handler, a timeout where the server answers 400 ms late and the client gives up at 150 ms, Busy/in use,",
    "a reader disconnect); or a SIGKILL of the POS process (`kill(2)`, no cleanup runs): right after the journal entry",
    "is durable (nothing sent yet); right after the n-th HTTP answer of the payment arrived, before the adapter read it",
    "(n drawn from 1 to the most exchanges a payment used: the vendor did its part, the POS never learns it); or at a",
    "random moment within 1.5× a payment's mean duration, which can land anywhere, including inside a journal write.",
    "A new process then opens the journal file and reconciles on connect. The run ends with restarts until nothing is",
    "open, then the ledger is compared with the vendor's own record of approved charges (`settlement()`) **reference",
    "by reference** (`compareLedger`): each journal payment must have exactly one charge if approved and none",
    "otherwise, and no charge may exist under a key the journal lacks. A kill attempt whose payment finished before",
    "the kill point counts as missed (the payment simply completed).",
    "",
    ...kills.flatMap((k) =>
      Object.entries(k.excluded ?? {}).map(([fault, why]) => `Not drawn for ${k.protocol}: \`${fault}\`: ${why}.`),
    ),
    "",
    "Reproduce: `npx -y pnpm@10 --filter @payspec/reliability full --only kill [--kill-payments 1000] [--protocols wepay,nexo]`.",
    "",
    "| protocol | payments (distinct) | plain | decline | retry | drop after commit | reset | timeout | busy | disconnect | kill after journal | kill after answer | kill at random | POS processes killed (SIGKILL) | kills missed | processes started | approved | declined | failed | recovered by reconciliation | ledger agreed | **lost** | **charged twice** | phantom | left open | retry mismatches | seconds | run at |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...kills.map(
      (k) =>
        `| ${k.protocol} | ${k.attempted} | ${k.byFault.none} | ${k.byFault.decline} | ${k.byFault.repeat} | ${k.byFault["drop-after-commit"] ?? 0} | ${k.byFault.reset ?? 0} | ${k.byFault.timeout ?? 0} | ${k.byFault.busy ?? 0} | ${k.byFault.disconnect ?? 0} | ${k.byFault["kill-journalled"]} | ${k.byFault["kill-answered"]} | ${k.byFault["kill-random"]} | ${k.kills} | ${k.killsMissed} | ${k.processes} | ${k.approved} | ${k.declined} | ${k.failed} | ${k.recovered} | ${k.agreed} | **${k.lost}** | **${k.chargedTwice}** | ${k.phantomApprovals} | ${k.open} | ${k.repeatMismatches} | ${k.seconds.toFixed(1)} | ${(k.ranAt ?? "?").slice(0, 16).replace("T", " ")} |`,
    ),
  ].join("\n");
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
    "## Auth, secrets and logs",
    "",
    "These run in full in the test command on every CI run (they are not sampled, so there is no larger size):",
    "",
    "- `test/auth.test.ts`: every protected operation of WePay (App-Id/App-Token), Stripe (secret key), HiPay (Basic)",
    "  and Payneteasy (OAuth 1.0) refuses missing and wrong credentials in the vendor's error shape, and accepts the same",
    "  example request with the right ones; Payneteasy refuses a stale OAuth timestamp and a replayed nonce, and answers",
    "  a status only for the right `control` checksum.",
    "- `test/constant-time.test.ts`: a scan of every handwritten source (runtime, terminal, servers, clients, drivers)",
    "  finds no `===`/`!==` on a secret-named value; each scheme's checker calls `constantTimeEqual` (SHA-256 of both",
    "  sides, then `timingSafeEqual`). The scan found the WePay simulator's session-token lookup, fixed.",
    "- `test/logs.test.ts`: all 72 conformance scenarios against the five simulators, then hostile input (card numbers",
    "  and secrets in queries, unknown fields, broken bodies, 404s, a 1.1 MB body, faults), logged with bodies through",
    "  `attachRequestLog`. The logs hold no Luhn-valid 13–19 digit run, none of the simulators' credentials and none of",
    "  the tokens seen on the raw wire (session tokens, connection-token secrets, encoded payment methods, control",
    "  checksums, OAuth signatures); card numbers that crossed the wire appear masked. A negative control runs the same",
    "  scan over the raw traffic (captured under `node:http`) and finds them.",
    "- Parser attacks (XML entity expansion and external entities, 1–3 MB bodies answered 413, 50,000-deep nesting,",
    "  `__proto__`/`constructor` keys in JSON and form bodies) are part of the endpoint and codec fuzzing above.",
    "",
    "## Fault campaign through @payspec/terminal",
    "",
    campaignSection,
    "",
    "## POS process killed with SIGKILL",
    "",
    killMarkdown(readKills()),
    "",
  ];
  writeFileSync(path, lines.join("\n"));
}

/**
 * One protocol's in-process fault campaign, as packages/terminal/test/campaign.ts writes it: the same figures as the
 * SIGKILL campaign's, with its own fault names.
 */
type CampaignResult = Pick<
  KillCampaignResult,
  | "protocol"
  | "seed"
  | "attempted"
  | "approved"
  | "declined"
  | "failed"
  | "cancelled"
  | "recovered"
  | "agreed"
  | "lost"
  | "chargedTwice"
  | "phantomApprovals"
  | "open"
  | "vendorCharges"
  | "seconds"
> & { readonly byFault: Record<string, number> };

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
    "check against the vendor's own record, reference by reference (`compareLedger`): `lost` = charged while the journal",
    "says not approved (or has no entry), `charged twice` = two charges under one payment's key, `phantom` = approved",
    "in the journal with no charge. Process death here is simulated inside the test process at those two moments (the",
    "dying POS stops and its successor only has the journal file); the next section kills real processes. Every",
    "protocol gets the same seed, hence the same fault sequence: the counts match across protocols by design.",
    "",
    'Reproduce: `cd packages/terminal && CAMPAIGN_PAYMENTS=1200 CAMPAIGN_REPORT=../reliability/results/campaign npx vitest run -t "fault campaign" --testTimeout=2700000 --hookTimeout=600000`,',
    "then `npx -y pnpm@10 --filter @payspec/reliability full --report-only --campaigns results/campaign`.",
    "",
    `| protocol | distinct payments (+ retried references) | ${faults.join(" | ")} | approved | declined | failed (never reached the vendor) | recovered by reconciliation | vendor charges | ledger agreed | **lost** | **charged twice** | phantom | left open | seconds |`,
    `|---|---:|${faults.map(() => "---:").join("|")}|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...campaigns.map(
      (c) =>
        `| ${c.protocol} | ${c.attempted} (+${c.byFault.repeat ?? 0}) | ${faults.map((f) => c.byFault[f] ?? 0).join(" | ")} | ${c.approved} | ${c.declined} | ${c.failed} | ${c.recovered} | ${c.vendorCharges} | ${c.agreed} | **${c.lost}** | **${c.chargedTwice}** | ${c.phantomApprovals} | ${c.open} | ${c.seconds.toFixed(1)} |`,
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
