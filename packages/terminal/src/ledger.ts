/**
 * Per-reference reconciliation of a journal against the vendor's own record of charges (a settlement report, a
 * transaction list, a simulator's state). Counts agreeing is not enough: a payment lost on one reference and a
 * double charge on another cancel out in a count. This compares reference by reference.
 */
import type { JournalEntry } from "./types.js";

/** One approved charge as the vendor records it, with the vendor-side key that ties it to the POS's request. */
export interface VendorCharge {
  /** The key the vendor files the charge under: reference_id, client_orderid, orderId, SaleTransactionID… */
  readonly key: string | undefined;
  /** The vendor's own id of the charge, for the report. */
  readonly id?: string;
}

export interface LedgerMismatch {
  readonly reference: string | undefined;
  readonly key: string | undefined;
  /** What the journal says (`open` when it has no outcome, `absent` when no entry has the key). */
  readonly journal: "approved" | "declined" | "cancelled" | "failed" | "open" | "absent";
  /** How many approved charges the vendor holds under the key. */
  readonly vendorCharges: number;
}

export interface LedgerReport {
  /** Payment entries compared. */
  readonly payments: number;
  /** Entries whose journal outcome and vendor charges agree (approved ↔ exactly one charge; otherwise none). */
  readonly agreed: number;
  /** Charged by the vendor while the journal says declined/cancelled/failed, or has no entry at all (money taken, sale not recorded). */
  readonly lost: readonly LedgerMismatch[];
  /** More than one vendor charge under one payment's key. */
  readonly chargedTwice: readonly LedgerMismatch[];
  /** Approved in the journal, no vendor charge (goods given, money never taken). */
  readonly phantom: readonly LedgerMismatch[];
  /** Entries still open: the outcome is unknown until reconciled (not a mismatch, reported apart). */
  readonly open: readonly LedgerMismatch[];
}

/**
 * Compares payment entries of a journal with the vendor's approved charges, key by key.
 * `keyOf` gives the vendor key of an entry (usually one of its `ids`, chosen by the adapter's `prepare`).
 */
export function compareLedger(
  entries: readonly JournalEntry[],
  charges: readonly VendorCharge[],
  keyOf: (entry: JournalEntry) => string | undefined,
): LedgerReport {
  const byKey = new Map<string | undefined, number>();
  for (const charge of charges) byKey.set(charge.key, (byKey.get(charge.key) ?? 0) + 1);
  const lost: LedgerMismatch[] = [];
  const chargedTwice: LedgerMismatch[] = [];
  const phantom: LedgerMismatch[] = [];
  const open: LedgerMismatch[] = [];
  let payments = 0;
  let agreed = 0;
  for (const entry of entries) {
    if (entry.kind !== "payment") continue;
    payments++;
    const key = keyOf(entry);
    const vendorCharges = key === undefined ? 0 : (byKey.get(key) ?? 0);
    if (key !== undefined) byKey.delete(key);
    const journal = entry.outcome?.status ?? "open";
    const row: LedgerMismatch = { reference: entry.reference, key, journal, vendorCharges };
    if (journal === "open") open.push(row);
    else if (vendorCharges > 1) chargedTwice.push(row);
    else if (journal === "approved" && vendorCharges === 0) phantom.push(row);
    else if (journal !== "approved" && vendorCharges > 0) lost.push(row);
    else agreed++;
  }
  for (const [key, count] of byKey) lost.push({ reference: undefined, key, journal: "absent", vendorCharges: count });
  return { payments, agreed, lost, chargedTwice, phantom, open };
}
