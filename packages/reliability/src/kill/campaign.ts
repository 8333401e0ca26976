/**
 * The SIGKILL campaign: randomized payments through @payspec/terminal in a separate POS process, with transport
 * faults on a random request of the payment (drop-after-commit, reset, timeout, busy, reader disconnect), and the POS
 * process killed with SIGKILL mid-payment (after the journal write, after a vendor answer arrived but before the adapter saw
 * it, or at a random moment, which may tear a journal write), then restarts. The restarted process has only the
 * journal file; it reconciles on connect. At the end the journal is compared with the vendor's ledger reference by
 * reference (`compareLedger`): 0 lost, 0 charged twice, 0 phantom approvals, 0 left open.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { compareLedger, FileJournal, type LedgerReport, type Outcome, type ProtocolName } from "@payspec/terminal";
import type { Hold, InjectedFault, Injection, PosCommand, PosEvent, PosStart } from "./config.js";
import { startKillVendor } from "./vendors.js";

export type KillFault =
  | "none"
  | "decline"
  | "repeat"
  | "kill-journalled"
  | "kill-answered"
  | "kill-random"
  | InjectedFault;

/** Relative weights of the faults drawn per payment (4 in 14 payments get a SIGKILL attempt, 5 in 14 a transport fault). */
const WEIGHTS: Readonly<Record<KillFault, number>> = {
  none: 3,
  decline: 1,
  repeat: 1,
  "kill-journalled": 1,
  "kill-answered": 2,
  "kill-random": 1,
  "drop-after-commit": 1,
  reset: 1,
  timeout: 1,
  busy: 1,
  disconnect: 1,
};
const INJECTED: ReadonlySet<KillFault> = new Set<InjectedFault>([
  "drop-after-commit",
  "reset",
  "timeout",
  "busy",
  "disconnect",
]);

export interface KillCampaignOptions {
  readonly protocol: ProtocolName;
  /** Payments drawn (repeats of an earlier reference included). */
  readonly payments: number;
  readonly seed?: number;
  /** Called after each payment (for progress output). */
  readonly onProgress?: (done: number) => void;
}

export interface KillCampaignResult {
  readonly protocol: ProtocolName;
  readonly seed: number;
  /** Payments journalled (distinct references). */
  readonly attempted: number;
  readonly byFault: Readonly<Record<KillFault, number>>;
  /** Faults not drawn for this protocol, with why. */
  readonly excluded: Readonly<Record<string, string>>;
  /** POS processes killed with SIGKILL mid-payment. */
  readonly kills: number;
  /** Kill attempts whose payment ended before the kill point (it completed normally). */
  readonly killsMissed: number;
  /** POS processes started (the first one included). */
  readonly processes: number;
  readonly approved: number;
  readonly declined: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Outcomes learned by reconciliation (after a kill or a lost answer). */
  readonly recovered: number;
  /** A repeated reference answered differently from its first outcome (must be 0). */
  readonly repeatMismatches: number;
  /** Ledger, reference by reference: agreed, lost, charged twice, phantom approvals (all but agreed must be 0). */
  readonly agreed: number;
  readonly lost: number;
  readonly chargedTwice: number;
  readonly phantomApprovals: number;
  /** Entries still open after the final reconciliation (must be 0). */
  readonly open: number;
  readonly vendorCharges: number;
  readonly seconds: number;
  /** The mismatches themselves (empty when all is well). */
  readonly ledger: LedgerReport;
}

