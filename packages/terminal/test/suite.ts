/**
 * The shared Terminal suite: the same tests, unchanged, against every protocol's adapter on its simulator.
 * A protocol's test file calls `describeTerminalSuite(name, setup)` with a fixture that knows its simulator.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FileJournal,
  type Journal,
  type JournalEntry,
  MemoryJournal,
  type RecoveryPolicy,
  type Terminal,
  TerminalError,
  type TerminalEvent,
  type VendorCharge,
} from "../src/index.js";

export interface SuiteFixture {
  /**
   * A terminal on the fixture's simulator with this journal: a fresh adapter each call, as after a POS restart.
   * Pass `options` through to `createTerminal` (the fixture may add a short recovery interval of its own).
   */
  terminal(journal: Journal, options?: { recovery?: RecoveryPolicy }): Terminal;
  readonly currency: string;
  /** Amounts (minor units) the simulator approves and declines. */
  readonly approvedAmount: number;
  readonly declinedAmount: number;
  /** Makes the answer to the next payment request get lost after the vendor committed it. */
  loseNextAnswer(): void;
  /** Approved charges the vendor holds in total (to prove nothing was charged twice). */
  vendorCharges(): number | Promise<number>;
  /** The vendor's approved charges, each under the key that ties it to a POS request (per-reference ledger). */
  vendorLedger(): readonly VendorCharge[] | Promise<readonly VendorCharge[]>;
  /** The vendor key of a journal entry (one of the ids the adapter's `prepare` chose). */
  ledgerKey(entry: JournalEntry): string | undefined;
  /**
   * When the protocol can cancel: an amount whose payment waits for the card until cancelled. The adapter emits
   * `{ type: "status", status: "waiting-for-card" }` once the device waits for it.
   */
  readonly cancellableAmount?: number;
  /** True when the protocol shows customer display lines during a payment (they must arrive as events). */
  readonly displays?: boolean;
  close(): Promise<void>;
}

