/**
 * OAuth 1.0 HMAC-SHA1 request signing and verification (RFC 5849), as Payneteasy's mPOS
 * API uses it: two-legged (consumer key = merchant login), parameters from the query, the
 * form body and the `Authorization: OAuth …` header all signed.
 */
import { createHmac, randomBytes } from "node:crypto";
import { AuthError, type AuthReason } from "../errors.js";
import { constantTimeEqual } from "./constant-time.js";

export type OAuthParameter = readonly [name: string, value: string];

/** A form body: raw text, a flat record, or name/value pairs (repeats allowed). */
export type OAuthBody = string | Readonly<Record<string, string | number | undefined>> | Iterable<OAuthParameter>;

/** RFC 5849 §3.6: percent-encode everything but the RFC 3986 unreserved set, hex in upper case. */
export function percentEncode(value: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch (cause) {
    throw new AuthError("invalid_credentials", "parameter is not well-formed Unicode", { cause });
  }
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RFC 5849 §3.4.1.2: scheme and host in lower case, default port dropped, no query or fragment. */
export function baseStringUri(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** RFC 5849 §3.4.1.3.2: encode, sort by name then value, join as `name=value&…`. */
export function normalizeParameters(parameters: Iterable<OAuthParameter>): string {
  return [...parameters]
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([aName, aValue], [bName, bValue]) =>
      aName < bName ? -1 : aName > bName ? 1 : aValue < bValue ? -1 : aValue > bValue ? 1 : 0,
    )
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

/**
 * RFC 5849 §3.4.1.1. `parameters` are the body and protocol parameters (without
 * `oauth_signature` and `realm`); the query parameters are read from `url`.
 */
export function signatureBaseString(method: string, url: string | URL, parameters: Iterable<OAuthParameter>): string {
  const query = [...new URL(url).searchParams.entries()];
  return [
    method.toUpperCase(),
    percentEncode(baseStringUri(url)),
    percentEncode(normalizeParameters([...query, ...parameters])),
  ].join("&");
}

/** RFC 5849 §3.4.2: base64 HMAC-SHA1 of the base string, keyed `consumerSecret&tokenSecret` (both encoded). */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret = ""): string {
  return createHmac("sha1", `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`)
    .update(baseString, "utf8")
    .digest("base64");
}

export interface OAuth1SignOptions {
  method: string;
  url: string | URL;
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
  /** The application/x-www-form-urlencoded body (RFC 5849 §3.4.1.3.1: other bodies are not signed). */
  body?: OAuthBody;
  realm?: string;
  /** Injectable for tests; default 16 random bytes in hex. */
  nonce?: string;
  /** Unix seconds; injectable for tests; default now. */
  timestamp?: number;
  /** Send `oauth_version="1.0"` (optional in RFC 5849, listed by Payneteasy). Default true. */
  includeVersion?: boolean;
}

export interface OAuth1Signature {
  /** The `Authorization` header value. */
  authorization: string;
  signature: string;
  baseString: string;
  /** The protocol parameters sent, including `oauth_signature`. */
  oauthParams: Record<string, string>;
}

/** Signs a request and builds its `Authorization: OAuth …` header (RFC 5849 §3.1, §3.5.1). */
export function signOAuth1(options: OAuth1SignOptions): OAuth1Signature {
  const oauthParams: Record<string, string> = {
    oauth_consumer_key: options.consumerKey,
    oauth_nonce: options.nonce ?? randomBytes(16).toString("hex"),
    oauth_signature_method: "HMAC-SHA1",
    oauth_timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  if (options.token !== undefined) oauthParams.oauth_token = options.token;
  if (options.includeVersion ?? true) oauthParams.oauth_version = "1.0";
  const baseString = signatureBaseString(options.method, options.url, [
    ...Object.entries(oauthParams),
    ...bodyParameters(options.body),
  ]);
  const signature = hmacSha1Signature(baseString, options.consumerSecret, options.tokenSecret);
  oauthParams.oauth_signature = signature;
  const fields = Object.keys(oauthParams)
    .sort()
    .map((name) => `${name}="${percentEncode(oauthParams[name] as string)}"`);
  if (options.realm !== undefined) fields.unshift(`realm="${percentEncode(options.realm)}"`);
  return { authorization: `OAuth ${fields.join(", ")}`, signature, baseString, oauthParams };
}

/**
 * The parameters of an `Authorization: OAuth …` header (RFC 5849 §3.5.1), percent-decoded,
 * or `undefined` when the header is another scheme or malformed (including a repeated name).
 */
export function parseOAuthHeader(header: string): Record<string, string> | undefined {
  const scheme = /^OAuth\s+/i.exec(header);
  if (scheme === null) return undefined;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const field = /\s*([A-Za-z0-9_.~%-]+)="([^"]*)"\s*(,|$)/y;
  field.lastIndex = scheme[0].length;
  while (field.lastIndex < header.length) {
    const match = field.exec(header);
    if (match === null) return undefined;
    const [, rawName = "", rawValue = "", separator] = match;
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName);
      value = decodeURIComponent(rawValue);
    } catch {
      return undefined;
    }
    if (Object.hasOwn(out, name)) return undefined;
    out[name] = value;
    if (separator === "") break;
  }
  return field.lastIndex === header.length || /^\s*$/.test(header.slice(field.lastIndex)) ? out : undefined;
}

/** Remembers nonces for replay detection. `remember` returns false when the key was already seen and has not expired. */
export interface NonceStore {
  remember(key: string, ttlSeconds: number, nowSeconds: number): boolean | Promise<boolean>;
}

/**
 * In-process nonce store with expiry and a size bound. When full, the oldest entry is
 * dropped: memory stays bounded at the cost of forgetting the oldest nonce early.
 */
