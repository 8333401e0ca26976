import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AdapterRequest,
  createTerminal,
  FileJournal,
  type JournalEntry,
  MemoryJournal,
  type Outcome,
  OutcomeUnknownError,
  type Recovery,
  type TerminalAdapter,
  type TerminalEvent,
} from "../src/index.js";

/** A vendor in memory: charges by idempotency id, can lose answers after committing, or hold a request in progress. */
class FakeVendor {
  readonly charges = new Map<string, Outcome>();
  loseNext = false;
  inProgressChecks = 0;
  failBeforeCommit = false;
  executed = 0;
  recovers = 0;
}

function fakeAdapter(vendor: FakeVendor): TerminalAdapter {
  let ids = 0;
  return {
    protocol: "nexo",
    async connect() {},
    async close() {},
    prepare: () => ({ key: `k${++ids}-${Math.random().toString(36).slice(2)}` }),
    async execute(request: AdapterRequest, context) {
      vendor.executed++;
      context.emit({ type: "status", status: "waiting-for-card" });
      if (vendor.failBeforeCommit) throw new Error("connection refused");
      const key = request.ids.key as string;
      const outcome: Outcome = {
        reference: request.request.reference,
        kind: request.kind,
        status: request.request.amount === 666 ? "declined" : "approved",
        amount: request.request.amount,
        currency: request.request.currency,
        transactionId: `tx-${key}`,
        ...(request.request.amount === 666 ? { reason: "do not honour" } : {}),
      };
      vendor.charges.set(key, outcome);
      if (vendor.loseNext) {
        vendor.loseNext = false;
        throw new OutcomeUnknownError("socket hang up");
      }
      return outcome;
    },
    async cancel() {},
    async recover(entry: JournalEntry): Promise<Recovery> {
      vendor.recovers++;
      if (vendor.inProgressChecks > 0) {
        vendor.inProgressChecks--;
        return "in-progress";
      }
      return vendor.charges.get(entry.ids.key as string) ?? "not-found";
    },
  };
}

const noSleep = { attempts: 5, intervalMs: 0, sleep: async () => {} };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "payspec-journal-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("createTerminal", () => {
  it("refuses to pay before connect, and refuses malformed money", async () => {
    const terminal = createTerminal(fakeAdapter(new FakeVendor()));
    await expect(terminal.pay({ amount: 100, currency: "EUR", reference: "r1" })).rejects.toMatchObject({
      code: "not-connected",
    });
    await terminal.connect();
    await expect(terminal.pay({ amount: 1.5, currency: "EUR", reference: "r1" })).rejects.toThrow(/minor units/);
    await expect(terminal.pay({ amount: 0, currency: "EUR", reference: "r1" })).rejects.toThrow(/positive/);
    await expect(terminal.pay({ amount: 100, currency: "eur", reference: "r1" })).rejects.toThrow(/ISO 4217/);
    await expect(terminal.pay({ amount: 100, currency: "EUR", reference: "has space" })).rejects.toThrow(/reference/);
  });

  it("journals the entry before the request leaves and closes it with the outcome", async () => {
    const vendor = new FakeVendor();
    const journal = new MemoryJournal();
    const adapter = fakeAdapter(vendor);
    const execute = adapter.execute.bind(adapter);
    let journalledBeforeSend: JournalEntry | undefined;
    adapter.execute = async (request, context) => {
      journalledBeforeSend = journal.get(request.request.reference);
      return execute(request, context);
    };
    const terminal = createTerminal(adapter, { journal });
    await terminal.connect();
    const outcome = await terminal.pay({ amount: 100, currency: "EUR", reference: "r1" });
    expect(journalledBeforeSend).toMatchObject({ state: "open", ids: { key: expect.any(String) } });
    expect(journal.get("r1")).toMatchObject({ state: "closed", outcome });
  });

  it("pays a reference once: a repeat returns the journalled outcome, a different request with it is refused", async () => {
    const vendor = new FakeVendor();
    const terminal = createTerminal(fakeAdapter(vendor));
    await terminal.connect();
    const first = await terminal.pay({ amount: 100, currency: "EUR", reference: "r1" });
    expect(await terminal.pay({ amount: 100, currency: "EUR", reference: "r1" })).toEqual(first);
    expect(vendor.executed).toBe(1);
    await expect(terminal.pay({ amount: 100, currency: "USD", reference: "r1" })).rejects.toMatchObject({
      code: "reference-conflict",
    });
  });

  it("shares one call for concurrent pays of the same reference and refuses a second request while one runs", async () => {
    const vendor = new FakeVendor();
    const terminal = createTerminal(fakeAdapter(vendor));
    await terminal.connect();
    const a = terminal.pay({ amount: 100, currency: "EUR", reference: "r1" });
    const b = terminal.pay({ amount: 100, currency: "EUR", reference: "r1" });
    await expect(terminal.pay({ amount: 100, currency: "EUR", reference: "r2" })).rejects.toMatchObject({
      code: "busy",
    });
    expect(await a).toEqual(await b);
    expect(vendor.executed).toBe(1);
  });

  it("recovers a lost answer by asking the vendor until it is final, without charging again", async () => {
    const vendor = new FakeVendor();
    const terminal = createTerminal(fakeAdapter(vendor), { recovery: noSleep });
    const events: TerminalEvent[] = [];
    terminal.on((event) => events.push(event));
    await terminal.connect();
    vendor.loseNext = true;
    vendor.inProgressChecks = 2;
    const outcome = await terminal.pay({ amount: 100, currency: "EUR", reference: "r1" });
    expect(outcome).toMatchObject({ status: "approved", recovered: true });
    expect(vendor.recovers).toBe(3);
    expect(vendor.charges.size).toBe(1);
    expect(events.map((event) => event.type)).toContain("reconciled");
  });

  it("marks a request the vendor never received as failed, and leaves an unknown one open instead of guessing", async () => {
    const vendor = new FakeVendor();
    const journal = new MemoryJournal();
    const terminal = createTerminal(fakeAdapter(vendor), { journal, recovery: noSleep });
    await terminal.connect();
    vendor.failBeforeCommit = true;
    expect(await terminal.pay({ amount: 100, currency: "EUR", reference: "r1" })).toMatchObject({
      status: "failed",
      recovered: true,
    });
    vendor.failBeforeCommit = false;
    vendor.loseNext = true;
    vendor.inProgressChecks = 99;
    await expect(terminal.pay({ amount: 100, currency: "EUR", reference: "r2" })).rejects.toBeInstanceOf(
      OutcomeUnknownError,
    );
    expect(journal.get("r2")?.state).toBe("open");
    vendor.inProgressChecks = 0;
    expect(await terminal.reconcile()).toEqual([
      expect.objectContaining({ reference: "r2", status: "approved", recovered: true }),
    ]);
  });

  it("refunds only an approved payment of the journal, handing the adapter the original entry", async () => {
    const vendor = new FakeVendor();
    const adapter = fakeAdapter(vendor);
    const seen: AdapterRequest[] = [];
    const execute = adapter.execute.bind(adapter);
    adapter.execute = (request, context) => {
      seen.push(request);
      return execute(request, context);
    };
    const terminal = createTerminal(adapter);
    await terminal.connect();
    await terminal.pay({ amount: 666, currency: "EUR", reference: "declined" });
    await expect(
      terminal.refund({ amount: 666, currency: "EUR", reference: "f0", paymentReference: "declined" }),
    ).rejects.toMatchObject({
      code: "unknown-payment",
    });
    const paid = await terminal.pay({ amount: 100, currency: "EUR", reference: "p1" });
    const refund = await terminal.refund({ amount: 100, currency: "EUR", reference: "f1", paymentReference: "p1" });
    expect(refund).toMatchObject({ kind: "refund", status: "approved" });
    expect(seen.at(-1)?.original?.outcome).toEqual(paid);
  });

  it("keeps paying when an event listener throws", async () => {
    const terminal = createTerminal(fakeAdapter(new FakeVendor()));
    terminal.on(() => {
      throw new Error("listener bug");
    });
    await terminal.connect();
    await expect(terminal.pay({ amount: 100, currency: "EUR", reference: "r1" })).resolves.toMatchObject({
      status: "approved",
    });
  });
});

