/** Micro-benchmarks with tinybench: every task once per run, runs repeated; one ops/s sample per task per run. */
import { Bench } from "tinybench";
import type { Plan } from "./plan.js";

export type Tasks = Record<string, () => unknown>;

export async function micro(plan: Plan, tasks: Tasks): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(Object.keys(tasks).map((k) => [k, []]));
  for (let run = 0; run < plan.runs; run++) {
    const bench = new Bench({ time: plan.microMs, warmupTime: plan.microWarmupMs, warmupIterations: 10 });
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn);
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state === "errored") throw r.error;
      if (r.state !== "completed") throw new Error(`${task.name}: ${r.state}`);
      samples.get(task.name)?.push(1000 / r.period);
    }
  }
  return samples;
}

export function microMethod(plan: Plan, payload: string) {
  return {
    tool: "tinybench 6 (ops/s = 1000 / mean time per call)",
    payload,
    warmup: `${plan.microWarmupMs} ms and ≥ 10 calls per task per run`,
    run: `${plan.microMs} ms per task`,
  };
}
