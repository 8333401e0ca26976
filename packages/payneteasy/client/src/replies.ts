/**
 * Reading Payneteasy answers. Payneteasy answers HTTP 200 whether it accepted a request or not:
 * the outcome is in `type` (seed 002). A `validation-error` or `error` answer is therefore a
 * result the client returns, not an exception; only HTTP failures (413, 415, a 5xx of a proxy)
 * throw `PayneteasyApiError`.
 */
import type {
  ErrorResponse,
  ReturnRequest,
  StatusRequest,
  TransactionStatus,
  ValidationError,
} from "@payspec/payneteasy-types";
import { type PayneteasyCredentials, returnControl, statusControl } from "./auth.js";

/** Whether an answer is a refusal (`type=validation-error`) or a failure (`type=error`). */
export function isPayneteasyError(reply: unknown): reply is ValidationError | ErrorResponse {
  if (reply === null || typeof reply !== "object") return false;
  const type = (reply as { type?: unknown }).type;
  return type === "validation-error" || type === "error";
}

const finalStatuses: ReadonlySet<string> = new Set<TransactionStatus>(["approved", "declined", "error", "filtered"]);

/**
 * Whether a transaction status is final (approved, declined, error, filtered). `processing` and
 * `unknown` are not: poll status again in 3-5 seconds. A status this spec does not know is
 * treated as not final.
 */
export function isFinalStatus(status: string | undefined): status is "approved" | "declined" | "error" | "filtered" {
  return status !== undefined && finalStatuses.has(status);
}

/** A status request body for an order, with its `control` computed. */
export function statusRequest(
  credentials: PayneteasyCredentials,
  order: { client_orderid: string; orderid?: string; "by-request-sn"?: string },
): StatusRequest {
  const body: StatusRequest = {
    login: credentials.login,
    client_orderid: order.client_orderid,
    control: statusControl({
      ...credentials,
      client_orderid: order.client_orderid,
      ...(order.orderid === undefined ? {} : { orderid: order.orderid }),
    }),
  };
  if (order.orderid !== undefined) body.orderid = order.orderid;
  if (order["by-request-sn"] !== undefined) body["by-request-sn"] = order["by-request-sn"];
  return body;
}

/**
 * A return request body for an approved order, with its `control` computed. Leave `amount` and
 * `currency` out to return the whole remaining amount.
 */
export function returnRequest(
  credentials: PayneteasyCredentials,
  order: { client_orderid: string; orderid: string; amount?: string; currency?: string; comment?: string },
): ReturnRequest {
  const body: ReturnRequest = {
    login: credentials.login,
    client_orderid: order.client_orderid,
    orderid: order.orderid,
    control: returnControl({
      ...credentials,
      client_orderid: order.client_orderid,
      orderid: order.orderid,
      ...(order.amount === undefined ? {} : { amount: order.amount }),
      ...(order.currency === undefined ? {} : { currency: order.currency }),
    }),
  };
  if (order.amount !== undefined) body.amount = order.amount;
  if (order.currency !== undefined) body.currency = order.currency;
  if (order.comment !== undefined) body.comment = order.comment;
  return body;
}
