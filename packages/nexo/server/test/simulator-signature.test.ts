// The simulator's signature flow, card events and the payment that waits for the card (seed 004,
// full integration): each test names the rule it enforces. Real loopback HTTP only.
import type {
  NexoRequestMessage,
  NexoResponseMessage,
  PaymentResponse,
  SaleToPOIRequest,
  SaleToPOIResponse,
} from "@payspec/nexo-types";
import { validateNexoResponseMessage } from "@payspec/nexo-validators";
import { decodeBody, encodeBody } from "@payspec/runtime";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningNexoTerminalSimulator,
  registerNexoPosListener,
  rejectNexo,
  startNexoTerminalSimulator,
  TEST_AMOUNTS,
  xmlShapes,
} from "../src/index.js";

const POIID = "A-POIID";
const PATH = "/EPASSaleToPOI/3.1";
const FULL = ["CashierStatus", "CashierError", "CashierDisplay", "CashierInput", "PrinterReceipt"] as const;
const LIGHT = ["PrinterReceipt"] as const;
const SIGNATURE_AMOUNT = Number(`12.${TEST_AMOUNTS.signature}`);
const WAIT_AMOUNT = Number(`12.${TEST_AMOUNTS.waitForCard}`);

let serviceId = 500;
const header = (category: string, id = String(serviceId++)) => ({
  ProtocolVersion: "3.1" as const,
  MessageClass: "Service" as const,
  MessageCategory: category as "Payment",
  MessageType: "Request" as const,
  ServiceID: id,
  SaleID: "1",
  POIID,
});
const login = (capabilities: readonly string[]): NexoRequestMessage => ({
  SaleToPOIRequest: {
    MessageHeader: header("Login"),
    LoginRequest: {
      DateTime: "2023-09-26T13:57:31+02:00",
      SaleSoftware: { ProviderIdentification: "Demo", ApplicationName: "Demo POS", SoftwareVersion: "1.0" },
      SaleTerminalData: { TerminalEnvironment: "Attended", SaleCapabilities: [...capabilities] as never },
      OperatorLanguage: "sv",
    },
  },
});
const payment = (amount: number, id?: string): NexoRequestMessage => ({
  SaleToPOIRequest: {
    MessageHeader: header("Payment", id),
    PaymentRequest: {
      SaleData: { SaleTransactionID: { TransactionID: "17033", TimeStamp: "2023-08-24T17:03:37+02:00" } },
      PaymentTransaction: { AmountsReq: { Currency: "SEK", RequestedAmount: amount } },
      PaymentData: { PaymentType: "Normal" },
    },
  },
});
const status = (ref?: string): NexoRequestMessage => ({
  SaleToPOIRequest: {
    MessageHeader: header("TransactionStatus"),
    TransactionStatusRequest:
      ref === undefined ? {} : { MessageReference: { MessageCategory: "Payment", ServiceID: ref, SaleID: "1" } },
  },
});
const abort = (ref: string): NexoRequestMessage => ({
  SaleToPOIRequest: {
    MessageHeader: header("Abort"),
    AbortRequest: {
      MessageReference: { MessageCategory: "Payment", ServiceID: ref, SaleID: "1", POIID },
      AbortReason: "Abort by Sale System",
    },
  },
});

async function post(url: string, message: NexoRequestMessage): Promise<SaleToPOIResponse | undefined> {
  const res = await fetch(url + PATH, {
    method: "POST",
    headers: { "content-type": "application/xml" },
    body: encodeBody("xml", message, xmlShapes, "NexoRequestMessage", "SaleToPOIRequest"),
  });
  const text = await res.text();
  if (res.status !== 200) return undefined;
  const body = decodeBody("xml", text, xmlShapes, "NexoResponseMessage", "SaleToPOIResponse") as NexoResponseMessage;
  expect(validateNexoResponseMessage(body), JSON.stringify(validateNexoResponseMessage.errors)).toBe(true);
  return body.SaleToPOIResponse;
}

/** What the POS listener saw, in order: "display:<text>", "event:<EventToNotify>", "print:…", "input:…". */
const seen: string[] = [];
const requests: SaleToPOIRequest[] = [];
/** The POS's answer to the signature InputRequest: true/false (ConfirmedFlag) or "no-answer" (204). */
let confirmSignature: boolean | "no-answer" = true;
let listener: FastifyInstance;
let listenerUrl: string;

