// The terminal simulator behaves like a Swedbank Pay PAX terminal (seed 004): each test names the
// rule it enforces and fails when the simulator breaks it. Real loopback HTTP only.
import type { NexoRequestMessage, NexoResponseMessage, PaymentResponse, SaleToPOIResponse } from "@payspec/nexo-types";
import { validateNexoResponseMessage } from "@payspec/nexo-validators";
import { decodeBody, encodeBody } from "@payspec/runtime";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DECLINE_AMOUNTS,
  type RunningNexoTerminalSimulator,
  registerNexoPosListener,
  rejectNexo,
  type StartNexoTerminalSimulatorOptions,
  startNexoTerminalSimulator,
  xmlShapes,
} from "../src/index.js";

const POIID = "A-POIID";
const PATH = "/EPASSaleToPOI/3.1";
const FULL = ["CashierStatus", "CashierError", "CashierDisplay", "CashierInput", "PrinterReceipt"] as const;
const LIGHT = ["PrinterReceipt"] as const;

type Media = "application/json" | "application/xml";

interface Answer {
  status: number;
  body: SaleToPOIResponse | undefined;
}

/** POSTs a nexo request to the terminal and decodes the answer; the answer must be valid per the spec. */
async function post(
  url: string,
  message: NexoRequestMessage,
  options: { media?: Media; fault?: string } = {},
): Promise<Answer> {
  const media = options.media ?? "application/json";
  const encoding = media === "application/xml" ? "xml" : "json";
  const res = await fetch(url + PATH, {
    method: "POST",
    headers: { "content-type": media, ...(options.fault ? { "payspec-fault": options.fault } : {}) },
    body: encodeBody(encoding, message, xmlShapes, "NexoRequestMessage", "SaleToPOIRequest"),
  });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, body: undefined };
  expect(res.headers.get("content-type")).toMatch(new RegExp(`^${media}`));
  const body = decodeBody(encoding, text, xmlShapes, "NexoResponseMessage", "SaleToPOIResponse") as NexoResponseMessage;
  expect(validateNexoResponseMessage(body), JSON.stringify(validateNexoResponseMessage.errors)).toBe(true);
  return { status: 200, body: body.SaleToPOIResponse };
}

/** Builds requests of one POS: a fresh ServiceID each time unless one is given. */
function pos(saleId = "1") {
  let serviceId = 100;
  const header = (category: string, id?: string) => ({
    ProtocolVersion: "3.1" as const,
    MessageClass: "Service" as const,
    MessageCategory: category as "Payment",
    MessageType: "Request" as const,
    ServiceID: id ?? String(serviceId++),
    SaleID: saleId,
    POIID,
  });
  return {
    login: (capabilities: readonly string[] = LIGHT, id?: string): NexoRequestMessage => ({
      SaleToPOIRequest: {
        MessageHeader: header("Login", id),
        LoginRequest: {
          DateTime: "2023-09-26T13:57:31+02:00",
          SaleSoftware: { ProviderIdentification: "Demo", ApplicationName: "Demo POS", SoftwareVersion: "1.0" },
          SaleTerminalData: { TerminalEnvironment: "Attended", SaleCapabilities: [...capabilities] as never },
          OperatorLanguage: "sv",
        },
      },
    }),
    logout: (maintenanceAllowed?: boolean): NexoRequestMessage => ({
      SaleToPOIRequest: {
        MessageHeader: header("Logout"),
        LogoutRequest: maintenanceAllowed === undefined ? {} : { MaintenanceAllowed: maintenanceAllowed },
      },
    }),
    payment: (amount = 10, id?: string): NexoRequestMessage => ({
      SaleToPOIRequest: {
        MessageHeader: header("Payment", id),
        PaymentRequest: {
          SaleData: { SaleTransactionID: { TransactionID: "1703372", TimeStamp: "2023-08-24T17:03:37+02:00" } },
          PaymentTransaction: { AmountsReq: { Currency: "SEK", RequestedAmount: amount } },
          PaymentData: { PaymentType: "Normal" },
        },
      },
    }),
    abort: (serviceId: string): NexoRequestMessage => ({
      SaleToPOIRequest: {
        MessageHeader: header("Abort"),
        AbortRequest: {
          MessageReference: { MessageCategory: "Payment", ServiceID: serviceId, SaleID: saleId, POIID },
          AbortReason: "Abort by Sale System",
        },
      },
    }),
    status: (): NexoRequestMessage => ({
      SaleToPOIRequest: { MessageHeader: header("TransactionStatus"), TransactionStatusRequest: {} },
    }),
    reversal: (transactionId: string, timeStamp: string): NexoRequestMessage => ({
      SaleToPOIRequest: {
        MessageHeader: header("Reversal"),
        ReversalRequest: {
          ReversalReason: "MerchantCancel",
          OriginalPOITransaction: {
            SaleID: saleId,
            POIID,
            POITransactionID: { TransactionID: transactionId, TimeStamp: timeStamp },
          },
        },
      },
    }),
  };
}

