export {
  type RunningNexoTerminalSimulator,
  type StartNexoTerminalSimulatorOptions,
  startNexoTerminalSimulator,
} from "./server.js";
export {
  createNexoTerminalSimulator,
  DECLINE_AMOUNTS,
  type NexoPaymentDelays,
  type NexoTerminalSimulator,
  type NexoTerminalSimulatorOptions,
  type NexoTerminalState,
  type SentDisplay,
  type SentEvent,
  type SentInput,
  type SentPrint,
  type SimulatedTransaction,
  TEST_AMOUNTS,
} from "./terminal.js";
