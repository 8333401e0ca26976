// Public API of @payspec/payneteasy-client: the generated client and operation table, and the
// handwritten credentials (OAuth signing, status control) and answer helpers.

export {
  amountInCents,
  isSigned,
  type PayneteasyAuthOptions,
  type PayneteasyCredentials,
  payneteasyAuth,
  type ReturnControlFields,
  returnControl,
  type StatusControlFields,
  statusControl,
} from "./auth.js";
export type {
  CloseDayInput,
  MerchantCallbackNotifyInput,
  PreauthInput,
  ReturnOrderInput,
  SaleInput,
  StatusInput,
} from "./gen/index.gen.js";
export { operations, PayneteasyApiError, PayneteasyClient, xmlShapes } from "./gen/index.gen.js";
export { isFinalStatus, isPayneteasyError, returnRequest, statusRequest } from "./replies.js";
