/** How long and how often each suite measures: the full plan, or --quick (plumbing, indicative figures). */
export interface Plan {
  quick: boolean;
  /** timed runs per contender (contenders interleaved run by run) */
  runs: number;
  /** autocannon: warm-up per contender, ms */
  loadWarmupMs: number;
  /** autocannon: one run is bounded by this time (s) and this many requests */
  loadSeconds: number;
  loadAmount: number;
  loadConnections: number;
  /** tinybench: time per task per run, ms, and warm-up time per task, ms */
  microMs: number;
  microWarmupMs: number;
  /** sequential client requests per run (and warm-up requests) */
  clientRequests: number;
  clientWarmup: number;
  /** serial round trips per run */
  serialTrips: number;
  /** codegen timed runs */
  codegenRuns: number;
  /** protocols of the server suite (all by default) */
  protocols?: string[];
  /** the codegen suite times `turbo run gen --force` in the work tree instead of payspec-gen into a temp dir */
  codegenTurbo: boolean;
}

export function makePlan(quick: boolean, overrides: Partial<Plan> = {}): Plan {
  const base: Plan = quick
    ? {
        quick,
        runs: 1,
        loadWarmupMs: 300,
        loadSeconds: 1,
        loadAmount: 2_000,
        loadConnections: 10,
        microMs: 100,
        microWarmupMs: 20,
        clientRequests: 100,
        clientWarmup: 20,
        serialTrips: 1,
        codegenRuns: 1,
        codegenTurbo: false,
      }
    : {
        quick,
        runs: 5,
        loadWarmupMs: 2_000,
        loadSeconds: 5,
        loadAmount: 100_000,
        loadConnections: 10,
        microMs: 1_000,
        microWarmupMs: 200,
        clientRequests: 2_000,
        clientWarmup: 300,
        serialTrips: 5,
        codegenRuns: 3,
        codegenTurbo: false,
      };
  return { ...base, ...overrides };
}
