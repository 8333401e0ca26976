// Public API of @payspec/hipay-ecr-server.
export {
  examples,
  operations,
  registerHiPayEcr,
  registerHiPayEcrMaintenance,
  registerHiPayEcrPayment,
  validateRequestBody,
} from "./gen/index.gen.js";
export type { HiPayEcrHandlers, HiPayEcrServerOptions } from "./gen/index.gen.js";
export { rejectHiPay } from "./errors.js";
