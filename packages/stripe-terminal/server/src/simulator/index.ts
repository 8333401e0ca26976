export {
  type RunningStripeTerminalSimulator,
  type StartStripeTerminalSimulatorOptions,
  startStripeTerminalSimulator,
} from "./server.js";
export {
  type ConnectReaderResult,
  type ConsumeResult,
  createStripeTerminalSimulator,
  DECLINE_AMOUNT_ENDINGS,
  DECLINE_CARDS,
  type PresentedCard,
  SIMULATED_REGISTRATION_CODES,
  SIMULATOR_API_VERSION,
  SIMULATOR_SECRET_KEY,
  type SimulatedAction,
  type SimulatedDecline,
  type SimulatedPaymentIntent,
  type StripeTerminalSimulator,
  type StripeTerminalSimulatorOptions,
  type StripeTerminalState,
  signWebhookPayload,
  type WebhookDelivery,
} from "./terminal.js";