/** A POS listener recording the DisplayRequest texts it receives (answers 204, as Swedbank Pay's). */
let listener: FastifyInstance;
let listenerUrl: string;
const received: string[] = [];
const notified: { event: string; maintenanceRequired?: boolean }[] = [];

beforeAll(async () => {
  listener = fastify();
  await registerNexoPosListener(
    listener,
    {
      posListenerReceive: ({ body }) => {
        const display = body.SaleToPOIRequest.DisplayRequest;
        if (display)
          received.push(
            display.DisplayOutput.map((o) => o.OutputContent.OutputText?.map((t) => t.Text).join("\n")).join("|"),
          );
        const event = body.SaleToPOIRequest.EventNotification;
        if (event) {
          notified.push({
            event: event.EventToNotify,
            ...(event.MaintenanceRequiredFlag === undefined
              ? {}
              : { maintenanceRequired: event.MaintenanceRequiredFlag }),
          });
        }
        return { status: 204 };
      },
    },
    { reject: rejectNexo },
  );
  listenerUrl = await listener.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(() => listener.close());

let terminal: RunningNexoTerminalSimulator | undefined;
afterEach(async () => {
  terminal?.hurry();
  await terminal?.close();
  terminal = undefined;
  received.length = 0;
  notified.length = 0;
});

async function start(options: Partial<StartNexoTerminalSimulatorOptions> = {}): Promise<RunningNexoTerminalSimulator> {
  terminal = await startNexoTerminalSimulator({
    host: "127.0.0.1",
    port: 0,
    poiId: POIID,
    posListenerUrl: listenerUrl,
    ...options,
  });
  return terminal;
}

/** Waits until the terminal has a payment in progress (no timing: polls the state). */
async function untilPending(t: RunningNexoTerminalSimulator): Promise<string> {
  while (t.state.pendingServiceId === undefined) await new Promise((r) => setImmediate(r));
  return t.state.pendingServiceId;
}

/** Long waits, so a payment stays in progress until the test aborts or hurries it. */
const SLOW = { delays: { cardMs: 60_000, pinMs: 60_000, authorizeMs: 60_000 } };

const response = (a: Answer) => {
  const body = a.body ?? {};
  const key = Object.keys(body).find((k) => k !== "MessageHeader") as keyof SaleToPOIResponse;
  return (body as Record<string, { Response: { Result: string; ErrorCondition?: string } }>)[key]?.Response;
};

describe("login sessions", () => {
  it("LoginRequest opens a session and answers Success with POISystemData", async () => {
    const t = await start();
    const a = await post(t.url, pos().login());
    expect(a.body?.LoginResponse?.Response.Result).toBe("Success");
    expect(a.body?.LoginResponse?.POISystemData?.POIStatus?.GlobalStatus).toBe("OK");
    expect(a.body?.MessageHeader).toMatchObject({
      MessageCategory: "Login",
      MessageType: "Response",
      SaleID: "1",
      POIID,
    });
    expect(t.state.session?.saleId).toBe("1");
  });

  it("a request before any Login answers Failure / LoggedOut", async () => {
    const t = await start();
    const a = await post(t.url, pos().payment());
    expect(a.body?.PaymentResponse?.Response).toMatchObject({ Result: "Failure", ErrorCondition: "LoggedOut" });
  });

  it("a request after Logout answers Failure / LoggedOut", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login());
    expect(response(await post(t.url, p.logout()))).toEqual({ Result: "Success" });
    expect(response(await post(t.url, p.status()))).toMatchObject({ Result: "Failure", ErrorCondition: "LoggedOut" });
  });

  it("a new Login replaces the session: the old SaleID is logged out", async () => {
    const t = await start();
    const one = pos("1");
    const two = pos("2");
    await post(t.url, one.login());
    await post(t.url, two.login());
    expect(response(await post(t.url, one.status()))).toMatchObject({ ErrorCondition: "LoggedOut" });
    expect(response(await post(t.url, two.status()))).toMatchObject({ ErrorCondition: "NotFound" });
  });

  it("a ServiceID reused within the session answers Failure / MessageFormat", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login(LIGHT, "5"));
    const first = await post(t.url, p.payment(10, "6"));
    expect(first.body?.PaymentResponse?.Response.Result).toBe("Success");
    const again = await post(t.url, p.payment(10, "6"));
    expect(again.body?.PaymentResponse?.Response).toMatchObject({ Result: "Failure", ErrorCondition: "MessageFormat" });
  });
});

