// The connector end to end: an HTTP client on loopback → registerHiPayEcr with the connector's
// handlers → Concert link (in memory) → simulated terminal, and back.
//
// The client is the runtime's `callOperation` over the spec's operation table, which is exactly
// what the generated HiPayEcrClient does: the client package already depends on this one (its
// round-trip tests), so this one cannot depend on the client without a cycle.
import type { PaymentRequest, PaymentResult } from "@payspec/hipay-ecr-types";
import { validatePaymentResponse } from "@payspec/hipay-ecr-validators";
import { basicAuth, callOperation, VendorError } from "@payspec/runtime";
import fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type ConcertConnector,
  type ConcertConnectorOptions,
  type ConcertTerminalOptions,
  ConcertTerminalSimulator,
  createConcertConnector,
  createMemorySerialPair,
  hipayAuthenticator,
  operations,
  registerHiPayEcr,
  rejectHiPay,
} from "../src/index.js";

interface Rig {
  app: FastifyInstance;
  connector: ConcertConnector;
  terminal: ConcertTerminalSimulator | undefined;
  call<K extends keyof typeof operations>(id: K, input?: Record<string, unknown>): Promise<unknown>;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    rig.terminal?.close();
    rig.connector.close();
    await rig.app.close();
  }
});

async function rig(
  options: { connector?: ConcertConnectorOptions; terminal?: ConcertTerminalOptions | false } = {},
): Promise<Rig> {
  const { a, b } = createMemorySerialPair();
  const connector = createConcertConnector(a, { timeoutMs: 1000, ...options.connector });
  const terminal =
    options.terminal === false ? undefined : new ConcertTerminalSimulator(b, { timeoutMs: 1000, ...options.terminal });
  const app = fastify();
  await registerHiPayEcr(app, connector.handlers, {
    reject: rejectHiPay,
    authenticate: hipayAuthenticator({ login: "log", password: "pwd" }),
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  const config = { baseUrl: `http://127.0.0.1:${address.port}`, headers: { authorization: basicAuth("log", "pwd") } };
  const makeError = (status: number, body: unknown, headers: Record<string, string>) =>
    new VendorError(status, body, { headers });
  const r: Rig = {
    app,
    connector,
    terminal,
    call: (id, input = {}) => callOperation(operations[id], input, config, makeError),
  };
  rigs.push(r);
  return r;
}

const payment = (overrides: Partial<PaymentRequest> = {}): PaymentRequest => ({
  amount: 8.99,
  orderId: "Order_12345",
  currency: "EUR",
  customer: { id: 283749291, firstname: "John", lastname: "Doe", email: "john.doe@example.com" },
  customData: { shop: "Opera", newCustomer: true, event: 42 },
  ...overrides,
});

async function pay(r: Rig, body: PaymentRequest): Promise<PaymentResult> {
  const answer = await r.call("paymentPay", { body });
  expect(validatePaymentResponse.check(answer)).toMatchObject({ valid: true, warnings: [] });
  const [result] = answer as PaymentResult[];
  if (!result) throw new Error("empty answer");
  return result;
}

async function refusal(promise: Promise<unknown>): Promise<VendorError<unknown>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VendorError);
  return error as VendorError<unknown>;
}

