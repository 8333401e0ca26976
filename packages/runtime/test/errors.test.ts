import { describe, expect, it } from "vitest";
import {
  AbortedError,
  AuthError,
  CodecError,
  ERROR_CODES,
  PayspecError,
  TimeoutError,
  TransportError,
  VendorError,
} from "../src/index.js";

describe("one registry of error codes", () => {
  it("has unique codes, all prefixed PAYSPEC_ERR_", () => {
    const codes = Object.values(ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^PAYSPEC_ERR_[A-Z_]+$/);
  });

  it.each([
    { given: new TransportError("down"), code: ERROR_CODES.TRANSPORT, name: "TransportError" },
    { given: new TimeoutError(50), code: ERROR_CODES.TIMEOUT, name: "TimeoutError" },
    { given: new AbortedError(), code: ERROR_CODES.ABORTED, name: "AbortedError" },
    { given: new CodecError("bad", { codec: "json", reason: "syntax" }), code: ERROR_CODES.CODEC, name: "CodecError" },
    { given: new AuthError("bad_signature", "no"), code: ERROR_CODES.AUTH, name: "AuthError" },
    { given: new VendorError(402, { error: { type: "card_error" } }), code: ERROR_CODES.VENDOR, name: "VendorError" },
  ])("$name carries code $code and is a PayspecError", ({ given, code, name }) => {
    expect(given).toBeInstanceOf(PayspecError);
    expect(given).toBeInstanceOf(Error);
    expect(given.code).toBe(code);
    expect(given.name).toBe(name);
  });
});

describe("error hierarchy", () => {
  it("a timeout is a retryable transport error; an abort is not a transport error", () => {
    const timeout = new TimeoutError(1000);
    expect(timeout).toBeInstanceOf(TransportError);
    expect(timeout.retryable).toBe(true);
    expect(timeout.timeoutMs).toBe(1000);
    expect(new AbortedError()).not.toBeInstanceOf(TransportError);
  });

  it("CodecError reports codec, reason, path and offset in fields and message", () => {
    const error = new CodecError("expected a number", {
      codec: "xml",
      reason: "invalid_value",
      path: "$.A.B",
      offset: 12,
    });
    expect(error).toMatchObject({ codec: "xml", reason: "invalid_value", path: "$.A.B", offset: 12 });
    expect(error.message).toBe("xml: expected a number (at $.A.B, offset 12)");
  });

  it("a generated client can subclass VendorError with a typed body", () => {
    interface StripeErrorBody {
      error: { type: string; code?: string };
    }
    class StripeError extends VendorError<StripeErrorBody> {
      override readonly name = "StripeError";
    }
    const error = new StripeError(
      402,
      { error: { type: "card_error", code: "card_declined" } },
      { headers: { "request-id": "req_1" } },
    );
    expect(error).toBeInstanceOf(VendorError);
    expect(error.body.error.code).toBe("card_declined");
    expect(error.status).toBe(402);
    expect(error.headers["request-id"]).toBe("req_1");
    expect(error.name).toBe("StripeError");
  });
});
