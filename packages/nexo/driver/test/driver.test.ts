// The nexo driver against the real terminal simulator over loopback (seed 004): each test names
// the rule it enforces.
import { type RunningNexoTerminalSimulator, startNexoTerminalSimulator, TEST_AMOUNTS } from "@payspec/nexo-server";
import { createFetchTransport, TimeoutError, type Transport, TransportError } from "@payspec/runtime";
import { freeLoopbackPort } from "@payspec/runtime/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  NexoDriver,
  NexoDriverError,
  type NexoDriverEvent,
  type NexoDriverOptions,
  NexoOutcomeUnknownError,
} from "../src/index.js";

const POIID = "A-POIID";

let listenerPort: number;
let terminal: RunningNexoTerminalSimulator;
/** Bodies the driver sent, in order (XML or JSON text). */
const sent: string[] = [];
/** The fault header for the next PaymentRequest. */
let nextPaymentFault: string | undefined;
/** When true every request fails as if the terminal were unreachable. */
let down = false;

/** fetch transport that records every request and injects `Payspec-Fault` into the next PaymentRequest. */
const base = createFetchTransport({ timeoutMs: 30_000 });
const transport: Transport = (request) => {
  const body = typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body);
  sent.push(body);
  if (down) return Promise.reject(new TransportError("POST failed: connect ECONNREFUSED"));
  if (nextPaymentFault !== undefined && body.includes("PaymentRequest")) {
    const fault = nextPaymentFault;
    nextPaymentFault = undefined;
    return base({ ...request, headers: { ...request.headers, "payspec-fault": fault } });
  }
  return base(request);
};

beforeAll(async () => {
  listenerPort = await freeLoopbackPort();
  terminal = await startNexoTerminalSimulator({ poiId: POIID, posListenerUrl: `http://127.0.0.1:${listenerPort}` });
});
afterAll(() => terminal.close());

const drivers: NexoDriver[] = [];
afterEach(async () => {
  terminal.hurry();
  await terminal.settled();
  for (const d of drivers.splice(0)) await d.close();
  sent.length = 0;
  nextPaymentFault = undefined;
});

function driver(options: Partial<NexoDriverOptions> = {}): NexoDriver {
  const d = new NexoDriver({
    terminalUrl: terminal.url,
    poiId: POIID,
    saleId: "POS-1",
    listener: { port: listenerPort },
    transport,
    recovery: { attempts: 5, intervalMs: 1 },
    sleep: async () => {},
    ...options,
  });
  drivers.push(d);
  return d;
}

const serviceIds = () =>
  sent.map((b) => /ServiceID="([^"]+)"/.exec(b)?.[1] ?? /"ServiceID":"([^"]+)"/.exec(b)?.[1] ?? "?");

let tx = 0;
const sale = () => `S${++tx}`;

describe("login session", () => {
  it("connect logs in with the full-integration SaleCapabilities and reaches ready", async () => {
    const d = driver();
    await d.connect();
    expect(d.state).toBe("ready");
    expect(terminal.state.session).toEqual({ saleId: "POS-1", fullIntegration: true });
    expect(d.poiSystemData?.POIStatus?.GlobalStatus).toBe("OK");
  });

  it("listener: false logs in for the light integration (no display capability)", async () => {
    const d = driver({ listener: false });
    await d.connect();
    expect(terminal.state.session?.fullIntegration).toBe(false);
    expect(d.listenerUrl).toBeUndefined();
  });

  it("every request of a session has its own ServiceID of at most 10 characters", async () => {
    const d = driver();
    await d.connect();
    await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" });
    await d.transactionStatus();
    await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" });
    const ids = serviceIds();
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d{1,10}$/);
  });

  it("newServiceId skips an id already used in the session", async () => {
    const ids = ["11", "11", "12", "12", "13"];
    const d = driver({ serviceId: () => ids.shift() ?? "99" });
    await d.connect(); // the Login uses 11
    expect(d.newServiceId()).toBe("12");
  });

  it("re-login on LoggedOut: after another POS took the session, pay logs in again and is approved", async () => {
    const d = driver();
    await d.connect();
    const other = driver({ saleId: "POS-2", listener: false });
    await other.connect(); // replaces POS-1's session on the terminal
    const result = await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" });
    expect(result.response.Response.Result).toBe("Success");
    expect(terminal.state.session?.saleId).toBe("POS-1");
    // Login, Payment (LoggedOut), Login, Payment with the same ServiceID in the new session.
    const bodies = sent.filter((b) => b.includes("POS-1"));
    expect(bodies.map((b) => (b.includes("LoginRequest") ? "login" : "payment"))).toEqual([
      "login",
      "payment",
      "login",
      "payment",
    ]);
  });

  it("a failed Login (terminal busy) throws login-failed and leaves the driver disconnected", async () => {
    const busy = await startNexoTerminalSimulator({ poiId: POIID, faults: { busy: true } });
    try {
      const d = driver({ terminalUrl: busy.url, listener: false });
      await expect(d.connect()).rejects.toMatchObject({ code: "login-failed" });
      expect(d.state).toBe("disconnected");
    } finally {
      await busy.close();
    }
  });
});

