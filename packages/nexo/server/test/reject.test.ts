// nexo never answers a message it can name with an HTTP error: a readable MessageHeader gets a
// 200 SaleToPOIResponse echoing it with Result Failure / ErrorCondition MessageFormat, valid per
// the spec; only a body that cannot be answered in nexo gets an HTTP error with a
// NexoErrorMessage body. Bad input never gets a 5xx.
import type { NexoErrorMessage, NexoResponseMessage } from "@payspec/nexo-types";
import { validateNexoErrorMessage, validateNexoResponseMessage } from "@payspec/nexo-validators";
import { decodeBody } from "@payspec/runtime";
import fastify, { type FastifyInstance, type LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createNexoReject,
  examples,
  registerNexoPosListener,
  registerNexoTerminal,
  rejectNexo,
  xmlShapes,
} from "../src/index.js";

const path = "/EPASSaleToPOI/3.1";

const header = {
  ProtocolVersion: "3.1",
  MessageClass: "Service",
  MessageCategory: "Payment",
  MessageType: "Request",
  ServiceID: "6",
  SaleID: "1",
  POIID: "A-POIID",
};
const saleData = { SaleTransactionID: { TransactionID: "1703372", TimeStamp: "2023-08-24T17:03:37+02:00" } };

/** A PaymentRequest that lacks its mandatory PaymentTransaction. */
const paymentWithoutAmounts = { SaleToPOIRequest: { MessageHeader: header, PaymentRequest: { SaleData: saleData } } };

function json(res: LightMyRequestResponse): unknown {
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  return res.json();
}

/** The answer is the spec's NexoResponseMessage, strictly (no warnings). */
function expectValidResponse(body: unknown): NexoResponseMessage {
  expect(validateNexoResponseMessage(body), JSON.stringify(validateNexoResponseMessage.errors)).toBe(true);
  expect(validateNexoResponseMessage.warnings).toEqual([]);
  return body as NexoResponseMessage;
}

function expectErrorBody(body: unknown, condition: string): NexoErrorMessage {
  expect(validateNexoErrorMessage(body), JSON.stringify(validateNexoErrorMessage.errors)).toBe(true);
  expect(body).toMatchObject({ Response: { Result: "Failure", ErrorCondition: condition } });
  return body as NexoErrorMessage;
}

