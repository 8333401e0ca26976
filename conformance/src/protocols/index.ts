import type { ProtocolName } from "../scenario.js";
import { hipayEcr } from "./hipay-ecr.js";
import { nexo } from "./nexo.js";
import { payneteasy } from "./payneteasy.js";
import { stripeTerminal } from "./stripe-terminal.js";
import type { ProtocolAdapter } from "./types.js";
import { wepay } from "./wepay.js";

export const adapters: Readonly<Record<ProtocolName, ProtocolAdapter>> = {
  wepay,
  "stripe-terminal": stripeTerminal,
  payneteasy,
  "hipay-ecr": hipayEcr,
  nexo,
};