describe("payments", () => {
  it("pay: approved (XML by default) with the POITransactionID and masked PAN", async () => {
    const d = driver();
    await d.connect();
    const result = await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" });
    expect(result.recovered).toBe(false);
    expect(result.response.Response.Result).toBe("Success");
    expect(result.response.POIData.POITransactionID.TransactionID).toMatch(/^\d+$/);
    expect(result.response.PaymentResult?.PaymentInstrumentData?.CardData?.MaskedPAN).toMatch(/\*/);
    expect(sent.at(-1)).toMatch(/^<\?xml|^<SaleToPOIRequest/);
  });

  it("contentType application/json sends JSON", async () => {
    const d = driver({ contentType: "application/json" });
    await d.connect();
    const result = await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" });
    expect(result.response.Response.Result).toBe("Success");
    expect(sent.at(-1)?.startsWith("{")).toBe(true);
  });

  it("a declined amount answers Failure / Refusal", async () => {
    const d = driver();
    await d.connect();
    const result = await d.pay({ saleTransactionId: sale(), amount: 10.51, currency: "SEK" });
    expect(result.response.Response).toMatchObject({ Result: "Failure", ErrorCondition: "Refusal" });
  });

  it("refund sends PaymentType Refund", async () => {
    const d = driver();
    await d.connect();
    const result = await d.refund({ saleTransactionId: sale(), amount: 10, currency: "SEK" });
    expect(result.response.PaymentResult?.PaymentType).toBe("Refund");
  });

  it("one request at a time: a second pay while one runs throws busy", async () => {
    const d = driver();
    await d.connect();
    const first = d.pay({
      saleTransactionId: sale(),
      amount: Number(`10.${TEST_AMOUNTS.waitForCard}`),
      currency: "SEK",
    });
    await expect(d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" })).rejects.toMatchObject({
      code: "busy",
    });
    while (terminal.state.pendingServiceId === undefined) await new Promise((r) => setImmediate(r));
    terminal.hurry();
    expect((await first).response.Response.Result).toBe("Success");
  });

  it("abort: the signal sends an AbortRequest and the payment ends Failure / Aborted", async () => {
    const d = driver();
    await d.connect();
    const controller = new AbortController();
    const waiting = new Promise<void>((resolve) =>
      d.on((e) => {
        if (e.type === "display" && e.lines.includes("Present card")) resolve();
      }),
    );
    const paying = d.pay({
      saleTransactionId: sale(),
      amount: Number(`10.${TEST_AMOUNTS.waitForCard}`),
      currency: "SEK",
      signal: controller.signal,
    });
    await waiting;
    controller.abort();
    const result = await paying;
    expect(result.response.Response).toMatchObject({ Result: "Failure", ErrorCondition: "Aborted" });
    expect(sent.some((b) => b.includes("AbortRequest"))).toBe(true);
  });

  it("abort(serviceId) stops the payment sent with that ServiceID", async () => {
    const d = driver();
    await d.connect();
    const serviceId = d.newServiceId();
    const paying = d.pay({
      serviceId,
      saleTransactionId: sale(),
      amount: Number(`10.${TEST_AMOUNTS.waitForCard}`),
      currency: "SEK",
    });
    while (terminal.state.pendingServiceId !== serviceId) await new Promise((r) => setImmediate(r));
    await d.abort(serviceId);
    expect((await paying).response.Response.ErrorCondition).toBe("Aborted");
  });

  it("reversal of an approved payment answers Success with the ReversedAmount", async () => {
    const d = driver();
    await d.connect();
    const paid = await d.pay({ saleTransactionId: sale(), amount: 12, currency: "SEK" });
    const reversal = await d.reversal({ poiTransactionId: paid.response.POIData.POITransactionID });
    expect(reversal.Response.Result).toBe("Success");
    expect(reversal.ReversedAmount).toBe(12);
    const again = await d.reversal({ poiTransactionId: paid.response.POIData.POITransactionID });
    expect(again.Response.ErrorCondition).toBe("NotAllowed");
  });
});

