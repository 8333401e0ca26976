// Public API of @payspec/hipay-ecr-client: the generated client, its error class and operation
// table, plus the handwritten Basic auth of the connector's local API.

export { type HiPayAuthOptions, hipayAuth } from "./auth.js";
export type {
  MaintenanceCancelInput,
  MaintenanceCheckInput,
  MaintenanceConfigInput,
  MaintenanceResetInput,
  MaintenanceStopInput,
  MaintenanceTlcInput,
  MaintenanceVersionInput,
  PaymentPayInput,
  PaymentRefundInput,
  PaymentStatusInput,
} from "./gen/index.gen.js";
export { HiPayEcrApiError, HiPayEcrClient, operations, xmlShapes } from "./gen/index.gen.js";
