// The shared Terminal suite on WePay: a simulated Moby 5500 reader (card reads, statuses) and the WePay v3
// simulator over loopback (session tokens, POST /payments with Unique-Key, GET /payments, POST /refunds).
import type { Transport } from "@payspec/runtime";
import { createFetchTransport } from "@payspec/runtime";
import { SimulatedCardReader, simulatedTransport } from "@payspec/wepay-driver";
import { startWePaySimulator } from "@payspec/wepay-server";
import { describe, expect, it } from "vitest";
import { wepayTerminal } from "../src/adapters/wepay.js";
import { MemoryJournal, type TerminalEvent } from "../src/index.js";
import { describeFaultCampaign } from "./campaign.js";
import { describeTerminalSuite, type SuiteFixture } from "./suite.js";

const ACCOUNT = "0ef0dcd6-a2c6-49c4-9051-bbbe5c6c36e2";
const CANCELLABLE = 777;

async function setup(): Promise<SuiteFixture & { sim: Awaited<ReturnType<typeof startWePaySimulator>> }> {
  const sim = await startWePaySimulator({ host: "127.0.0.1", port: 0 });
  let loseNext = false;
  const fetchTransport = createFetchTransport();
  /** Adds the drop-after-commit fault to the next POST /payments only. */
  const httpTransport: Transport = (request) => {
    if (loseNext && request.method === "POST" && new URL(request.url).pathname === "/payments") {
      loseNext = false;
      return fetchTransport({ ...request, headers: { ...request.headers, "Payspec-Fault": "drop-after-commit" } });
    }
    return fetchTransport(request);
  };
  const useToken = (t: string) => sim.state.useSessionToken(t).ok;
  return {
    sim,
    terminal: (journal, options) =>
      wepayTerminal({
        baseUrl: sim.url,
        credentials: sim.credentials,
        accountId: ACCOUNT,
        httpTransport,
        activate: useToken,
        transports: [
          simulatedTransport("bluetooth", [
            new SimulatedCardReader({
              acceptSessionToken: useToken,
              customer: ({ amount }) =>
                amount === CANCELLABLE
                  ? "wait"
                  : [{ type: "card-inserted", card: { entry: "dip", chip: true, maskedPan: "476173******0119" } }],
            }),
          ]),
        ],
        journal,
        recovery: { intervalMs: 20, ...options?.recovery },
      }),
    currency: "USD",
    approvedAmount: 2500,
    declinedAmount: 1051,
    cancellableAmount: CANCELLABLE,
    displays: true,
    loseNextAnswer: () => {
      loseNext = true;
    },
    vendorCharges: () => sim.state.approvedCharges,
    vendorLedger: () => sim.settlement(),
    ledgerKey: (entry) => entry.ids.referenceId,
    close: () => sim.close(),
  };
}

describeTerminalSuite("wepay", setup);
describeFaultCampaign("wepay", setup);

describe("WePay adapter rules", () => {
  it("reports the reader's statuses as events, masked PAN only, and the card read is single use", async () => {
    const fixture = await setup();
    try {
      const terminal = fixture.terminal(new MemoryJournal());
      const events: TerminalEvent[] = [];
      terminal.on((e) => events.push(e));
      await terminal.connect();
      const outcome = await terminal.pay({ amount: 2500, currency: "USD", reference: "wepay-events-1" });
      expect(outcome).toMatchObject({ status: "approved", maskedPan: "476173******0119" });
      const statuses = events.filter((e) => e.type === "status").map((e) => (e as { status: string }).status);
      expect(statuses).toEqual([
        "searching for reader",
        "card reader connected",
        "checking reader",
        "configuring reader",
        "checking reader",
        "waiting-for-card",
        "card dipped",
        "processing",
      ]);
      expect(JSON.stringify(events)).not.toMatch(/\d{13,19}/);
      // one card read, one payment, one encoded method used
      expect(fixture.sim.state.usedPaymentMethods.size).toBe(1);
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("a reader disconnect reported by WePay (disconnect fault) fails the payment with nothing charged", async () => {
    const fixture = await setup();
    try {
      const fetchTransport = createFetchTransport();
      const terminal = wepayTerminal({
        baseUrl: fixture.sim.url,
        credentials: fixture.sim.credentials,
        accountId: ACCOUNT,
        httpTransport: (request) =>
          fetchTransport(
            request.method === "POST" && request.url.endsWith("/payments")
              ? { ...request, headers: { ...request.headers, "Payspec-Fault": "disconnect" } }
              : request,
          ),
        transports: [simulatedTransport("bluetooth", [new SimulatedCardReader()])],
      });
      await terminal.connect();
      const outcome = await terminal.pay({ amount: 2500, currency: "USD", reference: "wepay-disconnect-1" });
      expect(outcome.status).toBe("failed");
      expect(outcome.reason).toMatch(/CARD_READER_DISCONNECTED/);
      expect(fixture.sim.state.charges).toBe(0);
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("a create that never reached WePay (reset) is recovered in process by replaying the same Unique-Key and body", async () => {
    const fixture = await setup();
    try {
      let resetNext = true;
      const fetchTransport = createFetchTransport();
      const terminal = wepayTerminal({
        baseUrl: fixture.sim.url,
        credentials: fixture.sim.credentials,
        accountId: ACCOUNT,
        httpTransport: (request) => {
          if (resetNext && request.method === "POST" && request.url.endsWith("/payments")) {
            resetNext = false;
            return fetchTransport({ ...request, headers: { ...request.headers, "Payspec-Fault": "reset" } });
          }
          return fetchTransport(request);
        },
        transports: [simulatedTransport("bluetooth", [new SimulatedCardReader()])],
        recovery: { intervalMs: 1 },
      });
      await terminal.connect();
      const outcome = await terminal.pay({ amount: 2500, currency: "USD", reference: "wepay-reset-1" });
      expect(outcome).toMatchObject({ status: "approved", recovered: true });
      expect(fixture.sim.state.charges).toBe(1);
      expect(fixture.sim.state.payments.size).toBe(1);
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("a non-USD payment fails before the reader waits (card present is USD only)", async () => {
    const fixture = await setup();
    try {
      const terminal = fixture.terminal(new MemoryJournal());
      await terminal.connect();
      const outcome = await terminal.pay({ amount: 2500, currency: "EUR", reference: "wepay-eur-1" });
      expect(outcome).toMatchObject({
        status: "failed",
        reason: expect.stringMatching(/WPErrorInvalidTransactionCurrencyCode/),
      });
      expect(fixture.sim.state.charges).toBe(0);
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });
});
