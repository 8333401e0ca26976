// Public API of @payspec/hipay-ecr-server: the generated fastify plugins, operation table and
// examples, plus the handwritten connector pieces: Basic auth check, error answers, config.txt.
export {
  examples,
  type OperationExample,
  operations,
  registerHiPayEcr,
  registerHiPayEcrMaintenance,
  registerHiPayEcrPayment,
  validateRequestBody,
  xmlShapes,
} from "./gen/index.gen.js";
export type {
  HiPayEcrHandlers,
  HiPayEcrServerOptions,
  MaintenanceCancelInput,
  MaintenanceCancelReply,
  MaintenanceCheckInput,
  MaintenanceCheckReply,
  MaintenanceConfigInput,
  MaintenanceConfigReply,
  MaintenanceResetInput,
  MaintenanceResetReply,
  MaintenanceStopInput,
  MaintenanceStopReply,
  MaintenanceTlcInput,
  MaintenanceTlcReply,
  MaintenanceVersionInput,
  MaintenanceVersionReply,
  PaymentPayInput,
  PaymentPayReply,
} from "./gen/index.gen.js";
export { type HiPayAuthenticator, type HiPayCredentials, hipayAuthenticator } from "./auth.js";
export {
  CONFIG_TXT_KEYS,
  type ConfigTxtProblem,
  ConfigTxtError,
  type FormatConfigTxtOptions,
  formatConfigTxt,
  parseConfigTxt,
} from "./config.js";
export { HIPAY_REALM, REJECT_STATUS, rejectHiPay } from "./errors.js";
