// The shared Terminal suite on HiPay's connector simulator (connector + simulated Concert terminal
// on an in-memory serial line), plus what is particular to HiPay: refunds through Payspec's
// connector extension, and a payment the terminal never answered stays open (nobody on the POS
// side can know).
import { CONNECTOR_OPERATIONS } from "@payspec/hipay-ecr-driver";
import { type ConnectorSimulator, operations, startConnectorSimulator } from "@payspec/hipay-ecr-server";
import { maskPansInText } from "@payspec/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hipayEcrTerminal } from "../src/adapters/hipay-ecr.js";
import { MemoryJournal, OutcomeUnknownError, type TerminalEvent } from "../src/index.js";
import { describeFaultCampaign } from "./campaign.js";
import { describeTerminalSuite, type SuiteFixture } from "./suite.js";

const simulatorOptions = {
  // x.98 waits for the card until /cancel; the answer limit only has to outlast the suite's cancel test.
  connector: { answerTimeoutMs: 60_000 },
};

const setup = async (): Promise<SuiteFixture> => {
  const sim = await startConnectorSimulator(simulatorOptions);
  return {
    terminal: (journal, options) =>
      hipayEcrTerminal({
        baseUrl: sim.url,
        login: sim.login,
        password: sim.password,
        pollMs: 10,
        journal,
        recovery: { intervalMs: 20, ...options?.recovery },
      }),
    currency: "EUR",
    approvedAmount: 899,
    declinedAmount: 107, // x.07: refused by the simulated terminal
    cancellableAmount: 598, // x.98: the customer never completes
    loseNextAnswer: () => sim.loseNextAnswer(),
    vendorCharges: () => sim.charges(),
    vendorLedger: () => sim.settlement(),
    ledgerKey: (entry) => entry.ids.orderId,
    close: () => sim.close(),
  };
};

describeTerminalSuite("hipay-ecr", setup);
describeFaultCampaign("hipay-ecr", setup);

describe("hipay-ecr adapter specifics", () => {
  let sim: ConnectorSimulator;
  beforeAll(async () => {
    // The customer takes 100 ms, so the connector holds each payment long enough to be seen waiting.
    sim = await startConnectorSimulator({
      connector: { answerTimeoutMs: 300, timeoutMs: 200 },
      terminal: { delayMs: 100 },
    });
  });
  afterAll(async () => {
    await sim.close();
  });
  const terminal = (recovery = { attempts: 3, intervalMs: 10 }) =>
    hipayEcrTerminal({
      baseUrl: sim.url,
      login: sim.login,
      password: sim.password,
      pollMs: 10,
      journal: new MemoryJournal(),
      recovery,
    });

  it("calls the connector with the spec's own operation descriptors (driver copy = generated table)", () => {
    expect(CONNECTOR_OPERATIONS.paymentPay).toEqual(operations.paymentPay);
    expect(CONNECTOR_OPERATIONS.paymentStatus).toEqual(operations.paymentStatus);
    expect(CONNECTOR_OPERATIONS.paymentRefund).toEqual(operations.paymentRefund);
    expect(CONNECTOR_OPERATIONS.maintenanceCancel).toEqual(operations.maintenanceCancel);
  });

  it("sends the amount in major units under the reference as orderId, prints the ticket, masks the card number", async () => {
    const t = terminal();
    const events: TerminalEvent[] = [];
    t.on((event) => events.push(event));
    await t.connect();
    const outcome = await t.pay({ amount: 1234, currency: "EUR", reference: "hipay-major-units" });
    expect(sim.terminal.requests.at(-1)).toMatchObject({ amount: "00001234", currency: "978", type: "0" });
    expect(outcome).toMatchObject({ status: "approved", maskedPan: "123456XXXXXX7890" });
    expect(outcome.authorizationCode).toMatch(/^\d{6}$/);
    const printed = events.find((e) => e.type === "print");
    expect(printed).toMatchObject({ type: "print", lines: expect.arrayContaining(["CARTE BANCAIRE", "DEBIT"]) });
    const text = JSON.stringify(events);
    expect(maskPansInText(text)).toBe(text); // no card number in clear
    expect(text).toContain("XXXXXXXXXXXX7890");
    expect(events).toContainEqual({ type: "status", status: "waiting-for-card" });
    await t.close();
  });

  it("refunds with a Concert credit (type 1) under the refund's reference as orderId", async () => {
    const t = terminal();
    await t.connect();
    await t.pay({ amount: 899, currency: "EUR", reference: "hipay-refundable" });
    const charges = sim.charges();
    const refund = await t.refund({
      amount: 500,
      currency: "EUR",
      reference: "hipay-refund",
      paymentReference: "hipay-refundable",
    });
    expect(refund).toMatchObject({ kind: "refund", status: "approved", amount: 500 });
    expect(refund.receipt).toContain("CREDIT");
    expect(sim.terminal.requests.at(-1)).toMatchObject({ type: "1", amount: "00000500" });
    expect(sim.charges()).toBe(charges); // a credit is not a charge
    await t.close();
  });

  it("answers a currency the connector does not take as failed, without calling it", async () => {
    const t = terminal();
    await t.connect();
    const requests = sim.terminal.requests.length;
    const outcome = await t.pay({ amount: 899, currency: "USD", reference: "hipay-usd" });
    expect(outcome).toMatchObject({ status: "failed", reason: expect.stringContaining("EUR") });
    expect(sim.terminal.requests.length).toBe(requests);
    await t.close();
  });

  it("leaves a payment open (outcome unknown) when the serial line was cut after the terminal took it", async () => {
    const t = terminal();
    await t.connect();
    const charges = sim.charges();
    sim.terminal.failNext("disconnect");
    const error = await t.pay({ amount: 899, currency: "EUR", reference: "hipay-cut" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    // The connector itself does not know: asking again says so, and the entry stays open.
    await expect(t.status("hipay-cut")).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(sim.charges()).toBe(charges);
    sim.terminal.plug();
    await t.close();
  });

  it("a payment the connector refused as busy is failed with the connector's reason, nothing charged", async () => {
    const t = terminal();
    await t.connect();
    const charges = sim.charges();
    const busy = await startConnectorSimulator({ faults: { busy: true } });
    try {
      const b = hipayEcrTerminal({ baseUrl: busy.url, login: busy.login, password: busy.password, pollMs: 10 });
      await b.connect();
      const outcome = await b.pay({ amount: 899, currency: "EUR", reference: "hipay-busy" });
      expect(outcome).toMatchObject({ status: "failed", reason: "A transaction is already in progress" });
      expect(busy.charges()).toBe(0);
      await b.close();
    } finally {
      await busy.close();
    }
    expect(sim.charges()).toBe(charges);
    await t.close();
  });
});
