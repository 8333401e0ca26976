// The shared Terminal suite on the nexo terminal simulator (Swedbank Pay PAX, full integration):
// the driver's POS listener receives the terminal's DisplayRequests, Print/Input requests and
// EventNotifications over loopback, and a lost answer is recovered with TransactionStatus.
import { startNexoTerminalSimulator, TEST_AMOUNTS } from "@payspec/nexo-server";
import { createFetchTransport, type Transport } from "@payspec/runtime";
import { freeLoopbackPort } from "@payspec/runtime/server";
import { describe, expect, it } from "vitest";
import { type NexoTerminalOptions, nexoTerminal } from "../src/adapters/nexo.js";
import { MemoryJournal, type TerminalEvent } from "../src/index.js";
import { describeFaultCampaign } from "./campaign.js";
import { describeTerminalSuite, type SuiteFixture } from "./suite.js";

const POIID = "A-POIID";
const CURRENCY = "SEK";
const WAIT_FOR_CARD = 1000 + Number(TEST_AMOUNTS.waitForCard); // 10.90 SEK
const SIGNATURE = 1000 + Number(TEST_AMOUNTS.signature); // 10.70 SEK

interface NexoFixture extends SuiteFixture {
  terminalWith(options: Partial<NexoTerminalOptions>): ReturnType<typeof nexoTerminal>;
  /** The next PaymentRequest carries this `Payspec-Fault`. */
  faultNextPayment(fault: string): void;
  /** Request bodies sent to the terminal, in order. */
  readonly sent: string[];
}

async function setup(): Promise<NexoFixture> {
  const listenerPort = await freeLoopbackPort();
  const sim = await startNexoTerminalSimulator({ poiId: POIID, posListenerUrl: `http://127.0.0.1:${listenerPort}` });
  let nextFault: string | undefined;
  const sent: string[] = [];
  const fetchTransport = createFetchTransport({ timeoutMs: 30_000 });
  /** The next PaymentRequest carries `Payspec-Fault: drop-after-commit` (the terminal commits, the answer is lost). */
  const transport: Transport = (request) => {
    const body = typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body);
    sent.push(body);
    if (nextFault !== undefined && body.includes("PaymentRequest")) {
      const fault = nextFault;
      nextFault = undefined;
      return fetchTransport({ ...request, headers: { ...request.headers, "payspec-fault": fault } });
    }
    return fetchTransport(request);
  };
  const terminalWith = (options: Partial<NexoTerminalOptions>) =>
    nexoTerminal({
      terminalUrl: sim.url,
      poiId: POIID,
      saleId: "POS-1",
      listener: { port: listenerPort },
      transport,
      ...options,
      recovery: { intervalMs: 20, ...options.recovery },
    });
  return {
    terminal: (journal, options) =>
      terminalWith({ journal, ...(options?.recovery ? { recovery: options.recovery } : {}) }),
    terminalWith,
    currency: CURRENCY,
    approvedAmount: 1000,
    declinedAmount: 1051,
    cancellableAmount: WAIT_FOR_CARD,
    displays: true,
    loseNextAnswer: () => {
      nextFault = "drop-after-commit";
    },
    faultNextPayment: (fault) => {
      nextFault = fault;
    },
    sent,
    vendorCharges: () =>
      [...sim.state.transactions.values()].filter((t) => t.approved && !t.reversed && t.paymentType === "Normal")
        .length,
    vendorLedger: () => sim.settlement(),
    ledgerKey: (entry) => entry.ids.saleTransactionId,
    close: async () => {
      sim.hurry();
      await sim.close();
    },
  };
}

describeTerminalSuite("nexo", setup);
describeFaultCampaign("nexo", setup);

describe("nexo adapter specifics", () => {
  let counter = 0;
  const ref = (tag: string) => `nexo-${tag}-${process.pid}-${++counter}`;

  it("a signature payment shows the receipt to print and the confirmation as print/input events", async () => {
    const fixture = await setup();
    try {
      const terminal = fixture.terminal(new MemoryJournal());
      const events: TerminalEvent[] = [];
      terminal.on((e) => events.push(e));
      await terminal.connect();
      const outcome = await terminal.pay({ amount: SIGNATURE, currency: CURRENCY, reference: ref("sign") });
      expect(outcome).toMatchObject({ status: "approved", amount: SIGNATURE });
      expect(events).toContainEqual(expect.objectContaining({ type: "print", lines: [expect.any(String)] }));
      expect(events).toContainEqual({ type: "input", prompt: "Signature OK?", answer: "yes" });
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("a refused signature declines the payment with the terminal's reason; nothing is charged", async () => {
    const fixture = await setup();
    try {
      const terminal = fixture.terminalWith({ journal: new MemoryJournal(), confirmSignature: () => false });
      await terminal.connect();
      const charges = await fixture.vendorCharges();
      const outcome = await terminal.pay({ amount: SIGNATURE, currency: CURRENCY, reference: ref("refused") });
      expect(outcome).toMatchObject({ status: "declined", reason: "Refusal: Signature refused" });
      expect(await fixture.vendorCharges()).toBe(charges);
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("card events arrive as status events; the outcome carries the masked PAN, approval code and POITransactionID", async () => {
    const fixture = await setup();
    try {
      const terminal = fixture.terminal(new MemoryJournal());
      const statuses: string[] = [];
      terminal.on((e) => {
        if (e.type === "status") statuses.push(e.status);
      });
      await terminal.connect();
      const outcome = await terminal.pay({ amount: 1000, currency: CURRENCY, reference: ref("card") });
      expect(statuses).toEqual(["waiting-for-card", "card-inserted", "card-removed"]);
      expect(outcome.maskedPan).toMatch(/^\d{6}\*+\d{4}$/);
      expect(outcome.authorizationCode).toEqual(expect.any(String));
      expect(outcome.transactionId).toMatch(/^\d+$/);
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("a PaymentRequest lost before the terminal got it: NotFound is confirmed once more, then failed, nothing charged", async () => {
    const fixture = await setup();
    try {
      const terminal = fixture.terminal(new MemoryJournal());
      await terminal.connect();
      const charges = await fixture.vendorCharges();
      fixture.faultNextPayment("reset");
      const outcome = await terminal.pay({ amount: 1000, currency: CURRENCY, reference: ref("reset") });
      expect(outcome).toMatchObject({ status: "failed", recovered: true });
      // Right after the lost answer the first NotFound answers "in-progress": the request might still arrive.
      expect(fixture.sent.filter((b) => b.includes("TransactionStatusRequest"))).toHaveLength(2);
      expect(await fixture.vendorCharges()).toBe(charges);
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });

  it("speaks JSON when asked (contentType application/json)", async () => {
    const fixture = await setup();
    try {
      const terminal = fixture.terminalWith({ journal: new MemoryJournal(), contentType: "application/json" });
      await terminal.connect();
      const outcome = await terminal.pay({ amount: 1000, currency: CURRENCY, reference: ref("json") });
      expect(outcome.status).toBe("approved");
      await terminal.close();
    } finally {
      await fixture.close();
    }
  });
});
