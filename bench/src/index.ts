// Public API of @payspec/bench (private): run suites, read and render results.
export { type CliOptions, parseArgs, RUNNERS, runBench, today } from "./cli.js";
export { makePlan, type Plan } from "./plan.js";
export { formatNumber, renderReport, writeReport } from "./report.js";
export {
  type BenchResult,
  compare,
  type MachineInfo,
  type Method,
  type RunFile,
  result,
  SUITES,
  type SuiteName,
  type Target,
} from "./results.js";
export { median, type Summary, summarize } from "./stats.js";