describe("terminal role (registerNexoTerminal with rejectNexo)", () => {
  let app: FastifyInstance;
  let calls = 0;

  beforeAll(async () => {
    app = fastify();
    await registerNexoTerminal(
      app,
      {
        terminalSend: (input) => {
          calls++;
          if (input.body.SaleToPOIRequest.LogoutRequest) throw new Error("handler bug");
          return { status: 204 };
        },
      },
      {
        reject: createNexoReject({ transactionId: () => "R-1", now: () => new Date("2024-01-02T03:04:05.000Z") }),
        bodyLimit: 16 * 1024,
      },
    );
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: string, contentType = "application/json") =>
    app.inject({ method: "POST", url: path, headers: { "content-type": contentType }, payload });

  it("answers a PaymentRequest without PaymentTransaction with 200 PaymentResponse Failure / MessageFormat echoing the header", async () => {
    const before = calls;
    const res = await post(JSON.stringify(paymentWithoutAmounts));
    expect(res.statusCode).toBe(200);
    const body = expectValidResponse(json(res));
    expect(body.SaleToPOIResponse.MessageHeader).toEqual({ ...header, MessageType: "Response" });
    expect(body.SaleToPOIResponse.PaymentResponse).toEqual({
      Response: {
        Result: "Failure",
        ErrorCondition: "MessageFormat",
        AdditionalResponse:
          '/SaleToPOIRequest/PaymentRequest/PaymentTransaction: missing required property "PaymentTransaction"',
      },
      SaleData: saleData,
      POIData: { POITransactionID: { TransactionID: "R-1", TimeStamp: "2024-01-02T03:04:05.000Z" } },
    });
    expect(calls, "the handler never sees an invalid message").toBe(before);
  });

  it("answers the same request in XML when it came as XML", async () => {
    const res = await post(
      '<?xml version="1.0" encoding="UTF-8"?><SaleToPOIRequest><MessageHeader ProtocolVersion="3.1" MessageClass="Service" MessageCategory="Payment" MessageType="Request" ServiceID="6" SaleID="1" POIID="A-POIID"/><PaymentRequest><SaleData><SaleTransactionID TransactionID="1703372" TimeStamp="2023-08-24T17:03:37+02:00"/></SaleData></PaymentRequest></SaleToPOIRequest>',
      "application/xml",
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/xml/);
    expect(res.body).toMatch(/^<\?xml[^>]*\?><SaleToPOIResponse><MessageHeader [^>]*MessageType="Response"/);
    expect(res.body).toContain('<Response Result="Failure" ErrorCondition="MessageFormat">');
    const body = expectValidResponse(
      decodeBody("xml", res.body, xmlShapes, "NexoResponseMessage", "SaleToPOIResponse"),
    );
    expect(body.SaleToPOIResponse.MessageHeader).toEqual({ ...header, MessageType: "Response" });
  });

  it.each([
    ["LoginRequest", "Login", { SaleSoftware: {} }],
    ["LogoutRequest", "Logout", { MaintenanceAllowed: "yes" }],
    ["TransactionStatusRequest", "TransactionStatus", { MessageReference: { MessageCategory: 7 } }],
    ["ReversalRequest", "Reversal", { ReversalReason: "MerchantCancel" }],
  ])("answers an invalid %s with its response, Failure / MessageFormat", async (kind, category, request) => {
    const m = { SaleToPOIRequest: { MessageHeader: { ...header, MessageCategory: category }, [kind]: request } };
    const res = await post(JSON.stringify(m));
    expect(res.statusCode).toBe(200);
    const body = expectValidResponse(json(res));
    const answer = (body.SaleToPOIResponse as unknown as Record<string, { Response: unknown }>)[`${category}Response`];
    expect(answer?.Response).toMatchObject({ Result: "Failure", ErrorCondition: "MessageFormat" });
  });

  it("does not repeat a ProtocolVersion other than 3.1 in the answer (the header is lenient, the answer strict)", async () => {
    const m = {
      SaleToPOIRequest: {
        MessageHeader: { ...header, ProtocolVersion: "3.0", MessageCategory: "Login" },
        LoginRequest: {},
      },
    };
    const res = await post(JSON.stringify(m));
    expect(res.statusCode).toBe(200);
    const body = expectValidResponse(json(res));
    const { ProtocolVersion: _v, ...rest } = header;
    expect(body.SaleToPOIResponse.MessageHeader).toEqual({
      ...rest,
      MessageCategory: "Login",
      MessageType: "Response",
    });
    expect(body.SaleToPOIResponse.LoginResponse?.Response).toMatchObject({
      Result: "Failure",
      ErrorCondition: "MessageFormat",
    });
  });

  it("answers 400 MessageFormat when the ServiceID to echo is over 10 characters", async () => {
    const m = {
      SaleToPOIRequest: {
        ...paymentWithoutAmounts.SaleToPOIRequest,
        MessageHeader: { ...header, ServiceID: "12345678901" },
      },
    };
    const res = await post(JSON.stringify(m));
    expect(res.statusCode).toBe(400);
    const body = expectErrorBody(json(res), "MessageFormat");
    expect(body.Response.AdditionalResponse).toContain(
      "/SaleToPOIRequest/MessageHeader/ServiceID: must NOT have more than 10 characters",
    );
  });

  it("answers 400 when there is no MessageHeader to echo", async () => {
    const res = await post(JSON.stringify({ SaleToPOIRequest: { PaymentRequest: {} } }));
    expect(res.statusCode).toBe(400);
    expectErrorBody(json(res), "MessageFormat");
  });

  it("answers 400 when the PaymentRequest has no SaleTransactionID to repeat in the PaymentResponse", async () => {
    const res = await post(JSON.stringify({ SaleToPOIRequest: { MessageHeader: header, PaymentRequest: {} } }));
    expect(res.statusCode).toBe(400);
    expectErrorBody(json(res), "MessageFormat");
  });

  it("answers 400 for an invalid AbortRequest: nexo has no AbortResponse", async () => {
    const m = {
      SaleToPOIRequest: { MessageHeader: { ...header, MessageCategory: "Abort" }, AbortRequest: { AbortReason: "x" } },
    };
    const res = await post(JSON.stringify(m));
    expect(res.statusCode).toBe(400);
    expect(expectErrorBody(json(res), "MessageFormat").Response.AdditionalResponse).toContain("MessageReference");
  });

  it("answers 400 for malformed JSON", async () => {
    const res = await post('{"SaleToPOIRequest": {"MessageHeader": ');
    expect(res.statusCode).toBe(400);
    expect(expectErrorBody(json(res), "MessageFormat").Response.AdditionalResponse).toMatch(/invalid JSON/);
  });

  it("answers 400 for malformed XML", async () => {
    const res = await post("<SaleToPOIRequest><MessageHeader></SaleToPOIRequest>", "application/xml");
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/xml/);
    expect(res.body).toContain('<Response Result="Failure" ErrorCondition="MessageFormat">');
  });

  it("answers 400 for an XML DOCTYPE (no entity expansion)", async () => {
    const res = await post('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><SaleToPOIRequest/>', "application/xml");
    expect(res.statusCode).toBe(400);
  });

  it("answers 400 for a __proto__ key and leaves Object.prototype alone", async () => {
    const res = await post(
      `{"SaleToPOIRequest":{"MessageHeader":${JSON.stringify(header)},"__proto__":{"polluted":true}}}`,
    );
    expect(res.statusCode).toBe(400);
    expectErrorBody(json(res), "MessageFormat");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers 400 for an empty body", async () => {
    const res = await post("");
    expect(res.statusCode).toBe(400);
    expectErrorBody(json(res), "MessageFormat");
  });

  it("answers 415 MessageFormat for a media type other than XML or JSON", async () => {
    const res = await post(JSON.stringify(paymentWithoutAmounts), "text/plain");
    expect(res.statusCode).toBe(415);
    expectErrorBody(json(res), "MessageFormat");
  });

  it("answers 413 MessageFormat for a body over the limit", async () => {
    const res = await post(JSON.stringify({ ...paymentWithoutAmounts, padding: "x".repeat(32 * 1024) }));
    expect(res.statusCode).toBe(413);
    expectErrorBody(json(res), "MessageFormat");
  });

  it("answers 404 NotFound for another path", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/EPASSaleToPOI/3.0",
      headers: { "content-type": "application/json" },
      payload: "{}",
    });
    expect(res.statusCode).toBe(404);
    expectErrorBody(json(res), "NotFound");
  });

  it("answers 500 UnavailableService only when the handler itself fails, without its message", async () => {
    const logout = examples.terminalSend.find((e) => e.title.startsWith("Logout"))!;
    const res = await post(JSON.stringify(logout.input.body));
    expect(res.statusCode).toBe(500);
    const body = expectErrorBody(json(res), "UnavailableService");
    expect(body.Response.AdditionalResponse).not.toContain("handler bug");
  });

  it("never answers bad input with a 5xx", async () => {
    const bad = [
      "null",
      "[]",
      '"text"',
      "{}",
      '{"SaleToPOIRequest":null}',
      '{"SaleToPOIRequest":{"MessageHeader":"x"}}',
      `{"SaleToPOIRequest":{"MessageHeader":${JSON.stringify({ ...header, MessageType: "Notification" })}}}`,
      `{"SaleToPOIRequest":{"MessageHeader":${JSON.stringify({ ...header, MessageCategory: "constructor" })}}}`,
      `{"SaleToPOIRequest":{"MessageHeader":${JSON.stringify({ ...header, MessageCategory: "Admin" })},"AdminRequest":{}}}`,
      "[".repeat(10_000),
      "\u0000",
      "<SaleToPOIRequest>",
      "<?xml version='1.0'?><Other/>",
    ];
    for (const payload of bad) {
      for (const type of ["application/json", "application/xml"]) {
        const res = await post(payload, type);
        expect(res.statusCode, `${type} ${payload.slice(0, 40)}`).toBeGreaterThanOrEqual(200);
        expect(res.statusCode, `${type} ${payload.slice(0, 40)}`).toBeLessThan(500);
      }
    }
  });
});

