// Public API of @payspec/payneteasy-client: the generated client and operation table, and the
// handwritten credentials (OAuth signing, status control) and answer helpers.

export {
  isSigned,
  type PayneteasyAuthOptions,
  type PayneteasyCredentials,
  payneteasyAuth,
  type StatusControlFields,
  statusControl,
} from "./auth.js";
export type {
  CloseDayInput,
  MerchantCallbackNotifyInput,
  PreauthInput,
  SaleInput,
  StatusInput,
} from "./gen/index.gen.js";
export { operations, PayneteasyApiError, PayneteasyClient, xmlShapes } from "./gen/index.gen.js";
export { isFinalStatus, isPayneteasyError, statusRequest } from "./replies.js";