let counter = 0;
const reference = (tag: string) => `${tag}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export function describeTerminalSuite(name: string, setup: () => Promise<SuiteFixture>): void {
  describe(`Terminal suite: ${name}`, () => {
    let fixture: SuiteFixture;
    let dir: string;
    beforeAll(async () => {
      fixture = await setup();
      dir = mkdtempSync(join(tmpdir(), `payspec-terminal-${name}-`));
    });
    afterAll(async () => {
      await fixture?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    async function connected(journal: Journal = new MemoryJournal()): Promise<Terminal> {
      const terminal = fixture.terminal(journal);
      await terminal.connect();
      return terminal;
    }

    it("approves a payment and reports the vendor's transaction id", async () => {
      const terminal = await connected();
      const ref = reference("pay");
      const outcome = await terminal.pay({
        amount: fixture.approvedAmount,
        currency: fixture.currency,
        reference: ref,
      });
      expect(outcome).toMatchObject({
        reference: ref,
        kind: "payment",
        status: "approved",
        amount: fixture.approvedAmount,
        currency: fixture.currency,
      });
      expect(outcome.transactionId).toEqual(expect.any(String));
      expect(outcome.recovered).toBeUndefined();
      await terminal.close();
    });

    it("declines the simulator's decline amount with the vendor's reason", async () => {
      const terminal = await connected();
      const outcome = await terminal.pay({
        amount: fixture.declinedAmount,
        currency: fixture.currency,
        reference: reference("decline"),
      });
      expect(outcome.status).toBe("declined");
      expect(outcome.reason).toEqual(expect.any(String));
      await terminal.close();
    });

    it("returns the first outcome when the same reference is paid again, without charging twice", async () => {
      const terminal = await connected();
      const ref = reference("twice");
      const first = await terminal.pay({ amount: fixture.approvedAmount, currency: fixture.currency, reference: ref });
      const charges = await fixture.vendorCharges();
      const second = await terminal.pay({ amount: fixture.approvedAmount, currency: fixture.currency, reference: ref });
      expect(second).toEqual(first);
      expect(await fixture.vendorCharges()).toBe(charges);
      await expect(
        terminal.pay({ amount: fixture.approvedAmount + 1, currency: fixture.currency, reference: ref }),
      ).rejects.toMatchObject({
        code: "reference-conflict",
      });
      await terminal.close();
    });

    it("refunds an approved payment and refuses to refund an unknown one", async () => {
      const terminal = await connected();
      const ref = reference("refundable");
      await terminal.pay({ amount: fixture.approvedAmount, currency: fixture.currency, reference: ref });
      const refund = await terminal.refund({
        amount: fixture.approvedAmount,
        currency: fixture.currency,
        reference: reference("refund"),
        paymentReference: ref,
      });
      expect(refund).toMatchObject({ kind: "refund", status: "approved", amount: fixture.approvedAmount });
      await expect(
        terminal.refund({
          amount: 100,
          currency: fixture.currency,
          reference: reference("refund"),
          paymentReference: "never-paid",
        }),
      ).rejects.toBeInstanceOf(TerminalError);
      await terminal.close();
    });

    it("recovers the outcome of a payment whose answer was lost after the vendor committed it", async () => {
      const terminal = await connected();
      const charges = await fixture.vendorCharges();
      fixture.loseNextAnswer();
      const ref = reference("lost");
      const outcome = await terminal.pay({
        amount: fixture.approvedAmount,
        currency: fixture.currency,
        reference: ref,
      });
      expect(outcome).toMatchObject({ reference: ref, status: "approved", recovered: true });
      expect(await fixture.vendorCharges()).toBe(charges + 1);
      expect(await terminal.status(ref)).toEqual(outcome);
      await terminal.close();
    });

    it("after a crash with the answer lost, a restarted POS reconciles the open entry from its journal file", async () => {
      const path = join(dir, `${reference("journal")}.jsonl`);
      const firstJournal = await FileJournal.open(path);
      // The first POS process dies while the answer is lost: it never gets to ask the vendor (no recovery attempts).
      const first = fixture.terminal(firstJournal, { recovery: { attempts: 0 } });
      await first.connect();
      const charges = await fixture.vendorCharges();
      fixture.loseNextAnswer();
      const ref = reference("crash");
      await expect(
        first.pay({ amount: fixture.approvedAmount, currency: fixture.currency, reference: ref }),
      ).rejects.toMatchObject({
        code: "outcome-unknown",
      });
      await first.close();
      await firstJournal.dispose();
      const reopened = await FileJournal.open(path);
      expect(reopened.get(ref)?.state).toBe("open");
      const events: TerminalEvent[] = [];
      const second = fixture.terminal(reopened);
      second.on((event) => events.push(event));
      await second.connect();
      const recovered = reopened.get(ref);
      expect(recovered?.state).toBe("closed");
      expect(recovered?.outcome).toMatchObject({ status: "approved", recovered: true });
      expect(events).toContainEqual(expect.objectContaining({ type: "reconciled" }));
      expect(await fixture.vendorCharges()).toBe(charges + 1);
      await second.close();
      await reopened.dispose();
    });

    it("an entry journalled but never sent reconciles as failed, with nothing charged", async () => {
      const path = join(dir, `${reference("unsent")}.jsonl`);
      const dying = await FileJournal.open(path);
      // The process is killed right after the entry is durable and before the request leaves.
      const killedAfterJournalWrite = Object.assign(Object.create(dying) as Journal, {
        async open(entry: Parameters<Journal["open"]>[0]) {
          await dying.open(entry);
          throw new Error("SIGKILL");
        },
      });
      const first = fixture.terminal(killedAfterJournalWrite);
      await first.connect();
      const charges = await fixture.vendorCharges();
      const ref = reference("unsent");
      await expect(
        first.pay({ amount: fixture.approvedAmount, currency: fixture.currency, reference: ref }),
      ).rejects.toThrow("SIGKILL");
      await first.close();
      await dying.dispose();
      const journal = await FileJournal.open(path);
      expect(journal.get(ref)?.state).toBe("open");
      const second = fixture.terminal(journal);
      await second.connect();
      expect(journal.get(ref)?.outcome).toMatchObject({ status: "failed", recovered: true });
      expect(await fixture.vendorCharges()).toBe(charges);
      await second.close();
      await journal.dispose();
    });

    it("cancels a payment waiting for the card", async (context) => {
      if (fixture.cancellableAmount === undefined)
        return context.skip("this protocol's simulator has no payment that waits to be cancelled");
      const terminal = await connected();
      const ref = reference("cancel");
      const waiting = new Promise<void>((resolve) => {
        terminal.on((event) => {
          if (event.type === "status" && event.status === "waiting-for-card") resolve();
        });
      });
      const paying = terminal.pay({ amount: fixture.cancellableAmount, currency: fixture.currency, reference: ref });
      await waiting;
      await terminal.cancel(ref);
      await expect(paying).resolves.toMatchObject({ status: "cancelled" });
      await terminal.close();
    });

    it("reports what the customer display showed as events", async (context) => {
      if (fixture.displays !== true) return context.skip("this protocol has no customer display messages");
      const terminal = await connected();
      const lines: string[] = [];
      terminal.on((event) => {
        if (event.type === "display") lines.push(...event.lines);
      });
      await terminal.pay({
        amount: fixture.approvedAmount,
        currency: fixture.currency,
        reference: reference("display"),
      });
      expect(lines.length).toBeGreaterThan(0);
      await terminal.close();
    });
  });
}
