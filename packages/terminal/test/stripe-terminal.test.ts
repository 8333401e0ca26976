// The shared Terminal suite against the Stripe Terminal simulator, plus the adapter's own rules.
import { createFetchTransport, type Transport } from "@payspec/runtime";
import {
  type PresentedCard,
  type SimulatedAction,
  startStripeTerminalSimulator,
} from "@payspec/stripe-terminal-server";
import { describe, expect, it } from "vitest";
import { stripeTerminalTerminal } from "../src/adapters/stripe-terminal.js";
import { MemoryJournal, type TerminalEvent } from "../src/index.js";
import { describeFaultCampaign } from "./campaign.js";
import { describeTerminalSuite, type SuiteFixture } from "./suite.js";

/** 7001 waits for a card that never comes (the cancellable amount); every other amount is paid with the default card. */
const CANCELLABLE = 7001;
const customer = (action: SimulatedAction): PresentedCard | false =>
  action.paymentIntent?.amount === CANCELLABLE ? false : {};

async function stripeFixture() {
  const sim = await startStripeTerminalSimulator({ customer });
  const { location } = await sim.addReader();
  let lose = false;
  const base = createFetchTransport();
  // The next process_payment_intent commits on the reader, then its answer is lost.
  const transport: Transport = (request) => {
    if (lose && request.url.endsWith("/process_payment_intent")) {
      lose = false;
      return base({ ...request, headers: { ...request.headers, "payspec-fault": "drop-after-commit" } });
    }
    return base(request);
  };
  const fixture: SuiteFixture = {
    terminal: (journal, options) =>
      stripeTerminalTerminal({
        baseUrl: sim.url,
        secretKey: sim.credentials.secretKey,
        transport,
        location,
        pollIntervalMs: 5,
        journal,
        recovery: { intervalMs: 20, ...options?.recovery },
      }),
    currency: "EUR",
    approvedAmount: 1000,
    declinedAmount: 1005,
    cancellableAmount: CANCELLABLE,
    displays: true,
    loseNextAnswer: () => {
      lose = true;
    },
    vendorCharges: () =>
      [...sim.state.paymentIntents.values()].filter((p) => p.status === "succeeded" || p.status === "requires_capture")
        .length,
    vendorLedger: () => sim.settlement(),
    ledgerKey: (entry) => entry.reference,
    close: () => sim.close(),
  };
  return { fixture, sim, location };
}

describeTerminalSuite("stripe-terminal", async () => (await stripeFixture()).fixture);
describeFaultCampaign("stripe-terminal", async () => (await stripeFixture()).fixture);

describe("stripe-terminal adapter", () => {
  it("journals the PaymentIntent's idempotency key and the reader before the payment leaves", async () => {
    const { fixture, sim } = await stripeFixture();
    try {
      const journal = new MemoryJournal();
      const terminal = fixture.terminal(journal);
      await terminal.connect();
      const events: TerminalEvent[] = [];
      terminal.on((e) => events.push(e));
      const outcome = await terminal.pay({ amount: 1234, currency: "EUR", reference: "adapter-ids-1" });
      const entry = journal.get("adapter-ids-1");
      expect(entry?.ids.idempotencyKey).toMatch(/^payspec:adapter-ids-1:/);
      expect(entry?.ids.reader).toMatch(/^tmr_/);
      const pi = sim.state.paymentIntents.get(outcome.transactionId ?? "");
      expect(pi).toMatchObject({ status: "succeeded", amount: 1234, metadata: { payspec_reference: "adapter-ids-1" } });
      expect(events).toContainEqual({ type: "display", lines: ["Payment", "Total 12.34 EUR"] });
      expect(events).toContainEqual({ type: "status", status: "waiting-for-card" });
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("a reader gone offline: the payment fails with nothing charged, onDisconnect is an event, and the next payment reconnects", async () => {
    const { fixture, sim } = await stripeFixture();
    try {
      const terminal = fixture.terminal(new MemoryJournal());
      const events: TerminalEvent[] = [];
      terminal.on((e) => events.push(e));
      await terminal.connect();
      const [reader] = [...sim.state.readers.values()];
      sim.state.setReaderStatus(reader!.id, "offline");
      const failed = await terminal.pay({ amount: 1000, currency: "EUR", reference: "offline-1" });
      expect(failed).toMatchObject({ status: "failed", recovered: true });
      expect(events).toContainEqual({ type: "disconnected", reason: "unknown" });
      expect(fixture.vendorCharges()).toBe(0);
      sim.state.setReaderStatus(reader!.id, "online");
      const paid = await terminal.pay({ amount: 1000, currency: "EUR", reference: "offline-2" });
      expect(paid.status).toBe("approved");
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });
});
