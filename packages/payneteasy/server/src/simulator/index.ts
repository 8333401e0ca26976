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
  type SimulatedOrder,
  type SimulatedReturn,
} from "./gateway.js";
export {
  type RunningPayneteasySimulator,
  type StartPayneteasySimulatorOptions,
  startPayneteasySimulator,
} from "./server.js";
