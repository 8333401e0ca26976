/**
 * The public API of @payspec/cli: what the `payspec` bin runs, usable from another tool or a
 * test without spawning a process. Anything not listed here is internal.
 */
export { COMMANDS, run, version } from "./cli.js";
export type { Command } from "./command.js";
export { conformanceCommand } from "./commands/conformance.js";
export { demoCommand } from "./commands/demo.js";
export { docsCommand } from "./commands/docs.js";
export { simulateCommand } from "./commands/simulate.js";
export { validateCommand } from "./commands/validate.js";
export {
  type DecodedMessage,
  declaredFormat,
  decodeMessage,
  FORMATS,
  type Format,
  formatFromPath,
  isFormat,
  sniffFormat,
} from "./formats.js";
export { decodeFrameFile, type UnwrappedFrame, unwrapFrame } from "./frames.js";
export { type CliIo, EXIT, type ExitCode, InputError, MAX_INPUT_BYTES, processIo, UsageError } from "./io.js";
export {
  frameLayoutFromSchema,
  isProtocol,
  loadProtocol,
  type MessageSchema,
  PROTOCOLS,
  type ProtocolCatalog,
  type ProtocolName,
  type XmlEnvelope,
} from "./protocols.js";
export {
  describeSimulators,
  HIPAY_SIMULATOR_CREDENTIALS,
  NEXO_SIMULATOR_POIID,
  type RunningSimulator,
  type SimulatorLogEntry,
  type StartOptions,
  startSimulators,
} from "./simulators.js";
export { closestMatch, editDistance } from "./suggest.js";
