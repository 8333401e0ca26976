// The shared Terminal suite on the Payneteasy simulator: a simulated mPOS reader, the real gateway
// simulator over loopback, status polls with no real waits, and a callback receiver.
import {
  PayneteasyCallbackReceiver,
  SimulatedMposDevice,
  TEST_PAYER,
} from "@payspec/payneteasy-driver";
import { startPayneteasySimulator } from "@payspec/payneteasy-server";
import type { FaultPlan } from "@payspec/runtime/server";
import { describe, expect, it } from "vitest";
import { payneteasyTerminal } from "../src/adapters/payneteasy.js";
import { MemoryJournal, type TerminalEvent } from "../src/index.js";
import { describeFaultCampaign } from "./campaign.js";
import { describeTerminalSuite, type SuiteFixture } from "./suite.js";

const PAN = "4111111111111111";
const payer = TEST_PAYER;
/** Polls do not wait on real time: one macrotask between two polls. */
const tick = (_ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    setImmediate(resolve);
  });

async function setup(): Promise<SuiteFixture> {
  let loseNext = false;
  const sim = await startPayneteasySimulator({
    pollsToFinal: 2,
    faults: (): FaultPlan => {
      if (!loseNext) return {};
      loseNext = false;
      return { dropAfterCommit: true };
    },
  });
  const receiver = new PayneteasyCallbackReceiver({ merchantControlKey: sim.credentials.merchantControlKey });
  await receiver.listen();
  return {
    terminal: (journal, options) =>
      payneteasyTerminal({
        baseUrl: sim.url,
        endpointId: "1234",
        credentials: sim.credentials,
        device: new SimulatedMposDevice({ pan: PAN, holdAmounts: ["7.77"] }),
        payer,
        receiver,
        sleep: tick,
        journal,
        recovery: { intervalMs: 20, ...options?.recovery },
      }),
    currency: "EUR",
    approvedAmount: 1042,
    declinedAmount: 1013,
    cancellableAmount: 777,
    displays: true,
    loseNextAnswer: () => {
      loseNext = true;
    },
    vendorCharges: () => [...sim.state.orders.values()].filter((o) => o.status === "approved").length,
    vendorLedger: () => sim.settlement(),
    ledgerKey: (entry) => entry.ids.client_orderid,
    close: async () => {
      await receiver.close();
      await sim.close();
    },
  };
}

describeTerminalSuite("payneteasy", setup);
describeFaultCampaign("payneteasy", setup);

describe("payneteasy adapter specifics", () => {
  it("journals a client_orderid before sending, names the order with it, and shows no full PAN", async () => {
    const fixture = await setup();
    try {
      const journal = new MemoryJournal();
      const terminal = fixture.terminal(journal);
      const events: TerminalEvent[] = [];
      terminal.on((event) => events.push(event));
      await terminal.connect();
      const outcome = await terminal.pay({ amount: 1042, currency: "EUR", reference: "pne-specific-1" });
      const entry = journal.get("pne-specific-1")!;
      expect(entry.ids.client_orderid).toMatch(/^PS[0-9A-F]{30}$/);
      expect(outcome).toMatchObject({ status: "approved", maskedPan: "411111XXXXXX1111" });
      expect(outcome.transactionId).toMatch(/^[0-9]+$/);
      expect(events).toContainEqual({ type: "status", status: "waiting-for-card" });
      expect(events).toContainEqual({ type: "status", status: "processing" });
      expect(JSON.stringify([events, journal.entries()])).not.toContain(PAN);
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("refunds by a return of the sale: journals the sale's ids first, and a second full refund is failed by the gateway", async () => {
    const fixture = await setup();
    try {
      const journal = new MemoryJournal();
      const terminal = fixture.terminal(journal);
      await terminal.connect();
      const paid = await terminal.pay({ amount: 1042, currency: "EUR", reference: "pne-refundable" });
      const refund = await terminal.refund({
        amount: 1042,
        currency: "EUR",
        reference: "pne-refund",
        paymentReference: "pne-refundable",
      });
      expect(refund).toMatchObject({
        kind: "refund",
        status: "approved",
        amount: 1042,
        transactionId: paid.transactionId,
      });
      expect(journal.get("pne-refund")!.ids).toEqual({
        client_orderid: journal.get("pne-refundable")!.ids.client_orderid,
        orderid: paid.transactionId,
      });
      const again = await terminal.refund({
        amount: 1042,
        currency: "EUR",
        reference: "pne-refund-again",
        paymentReference: "pne-refundable",
      });
      expect(again).toMatchObject({ kind: "refund", status: "failed" });
      expect(again.reason).toMatch(/fully returned/);
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("recovers a refund whose answer was lost after the gateway accepted the return", async () => {
    const fixture = await setup();
    try {
      const terminal = fixture.terminal(new MemoryJournal());
      await terminal.connect();
      await terminal.pay({ amount: 1042, currency: "EUR", reference: "pne-lost-refund-payment" });
      fixture.loseNextAnswer();
      const refund = await terminal.refund({
        amount: 500,
        currency: "EUR",
        reference: "pne-lost-refund",
        paymentReference: "pne-lost-refund-payment",
      });
      expect(refund).toMatchObject({ kind: "refund", status: "approved", amount: 500, recovered: true });
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("a refund entry whose return never reached the gateway is reconciled as not sent", async () => {
    const fixture = await setup();
    try {
      const journal = new MemoryJournal();
      const terminal = fixture.terminal(journal);
      await terminal.connect();
      const paid = await terminal.pay({ amount: 1042, currency: "EUR", reference: "pne-unsent-payment" });
      // a POS that crashed between journalling the refund and sending it
      await journal.open({
        reference: "pne-unsent-refund",
        kind: "refund",
        protocol: "payneteasy",
        request: {
          amount: 1042,
          currency: "EUR",
          reference: "pne-unsent-refund",
          paymentReference: "pne-unsent-payment",
        },
        ids: { client_orderid: journal.get("pne-unsent-payment")!.ids.client_orderid!, orderid: paid.transactionId! },
        state: "open",
        openedAt: new Date().toISOString(),
      });
      const [outcome] = await terminal.reconcile();
      expect(outcome).toMatchObject({ reference: "pne-unsent-refund", status: "failed", recovered: true });
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });
});
