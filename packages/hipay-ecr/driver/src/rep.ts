import type { FrameField } from "@payspec/runtime";

/**
 * Layout of a ConcertAnswer's `rep` field as Payspec's simulated terminal fills it and its
 * connector reads it (Payspec's, unconfirmed: what real terminals put there varies by
 * version): 55 characters.
 */
export const REP_FIELDS: readonly FrameField[] = [
  { name: "authorizationNumber", width: 6, pad: "spaceRight" },
  { name: "localDate", width: 6, pad: "spaceRight" }, // DDMMYY
  { name: "localTime", width: 6, pad: "spaceRight" }, // HHMMSS
  { name: "transactionNumber", width: 6, pad: "spaceRight" },
  { name: "primaryAccountNumber", width: 19, pad: "spaceRight" }, // masked
  { name: "readingMode", width: 1, pad: "spaceRight" },
  { name: "label", width: 11, pad: "spaceRight" },
];
