/** WePay API v3 request headers (seed 000; PROTOCOLS.md §1). */
import { AuthError } from "../errors.js";

export interface WepayHeaderOptions {
  appId: string;
  appToken: string;
  /** Default `3.0`. */
  apiVersion?: string;
  /** Idempotency key for POSTs that create (e.g. `/payments`). */
  uniqueKey?: string;
  riskToken?: string;
  clientIp?: string;
}

/** `App-Id`, `App-Token`, `Api-Version` and the optional `Unique-Key`, `WePay-Risk-Token`, `Client-IP`. */
export function wepayHeaders(options: WepayHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "App-Id": options.appId,
    "App-Token": options.appToken,
    "Api-Version": options.apiVersion ?? "3.0",
  };
  if (options.uniqueKey !== undefined) headers["Unique-Key"] = options.uniqueKey;
  if (options.riskToken !== undefined) headers["WePay-Risk-Token"] = options.riskToken;
  if (options.clientIp !== undefined) headers["Client-IP"] = options.clientIp;
  for (const [name, value] of Object.entries(headers)) {
    // RFC 9110 §5.5 field-value: visible characters and spaces; CR/LF would split the header.
    if (!/^[\x20-\x7e]*$/.test(value) || value.length === 0) {
      throw new AuthError("invalid_credentials", `header ${name} must be non-empty printable ASCII`);
    }
  }
  return headers;
}
