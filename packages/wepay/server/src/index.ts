// Public API of @payspec/wepay-server: the generated fastify plugins, operation table and
// examples, plus the handwritten WePay error answers and App-Id/App-Token check.

export { type WePayAppCredentials, type WePayAuthenticator, wepayAuthenticator } from "./auth.js";
export { rejectWePay } from "./errors.js";
export type {
  OperationExample,
  PaymentsCreateInput,
  PaymentsCreateReply,
  PaymentsGetInput,
  PaymentsGetReply,
  SessionTokensCreateInput,
  SessionTokensCreateReply,
  SessionTokensDeleteInput,
  SessionTokensDeleteReply,
  SessionTokensGetInput,
  SessionTokensGetReply,
  SessionTokensListInput,
  SessionTokensListReply,
  TerminalsCreateInput,
  TerminalsCreateReply,
  TerminalsDeleteInput,
  TerminalsDeleteReply,
  TerminalsGetInput,
  TerminalsGetReply,
  TerminalsListInput,
  TerminalsListReply,
  TerminalsUpdateInput,
  TerminalsUpdateReply,
  WePayHandlers,
  WePayServerOptions,
} from "./gen/index.gen.js";
export {
  examples,
  operations,
  registerWePay,
  registerWePayPayments,
  registerWePaySessionTokens,
  registerWePayTerminals,
  validateRequestBody,
  xmlShapes,
} from "./gen/index.gen.js";
export {
  createWePaySimulator,
  DECLINE_CENTS,
  type RunningWePaySimulator,
  SESSION_TOKEN_UNUSED_TTL,
  SESSION_TOKEN_USED_TTL,
  type SessionTokenUse,
  type SessionTokenUseFailure,
  type StartWePaySimulatorOptions,
  startWePaySimulator,
  WEPAY_SIMULATOR_CREDENTIALS,
  type WePaySimulator,
  type WePaySimulatorOptions,
  type WePaySimulatorState,
} from "./simulator/index.js";
