/**
 * WePay v3 app credentials on the server side: every request carries the `App-Id` and
 * `App-Token` headers (the spec's two security schemes, seed 000 curl example). Both are
 * compared in constant time, and both are always compared, so neither the time nor the answer
 * tells which of the two was wrong.
 */
import { constantTimeEqual } from "@payspec/runtime";
import type { MountOptions, RejectReason } from "@payspec/runtime/server";

export interface WePayAppCredentials {
  /** the `App-Id` the server accepts */
  appId: string;
  /** the `App-Token` the server accepts (a secret: never logged, never echoed) */
  appToken: string;
}

/** What `options.authenticate` of `registerWePay` takes. */
export type WePayAuthenticator = NonNullable<MountOptions["authenticate"]>;

/** One header value; a header sent twice (an array) is refused rather than guessed at. */
function single(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * An `authenticate` hook that accepts a request only when its `App-Id` and `App-Token`
 * headers equal `credentials`; anything missing or wrong is refused as `unauthorized` (401
 * NOT_AUTHORIZED through `rejectWePay`).
 */
export function wepayAuthenticator(credentials: WePayAppCredentials): WePayAuthenticator {
  if (!credentials.appId || !credentials.appToken)
    throw new TypeError("wepayAuthenticator: appId and appToken must be non-empty");
  const { appId, appToken } = credentials;
  return (request): RejectReason | undefined => {
    const id = single(request.headers["app-id"]);
    const token = single(request.headers["app-token"]);
    if (id === undefined || token === undefined) {
      return { kind: "unauthorized", message: "The App-Id and App-Token headers are required." };
    }
    const idOk = constantTimeEqual(id, appId);
    const tokenOk = constantTimeEqual(token, appToken);
    if (!(idOk && tokenOk)) return { kind: "unauthorized", message: "The App-Id and App-Token were not accepted." };
    return undefined;
  };
}
