// The simulator's payment lookup (GET /payment/{orderId}, Payspec extension) and its fault
// injection: drop-after-commit, busy, decline, disconnect of the serial line. Loopback HTTP →
// connector → in-memory serial line → simulated terminal.
import type { PaymentResult } from "@payspec/hipay-ecr-types";
import { basicAuth, callOperation, VendorError } from "@payspec/runtime";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ConnectorSimulator,
  type ConnectorSimulatorOptions,
  operations,
  startConnectorSimulator,
} from "../src/index.js";

const sims: ConnectorSimulator[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

async function start(options: ConnectorSimulatorOptions = {}) {
  const sim = await startConnectorSimulator({
    ...options,
    connector: { timeoutMs: 200, answerTimeoutMs: 300, ...options.connector },
    terminal: { timeoutMs: 200, ...options.terminal },
  });
  sims.push(sim);
  const call = (id: keyof typeof operations, input: Record<string, unknown> = {}, fault?: string) =>
    callOperation(
      operations[id],
      input,
      {
        baseUrl: sim.url,
        headers: { authorization: basicAuth("log", "pwd"), ...(fault ? { "payspec-fault": fault } : {}) },
        retry: { maxAttempts: 1 },
      },
      (status, body) => new VendorError(status, body),
    );
  const pay = (orderId: string, amount = 8.99, fault?: string) =>
    call("paymentPay", { body: { amount, orderId, currency: "EUR" } }, fault) as Promise<PaymentResult[]>;
  const lookup = (orderId: string) => call("paymentStatus", { orderId }) as Promise<PaymentResult[]>;
  return { sim, call, pay, lookup };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );

describe("payment lookup by orderId (Payspec extension)", () => {
  it("answers an empty array for an orderId the connector never received", async () => {
    const { lookup, sim } = await start();
    await expect(lookup("Order_never")).resolves.toEqual([]);
    expect(sim.terminal.requests).toEqual([]);
  });

  it("answers the very result the payment was given", async () => {
    const { pay, lookup } = await start();
    const [paid] = await pay("Order_1");
    expect(paid?.status).toBe("Success");
    await expect(lookup("Order_1")).resolves.toEqual([paid]);
    const [refused] = await pay("Order_2", 1.07);
    expect(refused?.status).toBe("Refused");
    await expect(lookup("Order_2")).resolves.toEqual([refused]);
  });

  it("answers 409 while that payment waits for the customer", async () => {
    const { pay, lookup, sim } = await start({ connector: { answerTimeoutMs: 60_000 } });
    const paying = pay("Order_slow", 5.98); // x.98: the customer never completes
    while (!sim.terminal.busy) await new Promise((r) => setTimeout(r, 5));
    const error = await failure(lookup("Order_slow"));
    expect(error).toMatchObject({ status: 409, body: { status: "Error" } });
    await sim.connector.handlers.maintenanceCancel({}, {} as never);
    await expect(paying).resolves.toMatchObject([{ status: "Cancelled" }]);
    await expect(lookup("Order_slow")).resolves.toMatchObject([{ status: "Cancelled" }]);
  });

  it("answers 503 when the terminal took the payment and never answered (the connector cannot know)", async () => {
    const { pay, lookup } = await start();
    await expect(failure(pay("Order_silent", 5.98))).resolves.toMatchObject({ status: 503 });
    const error = await failure(lookup("Order_silent"));
    expect(error).toMatchObject({ status: 503, body: { error: expect.stringContaining("never answered") } });
  });

  it("records a payment the terminal never took (no ACK to ENQ) as an Error: nothing was charged", async () => {
    const { pay, lookup, sim } = await start();
    sim.terminal.close();
    await expect(failure(pay("Order_unplugged"))).resolves.toMatchObject({ status: 503 });
    await expect(lookup("Order_unplugged")).resolves.toMatchObject([{ status: "Error", orderId: "Order_unplugged" }]);
    expect(sim.charges()).toBe(0);
  });
});

describe("refund (Payspec extension POST /refund)", () => {
  it("refunds with a Concert credit (type 1): Success, a CREDIT ticket, and the lookup finds it by its orderId", async () => {
    const { call, lookup, sim } = await start();
    const answer = (await call("paymentRefund", {
      body: { amount: 5, orderId: "Refund_1", currency: "EUR" },
    })) as PaymentResult[];
    expect(answer).toMatchObject([{ status: "Success", orderId: "Refund_1", receipt: { transactionType: "02" } }]);
    expect(answer[0]?.ticket).toContain("|CREDIT|");
    expect(sim.terminal.requests).toMatchObject([{ type: "1", amount: "00000500", currency: "978" }]);
    expect(sim.charges()).toBe(0); // a credit is not a charge
    await expect(lookup("Refund_1")).resolves.toEqual(answer);
  });

  it("a refund under the busy fault gets 409 and does not reach the terminal", async () => {
    const { call, sim } = await start();
    const error = await failure(
      call("paymentRefund", { body: { amount: 5, orderId: "Refund_busy", currency: "EUR" } }, "busy"),
    );
    expect(error).toMatchObject({ status: 409 });
    expect(sim.terminal.requests).toEqual([]);
  });
});

describe("simulator faults", () => {
  it("drop-after-commit: the payment is charged, the HTTP answer is lost, the lookup has the result", async () => {
    const { pay, lookup, sim } = await start();
    sim.loseNextAnswer();
    const error = await failure(pay("Order_lost"));
    expect(error).not.toBeInstanceOf(VendorError); // a network failure, not an HTTP answer
    expect(sim.charges()).toBe(1);
    await expect(lookup("Order_lost")).resolves.toMatchObject([{ status: "Success", orderId: "Order_lost" }]);
    await expect(pay("Order_next")).resolves.toMatchObject([{ status: "Success" }]); // only the next one is lost
  });

  it("drop-after-commit by header works the same", async () => {
    const { pay, sim } = await start();
    const error = await failure(pay("Order_header", 8.99, "drop-after-commit"));
    expect(error).not.toBeInstanceOf(VendorError);
    expect(sim.charges()).toBe(1);
  });

  it("busy: 409 without a request to the terminal", async () => {
    const { pay, sim } = await start();
    await expect(failure(pay("Order_busy", 8.99, "busy"))).resolves.toMatchObject({ status: 409 });
    expect(sim.terminal.requests).toEqual([]);
  });

  it("decline: the terminal refuses this payment only", async () => {
    const { pay, sim } = await start();
    await expect(pay("Order_declined", 8.99, "decline")).resolves.toMatchObject([{ status: "Refused" }]);
    await expect(pay("Order_after")).resolves.toMatchObject([{ status: "Success" }]);
    expect(sim.charges()).toBe(1);
  });

  it("disconnect: the line is cut after the terminal took the payment; 503, outcome unknown, /reset plugs it back", async () => {
    const { pay, lookup, call, sim } = await start();
    await expect(failure(pay("Order_cut", 8.99, "disconnect"))).resolves.toMatchObject({ status: 503 });
    expect(sim.terminal.unplugged).toBe(true);
    await expect(failure(lookup("Order_cut"))).resolves.toMatchObject({ status: 503 });
    await expect(failure(pay("Order_dead"))).resolves.toMatchObject({ status: 503 });
    await call("maintenanceReset");
    expect(sim.terminal.unplugged).toBe(false);
    await expect(pay("Order_back")).resolves.toMatchObject([{ status: "Success" }]);
  });
});
