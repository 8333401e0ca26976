export {
  type RunningWePaySimulator,
  type StartWePaySimulatorOptions,
  startWePaySimulator,
  WEPAY_SIMULATOR_CREDENTIALS,
} from "./server.js";
export {
  createWePaySimulator,
  DECLINE_CENTS,
  SESSION_TOKEN_UNUSED_TTL,
  SESSION_TOKEN_USED_TTL,
  type SessionTokenUse,
  type SessionTokenUseFailure,
  type WePaySimulator,
  type WePaySimulatorOptions,
  type WePaySimulatorState,
} from "./simulator.js";
