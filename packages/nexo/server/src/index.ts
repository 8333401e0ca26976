// Public API of @payspec/nexo-server: the generated fastify plugins (terminal role and POS
// listener role), operation table, XML layouts and examples, plus the handwritten nexo refusals.

export { createNexoReject, type NexoReject, type NexoRejectOptions, rejectNexo } from "./errors.js";
export type {
  NexoHandlers,
  NexoServerOptions,
  OperationExample,
  PosListenerReceiveInput,
  PosListenerReceiveReply,
  TerminalSendInput,
  TerminalSendReply,
} from "./gen/index.gen.js";
export {
  examples,
  operations,
  registerNexoPosListener,
  registerNexoTerminal,
  validateRequestBody,
  xmlShapes,
} from "./gen/index.gen.js";
export {
  createNexoTerminalSimulator,
  DECLINE_AMOUNTS,
  type NexoPaymentDelays,
  type NexoTerminalSimulator,
  type NexoTerminalSimulatorOptions,
  type NexoTerminalState,
  type RunningNexoTerminalSimulator,
  type SentDisplay,
  type SentEvent,
  type SentInput,
  type SentPrint,
  type SimulatedTransaction,
  type StartNexoTerminalSimulatorOptions,
  startNexoTerminalSimulator,
  TEST_AMOUNTS,
} from "./simulator/index.js";
