/**
 * The error classes every Payspec package throws, and the one registry of their codes.
 * Generated clients subclass `VendorError` per protocol (e.g. `StripeError extends
 * VendorError<StripeErrorBody>`); everything else is thrown as one of these classes.
 */

/** Every error code this package emits. Codes are stable: match on `error.code`, not on messages. */
export const ERROR_CODES = {
  /** The request never got an HTTP response (DNS, refused, reset, TLS, ...). */
  TRANSPORT: "PAYSPEC_ERR_TRANSPORT",
  /** The per-request time limit ran out before the response was complete. */
  TIMEOUT: "PAYSPEC_ERR_TIMEOUT",
  /** The caller's AbortSignal fired. Never retried. */
  ABORTED: "PAYSPEC_ERR_ABORTED",
  /** The response body exceeded the transport's size limit. */
  RESPONSE_TOO_LARGE: "PAYSPEC_ERR_RESPONSE_TOO_LARGE",
  /** Bytes on the wire could not be decoded, or a value could not be encoded. */
  CODEC: "PAYSPEC_ERR_CODEC",
  /** Credentials are missing, malformed or wrong. */
  AUTH: "PAYSPEC_ERR_AUTH",
  /** The vendor answered with an error status and (usually) a typed error body. */
  VENDOR: "PAYSPEC_ERR_VENDOR",
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Base class of every error thrown by Payspec packages. */
export class PayspecError extends Error {
  override readonly name: string = "PayspecError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export interface TransportErrorOptions extends ErrorOptions {
  /** Whether sending the same request again may succeed (network failures: yes; oversized body: no). */
  retryable?: boolean;
  code?: typeof ERROR_CODES.TRANSPORT | typeof ERROR_CODES.RESPONSE_TOO_LARGE | typeof ERROR_CODES.TIMEOUT;
}

/** No usable HTTP response: connection failures, resets, oversized bodies. */
export class TransportError extends PayspecError {
  override readonly name: string = "TransportError";
  readonly retryable: boolean;

  constructor(message: string, options: TransportErrorOptions = {}) {
    super(options.code ?? ERROR_CODES.TRANSPORT, message, options);
    this.retryable = options.retryable ?? true;
  }
}

/** The transport's own time limit ran out (not the caller's signal: that is `AbortedError`). */
export class TimeoutError extends TransportError {
  override readonly name: string = "TimeoutError";
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options?: ErrorOptions) {
    super(`request timed out after ${timeoutMs} ms`, { ...options, code: ERROR_CODES.TIMEOUT, retryable: true });
    this.timeoutMs = timeoutMs;
  }
}

/** The caller aborted. Kept apart from `TransportError` so no retry loop ever retries it. */
export class AbortedError extends PayspecError {
  override readonly name: string = "AbortedError";

  constructor(options?: ErrorOptions) {
    super(ERROR_CODES.ABORTED, "operation aborted by the caller", options);
  }
}

/** Which codec raised a `CodecError`. */
export type CodecName = "json" | "nexo-json" | "form" | "kv" | "xml" | "concert" | "tlv";

/** Why a codec refused its input. */
export type CodecReason =
  /** Not well-formed for this wire form. */
  | "syntax"
  /** Input larger than the configured byte limit. */
  | "too_large"
  /** Nesting deeper than the configured limit. */
  | "too_deep"
  /** More parameters or elements than the configured limit. */
  | "too_many"
  /** A key that could reach Object.prototype (`__proto__`, `constructor`, `prototype`). */
  | "forbidden_key"
  /** XML markup we never accept (DOCTYPE, ENTITY declarations). */
  | "forbidden_markup"
  /** A value of the wrong kind, or one that cannot be represented on this wire. */
  | "invalid_value"
  /** A fixed-width frame or field of the wrong length. */
  | "invalid_length"
  /** A required field is absent. */
  | "missing_field"
  /** A key or element that may occur once occurred twice. */
  | "duplicate"
  /** The document root is not the expected one. */
  | "unexpected_root";

export interface CodecErrorDetails {
  codec: CodecName;
  reason: CodecReason;
  /** Where in the decoded structure, e.g. `$.PaymentRequest.SaleData` or `metadata[order]`. */
  path?: string;
  /** Where in the input, in characters (or bytes for byte input). */
  offset?: number;
  cause?: unknown;
}

/** Input that a codec cannot decode, or a value it cannot encode. The only error a codec throws. */
export class CodecError extends PayspecError {
  override readonly name: string = "CodecError";
  readonly codec: CodecName;
  readonly reason: CodecReason;
  readonly path: string | undefined;
  readonly offset: number | undefined;

  constructor(detail: string, details: CodecErrorDetails) {
    const where = [
      details.path !== undefined ? `at ${details.path}` : undefined,
      details.offset !== undefined ? `offset ${details.offset}` : undefined,
    ].filter((part) => part !== undefined);
    const suffix = where.length > 0 ? ` (${where.join(", ")})` : "";
    super(ERROR_CODES.CODEC, `${details.codec}: ${detail}${suffix}`, { cause: details.cause });
    this.codec = details.codec;
    this.reason = details.reason;
    this.path = details.path;
    this.offset = details.offset;
  }
}

/** Why authentication failed. */
export type AuthReason =
  | "missing_credentials"
  | "malformed_header"
  | "invalid_credentials"
  | "unsupported_signature_method"
  | "unsupported_version"
  | "unknown_consumer"
  | "unknown_token"
  | "stale_timestamp"
  | "replayed_nonce"
  | "bad_signature";

/** Credentials that are missing, malformed or wrong, or that cannot be put in a header. */
export class AuthError extends PayspecError {
  override readonly name: string = "AuthError";
  readonly reason: AuthReason;

  constructor(reason: AuthReason, message: string, options?: ErrorOptions) {
    super(ERROR_CODES.AUTH, message, options);
    this.reason = reason;
  }
}

export interface VendorErrorOptions extends ErrorOptions {
  headers?: Readonly<Record<string, string>>;
  message?: string;
}

/**
 * The vendor answered with an error status. `body` is the vendor's error body, typed per
 * protocol by the generated client's subclass.
 */
export class VendorError<TBody = unknown> extends PayspecError {
  override readonly name: string = "VendorError";
  readonly status: number;
  readonly body: TBody;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, body: TBody, options: VendorErrorOptions = {}) {
    super(ERROR_CODES.VENDOR, options.message ?? `vendor answered HTTP ${status}`, options);
    this.status = status;
    this.body = body;
    this.headers = options.headers ?? {};
  }
}