describe("payments", () => {
  it("an approved payment answers Success with the receipts (PaymentReceipt with OutputContent)", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login());
    const a = await post(t.url, p.payment(10));
    const payment = a.body?.PaymentResponse as PaymentResponse;
    expect(payment.Response).toEqual({ Result: "Success" });
    expect(payment.PaymentResult?.AmountsResp).toMatchObject({ Currency: "SEK", AuthorizedAmount: 10 });
    expect(payment.SaleData.SaleTransactionID.TransactionID).toBe("1703372");
    expect(payment.PaymentReceipt?.map((r) => r.DocumentQualifier)).toEqual(["CashierReceipt", "CustomerReceipt"]);
    const text = payment.PaymentReceipt?.[1]?.OutputContent.OutputText?.[0]?.Text ?? "";
    expect(JSON.parse(Buffer.from(text, "base64").toString())).toMatchObject({
      Cardholder: { Mandatory: { Payment: { TotalAmount: "10.00" } } },
    });
  });

  it("answers in XML when the POS sends XML", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login(), { media: "application/xml" });
    const a = await post(t.url, p.payment(25.5), { media: "application/xml" });
    expect(a.body?.PaymentResponse?.Response.Result).toBe("Success");
    expect(a.body?.PaymentResponse?.PaymentResult?.AmountsResp?.AuthorizedAmount).toBe(25.5);
  });

  it.each(Object.entries(DECLINE_AMOUNTS))(
    "an amount ending in .%s is declined with Failure / its ErrorCondition",
    async (cents, outcome) => {
      const t = await start();
      const p = pos();
      await post(t.url, p.login());
      const a = await post(t.url, p.payment(Number(`12.${cents}`)));
      expect(a.body?.PaymentResponse?.Response).toMatchObject({ Result: "Failure", ErrorCondition: outcome.condition });
      expect(a.body?.PaymentResponse?.PaymentReceipt).toBeUndefined();
    },
  );

  it("the decline fault refuses the payment: Failure / Refusal", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login());
    const a = await post(t.url, p.payment(10), { fault: "decline" });
    expect(a.body?.PaymentResponse?.Response).toMatchObject({ Result: "Failure", ErrorCondition: "Refusal" });
  });

  it("the busy fault answers Failure / Busy", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login());
    const a = await post(t.url, p.payment(10), { fault: "busy" });
    expect(a.body?.PaymentResponse?.Response).toMatchObject({ Result: "Failure", ErrorCondition: "Busy" });
  });
});

