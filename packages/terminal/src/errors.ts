/** Errors of the Terminal API. Every one carries a stable `code` a POS can switch on. */

export type TerminalErrorCode =
  | "outcome-unknown"
  | "reference-conflict"
  | "unknown-payment"
  | "not-connected"
  | "busy"
  | "device"
  | "journal";

export class TerminalError extends Error {
  override readonly name: string = "TerminalError";
  constructor(
    readonly code: TerminalErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The request may or may not have reached the vendor, and the answer was lost (timeout, reset, disconnect).
 * Adapters throw it; `createTerminal` answers it by reconciling, never by guessing.
 */
export class OutcomeUnknownError extends TerminalError {
  override readonly name = "OutcomeUnknownError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("outcome-unknown", message, options);
  }
}
