/**
 * Codegen suite: a clean generation of every generated package from the specs, and a no-op
 * rebuild (turbo cache). By default the clean generation runs the emitter's `payspec-gen` for
 * every protocol × artifact into a temp folder (two at a time, as turbo does on 2 cores), so it
 * never rewrites the work tree; `--codegen-turbo` times `turbo run gen --force` in the repo
 * instead (what the issue names; do it on a quiet machine, no one else building).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, REPO_DIR, SPECS_DIR } from "../paths.js";
import type { Plan } from "../plan.js";
import { type BenchResult, result } from "../results.js";
import { PROTOCOLS } from "./server-targets.js";

export const ARTIFACTS = ["types", "validators", "client", "server"] as const;

interface Exit {
  code: number;
  output: string;
  seconds: number;
}

export function run(command: string, args: string[], cwd: string): Promise<Exit> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" },
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", (error) => resolve({ code: -1, output: String(error), seconds: 0 }));
    child.on("close", (code) => resolve({ code: code ?? -1, output, seconds: (performance.now() - start) / 1000 }));
  });
}

/** Runs `jobs` with at most `width` at once; rejects on the first failure. */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as () => Promise<T>;
      out.push(await job());
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, worker));
  return out;
}

async function isolatedGen(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), "payspec-bench-gen-"));
  try {
    const start = performance.now();
    const jobs = PROTOCOLS.flatMap((protocol) =>
      ARTIFACTS.map((artifact) => async () => {
        const cwd = join(dir, `${protocol}-${artifact}`);
        await import("node:fs/promises").then((fs) => fs.mkdir(cwd, { recursive: true }));
        const exit = await run(BIN("payspec-gen"), [protocol, artifact, "--specs", SPECS_DIR], cwd);
        if (exit.code !== 0) throw new Error(`payspec-gen ${protocol} ${artifact}: ${exit.output.slice(-500)}`);
      }),
    );
    await pool(jobs, cpus().length);
    return (performance.now() - start) / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const TURBO = join(REPO_DIR, "node_modules", ".bin", "turbo");

function cachedLine(output: string): string {
  return /Cached:\s+[^\n]*/.exec(output)?.[0]?.trim() ?? "";
}

export async function runCodegenSuite(plan: Plan, log: (line: string) => void): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const genMethod = plan.codegenTurbo
    ? {
        tool: "wall clock around `turbo run gen --force` (specs compile + 20 payspec-gen runs, turbo's parallelism)",
        payload: "all 5 protocols × 4 artifacts, written into the work tree",
        warmup: "none (a clean generation is what is timed)",
        run: "one full generation",
      }
    : {
        tool: `wall clock around payspec-gen for every protocol × artifact, ${cpus().length} at a time (one per core, as turbo runs them)`,
        payload:
          "all 5 protocols × 4 artifacts (TypeSpec compile + emit each), into a temp folder; the OpenAPI/JSON Schema compile of specs#gen is not included",
        warmup: "none (each run is a fresh process per artifact, as in a clean build)",
        run: "one full generation",
      };
  const gen: number[] = [];
  let genError: string | undefined;
  for (let i = 0; i < plan.codegenRuns; i++) {
    try {
      let seconds: number;
      if (plan.codegenTurbo) {
        const exit = await run(TURBO, ["run", "gen", "--force", "--output-logs=errors-only"], REPO_DIR);
        if (exit.code !== 0) throw new Error(`turbo run gen --force: ${exit.output.slice(-500)}`);
        seconds = exit.seconds;
      } else {
        seconds = await isolatedGen();
      }
      gen.push(seconds);
      log(`codegen full run ${i + 1}: ${seconds.toFixed(1)} s`);
    } catch (error) {
      genError = (error instanceof Error ? error.message : String(error)).slice(0, 300);
      break;
    }
  }
  out.push(
    result({
      suite: "codegen",
      id: "full",
      group: "Clean generation of every package",
      name: plan.codegenTurbo ? "turbo run gen --force" : "payspec-gen × 20",
      unit: "s",
      higherIsBetter: false,
      method: genMethod,
      samples: gen,
      targets: [{ op: "<=", value: 1, against: "20 s budget", reference: { value: 20 } }],
      ...(genError ? { error: genError } : {}),
    }),
  );

  // No-op rebuild: one build to fill the cache (untimed), then timed builds that should all hit it.
  const noop: number[] = [];
  const cached: string[] = [];
  let noopError: string | undefined;
  let filter: string[] = [];
  const first = await run(TURBO, ["run", "build", "--output-logs=errors-only"], REPO_DIR);
  if (first.code !== 0) {
    // Someone's package does not build right now: fall back to what the bench itself needs.
    filter = ["--filter=@payspec/bench..."];
    const again = await run(TURBO, ["run", "build", ...filter, "--output-logs=errors-only"], REPO_DIR);
    if (again.code !== 0) noopError = `turbo run build fails: ${again.output.slice(-300)}`;
  }
  for (let i = 0; i < plan.codegenRuns && !noopError; i++) {
    const exit = await run(TURBO, ["run", "build", ...filter, "--output-logs=errors-only"], REPO_DIR);
    if (exit.code !== 0) {
      noopError = `turbo run build: ${exit.output.slice(-300)}`;
      break;
    }
    noop.push(exit.seconds);
    cached.push(cachedLine(exit.output));
    log(`codegen no-op build run ${i + 1}: ${exit.seconds.toFixed(2)} s (${cachedLine(exit.output)})`);
  }
  const allCached = cached.every((c) => /(\d+) cached, \1 total/.test(c));
  out.push(
    result({
      suite: "codegen",
      id: "noop",
      group: "No-op rebuild (turbo cache)",
      name: `turbo run build${filter.length ? ` ${filter.join(" ")}` : ""} (second and later runs)`,
      unit: "s",
      higherIsBetter: false,
      method: {
        tool: "wall clock around `turbo run build` (process start to exit)",
        payload: filter.length
          ? "the packages @payspec/bench depends on (the whole repo did not build at the time)"
          : "every package of the repo",
        warmup: "one untimed `turbo run build` to fill the cache",
        run: "one `turbo run build`",
      },
      samples: noop,
      extra: { turbo: cached.at(-1) ?? "" },
      targets: [{ op: "<=", value: 1, against: "3 s budget", reference: { value: 3 } }],
      ...(noopError ? { error: noopError } : {}),
      ...(!allCached && !noopError
        ? {
            note: `not every task was a cache hit (${cached.join("; ")}): files changed between runs (other work on the machine), so this is not a pure no-op`,
          }
        : {}),
    }),
  );
  return out;
}