/** mulberry32: a small seeded PRNG, so a campaign's fault sequence is reproducible from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(random: () => number, excluded: ReadonlySet<string>): KillFault {
  const weights = (Object.entries(WEIGHTS) as [KillFault, number][]).filter(([fault]) => !excluded.has(fault));
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  let at = random() * total;
  for (const [fault, weight] of weights) {
    at -= weight;
    if (at < 0) return fault;
  }
  return "none";
}

/** The compiled POS process (the campaign runs it with plain node, as a real POS would run). */
export function posProcessPath(): string {
  const here = import.meta.url;
  // Under vitest this module runs from src/; the child always runs the build output.
  const url = here.includes("/src/kill/")
    ? new URL("../../dist/kill/pos-process.js", here)
    : new URL("./pos-process.js", here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`${path} is missing: build @payspec/reliability first (pnpm turbo run build)`);
  return path;
}

/** One POS process and its event stream. */
class PosProcess {
  readonly #child: ChildProcess;
  readonly #events: PosEvent[] = [];
  #waiter: (() => void) | undefined;
  #stderr = "";
  readonly exited: Promise<void>;
  #exitedNow = false;

  constructor(start: PosStart) {
    this.#child = spawn(process.execPath, [posProcessPath()], { stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) =>
      this.#child.once("exit", () => {
        this.#exitedNow = true;
        this.#waiter?.();
        resolve();
      }),
    );
    createInterface({ input: this.#child.stdout! }).on("line", (line) => {
      this.#events.push(JSON.parse(line) as PosEvent);
      this.#waiter?.();
    });
    this.#child.stderr!.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    this.#child.stdin!.on("error", () => {}); // writes to a killed process
    this.#child.stdin!.write(`${JSON.stringify(start)}\n`);
  }

  send(command: PosCommand): void {
    this.#child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** The next event; undefined when `timeoutMs` passes first. Throws if the process died on its own. */
  async next(timeoutMs = 120_000): Promise<PosEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = this.#events.shift();
      if (event !== undefined) {
        if (event.event === "error" && event.reference === undefined)
          throw new Error(`the POS process failed: ${event.message}`);
        return event;
      }
      if (this.#exitedNow) throw new Error(`the POS process exited unexpectedly: ${this.#stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiter = undefined;
    }
  }

  async expect<E extends PosEvent["event"]>(...kinds: E[]): Promise<Extract<PosEvent, { event: E }>> {
    const event = await this.next();
    if (event === undefined) throw new Error(`no event from the POS process (waiting for ${kinds.join("/")})`);
    if (!kinds.includes(event.event as E))
      throw new Error(`the POS process said ${JSON.stringify(event)} (waiting for ${kinds.join("/")})`);
    return event as Extract<PosEvent, { event: E }>;
  }

  async kill(): Promise<void> {
    this.#child.kill("SIGKILL");
    await this.exited;
  }

  async exit(): Promise<void> {
    this.send({ op: "exit" });
    await this.exited;
  }
}

