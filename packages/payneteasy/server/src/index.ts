// Public API of @payspec/payneteasy-server: the generated plugin and tables, and the
// handwritten vendor-shaped refusals and credential checks.

export {
  amountInCents,
  type MerchantKeys,
  type PayneteasyAuthenticate,
  type PayneteasyAuthenticatorOptions,
  payneteasyAuthenticator,
  returnControl,
  verifyCallback,
} from "./auth.js";
export {
  PAYNETEASY_ERROR_CODES,
  type PayneteasyRefusal,
  payneteasyErrorEncoding,
  rejectPayneteasy,
} from "./errors.js";
export type {
  CloseDayInput,
  CloseDayReply,
  MerchantCallbackNotifyInput,
  MerchantCallbackNotifyReply,
  PayneteasyHandlers,
  PayneteasyServerOptions,
  PreauthInput,
  PreauthReply,
  ReturnOrderInput,
  ReturnOrderReply,
  SaleInput,
  SaleReply,
  StatusInput,
  StatusReply,
} from "./gen/index.gen.js";
export {
  examples,
  type OperationExample,
  operations,
  registerPayneteasy,
  registerPayneteasyMerchantCallback,
  validateRequestBody,
  xmlShapes,
} from "./gen/index.gen.js";
export {
  type CallbackAttempt,
  type CallbackRecord,
  createPayneteasySimulator,
  type DayClose,
  type OrderType,
  PAYNETEASY_CALLBACK_RETRY_DELAYS_MS,
  PAYNETEASY_DISCONNECT_ERROR,
  PAYNETEASY_SIMULATOR_CREDENTIALS,
  PAYNETEASY_TEST_AMOUNTS,
  type PayneteasySimulator,
  type PayneteasySimulatorOptions,
  type PayneteasySimulatorState,
  type RunningPayneteasySimulator,
  type SimulatedOrder,
  type SimulatedReturn,
  type StartPayneteasySimulatorOptions,
  startPayneteasySimulator,
} from "./simulator/index.js";
