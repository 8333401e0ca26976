// Testing export of @payspec/hipay-ecr-driver: a simulated Concert terminal to run the driver
// (or the connector) against, the in-memory null-modem pair, and a socat pseudo-terminal pair
// for tests over a real serial line.
export { createMemorySerialPair, type MemorySerialEnd, type Tamper } from "./memory.js";
export { hasSocat, type PtyPair, ptyPair } from "./pty.js";
export {
  type ConcertTerminalOptions,
  ConcertTerminalSimulator,
  SIMULATOR_REP_FIELDS,
  type SimulatedCharge,
  TEST_AMOUNTS,
  type TerminalFault,
} from "./simulated-terminal.js";