describe("POS listener role (registerNexoPosListener with rejectNexo)", () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = fastify();
    await registerNexoPosListener(app, { posListenerReceive: () => ({ status: 204 }) }, { reject: rejectNexo });
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (message: unknown) =>
    app.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/json" },
      payload: JSON.stringify(message),
    });

  const device = (category: string, DeviceID: string) => ({
    ...header,
    MessageClass: "Device",
    MessageCategory: category,
    DeviceID,
  });

  it("answers an InputRequest without InputCommand with InputResponse Failure for the device asked", async () => {
    const res = await post({
      SaleToPOIRequest: {
        MessageHeader: device("Input", "104"),
        InputRequest: {
          DisplayOutput: {
            Device: "CashierDisplay",
            InfoQualify: "Display",
            OutputContent: { OutputFormat: "Text", OutputText: [{ Text: "Signature OK?" }] },
          },
          InputData: { Device: "CashierInput", InfoQualify: "Input" },
        },
      },
    });
    expect(res.statusCode).toBe(200);
    const body = expectValidResponse(res.json());
    expect(body.SaleToPOIResponse.MessageHeader).toEqual({ ...device("Input", "104"), MessageType: "Response" });
    expect(body.SaleToPOIResponse.InputResponse?.InputResult).toMatchObject({
      Device: "CashierInput",
      InfoQualify: "Input",
      Response: { Result: "Failure", ErrorCondition: "MessageFormat" },
    });
  });

  it("answers a PrintRequest without OutputContent with PrintResponse Failure for its DocumentQualifier", async () => {
    const res = await post({
      SaleToPOIRequest: {
        MessageHeader: device("Print", "103"),
        PrintRequest: { PrintOutput: { DocumentQualifier: "CashierReceipt", ResponseMode: "PrintEnd" } },
      },
    });
    expect(res.statusCode).toBe(200);
    const body = expectValidResponse(res.json());
    expect(body.SaleToPOIResponse.PrintResponse).toMatchObject({
      DocumentQualifier: "CashierReceipt",
      Response: { Result: "Failure", ErrorCondition: "MessageFormat" },
    });
  });

  it("answers a DisplayRequest with a bad OutputContent with one Failure OutputResult per display", async () => {
    const res = await post({
      SaleToPOIRequest: {
        MessageHeader: device("Display", "101"),
        DisplayRequest: {
          DisplayOutput: [
            {
              Device: "CashierDisplay",
              InfoQualify: "Status",
              OutputContent: { OutputFormat: "Text", OutputText: "Present card" },
            },
          ],
        },
      },
    });
    expect(res.statusCode).toBe(200);
    const body = expectValidResponse(res.json());
    expect(body.SaleToPOIResponse.DisplayResponse?.OutputResult).toEqual([
      {
        Device: "CashierDisplay",
        InfoQualify: "Status",
        Response: expect.objectContaining({ Result: "Failure", ErrorCondition: "MessageFormat" }),
      },
    ]);
  });

  it("answers 400 for an invalid EventNotification: a notification has no response", async () => {
    const res = await post({
      SaleToPOIRequest: {
        MessageHeader: { ...header, MessageClass: "Event", MessageCategory: "Event", MessageType: "Notification" },
        EventNotification: { EventToNotify: "Reject" },
      },
    });
    expect(res.statusCode).toBe(400);
    expectErrorBody(res.json(), "MessageFormat");
  });

  it("accepts an EventNotification with an EventToNotify newer than the spec", async () => {
    const res = await post({
      SaleToPOIRequest: {
        MessageHeader: { ...header, MessageClass: "Event", MessageCategory: "Event", MessageType: "Notification" },
        EventNotification: { TimeStamp: "2023-10-06T07:24:14.473+02:00", EventToNotify: "VendorSpecificEvent" },
      },
    });
    expect(res.statusCode).toBe(204);
  });
});

