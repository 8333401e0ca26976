/**
 * Stripe API keys on the server side (Stripe API reference, "Authentication"): the secret key
 * comes as a bearer token (`Authorization: Bearer sk_test_…`) or as the HTTP Basic user name
 * with an empty password (`curl -u sk_test_…:`). Keys are compared in constant time, every
 * accepted key on every request, and a refused key is only ever shown masked.
 */
import { constantTimeEqual, parseBasicAuth, parseBearerAuth } from "@payspec/runtime";
import type { MountOptions, RejectReason } from "@payspec/runtime/server";

/** The accepted secret key, or several (key rotation: the old and the new key for a while). */
export type StripeAuthenticatorOptions = { secretKey: string } | { keys: readonly string[] };

/** What `options.authenticate` of `registerStripeTerminal` takes. */
export type StripeAuthenticator = NonNullable<MountOptions["authenticate"]>;

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth " +
  "(e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, " +
  "or we can help at https://support.stripe.com/.";

/**
 * A key as Stripe echoes it in "Invalid API Key provided": its mode prefix and last four
 * characters (`sk_test_****abcd`). A key too short to keep four characters hidden, or with
 * characters no Stripe key has, is not echoed at all.
 */
export function maskKey(key: string): string {
  const prefix = /^(?:sk|rk|pk)_(?:test|live)_/.exec(key)?.[0] ?? "";
  const rest = key.slice(prefix.length);
  if (!/^[A-Za-z0-9_]*$/.test(key) || rest.length < 12) return `${prefix}****`;
  return `${prefix}****${rest.slice(-4)}`;
}

/** The key a request presents: the bearer token, or the Basic user name (the password is ignored, as Stripe does). */
function presentedKey(header: string | undefined): string | undefined {
  const bearer = parseBearerAuth(header);
  if (bearer !== undefined) return bearer;
  const basic = parseBasicAuth(header);
  return basic?.username || undefined;
}

/**
 * An `authenticate` hook that accepts a request whose key is one of the configured secret keys.
 * Without a key the answer is Stripe's "You did not provide an API key"; with a wrong one,
 * "Invalid API Key provided: sk_test_****abcd" (401 through `rejectStripe`).
 */
export function stripeAuthenticator(options: StripeAuthenticatorOptions): StripeAuthenticator {
  const keys = "keys" in options ? [...options.keys] : [options.secretKey];
  if (keys.length === 0 || keys.some((k) => typeof k !== "string" || k.length === 0)) {
    throw new TypeError("stripeAuthenticator: every secret key must be a non-empty string");
  }
  return (request): RejectReason | undefined => {
    const given = presentedKey(request.headers.authorization);
    if (given === undefined) return { kind: "unauthorized", message: NO_KEY };
    // Every key is compared, whatever matched first, so timing does not tell which key (or how many) exist.
    let ok = false;
    for (const key of keys) ok = constantTimeEqual(given, key) || ok;
    return ok ? undefined : { kind: "unauthorized", message: `Invalid API Key provided: ${maskKey(given)}` };
  };
}
