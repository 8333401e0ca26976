import { describe, expect, it } from "vitest";
import {
  constantTimeEqual,
  payneteasyCallbackControl,
  payneteasyStatusControl,
  sha1Hex,
  verifyControl,
} from "../src/index.js";

// Expected digests computed with coreutils: printf '%s' '<concatenation>' | sha1sum
describe("Payneteasy control checksums (lowercase hex SHA-1)", () => {
  it("sha1Hex concatenates its parts (FIPS 180 'abc' vector)", () => {
    expect(sha1Hex("abc")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(sha1Hex("a", "b", "c")).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
  });

  it("status control = SHA1(login + client_orderid + orderid + merchant_control_key)", () => {
    const control = payneteasyStatusControl({
      login: "merchant-login",
      client_orderid: "Order_12345",
      orderid: 1234567,
      merchant_control_key: "control-key-abc",
    });
    expect(control).toBe("6e5ab89348a782f6a94f608935eb0312ca345c35");
  });

  it("callback control = SHA1(status + orderid + client_orderid + merchant_control_key)", () => {
    const control = payneteasyCallbackControl({
      status: "approved",
      orderid: "1234567",
      client_orderid: "Order_12345",
      merchant_control_key: "control-key-abc",
    });
    expect(control).toBe("a04944df70a3c28b2067c8b70bdb7474491f5519");
  });

  it("verifyControl ignores hex case and refuses anything else", () => {
    expect(verifyControl("a04944df70a3c28b2067c8b70bdb7474491f5519", "A04944DF70A3C28B2067C8B70BDB7474491F5519")).toBe(
      true,
    );
    expect(verifyControl("a04944df70a3c28b2067c8b70bdb7474491f5519", "a04944df70a3c28b2067c8b70bdb7474491f5518")).toBe(
      false,
    );
    expect(verifyControl("a04944df70a3c28b2067c8b70bdb7474491f5519", undefined)).toBe(false);
  });
});

describe("constantTimeEqual", () => {
  it.each([
    { a: "", b: "", want: true },
    { a: "secret", b: "secret", want: true },
    { a: "Café", b: "Café", want: true },
    { a: "secret", b: "secreT", want: false },
    { a: "secret", b: "secret1", want: false },
    { a: "", b: "x", want: false },
    { a: "a".repeat(10_000), b: "a".repeat(10_001), want: false },
    // Same UTF-16 length, different bytes.
    { a: "é", b: "e", want: false },
  ])("($a, $b) → $want, for any length difference", ({ a, b, want }) => {
    expect(constantTimeEqual(a, b)).toBe(want);
    expect(constantTimeEqual(b, a)).toBe(want);
  });
});
