/**
 * What a bench run writes to bench/results/<date>.json, and what the report writer reads.
 * One `BenchResult` per measured thing; a result with a `target` is compared with its
 * `reference` (another result's median, or a fixed limit).
 */
import type { Summary } from "./stats.js";
import { summarize } from "./stats.js";

export const SUITES = ["server", "validators", "client", "codecs", "codegen", "serial"] as const;
export type SuiteName = (typeof SUITES)[number];

export interface Method {
  /** what measured it: autocannon 9, tinybench 6, wall clock (performance.now), … */
  tool: string;
  /** what was sent or processed */
  payload: string;
  /** warm-up before the timed runs */
  warmup: string;
  /** how one run is bounded (count, time) */
  run: string;
}

export interface Target {
  /** "≥" means the ratio must be at least value, "≤" at most */
  op: ">=" | "<=";
  value: number;
  /** what the ratio is taken against, in words ("raw node:http", "Prism", "line time") */
  against: string;
  /** shown for information: no target is set, `value` is not checked */
  info?: boolean;
  /** the result (same suite) whose median is the reference, or a fixed reference value */
  reference: { id: string } | { value: number };
  /** set by `compare()`: this result's median / the reference */
  ratio?: number;
  met?: boolean;
}

export interface BenchResult {
  suite: SuiteName;
  /** a stable id within the suite, e.g. "stripe-terminal/payspec" */
  id: string;
  /** the group a row is shown in, e.g. "stripe-terminal GET /v1/terminal/readers" */
  group: string;
  /** the contender, e.g. "payspec simulator", "raw node:http", "Prism" */
  name: string;
  unit: string;
  higherIsBetter: boolean;
  method: Method;
  samples: number[];
  summary: Summary;
  /** secondary figures (p99 latency, non-2xx counts, …) */
  extra?: Record<string, number | string>;
  /** the targets this result is held to (none for a reference) */
  targets?: Target[];
  /** why a target is missed and what would close it; or any caveat */
  note?: string;
  /** set when the measurement could not be made */
  error?: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  /** os.loadavg() at the start and at the end of the run */
  loadStart: number[];
  loadEnd: number[];
  node: string;
  platform: string;
  /** free text: "shared with other jobs", … */
  condition: string;
}

export interface RunFile {
  date: string;
  quick: boolean;
  suites: SuiteName[];
  machine: MachineInfo;
  results: BenchResult[];
}

export function result(fields: Omit<BenchResult, "summary" | "samples"> & { samples: number[] }): BenchResult {
  return { ...fields, summary: summarize(fields.samples) };
}

/**
 * Fills `ratio` (this median / the reference) and `met` of every target: throughput targets are
 * "≥" (e.g. ≥ 0.7× raw node:http), time targets "≤" (e.g. ≤ 1.15× raw). A target whose reference
 * was not measured keeps `met` undefined.
 */
export function compare(results: BenchResult[]): BenchResult[] {
  return results.map((r) => {
    if (!r.targets || r.error) return r;
    const targets = r.targets.map((t): Target => {
      const { ratio: _r, met: _m, ...bare } = t;
      let refValue: number | undefined;
      if ("id" in t.reference) {
        const id = t.reference.id;
        const ref = results.find((o) => o.suite === r.suite && o.id === id);
        refValue = ref && !ref.error ? ref.summary.median : undefined;
      } else {
        refValue = t.reference.value;
      }
      if (refValue === undefined || !Number.isFinite(refValue) || refValue === 0) return bare;
      const ratio = r.summary.median / refValue;
      if (t.info) return { ...bare, ratio };
      return { ...bare, ratio, met: t.op === ">=" ? ratio >= t.value : ratio <= t.value };
    });
    return { ...r, targets };
  });
}
