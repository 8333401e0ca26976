/**
 * Fault injection for simulators, set per run (`MountOptions.faults`) or per request with the
 * `Payspec-Fault` header, e.g. `Payspec-Fault: latency=1500, drop-after-commit`.
 *
 * Transport faults are carried out here for every protocol:
 * - `latency=<ms>`: answer after an added delay;
 * - `reset`: destroy the connection before the handler runs (nothing committed);
 * - `drop-after-commit`: run the handler (the transaction commits), then destroy the connection
 *   instead of answering: the client cannot know the outcome and must recover it.
 * Protocol faults are handed to the handler (`ctx.faults`) for the simulator to act on:
 * - `busy`: the device is in use (nexo Busy, Stripe reader busy, HiPay 409, ...);
 * - `decline`: the payment is refused by the issuer;
 * - `disconnect`: the reader drops its connection mid-transaction.
 */

export interface FaultPlan {
  latencyMs?: number;
  reset?: boolean;
  dropAfterCommit?: boolean;
  busy?: boolean;
  decline?: boolean;
  disconnect?: boolean;
}

/** A plan given as a probability per fault, for randomized campaigns (each request draws). */
export interface FaultRates {
  latencyMs?: number;
  reset?: number;
  dropAfterCommit?: number;
  busy?: number;
  decline?: number;
  disconnect?: number;
}

export const FAULT_HEADER = "payspec-fault";

const flags = {
  reset: "reset",
  "drop-after-commit": "dropAfterCommit",
  busy: "busy",
  decline: "decline",
  disconnect: "disconnect",
} as const satisfies Record<string, keyof FaultPlan>;

/** Parses a `Payspec-Fault` header value; unknown words are returned so the server can refuse them. */
export function parseFaultHeader(value: string | undefined): { plan: FaultPlan; unknown: string[] } {
  const plan: FaultPlan = {};
  const unknown: string[] = [];
  if (!value) return { plan, unknown };
  for (const part of value.split(/[,;]/)) {
    const word = part.trim().toLowerCase();
    if (!word) continue;
    const latency = /^latency=(\d{1,6})$/.exec(word);
    if (latency) {
      plan.latencyMs = Number(latency[1]);
      continue;
    }
    const key = (flags as Record<string, keyof FaultPlan>)[word];
    if (key) (plan as Record<string, unknown>)[key] = true;
    else unknown.push(word);
  }
  return { plan, unknown };
}

/** Draws a concrete plan from rates with the given random source (seeded in campaigns). */
export function drawFaults(rates: FaultRates, random: () => number = Math.random): FaultPlan {
  const plan: FaultPlan = {};
  if (rates.latencyMs) plan.latencyMs = rates.latencyMs;
  for (const k of ["reset", "dropAfterCommit", "busy", "decline", "disconnect"] as const) {
    const p = rates[k];
    if (p && random() < p) plan[k] = true;
  }
  return plan;
}

/** The run plan overlaid with the request's own header plan. */
export function mergeFaults(run: FaultPlan | undefined, request: FaultPlan): FaultPlan {
  return { ...run, ...request };
}
