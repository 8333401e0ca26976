// @payspec/runtime/server: the fastify side, a separate entry so clients never load fastify.

export {
  type RequestLogEntry,
  type RequestLogOptions,
  type RequestLogSink,
  redactUrlPath,
  redactWireBody,
} from "../log-entry.js";
export {
  type Handler,
  type HandlerContext,
  type HandlerInput,
  type MountOptions,
  mountOperations,
  type RejectReason,
  type Reply,
} from "./fastify.js";
export {
  drawFaults,
  FAULT_HEADER,
  type FaultPlan,
  type FaultRates,
  mergeFaults,
  parseFaultHeader,
} from "./faults.js";
export { freeLoopbackPort, type ListenOptions, listenUrl } from "./listen.js";
export { attachRequestLog } from "./log.js";
export type { SettledCharge } from "./settlement.js";
