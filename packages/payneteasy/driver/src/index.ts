// Public API of @payspec/payneteasy-driver: the mPOS payment flow (reader → sale/preauth →
// status polls and callbacks), the simulated reader, the callback receiver and the amount codec.

export { currencyExponent, fromDecimalAmount, toDecimalAmount } from "./amount.js";
export {
  type CallbackReceiverOptions,
  type CallbackReceiverStats,
  type CallbackVerdict,
  PayneteasyCallbackReceiver,
} from "./callbacks.js";
export {
  CardReadCancelledError,
  type CardReadRequest,
  DeviceDisconnectedError,
  type DeviceEvent,
  type EncryptedCardData,
  type MposDevice,
  type ReadCardOptions,
  SIMULATED_ENCRYPTED_TYPE,
  SimulatedMposDevice,
  type SimulatedMposDeviceOptions,
  TEST_PAYER,
} from "./device.js";
export {
  type OrderLookup,
  type PayerDetails,
  type PaymentEnd,
  type PaymentEvent,
  type PaymentRequest,
  type PaymentResult,
  type PaymentType,
  PayneteasyDriver,
  type PayneteasyDriverOptions,
  PayneteasyOutcomeUnknownError,
  type PayOptions,
  type RefundEnd,
  type RefundOptions,
  type RefundRequest,
  type RefundResult,
  type ReturnLookup,
} from "./driver.js";
export {
  IllegalTransitionError,
  PAYMENT_TRANSITIONS,
  PaymentMachine,
  type PaymentState,
  REFUND_TRANSITIONS,
  RefundMachine,
  type RefundState,
} from "./machine.js";
