// Public API of @payspec/hipay-ecr-driver: the Concert serial link (ENQ/ACK/NAK/EOT, LRC, 3
// tries, 3-second timers) over serialport or any duplex stream, the transaction driver the
// connector runs on it, and the connector's HTTP API for a POS. The simulated terminal is in
// `@payspec/hipay-ecr-driver/testing`.
// The wire types a POS handles, from @payspec/hipay-ecr-types.
export type {
  ConcertAnswer,
  ConcertRequest,
  ConnectorError,
  PaymentRequest,
  PaymentResult,
  Receipt,
} from "@payspec/hipay-ecr-types";
export {
  CONNECTOR_OPERATIONS,
  ConnectorApiError,
  ConnectorClient,
  type ConnectorClientOptions,
  type PaymentLookup,
} from "./connector-client.js";
export {
  ConcertBusyError,
  ConcertDriver,
  type ConcertDriverOptions,
  type ConcertDriverState,
  ConcertTransactionError,
  encodeConcertRequest,
  parseConcertAnswer,
  parseConcertRequest,
  type TransactOptions,
} from "./driver.js";
export {
  type ByteStream,
  ConcertLink,
  ConcertLinkError,
  type ConcertLinkErrorReason,
  type ConcertLinkOptions,
  type ConcertLinkState,
  type LinkTimers,
  type ReceiveOptions,
} from "./link.js";
export { createMemorySerialPair, type MemorySerialEnd, type Tamper } from "./memory.js";
export { REP_FIELDS } from "./rep.js";
export {
  type ConcertPort,
  type ConcertPortOptions,
  closeSerialPort,
  openConcertPort,
  openSerialPort,
} from "./serial.js";
