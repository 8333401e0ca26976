// Payneteasy adds statuses and keys over time: an answer or callback it sends (@Payspec.Wire.inbound)
// with a status this spec does not list is accepted with a warning, and extra keys are kept;
// what we send is held to the spec exactly.
import { describe, expect, it } from "vitest";
import {
  validateCallbackParameters,
  validateCloseDayResponse,
  validateStatusQueryResponse,
  validateStatusResponse,
  validateTransactionResponse,
  validateTransactionStatus,
} from "../src/index.js";

const statusResponse = {
  type: "status-response",
  status: "approved",
  "serial-number": "00000000-0000-0000-0000-0000005b3a2c",
  "paynet-order-id": "5582716",
  "merchant-order-id": "902B4FF5",
};

const callback = {
  status: "approved",
  merchant_order: "902B4FF5",
  client_orderid: "902B4FF5",
  orderid: "5582716",
  type: "sale",
  amount: "10.42",
  control: "b2b33c80c61dbea3cd9660443cbee180f9fcfa8f",
};

describe("inbound messages accept an unknown status with a warning", () => {
  it("StatusResponse", () => {
    const result = validateStatusResponse.check({ ...statusResponse, status: "partially-reversed" });
    expect(result.valid).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(["/status"]);
  });

  it("StatusQueryResponse, the union the status operation answers with", () => {
    const result = validateStatusQueryResponse.check({ ...statusResponse, status: "partially-reversed" });
    expect(result.valid).toBe(true);
    expect(result.warnings.map((w) => w.path)).toContain("/status");
  });

  it("CallbackParameters", () => {
    const result = validateCallbackParameters.check({ ...callback, status: "partially-reversed" });
    expect(result.valid).toBe(true);
    expect(result.warnings.length).toBeGreaterThan(0);
  });

  it("CloseDayResponse with an isDayClosing value it does not know", () => {
    expect(validateCloseDayResponse.check({ status: "finished", isDayClosing: "pending" }).valid).toBe(true);
  });
});

describe("inbound messages keep keys the spec does not list", () => {
  it("a status-response with a new key", () => {
    expect(validateStatusResponse({ ...statusResponse, "new-vendor-field": "x" })).toBe(true);
  });

  it("a validation-error with a new key", () => {
    expect(
      validateTransactionResponse({ type: "validation-error", "error-message": "x", "new-vendor-field": "y" }),
    ).toBe(true);
  });
});

describe("what stays strict", () => {
  it("the TransactionStatus scalar itself", () => {
    expect(validateTransactionStatus("partially-reversed")).toBe(false);
    expect(validateTransactionStatus("approved")).toBe(true);
  });

  it("an answer of an unknown type is no TransactionResponse", () => {
    expect(validateTransactionResponse({ type: "redirect-response", "serial-number": "1" })).toBe(false);
  });

  it("a status-response without its required paynet-order-id", () => {
    const { "paynet-order-id": _, ...missing } = statusResponse;
    expect(validateStatusResponse(missing)).toBe(false);
  });
});
