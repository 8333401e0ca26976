/**
 * The full-size campaigns, on demand: `npx -y pnpm@10 --filter @payspec/reliability full [--runs N] [--codec-runs N]`.
 * Writes results/<date>.json and rewrites RELIABILITY.md (beside this package) with the figures and how to reproduce them.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { CODECS, type CodecReport, fuzzCodec, type LineNoiseReport, lineNoise } from "./codecs.js";
import { type FuzzReport, fuzzTarget } from "./fuzz.js";
import { PROTOCOLS, startTarget } from "./targets.js";

export interface FullResults {
  readonly date: string;
  readonly machine: string;
  readonly seed: number;
  readonly endpoints: ReadonlyArray<FuzzReport & { readonly seconds: number }>;
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
    },
  });
  const runs = Number(values.runs);
  const codecRuns = Number(values["codec-runs"]);
  const seed = Number(values.seed);
  const endpoints: Array<FuzzReport & { seconds: number }> = [];
  for (const protocol of PROTOCOLS) {
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
    endpoints.push({ ...report, seconds: (performance.now() - started) / 1000 });
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
    /<!-- campaigns:start -->[\s\S]*<!-- campaigns:end -->/.exec(previous)?.[0] ??
    "<!-- campaigns:start -->\n_Fault campaign: not run yet._\n<!-- campaigns:end -->";
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
    `| protocol | requests | failures | ${statusColumns.map((s) => `HTTP ${s}`).join(" | ")} | seconds |`,
    `|---|---:|---:|${statusColumns.map(() => "---:").join("|")}|---:|`,
    ...results.endpoints.map(
      (e) =>
        `| ${e.protocol} | ${e.runs} | ${e.failures.length} | ${statusColumns.map((s) => e.byStatus[s] ?? 0).join(" | ")} | ${e.seconds.toFixed(1)} |`,
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
    "Frames of random Concert payloads with one flipped bit or one dropped byte, fed byte by byte to the frame reader.",
    "A frame whose LRC fails is answered NAK by the link layer (and resent by the sender, 3 tries); a frame lost entirely",
    "is resent on the sender's timer.",
    "",
    "| frames | corrupted and accepted | corrupted, caught by the LRC (NAK) | lost (resent on timeout) | intact |",
    "|---:|---:|---:|---:|---:|",
    `| ${results.lineNoise.frames} | **${results.lineNoise.corruptedAccepted}** | ${results.lineNoise.corruptedRejected} | ${results.lineNoise.lost} | ${results.lineNoise.intact} |`,
    "",
    "## Fault campaign through @payspec/terminal",
    "",
    campaignSection,
    "",
  ];
  writeFileSync(path, lines.join("\n"));
}

function safeRead(path: URL): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

await main();
