/**
 * Stripe API keys on the client side (Stripe API reference, "Authentication" and "Versioning"):
 * the secret key as a bearer token, the API version this contract describes in `Stripe-Version`,
 * and optionally `Stripe-Account` for a Connect platform acting for a connected account.
 * The header is built once, so a malformed key fails when the client is made, not on the wire.
 */
import { AuthError, type Authenticator, bearerAuth } from "@payspec/runtime";

/** The Stripe API version this contract (specs/stripe-terminal) was written from. */
export const STRIPE_API_VERSION = "2023-08-16";

export interface StripeAuthOptions {
  /** `sk_test_…` / `sk_live_…` (or a restricted `rk_…` key). A secret: never logged. */
  secretKey: string;
  /**
   * `Stripe-Version` sent with every request that does not set its own; default
   * `STRIPE_API_VERSION`, the version the generated types describe.
   */
  stripeVersion?: string;
  /** `Stripe-Account: acct_…`: act as this connected account (Connect), unless a request sets its own. */
  stripeAccount?: string;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((k) => k.toLowerCase() === lower);
}

/** The `auth` option of `StripeTerminalClient`: `Authorization: Bearer <key>`, `Stripe-Version`, and `Stripe-Account` if given. */
export function stripeAuth(options: StripeAuthOptions): Authenticator {
  if (!options.secretKey)
    throw new AuthError("invalid_credentials", "stripeAuth: secretKey must be a non-empty string");
  const authorization = bearerAuth(options.secretKey);
  const version = options.stripeVersion ?? STRIPE_API_VERSION;
  const account = options.stripeAccount;
  return (request) => {
    request.headers.authorization = authorization;
    // A per-call `Stripe-Version` / `Stripe-Account` input wins over the client-wide one.
    if (!hasHeader(request.headers, "Stripe-Version")) request.headers["Stripe-Version"] = version;
    if (account !== undefined && !hasHeader(request.headers, "Stripe-Account"))
      request.headers["Stripe-Account"] = account;
  };
}
