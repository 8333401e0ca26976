// Stripe adds values over time (PROTOCOLS.md §2: device types, reader action types and statuses):
// a Reader from Stripe with a value this contract does not know is accepted, never refused.
// `device_type` is an open enum in the spec itself; closed enums of an inbound message (the action
// `status`) are opened by the lenient validator, with a warning.
import type { Reader } from "@payspec/stripe-terminal-types";
import { describe, expect, it } from "vitest";
import { validateCreateReaderRequest, validateReader, validateSetReaderDisplayRequest } from "../src/index.js";

const reader: Reader = {
  id: "tmr_FDOt2wlRZEdpd7",
  object: "terminal.reader",
  action: null,
  device_sw_version: "2.37.2.0",
  device_type: "simulated_wisepos_e",
  ip_address: "0.0.0.0",
  label: "Caisse 1",
  livemode: false,
  location: "tml_FDOtHwxAAdIJOh",
  metadata: {},
  serial_number: "259cd19c-b902-4730-96a1-09183be6e7f7",
  status: "online",
};

describe("open enum: Reader.device_type", () => {
  it("accepts a device type added after this contract (stripe_s720), with no error and no warning", () => {
    expect(validateReader({ ...reader, device_type: "stripe_s720" }), JSON.stringify(validateReader.errors)).toBe(true);
    expect(validateReader.errors).toEqual([]);
    expect(validateReader.warnings).toEqual([]);
  });

  it("accepts every known device type, the newer-API ones included", () => {
    for (const device_type of [
      "bbpos_wisepos_e",
      "verifone_P400",
      "stripe_s700",
      "simulated_stripe_s710",
      "mobile_phone_reader",
    ]) {
      expect(validateReader({ ...reader, device_type }), device_type).toBe(true);
    }
  });

  it("still refuses a device_type that is not a string", () => {
    expect(validateReader({ ...reader, device_type: 700 })).toBe(false);
    expect(validateReader.errors.map((i) => i.path)).toContain("/device_type");
  });
});

describe("inbound message: unknown reader action status from Stripe", () => {
  const withAction = (status: string) => ({
    ...reader,
    action: {
      type: "process_payment_intent",
      status,
      failure_code: null,
      failure_message: null,
      process_payment_intent: { payment_intent: "pi_3NfZlv2eZvKYlo2C0fNGQ3vR" },
    },
  });

  it("accepts a known status without warnings", () => {
    expect(validateReader(withAction("in_progress"))).toBe(true);
    expect(validateReader.warnings).toEqual([]);
  });

  it("accepts an unknown status (waiting_for_customer) and warns at /action/status", () => {
    const result = validateReader.check(withAction("waiting_for_customer"));
    expect(result.valid).toBe(true);
    // One warning, naming the field and the value (not the nullable `action` union that holds it).
    const atStatus = result.warnings.filter((w) => w.path === "/action/status");
    expect(atStatus).toHaveLength(1);
    expect(atStatus[0]?.message).toContain("waiting_for_customer");
    expect(result.warnings.map((w) => w.path)).toEqual(["/action/status"]);
    expect(validateReader(withAction("waiting_for_customer"))).toBe(true);
    expect(validateReader.warnings).toEqual(result.warnings);
  });

  it("accepts an action type added after this contract (collect_inputs is known; print_receipt is not)", () => {
    const value = { ...reader, action: { type: "print_receipt", status: "succeeded" } };
    expect(validateReader(value), JSON.stringify(validateReader.errors)).toBe(true);
  });

  it("still refuses a status of the wrong type", () => {
    expect(validateReader(withAction(42 as unknown as string))).toBe(false);
    expect(validateReader.errors.map((i) => i.path)).toContain("/action/status");
  });
});

describe("outbound messages stay strict", () => {
  it("refuses a set_reader_display type other than cart (our own request, not Stripe's answer)", () => {
    expect(validateSetReaderDisplayRequest({ type: "receipt" })).toBe(false);
    expect(validateSetReaderDisplayRequest.warnings).toEqual([]);
    expect(validateSetReaderDisplayRequest.errors.map((i) => i.path)).toContain("/type");
  });

  it("refuses a reader registration without registration_code", () => {
    expect(validateCreateReaderRequest({ label: "Caisse 1" })).toBe(false);
    expect(validateCreateReaderRequest.errors).toContainEqual(
      expect.objectContaining({ path: "/registration_code", keyword: "required" }),
    );
  });
});