describe("rejectNexo for refusals before the body is read", () => {
  it("answers 401 NotAllowed with a WWW-Authenticate challenge", () => {
    const reply = rejectNexo({ kind: "unauthorized", message: "no credentials" });
    expect(reply.status).toBe(401);
    expect(reply.headers?.["www-authenticate"]).toBe('Basic realm="nexo"');
    expectErrorBody(reply.body, "NotAllowed");
  });

  it("takes the challenge of the deployment", () => {
    const reply = createNexoReject({ challenge: 'Bearer realm="pos"' })({ kind: "unauthorized", message: "expired" });
    expect(reply.headers?.["www-authenticate"]).toBe('Bearer realm="pos"');
  });

  it("keeps AdditionalResponse short when there are many issues", () => {
    const issues = Array.from({ length: 50 }, (_, i) => ({
      path: `/body/x/${i}`,
      message: "y".repeat(100),
      keyword: "type",
    }));
    const reply = rejectNexo({ kind: "invalid", issues });
    expect(reply.status).toBe(400);
    const text = expectErrorBody(reply.body, "MessageFormat").Response.AdditionalResponse ?? "";
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text.startsWith("/x/0: ")).toBe(true);
  });
});

describe("authenticate hook refusals reach the client as 401", () => {
  it("answers 401 before the body is decoded", async () => {
    const app = fastify();
    await registerNexoTerminal(
      app,
      { terminalSend: () => ({ status: 204 }) },
      { reject: rejectNexo, authenticate: () => ({ kind: "unauthorized", message: "no token" }) },
    );
    const res = await app.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/json" },
      payload: "{",
    });
    await app.close();
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Basic realm="nexo"');
    expectErrorBody(res.json(), "NotAllowed");
  });
});
