// Public API of @payspec/wepay-driver: the card-reader manager (transports, statuses, configuration,
// remembered reader, 60 s card timeout, dip-after-swipe rules), the session-token lifecycle, the simulated
// Moby 5500 / RP457c reader, and the payment/refund calls with Unique-Key.

// What an adapter needs from the client and types packages, so it can depend on the driver alone.
export { WePayApiError, WePayClient, wepayAuth } from "@payspec/wepay-client";
export type {
  CardAuthorization,
  CardReader,
  CardReaderStatus,
  CardReaderStatusChanged,
  CreatePaymentRequest,
  CreateRefundRequest,
  Payment,
  Refund,
  SdkError,
  SessionEvent,
} from "@payspec/wepay-types";
export {
  CARD_TIMEOUT_MS,
  type CardReadState,
  type CardReadStep,
  cardReadStep,
  DIPS_BEFORE_SWIPE_FALLBACK,
  INITIAL_CARD_READ,
} from "./card-read.js";
export {
  type CreatePaymentInput,
  type CreateRefundInput,
  WePayDriver,
  type WePayDriverOptions,
} from "./driver.js";
export {
  androidErrorName,
  CardReadCancelledError,
  type DriverErrorName,
  sdkError,
  WePayDriverError,
} from "./errors.js";
export {
  CardReaderManager,
  type CardReaderManagerOptions,
  type CardReadResult,
  MemoryReaderStore,
  nextReaderState,
  type ReadCardRequest,
  type ReaderMemory,
  type ReaderState,
  type ReaderStore,
  type Timers,
} from "./manager.js";
export {
  androidSessionName,
  iosSessionName,
  nextSessionState,
  SESSION_EVENT_NAMES,
  SessionManager,
  type SessionManagerOptions,
  type SessionState,
} from "./session.js";
export {
  type CustomerScript,
  DIP_CHIP_CARD,
  SimulatedCardReader,
  type SimulatedCardReaderOptions,
  simulatedTransport,
} from "./simulated.js";
export type {
  CardData,
  CardReaderTransport,
  ReaderLink,
  ReaderSignal,
  TransactionAmount,
} from "./transport.js";
