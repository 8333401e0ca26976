/**
 * Credential checks of a Payneteasy server, run before the body is decoded (the
 * `authenticate` hook of `registerPayneteasy`):
 *
 * - Sale, Preauth and Close Day carry an OAuth 1.0 HMAC-SHA1 `Authorization` header signed over
 *   the URL and the form body with the merchant control key (RFC 5849; spec auth.tsp):
 *   a wrong signature, a timestamp outside the window or a nonce seen before is refused.
 * - Status requests carry `control = SHA1(login + client_orderid + orderid + merchant_control_key)`.
 * - Return requests carry `control = SHA1(login + client_orderid + orderid + amount_in_cents +
 *   currency + merchant_control_key)` (`returnControl`).
 * - The merchant callback carries `control = SHA1(status + orderid + client_orderid +
 *   merchant_control_key)`; it is checked only by a server that receives callbacks.
 *
 * Every comparison of a secret-derived value is constant-time.
 */
import { randomBytes } from "node:crypto";
import {
  amountInCents,
  CodecError,
  createOAuth1Verifier,
  decodeForm,
  type NonceStore,
  type OAuth1FailureReason,
  type OperationDescriptor,
  payneteasyCallbackControl,
  payneteasyReturnControl,
  payneteasyStatusControl,
  verifyControl,
} from "@payspec/runtime";
import type { MountOptions, RejectReason } from "@payspec/runtime/server";
import type { FastifyRequest } from "fastify";
import { operations } from "./gen/index.gen.js";

/** Merchant login → merchant control key, as a table or a lookup (a database, a vault). */
export type MerchantKeys =
  | Readonly<Record<string, string>>
  | ((login: string) => string | undefined | Promise<string | undefined>);

