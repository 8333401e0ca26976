// Envelope builders: the header follows from the body's kind (MessageCategory + MessageType name
// the body element), ServiceIDs are unique and at most 10 characters, and a login + payment
// built with them is answered by a terminal over XML.
import { registerNexoTerminal, rejectNexo, type TerminalSendInput } from "@payspec/nexo-server";
import type { NexoRequestMessage, PaymentRequest } from "@payspec/nexo-types";
import { validateNexoRequestMessage, validateNexoResponseMessage } from "@payspec/nexo-validators";
import { createFetchTransport, type TransportRequest } from "@payspec/runtime";
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NexoClient, NexoSession, nexoRequest, nexoResponse, serviceIdSequence } from "../src/index.js";

const ids = { SaleID: "POS-1", POIID: "A-POIID" };

const payment: PaymentRequest = {
  SaleData: { SaleTransactionID: { TransactionID: "1703372", TimeStamp: "2023-08-24T17:03:37+02:00" } },
  PaymentTransaction: { AmountsReq: { Currency: "SEK", RequestedAmount: 10 } },
};

describe("nexoRequest: MessageCategory + MessageType name the body element", () => {
  it.each([
    ["LoginRequest", "Service", "Login", "Request"],
    ["PaymentRequest", "Service", "Payment", "Request"],
    ["AbortRequest", "Service", "Abort", "Request"],
    ["TransactionStatusRequest", "Service", "TransactionStatus", "Request"],
    ["ReversalRequest", "Service", "Reversal", "Request"],
    ["LogoutRequest", "Service", "Logout", "Request"],
    ["DisplayRequest", "Device", "Display", "Request"],
    ["InputRequest", "Device", "Input", "Request"],
    ["PrintRequest", "Device", "Print", "Request"],
    ["EventNotification", "Event", "Event", "Notification"],
  ] as const)("%s has MessageClass %s, MessageCategory %s, MessageType %s", (kind, cls, category, type) => {
    const m = nexoRequest({ ...ids, ServiceID: "7" }, kind, {} as never);
    expect(m.SaleToPOIRequest.MessageHeader).toMatchObject({
      MessageClass: cls,
      MessageCategory: category,
      MessageType: type,
    });
    expect(Object.keys(m.SaleToPOIRequest)).toEqual(["MessageHeader", kind]);
  });

  it("builds a valid PaymentRequest envelope with ProtocolVersion 3.1", () => {
    const m = nexoRequest({ ...ids, ServiceID: "6" }, "PaymentRequest", payment);
    expect(validateNexoRequestMessage(m), JSON.stringify(validateNexoRequestMessage.errors)).toBe(true);
    expect(validateNexoRequestMessage.warnings).toEqual([]);
    expect(m.SaleToPOIRequest.MessageHeader).toEqual({
      ProtocolVersion: "3.1",
      MessageClass: "Service",
      MessageCategory: "Payment",
      MessageType: "Request",
      ServiceID: "6",
      SaleID: "POS-1",
      POIID: "A-POIID",
    });
  });

  it("carries DeviceID for a device message", () => {
    const m = nexoRequest({ ...ids, ServiceID: "8", DeviceID: "101" }, "DisplayRequest", { DisplayOutput: [] });
    expect(m.SaleToPOIRequest.MessageHeader.DeviceID).toBe("101");
  });

  it.each(["", "12345678901"])("refuses ServiceID %j: 1 to 10 characters", (ServiceID) => {
    expect(() => nexoRequest({ ...ids, ServiceID }, "PaymentRequest", payment)).toThrow(RangeError);
  });
});

describe("nexoResponse echoes the request's MessageHeader with MessageType Response", () => {
  it("answers a PrintRequest", () => {
    const print = nexoRequest({ ...ids, ServiceID: "6", DeviceID: "103" }, "PrintRequest", {
      PrintOutput: {
        DocumentQualifier: "CashierReceipt",
        ResponseMode: "PrintEnd",
        OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "receipt" }] },
      },
    });
    const answer = nexoResponse(print, "PrintResponse", {
      DocumentQualifier: "CashierReceipt",
      Response: { Result: "Success" },
    });
    expect(answer.SaleToPOIResponse.MessageHeader).toEqual({
      ...print.SaleToPOIRequest.MessageHeader,
      MessageType: "Response",
    });
    expect(validateNexoResponseMessage(answer), JSON.stringify(validateNexoResponseMessage.errors)).toBe(true);
  });
});

