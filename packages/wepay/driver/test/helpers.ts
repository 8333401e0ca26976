import { WePayClient, wepayAuth } from "@payspec/wepay-client";
import { type RunningWePaySimulator, startWePaySimulator } from "@payspec/wepay-server";
import type { CardReaderStatus } from "@payspec/wepay-types";
import type { Timers } from "../src/index.js";

export const ACCOUNT = "0ef0dcd6-a2c6-49c4-9051-bbbe5c6c36e2";

/** Timers the test fires by hand: the 60 s card timeout without waiting 60 s. */
export class FakeTimers implements Timers {
  #next = 0;
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.#next;
    this.pending.set(id, { callback, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Runs every pending timer as if its time had come. */
  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const t of due) t.callback();
  }
}

export async function startSim(now?: () => number): Promise<{ sim: RunningWePaySimulator; client: WePayClient }> {
  const sim = await startWePaySimulator({ host: "127.0.0.1", port: 0, ...(now === undefined ? {} : { now }) });
  const client = new WePayClient({ baseUrl: sim.url, auth: wepayAuth(sim.credentials) });
  return { sim, client };
}

export function statusLog(): { statuses: CardReaderStatus[]; onStatus: (e: { status: CardReaderStatus }) => void } {
  const statuses: CardReaderStatus[] = [];
  return { statuses, onStatus: (e) => statuses.push(e.status) };
}

/** Resolves after pending immediates ran (the simulated reader delivers signals with setImmediate). */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