describe("HiPay ECR connector over a simulated Concert terminal", () => {
  it("takes a payment: sends a Concert debit in minor units and EUR as 978, answers Success with receipt, ticket and the request echoed", async () => {
    const r = await rig({ terminal: { now: () => new Date(2020, 3, 3, 8, 30, 11) } });
    const result = await pay(r, payment());
    expect(r.terminal?.requests).toEqual([
      {
        pos: "01",
        amount: "00000899",
        answerFlag: "1",
        mode: "1",
        type: "0",
        currency: "978",
        private: "0000000001",
        delay: "A010",
        auto: "B010",
      },
    ]);
    expect(result).toMatchObject({
      status: "Success",
      error: null,
      amount: 8.99,
      currency: "EUR",
      orderId: "Order_12345",
      customer: payment().customer,
      customData: payment().customData,
      notificationHipaySent: false,
    });
    expect(result.receipt).toMatchObject({
      localDate: "030420",
      localTime: "083011",
      primaryAccountNumber: "123456XXXXXX7890",
      amount: "00000899",
      inclusiveAmount: "00000899",
      currencyNumCode: "978",
      currencyAlphaCode: "EUR",
      transactionNumber: "000001",
      readingMode: "C",
    });
    expect(result.ticket).toMatch(/^CARTE BANCAIRE\|MASTERCARD\|LE 03\/04\/20 A 08:30:11\|/);
    expect(result.ticket).toContain("|MONTANT:8,99 EUR|DEBIT|TICKET CLIENT A CONSERVER||");
    expect(result.ticket).not.toContain("123456XXXXXX7890"); // the ticket shows the last four digits only
  });

  it("rounds the float amount to minor units (0.29 → 00000029, 100 → 00010000)", async () => {
    const r = await rig();
    await pay(r, payment({ amount: 0.29 }));
    await pay(r, payment({ amount: 100 }));
    expect(r.terminal?.requests.map((q) => q.amount)).toEqual(["00000029", "00010000"]);
  });

  it("answers Refused without a receipt when the terminal refuses (test amount x.07)", async () => {
    const r = await rig();
    const result = await pay(r, payment({ amount: 1.07 }));
    expect(result).toMatchObject({
      status: "Refused",
      error: "The terminal refused the transaction",
      receipt: null,
      ticket: null,
      amount: 1.07,
    });
  });

  it("answers Refused under the terminal's decline fault", async () => {
    const r = await rig({ terminal: { fault: "decline" } });
    expect((await pay(r, payment())).status).toBe("Refused");
  });

  it("refuses a second payment while one is in progress with 409, and /cancel ends the first as Cancelled", async () => {
    const r = await rig();
    const first = pay(r, payment({ amount: 5.98, orderId: "Order_1" })); // x.98: the customer never completes
    await vi.waitFor(() => expect(r.terminal?.busy).toBe(true));
    const busy = await refusal(r.call("paymentPay", { body: payment({ orderId: "Order_2" }) }));
    expect(busy.status).toBe(409);
    expect(busy.body).toEqual({ status: "Error", error: "A transaction is already in progress" });
    expect((await refusal(r.call("maintenanceCheck"))).status).toBe(409);
    expect((await refusal(r.call("maintenanceReset"))).status).toBe(409);
    await r.call("maintenanceCancel");
    expect(await first).toMatchObject({ status: "Cancelled", orderId: "Order_1", receipt: null });
    expect(r.terminal?.requests.map((q) => q.type)).toEqual(["0", "2"]);
    expect(r.connector.busy).toBe(false);
    // free again
    expect((await pay(r, payment({ orderId: "Order_3" }))).status).toBe("Success");
  });

  it("answers /cancel with 200 and sends nothing when no transaction is in progress", async () => {
    const r = await rig();
    await r.call("maintenanceCancel");
    expect(r.terminal?.requests).toEqual([]);
  });

  it("answers 503 when the terminal does not ACK (3 ENQ), and /check reports the fault until /reset", async () => {
    const r = await rig({ terminal: false, connector: { timeoutMs: 50 } });
    const error = await refusal(r.call("paymentPay", { body: payment() }));
    expect(error.status).toBe(503);
    expect(error.body).toEqual({ status: "Error", error: "The terminal does not answer (no-ack-to-enq)" });
    expect(r.connector.busy).toBe(false);
    expect(await r.call("maintenanceCheck")).toEqual([{ cr: "0", card: "0", call: "0", periph: "1" }]);
    await r.call("maintenanceReset");
    expect(await r.call("maintenanceCheck")).toEqual([{ cr: "0", card: "0", call: "0", periph: "0" }]);
  });

  it("answers 503 when the terminal takes the request but never answers within answerTimeoutMs", async () => {
    const r = await rig({ connector: { answerTimeoutMs: 100 } });
    const error = await refusal(r.call("paymentPay", { body: payment({ amount: 2.98 }) }));
    expect(error.status).toBe(503);
    expect(error.body).toEqual({ status: "Error", error: "No answer from the terminal (timeout)" });
    expect(r.connector.busy).toBe(false);
  });

  it("skips a late answer to an earlier, timed-out payment (its private data does not match)", async () => {
    const r = await rig({ connector: { answerTimeoutMs: 300 }, terminal: { delayMs: 900 } });
    const late = await refusal(r.call("paymentPay", { body: payment({ amount: 1.0, orderId: "Order_late" }) }));
    expect(late.status).toBe(503);
    await vi.waitFor(() => expect(r.terminal?.busy).toBe(false), { timeout: 3000 }); // its answer is on the way
    if (r.terminal) r.terminal.delayMs = 0;
    const result = await pay(r, payment({ amount: 2.0, orderId: "Order_next" }));
    expect(result).toMatchObject({ status: "Success", orderId: "Order_next", amount: 2 });
    expect(result.receipt?.amount).toBe("00000200");
  });

  it("refuses an amount over eight digits of minor units with 400", async () => {
    const r = await rig();
    const error = await refusal(r.call("paymentPay", { body: payment({ amount: 1_000_000 }) }));
    expect(error.status).toBe(400);
    expect(r.terminal?.requests).toEqual([]);
  });

  it("answers /version, /config, /tlc and /check in the seed's shapes from the connector state", async () => {
    const version = { version: "0.0.0-tpa-winserver2003_64", type: "tpa", os: "winserver2003_64" };
    const r = await rig({ connector: { version, serialNumber: "SN0001" } });
    expect(await r.call("maintenanceVersion")).toEqual([version]);
    expect(await r.call("maintenanceConfig")).toEqual([{ ...version, serialNumber: "SN0001" }]);
    expect(await r.call("maintenanceTlc")).toEqual([{ NbApp: "1", App: [{ Name: "CB EMV", Status: "0" }] }]);
    expect(await r.call("maintenanceCheck")).toEqual([{ cr: "0", card: "0", call: "0", periph: "0" }]);
  });

  it("calls onStop after answering /stop", async () => {
    const onStop = vi.fn();
    const r = await rig({ connector: { onStop } });
    await r.call("maintenanceStop");
    await vi.waitFor(() => expect(onStop).toHaveBeenCalledTimes(1));
  });
});
