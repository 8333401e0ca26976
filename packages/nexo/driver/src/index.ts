// Public API of @payspec/nexo-driver: the driver (login session, pay, refund, abort, reversal,
// TransactionStatus recovery), the POS listener's typed events, the session state machine, amounts.

// The nexo types a driver user handles (so a user needs no direct @payspec/nexo-types dependency).
export type {
  ErrorConditionType,
  EventToNotifyType,
  PaymentResponse,
  ReversalResponse,
  TransactionIdentification,
} from "@payspec/nexo-types";
export { currencyDecimals, fromNexoAmount, toNexoAmount } from "./amounts.js";
export {
  NexoDriver,
  type NexoDriverEvent,
  type NexoDriverOptions,
  type NexoPaymentOptions,
  type NexoPaymentResult,
  type NexoTransactionStatus,
} from "./driver.js";
export { NexoDriverError, type NexoDriverErrorCode, NexoOutcomeUnknownError } from "./errors.js";
export {
  type ConfirmSignature,
  type NexoListenerEvent,
  type PosListenerOptions,
  type RunningPosListener,
  startPosListener,
} from "./listener.js";
export { nextSessionState, type SessionEvent, SessionMachine, type SessionState } from "./session.js";