describe("one service request at a time", () => {
  it("a Payment or Reversal while a payment is in progress answers Failure / Busy", async () => {
    const t = await start(SLOW);
    const p = pos();
    await post(t.url, p.login());
    const first = post(t.url, p.payment(10));
    await untilPending(t);
    expect(response(await post(t.url, p.payment(20)))).toMatchObject({ Result: "Failure", ErrorCondition: "Busy" });
    expect(response(await post(t.url, p.reversal("1", "2023-08-24T15:04:00.498Z")))).toMatchObject({
      ErrorCondition: "Busy",
    });
    t.hurry();
    expect((await first).body?.PaymentResponse?.Response.Result).toBe("Success");
  });

  it("a Logout while a payment is in progress answers Failure / Busy and keeps the session", async () => {
    const t = await start(SLOW);
    const p = pos();
    await post(t.url, p.login());
    const first = post(t.url, p.payment(10));
    await untilPending(t);
    expect(response(await post(t.url, p.logout()))).toMatchObject({ Result: "Failure", ErrorCondition: "Busy" });
    t.hurry();
    await first;
    expect(t.state.session?.saleId).toBe("1");
  });

  it("Login and TransactionStatus are answered while a payment is in progress", async () => {
    const t = await start(SLOW);
    const p = pos();
    await post(t.url, p.login());
    const first = post(t.url, p.payment(10));
    await untilPending(t);
    expect(response(await post(t.url, p.status()))).toMatchObject({ Result: "Failure", ErrorCondition: "InProgress" });
    expect(response(await post(t.url, p.login()))).toEqual({ Result: "Success" });
    t.hurry();
    await first;
  });

  it("AbortRequest of the pending payment answers 204 and the payment ends Failure / Aborted", async () => {
    const t = await start(SLOW);
    const p = pos();
    await post(t.url, p.login());
    const first = post(t.url, p.payment(10));
    const serviceId = await untilPending(t);
    const abort = await post(t.url, p.abort(serviceId));
    expect(abort.status).toBe(204);
    expect((await first).body?.PaymentResponse?.Response).toMatchObject({
      Result: "Failure",
      ErrorCondition: "Aborted",
      AdditionalResponse: "Abort by Sale System",
    });
  });
});

describe("faults of the run plan and other messages", () => {
  it("the run plan's busy fault answers Login Failure / Busy (no session opens)", async () => {
    const t = await start({ faults: { busy: true } });
    const p = pos();
    expect(response(await post(t.url, p.login()))).toMatchObject({ ErrorCondition: "Busy" });
    expect(t.state.session).toBeUndefined();
  });

  it("a DisplayRequest sent to the terminal answers 400 (Device messages are the POS listener's)", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login());
    const display: NexoRequestMessage = {
      SaleToPOIRequest: {
        MessageHeader: {
          ProtocolVersion: "3.1",
          MessageClass: "Device",
          MessageCategory: "Display",
          MessageType: "Request",
          ServiceID: "900",
          DeviceID: "1",
          SaleID: "1",
          POIID,
        },
        DisplayRequest: {
          DisplayOutput: [
            {
              Device: "CustomerDisplay",
              InfoQualify: "Display",
              OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "Hi" }] },
            },
          ],
        },
      },
    };
    expect((await post(t.url, display)).status).toBe(400);
  });
});

describe("transaction status", () => {
  it("answers Failure / NotFound when there is no transaction", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login());
    expect(response(await post(t.url, p.status()))).toMatchObject({ Result: "Failure", ErrorCondition: "NotFound" });
  });

  it("repeats the last PaymentResponse in RepeatedMessageResponse", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login());
    const paid = await post(t.url, p.payment(10));
    const a = await post(t.url, p.status());
    const repeated = a.body?.TransactionStatusResponse?.RepeatedMessageResponse;
    expect(a.body?.TransactionStatusResponse?.Response).toEqual({ Result: "Success" });
    expect(repeated?.MessageHeader).toEqual(paid.body?.MessageHeader);
    expect(repeated?.RepeatedResponseMessageBody.PaymentResponse).toEqual(paid.body?.PaymentResponse);
  });

  it("the disconnect fault drops the connection, the payment completes and TransactionStatus recovers it", async () => {
    const t = await start(SLOW);
    const p = pos();
    await post(t.url, p.login());
    const lost = post(t.url, p.payment(10), { fault: "disconnect" });
    await expect(lost).rejects.toThrow();
    expect(response(await post(t.url, p.status()))).toMatchObject({ ErrorCondition: "InProgress" });
    t.hurry();
    await t.settled();
    const a = await post(t.url, p.status());
    expect(
      a.body?.TransactionStatusResponse?.RepeatedMessageResponse?.RepeatedResponseMessageBody.PaymentResponse?.Response,
    ).toEqual({
      Result: "Success",
    });
  });
});

