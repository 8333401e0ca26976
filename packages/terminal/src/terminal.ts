/**
 * `createTerminal(adapter, { journal })`: the Terminal API over one protocol adapter. It owns the journal
 * discipline so every adapter gets it the same way:
 * 1. a new reference gets vendor ids from the adapter, and an open journal entry (fsynced) BEFORE the request leaves;
 * 2. a known final outcome closes the entry;
 * 3. a lost answer (timeout, reset, disconnect, crash) is never guessed: the adapter asks the vendor by the journalled
 *    ids until the outcome is final, or the entry stays open for the next `reconcile`;
 * 4. a reference already journalled returns its recorded outcome instead of paying again.
 */
import { OutcomeUnknownError, TerminalError } from "./errors.js";
import type { Journal } from "./journal.js";
import { MemoryJournal } from "./journal.js";
import type {
  AdapterContext,
  CallOptions,
  JournalEntry,
  OperationKind,
  Outcome,
  PayRequest,
  RefundRequest,
  Terminal,
  TerminalAdapter,
  TerminalEvent,
  TerminalListener,
} from "./types.js";

export interface RecoveryPolicy {
  /** How many times to ask the vendor while it answers "in-progress" (default 20). */
  readonly attempts?: number;
  /** Wait between two asks, in ms (default 1000). */
  readonly intervalMs?: number;
  /** Injectable sleep, for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface CreateTerminalOptions {
  /** Where requests are journalled; default an in-memory journal (lost on a crash: use `FileJournal` in production). */
  readonly journal?: Journal;
  readonly recovery?: RecoveryPolicy;
}

const REFERENCE = /^[\x21-\x7e]{1,64}$/;
const CURRENCY = /^[A-Z]{3}$/;

function checkMoney(request: { amount: number; currency: string; reference: string }): void {
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
    throw new TypeError(`amount must be a positive integer in minor units, got ${String(request.amount)}`);
  }
  if (typeof request.currency !== "string" || !CURRENCY.test(request.currency)) {
    throw new TypeError(
      `currency must be an ISO 4217 alphabetic code such as "EUR", got ${JSON.stringify(request.currency)}`,
    );
  }
  if (typeof request.reference !== "string" || !REFERENCE.test(request.reference)) {
    throw new TypeError("reference must be 1 to 64 printable ASCII characters without spaces");
  }
}

