// A manual clock for the link's timers: nothing fires until the test advances time.
import type { LinkTimers } from "../src/index.js";

export interface ManualTimers {
  readonly timers: LinkTimers;
  /** Moves time forward and fires every timer that is due, in order. */
  advance(ms: number): void;
  /** Timers waiting to fire. */
  pending(): number;
}

export function manualTimers(): ManualTimers {
  let now = 0;
  let next = 0;
  const waiting = new Map<number, { at: number; callback: () => void }>();
  return {
    timers: {
      setTimeout(callback, ms) {
        const handle = ++next;
        waiting.set(handle, { at: now + ms, callback });
        return handle;
      },
      clearTimeout(handle) {
        waiting.delete(handle as number);
      },
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...waiting].filter(([, t]) => t.at <= until).sort((x, y) => x[1].at - y[1].at)[0];
        if (!due) break;
        waiting.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
    },
    pending: () => waiting.size,
  };
}

/** Lets the memory line deliver what was written (it delivers on setImmediate). */
export const flush = async (rounds = 4): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
};
