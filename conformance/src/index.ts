// Public API of @payspec/conformance: scenarios as data, the engine, targets, serve mode,
// coverage and reporters, and the CLI entry point.
export { CONFORMANCE_HELP, CONFORMANCE_USAGE, type ConformanceIo, main } from "./cli.js";
export { type Coverage, type CoverageItem, type CoverageState, coverage } from "./coverage.js";
export {
  type Outcome,
  type RunScenarioOptions,
  runScenario,
  type ScenarioResult,
  skipReason,
  subsetDiff,
  substitute,
  validateMessage,
} from "./engine.js";
export { startPrism } from "./prism.js";
export { HIPAY_CONFORMANCE_CREDENTIALS } from "./protocols/hipay-ecr.js";
export { adapters } from "./protocols/index.js";
export type {
  Action,
  ActionContext,
  ActionResult,
  ProtocolAdapter,
  SimulatorOptions,
  Target,
} from "./protocols/types.js";
export { formatJUnit, formatMarkdown, formatTable, progressLine } from "./report.js";
export { type RunOptions, type RunResult, runConformance } from "./run.js";
export {
  CAPABILITIES,
  type Capability,
  defaultScenarioDir,
  type Expectation,
  type FrameScenario,
  type HttpScenario,
  loadScenarios,
  type MessageCase,
  type MessageScenario,
  PROTOCOLS,
  type ProtocolName,
  parseScenario,
  parseScenarioText,
  type Scenario,
  ScenarioError,
  type Step,
} from "./scenario.js";
export {
  type Exchange,
  type ExercisedScenario,
  type RunningConformanceMock,
  type ServeOptions,
  scenarioExercised,
  serveConformance,
} from "./serve.js";
export { defaultSpecDir, loadSpec, type SpecIndex, type SpecOperation } from "./spec.js";
