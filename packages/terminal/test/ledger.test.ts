import { describe, expect, it } from "vitest";
import { compareLedger, type JournalEntry, type OutcomeStatus } from "../src/index.js";

const entry = (reference: string, status: OutcomeStatus | undefined, kind: "payment" | "refund" = "payment") =>
  ({
    reference,
    kind,
    protocol: "wepay",
    request: { amount: 100, currency: "USD", reference },
    ids: { key: `k-${reference}` },
    state: status === undefined ? "open" : "closed",
    openedAt: "2026-11-23T00:00:00.000Z",
    ...(status === undefined ? {} : { outcome: { reference, kind, status, amount: 100, currency: "USD" } }),
  }) satisfies JournalEntry;
const keyOf = (e: JournalEntry) => e.ids.key;

describe("compareLedger: journal against the vendor, reference by reference", () => {
  it("agrees when every approved payment has exactly one charge and nothing else is charged", () => {
    const report = compareLedger(
      [entry("a", "approved"), entry("b", "declined"), entry("c", "failed"), entry("r", "approved", "refund")],
      [{ key: "k-a" }],
      keyOf,
    );
    expect(report).toEqual({ payments: 3, agreed: 3, lost: [], chargedTwice: [], phantom: [], open: [] });
  });

  it("finds a lost payment and a double charge that a count comparison would miss (2 approvals, 2 charges)", () => {
    const report = compareLedger(
      [entry("a", "approved"), entry("b", "approved"), entry("c", "declined")],
      [{ key: "k-a" }, { key: "k-a" }, { key: "k-c" }],
      keyOf,
    );
    expect(report.chargedTwice).toEqual([{ reference: "a", key: "k-a", journal: "approved", vendorCharges: 2 }]);
    expect(report.phantom).toEqual([{ reference: "b", key: "k-b", journal: "approved", vendorCharges: 0 }]);
    expect(report.lost).toEqual([{ reference: "c", key: "k-c", journal: "declined", vendorCharges: 1 }]);
    expect(report.agreed).toBe(0);
  });

  it("reports charges under keys no journal entry has, and open entries apart", () => {
    const report = compareLedger([entry("a", undefined)], [{ key: "k-a" }, { key: "k-x" }, { key: undefined }], keyOf);
    expect(report.open).toEqual([{ reference: "a", key: "k-a", journal: "open", vendorCharges: 1 }]);
    expect(report.lost).toEqual([
      { reference: undefined, key: "k-x", journal: "absent", vendorCharges: 1 },
      { reference: undefined, key: undefined, journal: "absent", vendorCharges: 1 },
    ]);
  });
});
