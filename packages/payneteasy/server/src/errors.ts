/**
 * Refusals in Payneteasy's own shape. Payneteasy answers every request it reads with HTTP 200
 * and puts the outcome in `type` (seed 002; its PHP library treats any status but 200 as a
 * transport failure and reads `validation-error` / `error` answers as results):
 *
 * - a request it rejects (missing or malformed parameter, bad signature, bad `control`) gets
 *   `type=validation-error`, HTTP 200;
 * - a request it cannot process gets `type=error`, HTTP 200.
 *
 * Statuses other than 200 are Payspec's where HTTP itself fails (declared in the spec as
 * PayloadTooLargeReply / UnsupportedMediaTypeReply): 404 for an unknown path, 413 for a body
 * over the limit, 415 for a body that is not form-urlencoded, each with a kv `type=error` body.
 * The merchant callback is served by the connecting party, not by Payneteasy: Payneteasy reads
 * only its status and retries anything but 200, so its refusals are plain text 400 / 403 / 500.
 */
import { randomUUID } from "node:crypto";
import type { ErrorResponse, ValidationError } from "@payspec/payneteasy-types";
import type { OperationDescriptor, ValidationIssue } from "@payspec/runtime";
import type { RejectReason, Reply } from "@payspec/runtime/server";
import { operations } from "./gen/index.gen.js";

/**
 * The `error-code` values Payspec servers send. Payneteasy does not publish its codes
 * (unconfirmed), so these are Payspec's own, one per refusal kind.
 */
export const PAYNETEASY_ERROR_CODES = {
  /** validation-error: a parameter is missing or malformed, or the body cannot be decoded */
  invalid: "1",
  /** validation-error: bad OAuth signature, stale timestamp, replayed nonce, bad `control` */
  unauthorized: "2",
  /** error: no such path */
  notFound: "3",
  /** error: body over the size limit (HTTP 413) */
  tooLarge: "4",
  /** error: body not application/x-www-form-urlencoded (HTTP 415) */
  unsupportedMediaType: "5",
  /** error: the server failed while processing the request */
  internal: "6",
} as const;

/**
 * The `errorEncoding` of `registerPayneteasy`: a reply no response of the spec describes (an
 * unknown path: 404) is written as Payneteasy writes every answer, `text/html` key=value pairs.
 */
export const payneteasyErrorEncoding = { contentType: "text/html", encoding: "kv" } as const;

/** What a refusal carries: a kv answer for Payneteasy's operations, text for the merchant callback. */
export type PayneteasyRefusal = Reply<number, ValidationError | ErrorResponse | string>;

/** Longest `error-message` sent: enough for a few issues, never a body echoed back. */
const MAX_MESSAGE = 500;

/**
 * The `reject` hook of `registerPayneteasy`: every refused request is answered in the shape
 * Payneteasy (or, for the callback, a connecting party) uses. Never a 5xx for bad input.
 */
export function rejectPayneteasy(reason: RejectReason, op: OperationDescriptor | undefined): PayneteasyRefusal {
  if (op?.id === operations.merchantCallbackNotify.id) return rejectCallback(reason);
  switch (reason.kind) {
    case "invalid":
      return {
        status: 200,
        body: validationError(
          describeIssues(reason.issues),
          PAYNETEASY_ERROR_CODES.invalid,
          merchantOrderId(reason.body),
        ),
      };
    case "unauthorized":
      return { status: 200, body: validationError(reason.message, PAYNETEASY_ERROR_CODES.unauthorized) };
    case "not-found":
      return { status: 404, body: errorResponse(reason.message, PAYNETEASY_ERROR_CODES.notFound) };
    case "too-large":
      return {
        status: 413,
        body: errorResponse(`Request is too large: ${reason.message}`, PAYNETEASY_ERROR_CODES.tooLarge),
      };
    case "unsupported-media-type":
      return { status: 415, body: errorResponse(reason.message, PAYNETEASY_ERROR_CODES.unsupportedMediaType) };
    case "internal":
      // Payneteasy's own answer to a request it could not process is type=error with 200; with no
      // operation there is no 200 answer declared, so 500 is the only status left.
      return { status: op ? 200 : 500, body: errorResponse("Internal error", PAYNETEASY_ERROR_CODES.internal) };
  }
}

function rejectCallback(reason: RejectReason): PayneteasyRefusal {
  const text = { "content-type": "text/plain" };
  switch (reason.kind) {
    case "invalid":
      return { status: 400, headers: text, body: truncate(describeIssues(reason.issues)) };
    case "unauthorized":
      return { status: 403, headers: text, body: reason.message };
    case "not-found":
      return { status: 404, headers: text, body: reason.message };
    case "too-large":
      return { status: 413, headers: text, body: "Request is too large" };
    case "unsupported-media-type":
      return { status: 415, headers: text, body: reason.message };
    case "internal":
      // Not 200: Payneteasy retries the callback, so nothing is lost.
      return { status: 500, headers: text, body: "Internal error" };
  }
}

/** `client_orderid: must NOT have more than 128 characters; email: missing required property "email"`. */
function describeIssues(issues: readonly ValidationIssue[]): string {
  const parts = issues.map((i) => {
    const field = i.path.replace(/^\/body(?=\/|$)/, "").replace(/^\//, "");
    return field ? `${field}: ${i.message}` : i.message;
  });
  return truncate(parts.length > 0 ? parts.join("; ") : "Invalid request");
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/** The request's `client_orderid`, echoed as Payneteasy does, when it is a well-formed one. */
function merchantOrderId(body: unknown): string | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const id = (body as Record<string, unknown>).client_orderid;
  return typeof id === "string" && id.length >= 1 && id.length <= 128 ? id : undefined;
}

function validationError(message: string, code: string, orderId?: string): ValidationError {
  return {
    type: "validation-error",
    "serial-number": randomUUID(),
    ...(orderId === undefined ? {} : { "merchant-order-id": orderId }),
    "error-message": message,
    "error-code": code,
  };
}

function errorResponse(message: string, code: string): ErrorResponse {
  return { type: "error", "serial-number": randomUUID(), "error-message": truncate(message), "error-code": code };
}