beforeAll(async () => {
  listener = fastify();
  await registerNexoPosListener(
    listener,
    {
      posListenerReceive: ({ body }) => {
        const request = body.SaleToPOIRequest;
        requests.push(request);
        const reply = (inner: Omit<SaleToPOIResponse, "MessageHeader">) => ({
          status: 200 as const,
          body: {
            SaleToPOIResponse: {
              MessageHeader: { ...request.MessageHeader, MessageType: "Response" as const },
              ...inner,
            },
          },
        });
        if (request.DisplayRequest)
          seen.push(`display:${request.DisplayRequest.DisplayOutput[0]?.OutputContent.OutputText?.[0]?.Text}`);
        if (request.EventNotification) seen.push(`event:${request.EventNotification.EventToNotify}`);
        if (request.PrintRequest) {
          const out = request.PrintRequest.PrintOutput;
          seen.push(`print:${out.DocumentQualifier}:${out.RequiredSignatureFlag === true ? "sign" : "plain"}`);
          return reply({
            PrintResponse: { DocumentQualifier: out.DocumentQualifier, Response: { Result: "Success" } },
          });
        }
        if (request.InputRequest) {
          seen.push(`input:${request.InputRequest.InputData.InputCommand}`);
          if (confirmSignature === "no-answer") return { status: 204 };
          return reply({
            InputResponse: {
              InputResult: {
                Device: "CashierInput",
                InfoQualify: "Input",
                Response: { Result: "Success" },
                Input: { InputCommand: "GetConfirmation", ConfirmedFlag: confirmSignature },
              },
            },
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
  seen.length = 0;
  requests.length = 0;
  confirmSignature = true;
});

async function start(capabilities: readonly string[] = FULL): Promise<RunningNexoTerminalSimulator> {
  terminal = await startNexoTerminalSimulator({ poiId: POIID, posListenerUrl: listenerUrl });
  expect((await post(terminal.url, login(capabilities)))?.LoginResponse?.Response.Result).toBe("Success");
  return terminal;
}

const paid = (r: SaleToPOIResponse | undefined) => r?.PaymentResponse as PaymentResponse;

describe("signature flow (CVM Signature, full integration)", () => {
  it("sends a PrintRequest of the merchant receipt with RequiredSignatureFlag, then an InputRequest GetConfirmation", async () => {
    const t = await start();
    const answer = paid(await post(t.url, payment(SIGNATURE_AMOUNT)));
    expect(answer.Response.Result).toBe("Success");
    expect(seen.filter((s) => s.startsWith("print:") || s.startsWith("input:"))).toEqual([
      "print:CashierReceipt:sign",
      "input:GetConfirmation",
    ]);
    const print = requests.find((r) => r.PrintRequest)!;
    expect(print.MessageHeader).toMatchObject({ MessageClass: "Device", MessageCategory: "Print" });
    expect(print.PrintRequest?.PrintOutput.ResponseMode).toBe("PrintEnd");
    const receipt = JSON.parse(
      Buffer.from(print.PrintRequest!.PrintOutput.OutputContent.OutputText![0]!.Text, "base64").toString(),
    );
    expect(receipt.Merchant.Mandatory.Payment.SignatureBlock).toBe(true);
    const input = requests.find((r) => r.InputRequest)!;
    expect(input.MessageHeader).toMatchObject({ MessageClass: "Device", MessageCategory: "Input" });
    expect(input.InputRequest?.InputData).toMatchObject({ Device: "CashierInput", InputCommand: "GetConfirmation" });
    expect(t.state.prints).toEqual([{ document: "CashierReceipt", signature: true, status: 200 }]);
    expect(t.state.inputs).toEqual([{ prompt: "Signature OK?", confirmed: true, status: 200 }]);
  });

  it("a confirmed signature approves the payment; the cashier receipt carries RequiredSignatureFlag", async () => {
    const t = await start();
    const answer = paid(await post(t.url, payment(SIGNATURE_AMOUNT)));
    expect(answer.Response).toEqual({ Result: "Success" });
    const cashier = answer.PaymentReceipt?.find((r) => r.DocumentQualifier === "CashierReceipt");
    expect(cashier?.RequiredSignatureFlag).toBe(true);
    const tx = t.state.transactions.get(answer.POIData.POITransactionID.TransactionID);
    expect(tx?.approved).toBe(true);
  });

  it("a refused signature (ConfirmedFlag false) voids the payment: Failure / Refusal, nothing charged", async () => {
    confirmSignature = false;
    const t = await start();
    const answer = paid(await post(t.url, payment(SIGNATURE_AMOUNT)));
    expect(answer.Response).toEqual({
      Result: "Failure",
      ErrorCondition: "Refusal",
      AdditionalResponse: "Signature refused",
    });
    expect(t.state.transactions.get(answer.POIData.POITransactionID.TransactionID)?.approved).toBe(false);
    expect(t.state.inputs[0]?.confirmed).toBe(false);
    expect(seen).toContain("display:Signature refused");
  });

  it("no InputResponse (the POS answers 204) is not a confirmation: Failure / Refusal", async () => {
    confirmSignature = "no-answer";
    const t = await start();
    const answer = paid(await post(t.url, payment(SIGNATURE_AMOUNT)));
    expect(answer.Response.ErrorCondition).toBe("Refusal");
    expect(t.state.inputs).toEqual([{ prompt: "Signature OK?", confirmed: undefined, status: 204 }]);
  });

  it("light integration: the signature is confirmed on the terminal, no Print/Input request to the POS", async () => {
    const t = await start(LIGHT);
    const answer = paid(await post(t.url, payment(SIGNATURE_AMOUNT)));
    expect(answer.Response.Result).toBe("Success");
    expect(requests).toEqual([]);
  });

  it("other amounts ask for no signature", async () => {
    const t = await start();
    expect(paid(await post(t.url, payment(12)))?.Response.Result).toBe("Success");
    expect(seen.some((s) => s.startsWith("print:") || s.startsWith("input:"))).toBe(false);
  });
});

describe("card events (EventNotification to the POS listener)", () => {
  it("CardInserted after Present card, CardRemoved after the outcome is shown, before the PaymentResponse", async () => {
    const t = await start();
    await post(t.url, payment(12));
    expect(seen).toEqual([
      "display:Present card",
      "event:CardInserted",
      "display:Enter PIN",
      "display:Authorizing",
      "display:Approved",
      "event:CardRemoved",
    ]);
    const events = requests.filter((r) => r.EventNotification);
    expect(events.map((e) => e.MessageHeader)).toEqual([
      expect.objectContaining({ MessageClass: "Event", MessageCategory: "Event", MessageType: "Notification" }),
      expect.objectContaining({ MessageClass: "Event", MessageCategory: "Event", MessageType: "Notification" }),
    ]);
    expect(t.state.events.map((e) => [e.event, e.status])).toEqual([
      ["CardInserted", 204],
      ["CardRemoved", 204],
    ]);
  });

  it("a declined payment removes the card too", async () => {
    const t = await start();
    await post(t.url, payment(12.51));
    expect(seen.slice(-2)).toEqual(["display:Declined", "event:CardRemoved"]);
  });

  it("light integration sends no card events", async () => {
    const t = await start(LIGHT);
    await post(t.url, payment(12));
    expect(t.state.events).toEqual([]);
  });
});

describe("a payment that waits for the card (cents 90)", () => {
  it("holds at Present card until aborted: InProgress meanwhile, then Failure / Aborted, no card event", async () => {
    const t = await start();
    const id = "9001";
    const paying = post(t.url, payment(WAIT_AMOUNT, id));
    while (!seen.includes("display:Present card")) await new Promise((r) => setImmediate(r));
    expect(t.state.pendingServiceId).toBe(id);
    expect((await post(t.url, status(id)))?.TransactionStatusResponse?.Response.ErrorCondition).toBe("InProgress");
    await post(t.url, abort(id));
    const answer = paid(await paying);
    expect(answer.Response).toMatchObject({ Result: "Failure", ErrorCondition: "Aborted" });
    expect(seen.filter((s) => s.startsWith("event:"))).toEqual([]);
  });

  it("hurry() presents the card and the payment is approved", async () => {
    const t = await start();
    const paying = post(t.url, payment(WAIT_AMOUNT));
    while (!seen.includes("display:Present card")) await new Promise((r) => setImmediate(r));
    t.hurry();
    expect(paid(await paying).Response.Result).toBe("Success");
  });
});

describe("transaction status by MessageReference", () => {
  it("finds an earlier payment by its ServiceID after a later one; an unknown ServiceID is NotFound", async () => {
    const t = await start();
    const first = paid(await post(t.url, payment(12, "7001")));
    await post(t.url, payment(12.51, "7002"));
    const found = (await post(t.url, status("7001")))?.TransactionStatusResponse;
    expect(found?.Response.Result).toBe("Success");
    expect(found?.RepeatedMessageResponse?.MessageHeader.ServiceID).toBe("7001");
    expect(
      found?.RepeatedMessageResponse?.RepeatedResponseMessageBody.PaymentResponse?.POIData.POITransactionID,
    ).toEqual(first.POIData.POITransactionID);
    const last = (await post(t.url, status()))?.TransactionStatusResponse;
    expect(last?.RepeatedMessageResponse?.MessageHeader.ServiceID).toBe("7002");
    const missing = (await post(t.url, status("7999")))?.TransactionStatusResponse;
    expect(missing?.Response).toMatchObject({ Result: "Failure", ErrorCondition: "NotFound" });
  });
});
