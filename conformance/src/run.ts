/** `runConformance`: load, pick the target, run every scenario, measure coverage. */
import { type Coverage, coverage } from "./coverage.js";
import { runScenario, type ScenarioResult } from "./engine.js";
import { startPrism } from "./prism.js";
import { adapters } from "./protocols/index.js";
import type { SimulatorOptions, Target } from "./protocols/types.js";
import { type Capability, loadScenarios, type ProtocolName, type Scenario } from "./scenario.js";
import { loadSpec } from "./spec.js";

export interface RunOptions {
  protocol: ProtocolName;
  /** "simulator" (default), "sandbox", "prism", or a URL */
  target?: string;
  /** environment for sandbox credentials; default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** scenarios to run instead of the shipped ones */
  scenarios?: Scenario[];
  scenarioDir?: string;
  specDir?: string;
  /** only scenarios whose id contains this */
  filter?: string;
  /** only stateless scenarios */
  statelessOnly?: boolean;
  /** what a URL target offers besides HTTP (e.g. `test-values` for a server that honours the simulators' test values) */
  capabilities?: Capability[];
  /** how the "simulator" target starts (e.g. a request log sink) */
  simulator?: SimulatorOptions;
  /** called after each scenario (progress line) */
  onResult?: (result: ScenarioResult, index: number, total: number) => void;
  signal?: AbortSignal;
}

export interface RunResult {
  protocol: ProtocolName;
  target: { kind: Target["kind"] | "none"; label: string; url: string };
  results: ScenarioResult[];
  coverage: Coverage;
  /** why nothing ran (e.g. the sandbox's credentials are not set) */
  skipped?: string;
  durationMs: number;
}

async function openTarget(options: RunOptions): Promise<Target | { skip: string }> {
  const adapter = adapters[options.protocol];
  const env = options.env ?? process.env;
  const t = options.target ?? "simulator";
  if (t === "simulator") return adapter.startSimulator(options.simulator);
  if (t === "sandbox") return adapter.sandbox(env);
  if (t === "prism") {
    if (!adapter.prism.supported) return { skip: adapter.prism.reason };
    return startPrism(options.protocol, options.specDir);
  }
  if (/^https?:\/\//.test(t)) {
    const target = adapter.urlTarget(t.replace(/\/+$/, ""), env);
    return { ...target, capabilities: new Set([...target.capabilities, ...(options.capabilities ?? [])]) };
  }
  throw new TypeError(`unknown target ${JSON.stringify(t)}: simulator, sandbox, prism or an http(s) URL`);
}

export async function runConformance(options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const adapter = adapters[options.protocol];
  if (!adapter) throw new TypeError(`unknown protocol ${JSON.stringify(options.protocol)}`);
  const spec = loadSpec(
    options.protocol,
    adapter.validators.schemaBundle as { $defs: Record<string, unknown> },
    adapter.operations,
    options.specDir,
  );
  let scenarios = options.scenarios ?? loadScenarios(options.protocol, options.scenarioDir);
  if (options.filter) scenarios = scenarios.filter((s) => s.id.includes(options.filter!));
  if (options.statelessOnly) scenarios = scenarios.filter((s) => s.stateless);
  let target: Target | { skip: string };
  try {
    target = await openTarget(options);
  } catch (err) {
    // a target that does not start fails every scenario (the other protocols of a run go on)
    const reason = `the target did not start: ${(err as Error).message}`;
    const results: ScenarioResult[] = scenarios.map((s) => ({
      id: s.id,
      protocol: s.protocol,
      doc: s.doc,
      outcome: "failed",
      reason,
      failures: [reason],
      durationMs: 0,
      operations: [],
      messages: [],
    }));
    return {
      protocol: options.protocol,
      target: { kind: "none", label: options.target ?? "simulator", url: "" },
      results,
      coverage: coverage(spec, results),
      durationMs: Date.now() - started,
    };
  }
  if ("skip" in target) {
    const results: ScenarioResult[] = scenarios.map((s) => ({
      id: s.id,
      protocol: s.protocol,
      doc: s.doc,
      outcome: "skipped",
      reason: target.skip,
      failures: [],
      durationMs: 0,
      operations: [],
      messages: [],
    }));
    return {
      protocol: options.protocol,
      target: { kind: "none", label: options.target ?? "", url: "" },
      results,
      coverage: coverage(spec, results),
      skipped: target.skip,
      durationMs: Date.now() - started,
    };
  }
  const results: ScenarioResult[] = [];
  try {
    for (const [i, s] of scenarios.entries()) {
      const r = await runScenario(adapter, s, target, options.signal ? { signal: options.signal } : {});
      results.push(r);
      options.onResult?.(r, i, scenarios.length);
    }
  } finally {
    await target.close();
  }
  return {
    protocol: options.protocol,
    target: { kind: target.kind, label: target.label, url: target.url },
    results,
    coverage: coverage(spec, results),
    durationMs: Date.now() - started,
  };
}
