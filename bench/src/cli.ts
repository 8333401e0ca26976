/**
 * `pnpm bench [--quick] [--suite server,validators,…] [--protocol nexo,…] [--runs N] [--codegen-turbo]
 *   [--condition TEXT] [--out DIR] [--report FILE] [--no-report]`
 * Runs the suites, writes results/<date>.json (or <date>.quick.json) — merged with that file's
 * other suites when only some ran — and rewrites BENCHMARKS.md from it.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { BENCH_DIR } from "./paths.js";
import { makePlan, type Plan } from "./plan.js";
import { writeReport } from "./report.js";
import { type BenchResult, type RunFile, result, SUITES, type SuiteName } from "./results.js";
import { runClientSuite } from "./suites/client.js";
import { runCodecsSuite } from "./suites/codecs.js";
import { runCodegenSuite } from "./suites/codegen.js";
import { runSerialSuite } from "./suites/serial.js";
import { runServerSuite } from "./suites/server.js";
import { runValidatorsSuite } from "./suites/validators.js";

export interface CliOptions {
  quick: boolean;
  suites: SuiteName[];
  protocols?: string[];
  codegenTurbo: boolean;
  /** overrides the plan's number of timed runs (every suite) */
  runs?: number;
  condition: string;
  outDir: string;
  reportPath: string;
  report: boolean;
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    quick: false,
    suites: [...SUITES],
    codegenTurbo: false,
    condition: "not stated (pass --condition)",
    outDir: join(BENCH_DIR, "results"),
    reportPath: join(BENCH_DIR, "BENCHMARKS.md"),
    report: true,
  };
  const args = argv.filter((a) => a !== "--");
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--quick":
        options.quick = true;
        break;
      case "--suite":
      case "--suites": {
        const names = value().split(",");
        for (const n of names)
          if (!(SUITES as readonly string[]).includes(n)) throw new Error(`unknown suite ${n} (${SUITES.join(", ")})`);
        options.suites = names as SuiteName[];
        break;
      }
      case "--protocol":
        options.protocols = value().split(",");
        break;
      case "--runs": {
        const runs = Number(value());
        if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a whole number ≥ 1");
        options.runs = runs;
        break;
      }
      case "--codegen-turbo":
        options.codegenTurbo = true;
        break;
      case "--condition":
        options.condition = value();
        break;
      case "--out":
        options.outDir = value();
        break;
      case "--report":
        options.reportPath = value();
        break;
      case "--no-report":
        options.report = false;
        break;
      default:
        throw new Error(`unknown flag ${arg}`);
    }
  }
  return options;
}

type Runner = (plan: Plan, log: (line: string) => void) => Promise<BenchResult[]>;

export const RUNNERS: Record<SuiteName, Runner> = {
  server: runServerSuite,
  validators: runValidatorsSuite,
  client: runClientSuite,
  codecs: runCodecsSuite,
  codegen: runCodegenSuite,
  serial: runSerialSuite,
};

export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Runs the chosen suites and writes the results file (and the report). Returns the file's path. */
export async function runBench(
  options: CliOptions,
  log: (line: string) => void = (l) => console.log(l),
): Promise<{ file: string; run: RunFile }> {
  const plan = makePlan(options.quick, {
    codegenTurbo: options.codegenTurbo,
    ...(options.protocols ? { protocols: options.protocols } : {}),
    ...(options.runs ? { runs: options.runs, codegenRuns: options.runs } : {}),
  });
  const loadStart = loadavg();
  const results: BenchResult[] = [];
  for (const suite of options.suites) {
    log(`== ${suite}`);
    try {
      results.push(...(await RUNNERS[suite](plan, log)));
    } catch (error) {
      // One broken suite does not lose the others: it is reported as not measured.
      const message = error instanceof Error ? error.message : String(error);
      log(`suite ${suite} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      results.push(
        result({
          suite,
          id: "suite",
          group: "(suite failed)",
          name: suite,
          unit: "",
          higherIsBetter: true,
          method: { tool: "", payload: "", warmup: "", run: "" },
          samples: [],
          error: message.split("\n")[0]?.slice(0, 300) ?? message,
        }),
      );
    }
  }
  const date = today();
  await mkdir(options.outDir, { recursive: true });
  const file = join(options.outDir, `${date}${options.quick ? ".quick" : ""}.json`);
  // Merge with the same day's file: the suites not run this time keep their figures.
  let previous: RunFile | undefined;
  if (existsSync(file)) previous = JSON.parse(await readFile(file, "utf8")) as RunFile;
  const kept = previous?.results.filter((r) => !options.suites.includes(r.suite)) ?? [];
  const suites = SUITES.filter((s) => options.suites.includes(s) || previous?.suites.includes(s));
  const run: RunFile = {
    date,
    quick: options.quick,
    suites,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      loadStart,
      loadEnd: loadavg(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      condition: options.condition,
    },
    results: [...kept, ...results].sort((a, b) => SUITES.indexOf(a.suite) - SUITES.indexOf(b.suite)),
  };
  await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
  log(`results: ${file}`);
  if (options.report) {
    await writeReport(file, options.reportPath);
    log(`report: ${options.reportPath}`);
  }
  return { file, run };
}
