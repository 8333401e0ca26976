export { CODECS, type CodecReport, fuzzCodec, type LineNoiseReport, lineNoise } from "./codecs.js";
export {
  attack,
  type BodyPlan,
  buildRequest,
  type Case,
  caseArbitrary,
  type FuzzReport,
  fuzzTarget,
  type Mutation,
  type Verdict,
} from "./fuzz.js";
export {
  type KillCampaignOptions,
  type KillCampaignResult,
  type KillFault,
  posProcessPath,
  runKillCampaign,
} from "./kill/campaign.js";
export { type FuzzTarget, PROTOCOLS, type ProtocolName, type RunningTarget, startTarget } from "./targets.js";
