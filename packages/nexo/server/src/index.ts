// Public API of @payspec/nexo-server: the generated fastify plugins (terminal role and POS
// listener role), operation table, XML layouts and examples, plus the handwritten nexo refusals.
export {
  examples,
  operations,
  registerNexoPosListener,
  registerNexoTerminal,
  validateRequestBody,
  xmlShapes,
} from "./gen/index.gen.js";
export type {
  NexoHandlers,
  NexoServerOptions,
  OperationExample,
  PosListenerReceiveInput,
  PosListenerReceiveReply,
  TerminalSendInput,
  TerminalSendReply,
} from "./gen/index.gen.js";
export { createNexoReject, type NexoReject, type NexoRejectOptions, rejectNexo } from "./errors.js";
