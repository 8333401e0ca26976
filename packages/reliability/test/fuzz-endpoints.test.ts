// Every server endpoint of every protocol under random and mutated requests (bounded for CI; `pnpm --filter
// @payspec/reliability full` runs 10,000 per protocol and writes RELIABILITY.md). Seeds are fixed so a failure
// reproduces; FUZZ_SEED=random hunts with a new one (printed on failure).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzTarget } from "../src/fuzz.js";
import { PROTOCOLS, type RunningTarget, startTarget } from "../src/targets.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const SEED =
  process.env.FUZZ_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261123);

describe.each(PROTOCOLS)("%s endpoints under fuzzing", (protocol) => {
  let target: RunningTarget;
  beforeAll(async () => {
    target = await startTarget(protocol);
  });
  afterAll(async () => {
    await target?.close();
  });

  it(`answers ${RUNS} malformed, mutated and hostile requests with declared, vendor-shaped statuses: no 5xx, no dropped connection`, async () => {
    const report = await fuzzTarget(target, { runs: RUNS, seed: SEED });
    const problems = report.failures
      .slice(0, 8)
      .map((f) => `${f.operation} ${JSON.stringify(f.verdict)} case=${JSON.stringify(f.case).slice(0, 300)}`);
    expect(problems, `seed ${SEED}`).toEqual([]);
    expect(report.polluted).toBe(false);
    // The campaign reached the validation layer, not only the front door.
    const statuses = Object.keys(report.byStatus).map(Number);
    expect(
      statuses.some((status) => status === 400 || status === 200 || status === 413 || status === 415 || status === 404),
    ).toBe(true);
  });
});
