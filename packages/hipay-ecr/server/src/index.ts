// Public API of @payspec/hipay-ecr-server: the generated fastify plugins, operation table and
// examples, plus the handwritten connector pieces: Basic auth check, error answers, config.txt,
// the Concert link, the connector's handlers and a simulated Concert terminal.

// The Concert link, the memory line and the simulated terminal live in @payspec/hipay-ecr-driver
// (the connector runs on that driver); re-exported here for existing users.
export {
  type ByteStream,
  ConcertLink,
  ConcertLinkError,
  type ConcertLinkErrorReason,
  type ConcertLinkOptions,
  type ReceiveOptions,
} from "@payspec/hipay-ecr-driver";
export {
  type ConcertTerminalOptions,
  ConcertTerminalSimulator,
  createMemorySerialPair,
  type MemorySerialEnd,
  SIMULATOR_REP_FIELDS,
  type Tamper,
  TEST_AMOUNTS,
  type TerminalFault,
} from "@payspec/hipay-ecr-driver/testing";
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
  PaymentRefundInput,
  PaymentRefundReply,
  PaymentStatusInput,
  PaymentStatusReply,
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
  type ConnectorSimulator,
  type ConnectorSimulatorOptions,
  startConnectorSimulator,
} from "./simulator/simulator.js";