describe("ServiceID unique per login session, at most 10 characters", () => {
  it("counts up from the first one", () => {
    const next = serviceIdSequence(135731);
    expect([next(), next(), next()]).toEqual(["135731", "135732", "135733"]);
  });

  it("wraps before an 11th digit", () => {
    const next = serviceIdSequence(9_999_999_999);
    expect([next(), next()]).toEqual(["9999999999", "0"]);
  });

  it("starts at the time of day as HHMMSS by default", () => {
    const id = Number(serviceIdSequence()());
    expect(id).toBeGreaterThanOrEqual(0);
    expect(id).toBeLessThan(240000);
  });

  it("gives every request of a session a fresh ServiceID and the session's SaleID and POIID", () => {
    const session = new NexoSession({ ...ids, firstServiceID: 5 });
    const a = session.request("PaymentRequest", payment);
    const b = session.request("TransactionStatusRequest", {});
    expect(a.SaleToPOIRequest.MessageHeader).toMatchObject({ ServiceID: "5", SaleID: "POS-1", POIID: "A-POIID" });
    expect(b.SaleToPOIRequest.MessageHeader).toMatchObject({ ServiceID: "6", SaleID: "POS-1", POIID: "A-POIID" });
  });
});

describe("a login and a payment against a terminal, over XML or JSON", () => {
  let app: FastifyInstance;
  let baseUrl: string;
  const received: { contentType: string | undefined; body: NexoRequestMessage }[] = [];

  beforeAll(async () => {
    app = fastify();
    await registerNexoTerminal(
      app,
      {
        terminalSend: (input: TerminalSendInput, ctx) => {
          received.push({ contentType: ctx.request.headers["content-type"], body: input.body });
          const request = input.body.SaleToPOIRequest;
          const header = { ...request.MessageHeader, MessageType: "Response" as const };
          if (request.LoginRequest) {
            return {
              status: 200,
              body: {
                SaleToPOIResponse: { MessageHeader: header, LoginResponse: { Response: { Result: "Success" } } },
              },
            };
          }
          return {
            status: 200,
            body: {
              SaleToPOIResponse: {
                MessageHeader: header,
                PaymentResponse: {
                  Response: { Result: "Success" },
                  SaleData: { SaleTransactionID: request.PaymentRequest!.SaleData.SaleTransactionID },
                  POIData: { POITransactionID: { TransactionID: "8778880185", TimeStamp: "2023-08-24T15:04:00.498Z" } },
                },
              },
            },
          };
        },
      },
      { reject: rejectNexo },
    );
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(() => app.close());

  it("sends application/xml with root element SaleToPOIRequest and reads the XML answer", async () => {
    const sent: TransportRequest[] = [];
    const fetchTransport = createFetchTransport();
    const client = new NexoClient({
      baseUrl,
      transport: (r) => {
        sent.push(r);
        return fetchTransport(r);
      },
    });
    const session = new NexoSession({ ...ids, firstServiceID: 1 });

    const login = await client.terminalSend({
      body: session.request("LoginRequest", {
        DateTime: "2023-09-26T13:57:31+02:00",
        SaleSoftware: { ProviderIdentification: "Demo", ApplicationName: "Demo POS", SoftwareVersion: "1.0" },
        SaleTerminalData: { TerminalEnvironment: "Attended", SaleCapabilities: ["CashierStatus", "PrinterReceipt"] },
        OperatorLanguage: "sv",
      }),
    });
    expect(login?.SaleToPOIResponse.LoginResponse?.Response.Result).toBe("Success");
    expect(login?.SaleToPOIResponse.MessageHeader).toMatchObject({ MessageCategory: "Login", ServiceID: "1" });

    const paid = await client.terminalSend({ body: session.request("PaymentRequest", payment) });
    expect(paid?.SaleToPOIResponse.PaymentResponse?.Response.Result).toBe("Success");
    expect(paid?.SaleToPOIResponse.MessageHeader).toMatchObject({
      MessageCategory: "Payment",
      MessageType: "Response",
      ServiceID: "2",
    });

    expect(sent.map((r) => r.headers["content-type"])).toEqual(["application/xml", "application/xml"]);
    expect(String(sent[1]?.body)).toMatch(/^<\?xml[^>]*\?><SaleToPOIRequest><MessageHeader [^>]*ServiceID="2"/);
    expect(received.map((r) => r.contentType)).toEqual(["application/xml", "application/xml"]);
    expect(received[1]?.body).toEqual(nexoRequest({ ...ids, ServiceID: "2" }, "PaymentRequest", payment));
  });

  it("sends application/json when the call asks for it, and reads the JSON answer", async () => {
    const sent: TransportRequest[] = [];
    const fetchTransport = createFetchTransport();
    const client = new NexoClient({
      baseUrl,
      transport: (r) => {
        sent.push(r);
        return fetchTransport(r);
      },
    });
    const request = nexoRequest({ ...ids, ServiceID: "3" }, "PaymentRequest", payment);
    const paid = await client.terminalSend({ "Content-Type": "application/json", body: request });
    expect(paid?.SaleToPOIResponse.PaymentResponse?.Response.Result).toBe("Success");
    expect(sent[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(String(sent[0]?.body))).toEqual(request);
    expect(received.at(-1)).toEqual({ contentType: "application/json", body: request });
  });
});
