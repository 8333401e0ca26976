/**
 * WePay v3 app credentials on the client side: `App-Id`, `App-Token` and `Api-Version` on every
 * request (seed 000 curl example; PROTOCOLS.md §1). The header values are checked once, when the
 * authenticator is made (printable ASCII, non-empty), so a bad credential fails at start-up and
 * never reaches the wire as a split header.
 */
import { type Authenticator, wepayHeaders } from "@payspec/runtime";

export interface WePayAuthOptions {
  /** the ID of your WePay application */
  appId: string;
  /** the secret token of your WePay application */
  appToken: string;
  /** `Api-Version` to send; default `3.0`, the version this contract describes */
  apiVersion?: string;
}

/** The `auth` option of `WePayClient`: adds `App-Id`, `App-Token` and `Api-Version` to each request. */
export function wepayAuth(options: WePayAuthOptions): Authenticator {
  const headers = wepayHeaders({
    appId: options.appId,
    appToken: options.appToken,
    ...(options.apiVersion === undefined ? {} : { apiVersion: options.apiVersion }),
  });
  return (request) => {
    Object.assign(request.headers, headers);
  };
}
