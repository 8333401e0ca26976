/**
 * HTTP Basic auth of the connector's local API on the client side (seed, "Fill in the setup
 * file": `TERMINAL_MANAGER_LOGIN` / `TERMINAL_MANAGER_PWD` secure the local API with Basic Auth).
 * The header is built once, when the authenticator is made, so a bad credential (a `:` in the
 * login, a control character) fails at start-up and never reaches the wire.
 */
import { AuthError, type Authenticator, basicAuth } from "@payspec/runtime";

export interface HiPayAuthOptions {
  /** `TERMINAL_MANAGER_LOGIN` of the connector's config.txt */
  login: string;
  /** `TERMINAL_MANAGER_PWD` of the connector's config.txt */
  password: string;
}

/** The `auth` option of `HiPayEcrClient`: adds `Authorization: Basic …` to each request. */
export function hipayAuth(options: HiPayAuthOptions): Authenticator {
  if (!options.login || !options.password)
    throw new AuthError("invalid_credentials", "hipayAuth: login and password must be non-empty");
  const authorization = basicAuth(options.login, options.password);
  return (request) => {
    request.headers.authorization = authorization;
  };
}
