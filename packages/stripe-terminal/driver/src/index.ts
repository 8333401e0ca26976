// Public API of @payspec/stripe-terminal-driver.
export {
  type CollectOptions,
  MemoryReaderStore,
  type PaymentRecovery,
  type PaymentRequest,
  type PaymentResult,
  type PaymentStatus,
  type RefundRequest,
  type RememberedReaderStore,
  StripeTerminalDriver,
  type StripeTerminalDriverOptions,
} from "./driver.js";
export {
  DriverError,
  type DriverErrorCode,
  IllegalTransitionError,
  NotConnectedError,
  OutcomeUnknownError,
  ReaderDisconnectedError,
  ReaderInUseError,
  ReaderNotFoundError,
} from "./errors.js";
export { isCollecting, type ReaderConnection, type ReaderLink, serverDrivenLink } from "./link.js";
export {
  type ConnectionState,
  ConnectionStateMachine,
  PaymentFlow,
  type PaymentFlowState,
} from "./state.js";
