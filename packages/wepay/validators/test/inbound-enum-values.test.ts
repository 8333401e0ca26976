// CONVENTIONS.md: messages the SDK or WePay sends us (`@Payspec.Wire.inbound`) accept an enum
// value newer than the spec with a warning; messages we send are held to the spec exactly.
import { describe, expect, it } from "vitest";
import { validateCardReaderStatusChanged, validateCreateTerminalRequest, validateTerminal } from "../src/index.js";

const terminalRequest = {
  account_id: "0ef0dcd6-a2c6-49c4-9051-bbbe5c6c36e2",
  serial_number: "FA00332-1000138",
  model: "verifone_p400",
  terminal_configuration: { currency: "USD" },
};

describe("unknown enum values", () => {
  it("are accepted with a warning in an inbound SDK message (CardReaderStatusChanged)", () => {
    const event = {
      ios_name: "cardReaderDidChangeStatus:",
      android_name: "onStatusChange",
      status: "updating firmware",
    };
    const result = validateCardReaderStatusChanged.check(event);
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ path: "/status", keyword: "enum" })]);
    expect(validateCardReaderStatusChanged(event)).toBe(true);
    expect(validateCardReaderStatusChanged.warnings).toHaveLength(1);
  });

  it("are accepted with a warning in an inbound API message (Terminal.model)", () => {
    const terminal = {
      id: "eaf1ef26-ea2d-4be3-b990-ec2c410b54de",
      resource: "terminals",
      path: "/terminals/eaf1ef26-ea2d-4be3-b990-ec2c410b54de",
      owner: null,
      api_version: "3.0",
      status: "active",
      serial_number: "FA00332-1000138",
      model: "verifone_m400",
      reference_id: null,
      last_call_home: null,
      terminal_configuration: {},
    };
    const result = validateTerminal.check(terminal);
    expect(result.valid).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(["/model"]);
  });

  it("are rejected in a request we send (CreateTerminalRequest.model)", () => {
    expect(validateCreateTerminalRequest(terminalRequest)).toBe(true);
    const result = validateCreateTerminalRequest.check({ ...terminalRequest, model: "verifone_m400" });
    expect(result.valid).toBe(false);
    if (!result.valid) expect(result.errors.map((e) => e.path)).toContain("/model");
  });

  it("do not excuse a wrong type in an inbound message", () => {
    const event = { ios_name: "cardReaderDidChangeStatus:", android_name: "onStatusChange", status: 7 };
    expect(validateCardReaderStatusChanged(event)).toBe(false);
    expect(validateCardReaderStatusChanged.errors.map((e) => e.path)).toContain("/status");
  });
});