describe("POS listener (full integration) as typed events", () => {
  it("DisplayRequests arrive as display events and the terminal gets 204", async () => {
    const d = driver();
    const events: NexoDriverEvent[] = [];
    d.on((e) => events.push(e));
    await d.connect();
    const before = terminal.state.displays.length;
    await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" });
    const lines = events.flatMap((e) => (e.type === "display" ? e.lines : []));
    expect(lines).toEqual(["Present card", "Enter PIN", "Authorizing", "Approved"]);
    expect(terminal.state.displays.slice(before).map((s) => s.status)).toEqual([204, 204, 204, 204]);
  });

  it("EventNotifications (card inserted / removed) arrive as event events", async () => {
    const d = driver();
    const events: string[] = [];
    d.on((e) => {
      if (e.type === "event") events.push(e.event);
    });
    await d.connect();
    await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" });
    expect(events).toEqual(["CardInserted", "CardRemoved"]);
  });

  it("signature: the PrintRequest and the InputRequest arrive as events; approved by default", async () => {
    const d = driver();
    const events: NexoDriverEvent[] = [];
    d.on((e) => events.push(e));
    await d.connect();
    const result = await d.pay({
      saleTransactionId: sale(),
      amount: Number(`10.${TEST_AMOUNTS.signature}`),
      currency: "SEK",
    });
    expect(result.response.Response.Result).toBe("Success");
    expect(events.find((e) => e.type === "print")).toMatchObject({ document: "CashierReceipt", signature: true });
    expect(events.find((e) => e.type === "input")).toMatchObject({
      command: "GetConfirmation",
      prompt: "Signature OK?",
      confirmed: true,
    });
    expect(terminal.state.prints.at(-1)?.status).toBe(200);
  });

  it("signature refused by confirmSignature: the payment ends Failure / Refusal", async () => {
    const d = driver({ confirmSignature: () => false });
    await d.connect();
    const result = await d.pay({
      saleTransactionId: sale(),
      amount: Number(`10.${TEST_AMOUNTS.signature}`),
      currency: "SEK",
    });
    expect(result.response.Response).toMatchObject({ Result: "Failure", ErrorCondition: "Refusal" });
    expect(terminal.state.inputs.at(-1)?.confirmed).toBe(false);
  });
});

