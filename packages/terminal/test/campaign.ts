/**
 * The fault campaign: randomized payments through the Terminal API on a protocol's simulator, with faults injected
 * between the POS and the vendor, and POS processes dying at the two moments that matter: after the vendor committed
 * but before the answer arrived, and after the journal write but before the request left. Every run ends with a
 * restarted POS reconciling its journal file, then a ledger check against the vendor, reference by reference.
 *
 * Bounded in the test command (CAMPAIGN_PAYMENTS, default 24 per protocol); full size on demand:
 * `CAMPAIGN_PAYMENTS=1200 CAMPAIGN_REPORT=<dir> npx vitest run test/<protocol>.test.ts -t "fault campaign"`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  compareLedger,
  FileJournal,
  type Journal,
  type LedgerReport,
  type Outcome,
  type Terminal,
} from "../src/index.js";
import type { SuiteFixture } from "./suite.js";

export type Fault = "none" | "decline" | "lost-answer" | "crash-after-commit" | "crash-before-send" | "repeat";

export interface CampaignResult {
  readonly protocol: string;
  readonly seed: number;
  readonly attempted: number;
  readonly byFault: Record<Fault, number>;
  readonly approved: number;
  readonly declined: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly recovered: number;
  /**
   * The ledger, reference by reference (`compareLedger`): payments whose journal outcome and vendor charges agree;
   * charged but recorded as not approved or not at all (lost, must be 0); charged more than once (must be 0);
   * approved without a charge (phantom, must be 0).
   */
  readonly agreed: number;
  readonly lost: number;
  readonly chargedTwice: number;
  readonly phantomApprovals: number;
  /** Entries still open after the final reconciliation (must be 0). */
  readonly open: number;
  readonly vendorCharges: number;
  readonly seconds: number;
}

const FAULTS = fc.constantFrom<Fault>(
  "none",
  "none",
  "none",
  "decline",
  "lost-answer",
  "lost-answer",
  "crash-after-commit",
  "crash-before-send",
  "repeat",
);

export function describeFaultCampaign(name: string, setup: () => Promise<SuiteFixture>): void {
  const payments = Number(process.env.CAMPAIGN_PAYMENTS ?? 24);
  const seed = Number(process.env.CAMPAIGN_SEED ?? 20261123);

  describe(`fault campaign: ${name}`, () => {
    let fixture: SuiteFixture;
    let dir: string;
    beforeAll(async () => {
      fixture = await setup();
      dir = mkdtempSync(join(tmpdir(), `payspec-campaign-${name}-`));
    });
    afterAll(async () => {
      await fixture?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it(`${payments} randomized payments with faults and in-process POS restarts: none lost or charged twice, reference by reference`, async () => {
      const started = performance.now();
      const path = join(dir, "journal.jsonl");
      const faults = fc.sample(FAULTS, { numRuns: payments, seed });
      const byFault = {
        none: 0,
        decline: 0,
        "lost-answer": 0,
        "crash-after-commit": 0,
        "crash-before-send": 0,
        repeat: 0,
      } as Record<Fault, number>;
      const keysBefore = new Set((await fixture.vendorLedger()).map((charge) => charge.key));
      let journal: Journal = await FileJournal.open(path);
      let terminal: Terminal = fixture.terminal(journal);
      await terminal.connect();
      /** A POS restart: the process is gone, a new one opens the journal file and reconciles on connect. */
      const restart = async () => {
        await terminal.close().catch(() => {});
        await journal.dispose();
        journal = await FileJournal.open(path);
        terminal = fixture.terminal(journal);
        await terminal.connect();
      };
      let last: { amount: number; reference: string } | undefined;
      for (const [index, fault] of faults.entries()) {
        byFault[fault]++;
        const reference = `c${seed}-${index}`;
        const pay = { amount: fixture.approvedAmount, currency: fixture.currency, reference };
        switch (fault) {
          case "none":
            await terminal.pay(pay);
            break;
          case "decline":
            await terminal.pay({ ...pay, amount: fixture.declinedAmount });
            break;
          case "repeat":
            // A POS retrying a payment it already made must get the same outcome and no new charge.
            if (last !== undefined) {
              const again = await terminal.pay({
                amount: last.amount,
                currency: fixture.currency,
                reference: last.reference,
              });
              expect(again).toEqual(journal.get(last.reference)?.outcome);
            } else await terminal.pay(pay);
            break;
          case "lost-answer":
            fixture.loseNextAnswer();
            await terminal.pay(pay);
            break;
          case "crash-after-commit": {
            // The running POS is the one that dies: close it first (one POS process at a time, one listener port).
            await terminal.close();
            fixture.loseNextAnswer();
            const dying = fixture.terminal(journal, { recovery: { attempts: 0 } });
            await dying.connect();
            await dying.pay(pay).catch(() => {});
            await dying.close().catch(() => {});
            await restart();
            break;
          }
          case "crash-before-send": {
            await terminal.close();
            const file = journal;
            const killed = Object.assign(Object.create(file) as Journal, {
              async open(entry: Parameters<Journal["open"]>[0]) {
                await file.open(entry);
                throw new Error("SIGKILL");
              },
            });
            const dying = fixture.terminal(killed);
            await dying.connect();
            await dying.pay(pay).catch(() => {});
            await dying.close().catch(() => {});
            await restart();
            break;
          }
        }
        if (fault !== "repeat")
          last = { amount: fault === "decline" ? fixture.declinedAmount : fixture.approvedAmount, reference };
      }
      // The last POS process restarts once more and reconciles whatever is left.
      await restart();
      const entries = journal.entries();
      const outcomes = entries
        .map((entry) => entry.outcome)
        .filter((outcome): outcome is Outcome => outcome !== undefined);
      const approved = outcomes.filter((outcome) => outcome.status === "approved").length;
      const charges = (await fixture.vendorLedger()).filter((charge) => !keysBefore.has(charge.key));
      const ledger: LedgerReport = compareLedger(entries, charges, fixture.ledgerKey);
      const result: CampaignResult = {
        protocol: name,
        seed,
        attempted: entries.length,
        byFault,
        approved,
        declined: outcomes.filter((outcome) => outcome.status === "declined").length,
        failed: outcomes.filter((outcome) => outcome.status === "failed").length,
        cancelled: outcomes.filter((outcome) => outcome.status === "cancelled").length,
        recovered: outcomes.filter((outcome) => outcome.recovered === true).length,
        agreed: ledger.agreed,
        lost: ledger.lost.length,
        chargedTwice: ledger.chargedTwice.length,
        phantomApprovals: ledger.phantom.length,
        open: journal.openEntries().length,
        vendorCharges: charges.length,
        seconds: (performance.now() - started) / 1000,
      };
      await terminal.close();
      await journal.dispose();
      if (process.env.CAMPAIGN_REPORT !== undefined) {
        mkdirSync(process.env.CAMPAIGN_REPORT, { recursive: true });
        writeFileSync(join(process.env.CAMPAIGN_REPORT, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
      }
      expect(ledger.open).toEqual([]);
      expect(ledger.lost).toEqual([]);
      expect(ledger.chargedTwice).toEqual([]);
      expect(ledger.phantom).toEqual([]);
      expect(result.open).toBe(0);
      expect(result.agreed).toBe(entries.length);
      expect(charges.length).toBe(approved);
      expect(result.approved).toBeGreaterThan(0);
      expect(result.recovered).toBeGreaterThan(0);
    });
  });
}