describe("FileJournal", () => {
  const entry = (reference: string): JournalEntry => ({
    reference,
    kind: "payment",
    protocol: "nexo",
    request: { amount: 100, currency: "EUR", reference },
    ids: { key: `k-${reference}` },
    state: "open",
    openedAt: "2026-11-23T00:00:00.000Z",
  });

  it("survives a reopen: open and closed entries come back as they were", async () => {
    const path = join(tempDir(), "journal.jsonl");
    const journal = await FileJournal.open(path);
    await journal.open(entry("a"));
    await journal.open(entry("b"));
    await journal.close("a", { reference: "a", kind: "payment", status: "approved", amount: 100, currency: "EUR" });
    await journal.dispose();
    const reopened = await FileJournal.open(path);
    expect(reopened.get("a")).toMatchObject({ state: "closed", outcome: { status: "approved" } });
    expect(reopened.openEntries().map((e) => e.reference)).toEqual(["b"]);
    await expect(reopened.open(entry("b"))).rejects.toMatchObject({ code: "reference-conflict" });
    await reopened.dispose();
  });

  it("cuts off a torn last line left by a crash mid-append and keeps appending whole records", async () => {
    const path = join(tempDir(), "journal.jsonl");
    const journal = await FileJournal.open(path);
    await journal.open(entry("a"));
    await journal.dispose();
    appendFileSync(path, '{"op":"open","entry":{"reference":"tor');
    const reopened = await FileJournal.open(path);
    expect(reopened.entries().map((e) => e.reference)).toEqual(["a"]);
    await reopened.open(entry("c"));
    await reopened.dispose();
    const again = await FileJournal.open(path);
    expect(again.entries().map((e) => e.reference)).toEqual(["a", "c"]);
    await again.dispose();
    expect(readFileSync(path, "utf8")).not.toContain('"tor');
    expect(readFileSync(path, "utf8").split("\n").filter(Boolean)).toHaveLength(2);
  });

  it("refuses a journal corrupted before its last line", async () => {
    const path = join(tempDir(), "journal.jsonl");
    writeFileSync(path, `garbage\n${JSON.stringify({ op: "open", entry: entry("a") })}\n`);
    await expect(FileJournal.open(path)).rejects.toMatchObject({ code: "journal" });
  });
});
