// Public API of @payspec/wepay-client: the generated client, its error class and operation
// table, plus the handwritten App-Id/App-Token authenticator.

export { type WePayAuthOptions, wepayAuth } from "./auth.js";
export type {
  PaymentsCreateInput,
  PaymentsGetInput,
  PaymentsListInput,
  RefundsCreateInput,
  RefundsGetInput,
  SessionTokensCreateInput,
  SessionTokensDeleteInput,
  SessionTokensGetInput,
  SessionTokensListInput,
  TerminalsCreateInput,
  TerminalsDeleteInput,
  TerminalsGetInput,
  TerminalsListInput,
  TerminalsUpdateInput,
} from "./gen/index.gen.js";
export { operations, WePayApiError, WePayClient, xmlShapes } from "./gen/index.gen.js";