function sameRequest(entry: JournalEntry, kind: OperationKind, request: PayRequest | RefundRequest): boolean {
  const a = entry.request as Partial<RefundRequest>;
  const b = request as Partial<RefundRequest>;
  return (
    entry.kind === kind &&
    a.amount === b.amount &&
    a.currency === b.currency &&
    a.paymentReference === b.paymentReference
  );
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createTerminal(adapter: TerminalAdapter, options: CreateTerminalOptions = {}): Terminal {
  const journal = options.journal ?? new MemoryJournal();
  const attempts = options.recovery?.attempts ?? 20;
  const intervalMs = options.recovery?.intervalMs ?? 1000;
  const sleep = options.recovery?.sleep ?? defaultSleep;
  const listeners = new Set<TerminalListener>();
  const inFlight = new Map<string, Promise<Outcome>>();
  let connected = false;

  const emit = (event: TerminalEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not break a payment in flight.
      }
    }
  };

  const context = (signal?: AbortSignal): AdapterContext => (signal === undefined ? { emit } : { emit, signal });

  async function close(entry: JournalEntry, outcome: Outcome, recovered: boolean): Promise<Outcome> {
    const final: Outcome = {
      ...outcome,
      reference: entry.reference,
      kind: entry.kind,
      ...(recovered ? { recovered: true } : {}),
    };
    await journal.close(entry.reference, final);
    if (recovered) emit({ type: "reconciled", outcome: final });
    return final;
  }

  /** Asks the vendor until the outcome is final; leaves the entry open and throws when it stays unknown. */
  async function recoverEntry(entry: JournalEntry, signal?: AbortSignal): Promise<Outcome> {
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(intervalMs);
      let recovery: Awaited<ReturnType<TerminalAdapter["recover"]>>;
      try {
        recovery = await adapter.recover(entry, context(signal));
      } catch (error) {
        lastError = error;
        continue;
      }
      if (recovery === "in-progress") continue;
      if (recovery === "not-found") {
        const request = entry.request;
        return close(
          entry,
          {
            reference: entry.reference,
            kind: entry.kind,
            status: "failed",
            amount: request.amount,
            currency: request.currency,
            reason: "the request never reached the vendor; nothing was charged",
          },
          true,
        );
      }
      return close(entry, recovery, true);
    }
    throw new OutcomeUnknownError(
      `the outcome of ${entry.kind} ${JSON.stringify(entry.reference)} is still unknown after ${attempts} checks; it stays open in the journal and is reconciled on the next connect`,
      lastError === undefined ? undefined : { cause: lastError },
    );
  }

  async function send(entry: JournalEntry, signal?: AbortSignal): Promise<Outcome> {
    const original =
      entry.kind === "refund" ? journal.get((entry.request as RefundRequest).paymentReference) : undefined;
    let outcome: Outcome;
    try {
      outcome = await adapter.execute(
        { kind: entry.kind, request: entry.request, ids: entry.ids, ...(original === undefined ? {} : { original }) },
        context(signal),
      );
    } catch (error) {
      // Any failure after the entry was written may have reached the vendor: ask, never guess.
      return recoverEntry(entry, signal).catch((recoveryError: unknown) => {
        throw recoveryError instanceof OutcomeUnknownError
          ? recoveryError
          : new OutcomeUnknownError(String(error), { cause: error });
      });
    }
    return close(entry, outcome, false);
  }

  async function run(
    kind: OperationKind,
    request: PayRequest | RefundRequest,
    options: CallOptions = {},
  ): Promise<Outcome> {
    checkMoney(request);
    if (!connected) throw new TerminalError("not-connected", "call connect() first");
    const running = inFlight.get(request.reference);
    if (running !== undefined) return running;
    if (inFlight.size > 0) throw new TerminalError("busy", "another request is in progress on this terminal");
    const promise = (async () => {
      const existing = journal.get(request.reference);
      if (existing !== undefined) {
        if (!sameRequest(existing, kind, request)) {
          throw new TerminalError(
            "reference-conflict",
            `reference ${JSON.stringify(request.reference)} was used for a different request`,
          );
        }
        if (existing.state === "closed" && existing.outcome !== undefined) return existing.outcome;
        return recoverEntry(existing, options.signal);
      }
      let original: JournalEntry | undefined;
      if (kind === "refund") {
        original = journal.get((request as RefundRequest).paymentReference);
        if (original === undefined || original.kind !== "payment" || original.outcome?.status !== "approved") {
          throw new TerminalError(
            "unknown-payment",
            `no approved payment with reference ${JSON.stringify((request as RefundRequest).paymentReference)} in the journal`,
          );
        }
      }
      const ids = await adapter.prepare(kind, request);
      const entry: JournalEntry = {
        reference: request.reference,
        kind,
        protocol: adapter.protocol,
        request: { ...request },
        ids,
        state: "open",
        openedAt: new Date().toISOString(),
      };
      await journal.open(entry);
      return send(entry, options.signal);
    })();
    inFlight.set(request.reference, promise);
    try {
      return await promise;
    } finally {
      inFlight.delete(request.reference);
    }
  }

  const terminal: Terminal = {
    protocol: adapter.protocol,
    async connect() {
      if (connected) return;
      await adapter.connect(context());
      connected = true;
      emit({ type: "connected" });
      await terminal.reconcile();
    },
    async close() {
      connected = false;
      await adapter.close();
    },
    pay: (request, options) => run("payment", request, options),
    refund: (request, options) => run("refund", request, options),
    async cancel(reference) {
      const entry = journal.get(reference);
      if (entry === undefined || entry.state === "closed") return;
      await adapter.cancel(entry);
    },
    async status(reference) {
      const entry = journal.get(reference);
      if (entry === undefined) return undefined;
      if (entry.state === "closed") return entry.outcome;
      const recovery = await adapter.recover(entry, context());
      if (recovery === "in-progress" || recovery === "not-found") return undefined;
      if (!inFlight.has(reference)) return close(entry, recovery, true);
      return recovery;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async reconcile() {
      const outcomes: Outcome[] = [];
      for (const entry of journal.openEntries()) {
        if (inFlight.has(entry.reference)) continue;
        try {
          outcomes.push(await recoverEntry(entry));
        } catch (error) {
          if (!(error instanceof OutcomeUnknownError)) throw error;
        }
      }
      return outcomes;
    },
  };
  return terminal;
}
