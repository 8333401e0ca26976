/** Errors of the nexo driver. Each carries a stable `code`. */

export type NexoDriverErrorCode =
  /** an illegal state transition (a bug in the caller: e.g. pay while another payment runs) */
  | "illegal-transition"
  /** the driver is not connected (call `connect()`) or was closed */
  | "not-connected"
  /** a service request is already in progress on this driver (nexo: one at a time) */
  | "busy"
  /** the terminal refused the login */
  | "login-failed"
  /** the terminal answered with an HTTP error or an answer that is not the expected response */
  | "rejected"
  /** the answer was lost and TransactionStatus could not tell the outcome */
  | "outcome-unknown"
  /** TransactionStatus says the terminal never received the request: nothing was charged */
  | "not-received";

export class NexoDriverError extends Error {
  override readonly name: string = "NexoDriverError";
  constructor(
    readonly code: NexoDriverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The request may have reached the terminal and its answer was lost (timeout, socket loss, an
 * unreadable answer), and TransactionStatus did not settle it. Ask again later by `serviceId`.
 */
export class NexoOutcomeUnknownError extends NexoDriverError {
  override readonly name = "NexoOutcomeUnknownError";
  constructor(
    readonly serviceId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super("outcome-unknown", message, options);
  }
}
