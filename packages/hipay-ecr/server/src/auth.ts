/**
 * HTTP Basic auth of the connector's local API (seed, "Fill in the setup file": the
 * `TERMINAL_MANAGER_LOGIN` / `TERMINAL_MANAGER_PWD` pair of config.txt secures the local API with
 * Basic Auth). The login and the password are both compared, in constant time, on every request,
 * so neither the time nor the answer tells which of the two was wrong.
 */
import { checkBasicAuth } from "@payspec/runtime";
import type { MountOptions, RejectReason } from "@payspec/runtime/server";

export interface HiPayCredentials {
  /** `TERMINAL_MANAGER_LOGIN` of config.txt */
  login: string;
  /** `TERMINAL_MANAGER_PWD` of config.txt (a secret: never logged, never echoed) */
  password: string;
}

/** What `options.authenticate` of `registerHiPayEcr` takes. */
export type HiPayAuthenticator = NonNullable<MountOptions["authenticate"]>;

/**
 * An `authenticate` hook that accepts a request only when its `Authorization: Basic` header
 * carries exactly `credentials`; a missing, malformed or wrong header is refused as
 * `unauthorized` (401 with `WWW-Authenticate: Basic` through `rejectHiPay`).
 */
export function hipayAuthenticator(credentials: HiPayCredentials): HiPayAuthenticator {
  const { login, password } = credentials;
  if (!login || !password) throw new TypeError("hipayAuthenticator: login and password must be non-empty");
  // RFC 7617 §2: the user-id ends at the first colon, so such a login could never match.
  if (login.includes(":")) throw new TypeError("hipayAuthenticator: login may not contain ':'");
  const expected = { username: login, password };
  return (request): RejectReason | undefined => {
    const header = request.headers.authorization;
    if (header === undefined || header === "") {
      return { kind: "unauthorized", message: "HTTP Basic credentials are required." };
    }
    if (!checkBasicAuth(header, expected))
      return { kind: "unauthorized", message: "The credentials were not accepted." };
    return undefined;
  };
}
