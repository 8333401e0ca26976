// Public API of @payspec/hipay-ecr-server: the generated fastify plugins, operation table and
// examples, plus the handwritten connector pieces: Basic auth check, error answers, config.txt,
// the Concert link, the connector's handlers and a simulated Concert terminal.
export { type HiPayAuthenticator, type HiPayCredentials, hipayAuthenticator } from "./auth.js";
export {
  CONFIG_TXT_KEYS,
  ConfigTxtError,
  type ConfigTxtProblem,
  type FormatConfigTxtOptions,
  formatConfigTxt,
  parseConfigTxt,
} from "./config.js";
export { HIPAY_REALM, REJECT_STATUS, rejectHiPay } from "./errors.js";
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
export {
  type ConcertConnector,
  type ConcertConnectorOptions,
  createConcertConnector,
  type MerchantInfo,
} from "./simulator/connector.js";
export {
  type ByteStream,
  ConcertLink,
  ConcertLinkError,
  type ConcertLinkErrorReason,
  type ConcertLinkOptions,
  type ReceiveOptions,
} from "./simulator/link.js";
export { createMemorySerialPair, type MemorySerialEnd, type Tamper } from "./simulator/memory.js";
export {
  type ConcertTerminalOptions,
  ConcertTerminalSimulator,
  SIMULATOR_REP_FIELDS,
  TEST_AMOUNTS,
  type TerminalFault,
} from "./simulator/terminal.js";