export interface PayneteasyAuthenticatorOptions {
  /**
   * The merchant control key of every merchant login the server accepts (Sale, Preauth, Status,
   * Close Day). A server that only receives callbacks leaves it out and sets `callbackControlKey`.
   */
  merchants?: MerchantKeys;
  /** Remembers OAuth nonces; default an in-process `MemoryNonceStore`. Share one between processes. */
  nonceStore?: NonceStore;
  /** Accepted clock difference of `oauth_timestamp`, either way, in seconds. Default 300. */
  maxSkewSeconds?: number;
  /**
   * `scheme://host[:port]` the clients sign their URLs with. Default: the request's own protocol
   * and Host header; set it behind a proxy that rewrites them.
   */
  origin?: string;
  /**
   * Control key the merchant callback is checked with, for a server that receives callbacks.
   * Without it a callback is refused: an unchecked callback must never be trusted.
   */
  callbackControlKey?: string;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** The `authenticate` hook type of the generated server. */
export type PayneteasyAuthenticate = NonNullable<MountOptions["authenticate"]>;

const FORM = "application/x-www-form-urlencoded";

/** Messages of refused signatures. An unknown login reads as a bad signature: logins are not revealed. */
const oauthMessages: Record<OAuth1FailureReason, string> = {
  missing_credentials: "Authorization header is required",
  malformed_header: "Authorization header is not a valid OAuth 1.0 header",
  unsupported_signature_method: "oauth_signature_method must be HMAC-SHA1",
  unsupported_version: "oauth_version must be 1.0",
  stale_timestamp: "oauth_timestamp is too old or in the future",
  unknown_consumer: "Invalid signature",
  unknown_token: "Invalid signature",
  bad_signature: "Invalid signature",
  replayed_nonce: "oauth_nonce was already used",
};

/** Builds the `authenticate` hook: OAuth for signed operations, `control` for status and callback. */
export function payneteasyAuthenticator(options: PayneteasyAuthenticatorOptions): PayneteasyAuthenticate {
  const lookup = merchantLookup(options.merchants ?? {});
  const verifierOptions: Parameters<typeof createOAuth1Verifier>[0] = { consumerSecret: lookup };
  if (options.nonceStore) verifierOptions.nonceStore = options.nonceStore;
  if (options.maxSkewSeconds !== undefined) verifierOptions.maxSkewSeconds = options.maxSkewSeconds;
  if (options.now) verifierOptions.now = options.now;
  const verifyOAuth = createOAuth1Verifier(verifierOptions);
  // Unknown logins are checked against a random key, so they take as long as known ones.
  const decoy = randomBytes(16).toString("hex");

  return async (request, op, rawBody) => {
    if (op.id === operations.merchantCallbackNotify.id) {
      if (options.callbackControlKey === undefined) return unauthorized("Callback control key is not configured");
      return verifyCallback(queryOf(request), options.callbackControlKey) ? undefined : unauthorized("Invalid control");
    }
    return unsupportedMediaType(request, op, rawBody) ?? (await checkCredentials(request, op, rawBody));
  };

  async function checkCredentials(
    request: FastifyRequest,
    op: OperationDescriptor,
    rawBody: string | undefined,
  ): Promise<RejectReason | undefined> {
    if (signed(op)) {
      const url = (options.origin ?? `${request.protocol}://${request.host}`).replace(/\/+$/, "") + request.url;
      const result = await verifyOAuth({
        method: request.method,
        url,
        authorization: header(request, "authorization"),
        body: rawBody ?? "",
      });
      return result.ok ? undefined : unauthorized(oauthMessages[result.reason]);
    }
    const isStatus = op.id === operations.status.id;
    if (isStatus || op.id === operations.returnOrder.id) {
      const body = formOf(rawBody);
      if (body === undefined) return undefined; // not decodable: the server answers it as invalid
      const { login, client_orderid, orderid, amount, currency, control } = body;
      if (typeof login !== "string" || typeof control !== "string")
        return unauthorized("login and control are required");
      if (!isOptionalString(client_orderid) || !isOptionalString(orderid)) return unauthorized("Invalid control");
      if (!isOptionalString(amount) || !isOptionalString(currency)) return unauthorized("Invalid control");
      const key = await lookup(login);
      const fields = {
        login,
        client_orderid: client_orderid ?? "",
        orderid: orderid ?? "",
        merchant_control_key: key ?? decoy,
      };
      let expected: string;
      if (isStatus) expected = payneteasyStatusControl(fields);
      else {
        const cents = amount === undefined ? "" : amountInCents(amount);
        // An amount that is not a decimal is left to the body validation (answered invalid).
        if (cents === undefined) return undefined;
        expected = returnControl({ ...fields, amount_in_cents: cents, currency: currency ?? "" });
      }
      return verifyControl(expected, control) && key !== undefined ? undefined : unauthorized("Invalid control");
    }
    return undefined;
  }
}

/**
 * Whether a merchant callback's `control` is SHA1(status + orderid + client_orderid +
 * merchant_control_key), compared in constant time. Check it before trusting the callback.
 */
export function verifyCallback(query: Readonly<Record<string, unknown>>, merchantControlKey: string): boolean {
  const { status, orderid, client_orderid, control } = query;
  if (typeof status !== "string" || typeof orderid !== "string" || typeof client_orderid !== "string") return false;
  if (typeof control !== "string") return false;
  const expected = payneteasyCallbackControl({
    status,
    orderid,
    client_orderid,
    merchant_control_key: merchantControlKey,
  });
  return verifyControl(expected, control);
}

/** `control` of a return request: the checksum `payneteasyReturnControl` of @payspec/runtime computes. */
export const returnControl = payneteasyReturnControl;
export { amountInCents };

function merchantLookup(merchants: MerchantKeys): (login: string) => Promise<string | undefined> {
  if (typeof merchants === "function") return async (login) => merchants(login);
  // Own properties only: a login such as `constructor` or `__proto__` must not reach Object.prototype.
  return async (login) => (Object.hasOwn(merchants, login) ? merchants[login] : undefined);
}

/** Operations whose spec declares the OAuth `Authorization` header (Sale, Preauth, Close Day). */
function signed(op: OperationDescriptor): boolean {
  return op.params.some((p) => p.in === "header" && p.name.toLowerCase() === "authorization");
}

/** A body that is not form-urlencoded is refused before its signature is read (RFC 5849 signs form bodies only). */
function unsupportedMediaType(
  request: FastifyRequest,
  op: OperationDescriptor,
  rawBody: string | undefined,
): RejectReason | undefined {
  if (!op.body || rawBody === undefined || rawBody === "") return undefined;
  const type = (header(request, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === FORM) return undefined;
  return { kind: "unsupported-media-type", message: `Content-Type must be ${FORM}, not ${type || "(none)"}` };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function formOf(rawBody: string | undefined): Record<string, unknown> | undefined {
  if (rawBody === undefined) return undefined;
  try {
    return decodeForm(rawBody);
  } catch (err) {
    if (err instanceof CodecError) return undefined;
    throw err;
  }
}

function queryOf(request: FastifyRequest): Record<string, unknown> {
  const at = request.url.indexOf("?");
  return (at < 0 ? {} : formOf(request.url.slice(at + 1))) ?? {};
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === "string";
}

function unauthorized(message: string): RejectReason {
  return { kind: "unauthorized", message };
}
