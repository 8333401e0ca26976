export {
  type RunningStripeTerminalSimulator,
  type StartStripeTerminalSimulatorOptions,
  startStripeTerminalSimulator,
} from "./server.js";
export {
  type ConsumeResult,
  createStripeTerminalSimulator,
  DECLINE_AMOUNT_ENDINGS,
  DECLINE_CARDS,
  SIMULATED_REGISTRATION_CODES,
  SIMULATOR_SECRET_KEY,
  type SimulatedDecline,
  type SimulatedPaymentIntent,
  type StripeTerminalSimulator,
  type StripeTerminalSimulatorOptions,
  type StripeTerminalState,
} from "./terminal.js";