describe("reversal", () => {
  it("reverses an approved payment once; a second reversal answers Failure / NotAllowed", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login());
    const paid = await post(t.url, p.payment(10));
    const id = paid.body?.PaymentResponse?.POIData.POITransactionID ?? { TransactionID: "", TimeStamp: "" };
    const first = await post(t.url, p.reversal(id.TransactionID, id.TimeStamp));
    expect(first.body?.ReversalResponse?.Response).toEqual({ Result: "Success" });
    expect(first.body?.ReversalResponse?.POIData?.POITransactionID).toEqual(id);
    const second = await post(t.url, p.reversal(id.TransactionID, id.TimeStamp));
    expect(second.body?.ReversalResponse?.Response).toMatchObject({ Result: "Failure", ErrorCondition: "NotAllowed" });
  });

  it("a reversal of an unknown or declined transaction answers Failure / NotFound", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login());
    const declined = await post(t.url, p.payment(10.51));
    const id = declined.body?.PaymentResponse?.POIData.POITransactionID ?? { TransactionID: "", TimeStamp: "" };
    expect(response(await post(t.url, p.reversal(id.TransactionID, id.TimeStamp)))).toMatchObject({
      ErrorCondition: "NotFound",
    });
    expect(response(await post(t.url, p.reversal("999", id.TimeStamp)))).toMatchObject({ ErrorCondition: "NotFound" });
  });
});

describe("integration styles", () => {
  it("full integration: the terminal POSTs the payment's DisplayRequests to the POS listener, which answers 204", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login(FULL));
    expect(t.state.session?.fullIntegration).toBe(true);
    await post(t.url, p.payment(10));
    expect(received).toEqual(["Present card", "Enter PIN", "Authorizing", "Approved"]);
    expect(t.state.displays.map((d) => d.status)).toEqual([204, 204, 204, 204]);
  });

  it("full integration: a declined payment shows Declined", async () => {
    const t = await start({ posListenerContentType: "application/json" });
    const p = pos();
    await post(t.url, p.login(FULL));
    await post(t.url, p.payment(10.51));
    expect(received).toEqual(["Present card", "Enter PIN", "Authorizing", "Declined"]);
  });

  it("light integration (no CashierDisplay in SaleCapabilities): the terminal sends no DisplayRequest", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login(LIGHT));
    expect(t.state.session?.fullIntegration).toBe(false);
    const a = await post(t.url, p.payment(10));
    expect(a.body?.PaymentResponse?.Response.Result).toBe("Success");
    expect(received).toEqual([]);
    expect(t.state.displays).toEqual([]);
  });

  it("without a posListenerUrl the terminal sends no DisplayRequest even when the Login asks for displays", async () => {
    const t = await start({ posListenerUrl: undefined });
    const p = pos();
    await post(t.url, p.login(FULL));
    expect(t.state.session?.fullIntegration).toBe(false);
    await post(t.url, p.payment(10));
    expect(received).toEqual([]);
  });
});

describe("maintenance", () => {
  it("full integration: SaleAdmin with MaintenanceRequiredFlag, then Begin/EndMaintenance after a Logout with MaintenanceAllowed", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login(FULL));
    await t.requireMaintenance();
    expect(notified).toEqual([{ event: "SaleAdmin", maintenanceRequired: true }]);
    expect(t.state.maintenance).toBe("required");
    expect(response(await post(t.url, p.logout(true)))).toEqual({ Result: "Success" });
    await t.settled();
    expect(notified.map((n) => n.event)).toEqual(["SaleAdmin", "BeginMaintenance", "EndMaintenance"]);
    expect(t.state.events.map((e) => e.status)).toEqual([204, 204, 204]);
    expect(t.state.maintenance).toBe("none");
  });

  it("a Logout without MaintenanceAllowed leaves the maintenance pending", async () => {
    const t = await start();
    const p = pos();
    await post(t.url, p.login(FULL));
    await t.requireMaintenance();
    await post(t.url, p.logout());
    await t.settled();
    expect(t.state.maintenance).toBe("required");
    expect(notified.map((n) => n.event)).toEqual(["SaleAdmin"]);
  });

  it("a Login during maintenance answers Failure / Busy; after it the Login succeeds", async () => {
    const t = await start({ delays: { maintenanceMs: 60_000 } });
    const p = pos();
    await post(t.url, p.login(LIGHT));
    await t.requireMaintenance();
    await post(t.url, p.logout(true));
    expect(t.state.maintenance).toBe("in-progress");
    expect(response(await post(t.url, p.login()))).toMatchObject({ Result: "Failure", ErrorCondition: "Busy" });
    t.hurry();
    await t.settled();
    expect(response(await post(t.url, p.login()))).toEqual({ Result: "Success" });
    expect(notified).toEqual([]); // light integration: no events
  });
});