describe("recovery with TransactionStatus, never a guess", () => {
  it("an answer lost after the terminal committed (drop-after-commit) is recovered: recovered true", async () => {
    const d = driver();
    await d.connect();
    nextPaymentFault = "drop-after-commit";
    const result = await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" });
    expect(result.recovered).toBe(true);
    expect(result.response.Response.Result).toBe("Success");
    expect(sent.at(-1)).toContain("TransactionStatusRequest");
    expect(d.state).toBe("ready");
  });

  it("a payment timeout is not a failure: TransactionStatus says in-progress, then the final answer (recovered)", async () => {
    // The payment's time limit runs out once the terminal waits for the card (no real timer: the
    // transport gives up as a timeout would, after the terminal has the payment).
    const timingOut: Transport = async (request) => {
      if (!String(request.body).includes("PaymentRequest")) return transport(request);
      sent.push(String(request.body));
      const controller = new AbortController();
      const answer = base({ ...request, signal: controller.signal });
      while (terminal.state.pendingServiceId === undefined) await new Promise((r) => setImmediate(r));
      controller.abort();
      await answer.catch(() => undefined);
      throw new TimeoutError(200);
    };
    const d = driver({
      transport: timingOut,
      // Between two TransactionStatus requests the customer presents the card and the payment completes.
      sleep: async () => {
        terminal.hurry();
        await terminal.settled();
      },
    });
    await d.connect();
    const result = await d.pay({
      saleTransactionId: sale(),
      amount: Number(`10.${TEST_AMOUNTS.waitForCard}`),
      currency: "SEK",
    });
    expect(result.recovered).toBe(true);
    expect(result.response.Response.Result).toBe("Success");
    expect(sent.filter((b) => b.includes("TransactionStatusRequest")).length).toBeGreaterThanOrEqual(2);
  });

  it("recover: false throws NexoOutcomeUnknownError with the ServiceID; recover(serviceId) then finds it", async () => {
    const d = driver();
    await d.connect();
    nextPaymentFault = "drop-after-commit";
    const serviceId = d.newServiceId();
    const error = await d
      .pay({ serviceId, saleTransactionId: sale(), amount: 10, currency: "SEK", recover: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NexoOutcomeUnknownError);
    expect((error as NexoOutcomeUnknownError).serviceId).toBe(serviceId);
    const fresh = driver({ listener: false }); // e.g. after a POS restart: a new session, same SaleID
    await fresh.connect();
    const recovered = await fresh.recover(serviceId);
    expect(recovered.response.Response.Result).toBe("Success");
  });

  it("a ServiceID the terminal never received: recover throws not-received (TransactionStatus NotFound)", async () => {
    const d = driver();
    await d.connect();
    await expect(d.recover("4242424242")).rejects.toMatchObject({ code: "not-received" });
    expect(await d.transactionStatus("4242424242")).toEqual({ status: "not-found" });
  });

  it("while the payment runs TransactionStatus says in-progress; recover gives up with outcome-unknown", async () => {
    const d = driver();
    await d.connect();
    const serviceId = d.newServiceId();
    const paying = d.pay({
      serviceId,
      saleTransactionId: sale(),
      amount: Number(`10.${TEST_AMOUNTS.waitForCard}`),
      currency: "SEK",
    });
    while (terminal.state.pendingServiceId !== serviceId) await new Promise((r) => setImmediate(r));
    expect(await d.transactionStatus(serviceId)).toEqual({ status: "in-progress" });
    await expect(d.recover(serviceId, { attempts: 2 })).rejects.toBeInstanceOf(NexoOutcomeUnknownError);
    terminal.hurry();
    await paying;
  });

  it("a PaymentRequest reset before the terminal ran it: NotFound twice, an interval apart → not-received", async () => {
    const d = driver({ listener: false });
    await d.connect();
    nextPaymentFault = "reset";
    const error = await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NexoDriverError);
    expect((error as NexoDriverError).code).toBe("not-received");
    // Right after a lost answer one NotFound is not proof (the request may still be on its way): asked twice.
    expect(sent.filter((b) => b.includes("TransactionStatusRequest"))).toHaveLength(2);
  });

  it("an unreachable terminal: the lost answer stays unknown (NexoOutcomeUnknownError), never a failure", async () => {
    const d = driver({ listener: false });
    await d.connect();
    down = true;
    const error = await d.pay({ saleTransactionId: sale(), amount: 10, currency: "SEK" }).catch((e: unknown) => e);
    down = false;
    expect(error).toBeInstanceOf(NexoOutcomeUnknownError);
    expect(d.state).toBe("ready");
  });
});