export async function runKillCampaign(options: KillCampaignOptions): Promise<KillCampaignResult> {
  const { protocol, payments } = options;
  const seed = options.seed ?? 20261123;
  const random = prng(seed);
  const started = performance.now();
  const vendor = await startKillVendor(protocol);
  const excluded = new Set(Object.keys(vendor.excluded ?? {}));
  const dir = mkdtempSync(join(tmpdir(), `payspec-kill-${protocol}-`));
  const start: PosStart = { config: vendor.config, journalPath: join(dir, "journal.jsonl") };
  const byFault = Object.fromEntries(Object.keys(WEIGHTS).map((fault) => [fault, 0])) as Record<KillFault, number>;
  /** what the POS said of each reference (from its answer or a reconciliation) */
  const known = new Map<string, Outcome>();
  let processes = 0;
  let kills = 0;
  let killsMissed = 0;
  let repeatMismatches = 0;
  /** most HTTP exchanges seen in one payment, and the mean duration of one: where the kill points are drawn */
  let maxExchanges = 2;
  let meanMs = 50;

  /** A new POS process, once it reconciled its journal; `open` = entries it could not settle yet. */
  const launch = async (): Promise<{ pos: PosProcess; open: number }> => {
    const pos = new PosProcess(start);
    processes++;
    const ready = await pos.expect("ready");
    for (const outcome of ready.reconciled) known.set(outcome.reference, outcome);
    return { pos, open: ready.open };
  };
  const settle = (event: PosEvent): void => {
    if (event.event === "outcome") {
      known.set(event.reference, event.outcome);
      maxExchanges = Math.max(maxExchanges, event.exchanges);
    }
  };

  let { pos } = await launch();
  try {
    let last: { reference: string; amount: number } | undefined;
    for (let index = 0; index < payments; index++) {
      const fault = draw(random, excluded);
      byFault[fault]++;
      let reference = `k${seed}-${index}`;
      let amount = fault === "decline" ? vendor.declinedAmount : vendor.approvedAmount;
      if (fault === "repeat" && last !== undefined) ({ reference, amount } = last);
      const hold: Hold | undefined =
        fault === "kill-journalled"
          ? { at: "journalled" }
          : fault === "kill-answered"
            ? { at: "answered", n: 1 + Math.floor(random() * maxExchanges) }
            : undefined;
      const killAfterMs = fault === "kill-random" ? random() * 1.5 * meanMs : undefined;
      const inject: Injection | undefined = INJECTED.has(fault)
        ? { n: 1 + Math.floor(random() * maxExchanges), fault: fault as InjectedFault }
        : undefined;
      const before = known.get(reference);
      const t0 = performance.now();
      pos.send({
        op: "pay",
        amount,
        currency: vendor.currency,
        reference,
        ...(hold ? { hold } : {}),
        ...(inject ? { inject } : {}),
      });

      let event: PosEvent | undefined;
      if (killAfterMs !== undefined) event = await pos.next(killAfterMs);
      else event = await pos.expect("outcome", "error", "held");

      if (event === undefined || event.event === "held") {
        await pos.kill();
        kills++;
        ({ pos } = await launch());
      } else {
        if (hold !== undefined || killAfterMs !== undefined) killsMissed++;
        settle(event);
        if (fault === "none" && event.event === "outcome") meanMs = meanMs * 0.9 + (performance.now() - t0) * 0.1;
        if (fault === "repeat" && before !== undefined && event.event === "outcome") {
          if (JSON.stringify(event.outcome) !== JSON.stringify(before)) repeatMismatches++;
        }
      }
      if (fault !== "repeat") last = { reference, amount };
      options.onProgress?.(index + 1);
    }
    // The last process ends normally; restarts reconcile until nothing is open (a vendor may still be finishing).
    await pos.exit();
    for (let round = 0; ; round++) {
      const restarted = await launch();
      pos = restarted.pos;
      await pos.exit();
      if (restarted.open === 0 || round >= 20) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await pos.kill().catch(() => {});
  }

  const journal = await FileJournal.open(start.journalPath);
  const entries = journal.entries();
  const charges = vendor.ledger();
  const ledger = compareLedger(entries, charges, vendor.ledgerKey);
  await journal.dispose();
  await vendor.close();
  rmSync(dir, { recursive: true, force: true });
  const outcomes = entries.map((entry) => entry.outcome).filter((o): o is Outcome => o !== undefined);
  const count = (status: Outcome["status"]) => outcomes.filter((o) => o.status === status).length;
  return {
    protocol,
    seed,
    attempted: entries.length,
    byFault,
    excluded: vendor.excluded ?? {},
    kills,
    killsMissed,
    processes,
    approved: count("approved"),
    declined: count("declined"),
    failed: count("failed"),
    cancelled: count("cancelled"),
    recovered: outcomes.filter((o) => o.recovered === true).length,
    repeatMismatches,
    agreed: ledger.agreed,
    lost: ledger.lost.length,
    chargedTwice: ledger.chargedTwice.length,
    phantomApprovals: ledger.phantom.length,
    open: ledger.open.length,
    vendorCharges: charges.length,
    seconds: (performance.now() - started) / 1000,
    ledger,
  };
}
