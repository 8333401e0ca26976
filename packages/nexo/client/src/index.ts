// Public API of @payspec/nexo-client: the generated client, operation table and XML layouts,
// plus the handwritten envelope builders.

export type { PosListenerReceiveInput, TerminalSendInput } from "./gen/index.gen.js";
export { NexoApiError, NexoClient, operations, xmlShapes } from "./gen/index.gen.js";
export {
  type NexoRequestHeader,
  type NexoRequestKind,
  type NexoResponseKind,
  NexoSession,
  nexoRequest,
  nexoResponse,
  serviceIdSequence,
} from "./messages.js";
