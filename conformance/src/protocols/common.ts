import type { Capability } from "../scenario.js";

/** A clock the scenarios move (`advanceClock`); it starts at the real time. */
export function manualClock(start = Date.now()): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

/** What an in-process simulator offers. */
export const simulatorCapabilities: ReadonlySet<Capability> = new Set<Capability>([
  "simulator",
  "test-values",
  "clock",
  "faults",
  "callbacks",
  "listener",
  "semantics",
]);
