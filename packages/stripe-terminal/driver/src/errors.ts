/** Errors of the Stripe Terminal driver; each has a stable `code`. */

export type DriverErrorCode =
  | "outcome-unknown"
  | "not-connected"
  | "reader-in-use"
  | "reader-not-found"
  | "reader-disconnected"
  | "illegal-transition";

export class DriverError extends Error {
  override readonly name: string = "DriverError";
  constructor(
    readonly code: DriverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An answer was lost after the PaymentIntent existed: re-read it (`findPayment`) to learn the outcome. */
export class OutcomeUnknownError extends DriverError {
  override readonly name = "OutcomeUnknownError";
  constructor(
    message: string,
    /** The PaymentIntent concerned, when known. */
    readonly paymentIntent: string | undefined,
    options?: { cause?: unknown },
  ) {
    super("outcome-unknown", message, options);
  }
}

export class NotConnectedError extends DriverError {
  override readonly name = "NotConnectedError";
  constructor(message: string) {
    super("not-connected", message);
  }
}

/** `failIfInUse: true` and the reader is in the middle of a payment: the existing connection stays. */
export class ReaderInUseError extends DriverError {
  override readonly name = "ReaderInUseError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("reader-in-use", message, options);
  }
}

export class ReaderNotFoundError extends DriverError {
  override readonly name = "ReaderNotFoundError";
  constructor(message: string) {
    super("reader-not-found", message);
  }
}

/** The reader dropped (offline, taken over by another connection) while a command ran. */
export class ReaderDisconnectedError extends DriverError {
  override readonly name = "ReaderDisconnectedError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("reader-disconnected", message, options);
  }
}

export class IllegalTransitionError extends DriverError {
  override readonly name = "IllegalTransitionError";
  constructor(machine: string, from: string, to: string) {
    super("illegal-transition", `${machine}: ${from} → ${to} is not allowed`);
  }
}
