// CONVENTIONS.md and PROTOCOLS.md §5: vendors add nexo code values over time, so a message the
// terminal sends (`@Payspec.Wire.inbound`) accepts an EventToNotify, ErrorCondition, ... newer
// than the spec with a warning at its path; a request the POS sends is held to the spec exactly.
import { describe, expect, it } from "vitest";
import {
  validateEventNotification,
  validateLoginRequest,
  validateNexoRequestMessage,
  validateNexoResponseMessage,
  validatePaymentRequest,
  validateReversalRequest,
  validateTransactionStatusResponse,
} from "../src/index.js";

const header = {
  MessageClass: "Event",
  MessageCategory: "Event",
  MessageType: "Notification",
  ServiceID: "20",
  SaleID: "1",
  POIID: "A-POIID",
};
const event = { TimeStamp: "2023-10-06T07:24:14.473+02:00", EventToNotify: "ShiftClosed" };
const responseHeader = {
  MessageClass: "Service",
  MessageCategory: "Payment",
  MessageType: "Response",
  ServiceID: "6",
  SaleID: "1",
  POIID: "A-POIID",
};
const transaction = { TransactionID: "8778880185", TimeStamp: "2023-08-24T15:04:00.498Z" };
const declined = {
  Response: { Result: "Failure", ErrorCondition: "CardExpired", AdditionalResponse: "expired card" },
  SaleData: { SaleTransactionID: { TransactionID: "1703372", TimeStamp: "2023-08-24T17:03:37+02:00" } },
  POIData: { POITransactionID: transaction },
};
const payment = {
  SaleData: { SaleTransactionID: { TransactionID: "1703372", TimeStamp: "2023-08-24T17:03:37+02:00" } },
  PaymentTransaction: { AmountsReq: { Currency: "SEK", RequestedAmount: 10 } },
  PaymentData: { PaymentType: "Normal" },
};

function warningPaths(result: { valid: boolean; warnings: { path: string; keyword: string }[] }): string[] {
  expect(result.valid).toBe(true);
  return result.warnings.map((w) => w.path);
}

describe("terminal-sent messages accept an unknown code value with a warning", () => {
  it("EventToNotify of an EventNotification the terminal sends to the POS listener", () => {
    const message = { SaleToPOIRequest: { MessageHeader: header, EventNotification: event } };
    expect(new Set(warningPaths(validateNexoRequestMessage.check(message)))).toEqual(
      new Set(["/SaleToPOIRequest/EventNotification/EventToNotify"]),
    );
    expect(validateNexoRequestMessage(message)).toBe(true);
    expect(validateNexoRequestMessage.warnings.every((w) => ["enum", "const", "anyOf"].includes(w.keyword))).toBe(true);
  });

  it("EventToNotify of the EventNotification on its own", () => {
    expect(new Set(warningPaths(validateEventNotification.check(event)))).toEqual(new Set(["/EventToNotify"]));
  });

  it("ErrorCondition of a PaymentResponse", () => {
    const message = { SaleToPOIResponse: { MessageHeader: responseHeader, PaymentResponse: declined } };
    expect(new Set(warningPaths(validateNexoResponseMessage.check(message)))).toEqual(
      new Set(["/SaleToPOIResponse/PaymentResponse/Response/ErrorCondition"]),
    );
  });

  it("ErrorCondition of a PaymentResponse repeated inside a TransactionStatusResponse", () => {
    const status = {
      Response: { Result: "Success" },
      RepeatedMessageResponse: {
        MessageHeader: responseHeader,
        RepeatedResponseMessageBody: { PaymentResponse: declined },
      },
    };
    expect(new Set(warningPaths(validateTransactionStatusResponse.check(status)))).toEqual(
      new Set(["/RepeatedMessageResponse/RepeatedResponseMessageBody/PaymentResponse/Response/ErrorCondition"]),
    );
  });

  it("but not a wrong type: an EventToNotify that is not a string is an error", () => {
    const result = validateEventNotification.check({ ...event, EventToNotify: 7 });
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.errors.map((e) => e.path)).toContain("/EventToNotify");
  });

  it("and a known value has no warning", () => {
    expect(validateEventNotification.check({ ...event, EventToNotify: "CardRemoved" })).toEqual({
      valid: true,
      value: { ...event, EventToNotify: "CardRemoved" },
      warnings: [],
    });
  });
});

describe("POS-sent requests are held to the spec's code lists", () => {
  it("PaymentType of a PaymentRequest", () => {
    expect(validatePaymentRequest(payment)).toBe(true);
    const result = validatePaymentRequest.check({ ...payment, PaymentData: { PaymentType: "BuyNowPayLater" } });
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.errors.map((e) => e.path)).toContain("/PaymentData/PaymentType");
  });

  it("ReversalReason of a ReversalRequest", () => {
    const reversal = { ReversalReason: "MerchantCancel", OriginalPOITransaction: { POITransactionID: transaction } };
    expect(validateReversalRequest(reversal), JSON.stringify(validateReversalRequest.errors)).toBe(true);
    const result = validateReversalRequest.check({ ...reversal, ReversalReason: "ChangedMind" });
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.errors.map((e) => e.path)).toContain("/ReversalReason");
  });

  it("SaleCapabilities of a LoginRequest, even inside the terminal-readable SaleTerminalData", () => {
    const login = {
      DateTime: "2023-09-26T13:57:31+02:00",
      SaleSoftware: { ProviderIdentification: "Demo", ApplicationName: "Demo POS", SoftwareVersion: "1.0" },
      SaleTerminalData: { TerminalEnvironment: "Attended", SaleCapabilities: ["CashierStatus", "Hologram"] },
      OperatorLanguage: "sv",
    };
    const result = validateLoginRequest.check(login);
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.errors.map((e) => e.path)).toContain("/SaleTerminalData/SaleCapabilities/1");
  });
});