export class MemoryNonceStore implements NonceStore {
  readonly #expiries = new Map<string, number>();
  readonly #maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  get size(): number {
    return this.#expiries.size;
  }

  remember(key: string, ttlSeconds: number, nowSeconds: number): boolean {
    // Entries go in with the same TTL, so insertion order is expiry order: sweep from the front.
    for (const [oldKey, expiry] of this.#expiries) {
      if (expiry > nowSeconds) break;
      this.#expiries.delete(oldKey);
    }
    const expiry = this.#expiries.get(key);
    if (expiry !== undefined && expiry > nowSeconds) return false;
    this.#expiries.delete(key);
    this.#expiries.set(key, nowSeconds + ttlSeconds);
    if (this.#expiries.size > this.#maxEntries) {
      const oldest = this.#expiries.keys().next();
      if (oldest.done !== true) this.#expiries.delete(oldest.value);
    }
    return true;
  }
}

export type OAuth1FailureReason = Extract<
  AuthReason,
  | "missing_credentials"
  | "malformed_header"
  | "unsupported_signature_method"
  | "unsupported_version"
  | "stale_timestamp"
  | "unknown_consumer"
  | "unknown_token"
  | "bad_signature"
  | "replayed_nonce"
>;

export type OAuth1VerifyResult =
  | {
      readonly ok: true;
      readonly consumerKey: string;
      readonly token: string | undefined;
      readonly oauthParams: Record<string, string>;
    }
  | { readonly ok: false; readonly reason: OAuth1FailureReason };

export interface OAuth1VerifyRequest {
  method: string;
  url: string | URL;
  authorization: string | undefined;
  body?: OAuthBody;
}

type Lookup = (key: string) => string | undefined | Promise<string | undefined>;

export interface OAuth1VerifierOptions {
  /** The secret of a consumer key (Payneteasy: of a merchant login), or undefined if unknown. */
  consumerSecret: Lookup;
  /** The secret of a token; needed only when requests carry `oauth_token`. */
  tokenSecret?: (token: string, consumerKey: string) => string | undefined | Promise<string | undefined>;
  /** Default: a `MemoryNonceStore`. Use a shared store when several processes verify. */
  nonceStore?: NonceStore;
  /** Accepted clock difference either way, in seconds. Default 300. */
  maxSkewSeconds?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/**
 * Builds a verifier for signed requests. Checks run in this order: header shape, method and
 * version, timestamp window, known consumer and token, signature (constant-time compare),
 * then the nonce, which is recorded only for correctly signed requests so a forger cannot
 * use up someone else's nonces.
 */
export function createOAuth1Verifier(
  options: OAuth1VerifierOptions,
): (request: OAuth1VerifyRequest) => Promise<OAuth1VerifyResult> {
  const nonceStore = options.nonceStore ?? new MemoryNonceStore();
  const maxSkew = options.maxSkewSeconds ?? 300;
  const now = options.now ?? Date.now;
  const fail = (reason: OAuth1FailureReason): OAuth1VerifyResult => ({ ok: false, reason });

  return async (request) => {
    if (request.authorization === undefined || request.authorization.trim() === "") return fail("missing_credentials");
    const params = parseOAuthHeader(request.authorization);
    if (params === undefined) return fail("malformed_header");
    const consumerKey = params.oauth_consumer_key;
    const signature = params.oauth_signature;
    const method = params.oauth_signature_method;
    const timestamp = params.oauth_timestamp;
    const nonce = params.oauth_nonce;
    const token = params.oauth_token;
    if (!consumerKey || !signature || !method || !timestamp || !nonce || !/^\d{1,12}$/.test(timestamp)) {
      return fail("malformed_header");
    }
    if (method !== "HMAC-SHA1") return fail("unsupported_signature_method");
    if (params.oauth_version !== undefined && params.oauth_version !== "1.0") return fail("unsupported_version");
    const nowSeconds = Math.floor(now() / 1000);
    if (Math.abs(nowSeconds - Number(timestamp)) > maxSkew) return fail("stale_timestamp");
    const consumerSecret = await options.consumerSecret(consumerKey);
    if (consumerSecret === undefined) return fail("unknown_consumer");
    let tokenSecret = "";
    if (token !== undefined) {
      const secret = await options.tokenSecret?.(token, consumerKey);
      if (secret === undefined) return fail("unknown_token");
      tokenSecret = secret;
    }
    const signed = Object.entries(params).filter(([name]) => name !== "oauth_signature" && name !== "realm");
    let expected: string;
    try {
      expected = hmacSha1Signature(
        signatureBaseString(request.method, request.url, [...signed, ...bodyParameters(request.body)]),
        consumerSecret,
        tokenSecret,
      );
    } catch {
      return fail("malformed_header");
    }
    if (!constantTimeEqual(expected, signature)) return fail("bad_signature");
    const nonceKey = [consumerKey, token ?? "", timestamp, nonce].join("\u0000");
    if (!(await nonceStore.remember(nonceKey, 2 * maxSkew, nowSeconds))) return fail("replayed_nonce");
    return { ok: true, consumerKey, token, oauthParams: { ...params } };
  };
}

function bodyParameters(body: OAuthBody | undefined): OAuthParameter[] {
  if (body === undefined) return [];
  if (typeof body === "string") return [...new URLSearchParams(body).entries()];
  if (Symbol.iterator in body) return [...(body as Iterable<OAuthParameter>)];
  const out: OAuthParameter[] = [];
  for (const [name, value] of Object.entries(body as Readonly<Record<string, string | number | undefined>>)) {
    if (value !== undefined) out.push([name, String(value)]);
  }
  return out;
}
