/**
 * HTTP `Authorization` schemes: Bearer (RFC 6750, Stripe secret keys) and Basic
 * (RFC 7617, the HiPay ECR connector and Stripe's key-as-user form).
 */
import { AuthError } from "../errors.js";
import { constantTimeEqual } from "./constant-time.js";

/** RFC 6750 §2.1 b64token. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** `Bearer <token>`. Throws `AuthError` for a token that is not a b64token (which would also allow header injection). */
export function bearerAuth(token: string): string {
  if (!TOKEN68.test(token)) throw new AuthError("invalid_credentials", "bearer token must match RFC 6750 b64token");
  return `Bearer ${token}`;
}

/** The token of a `Bearer` header, or `undefined` when the header is absent or another scheme. */
export function parseBearerAuth(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  const token = match?.[1];
  return token !== undefined && TOKEN68.test(token) ? token : undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** `Basic base64(username:password)` in UTF-8 (RFC 7617 §2.1). A username may not contain `:`. */
export function basicAuth(username: string, password: string): string {
  if (username.includes(":")) throw new AuthError("invalid_credentials", "basic auth username may not contain ':'");
  if (CONTROL.test(username) || CONTROL.test(password)) {
    throw new AuthError("invalid_credentials", "basic auth credentials may not contain control characters");
  }
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

/** The credentials of a `Basic` header, or `undefined` when absent, another scheme or malformed. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const match = header === undefined ? null : /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  const encoded = match?.[1];
  if (encoded === undefined || encoded.length % 4 !== 0) return undefined;
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(encoded, "base64"));
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Whether a `Basic` header carries exactly `expected`, compared in constant time. */
export function checkBasicAuth(header: string | undefined, expected: BasicCredentials): boolean {
  const given = parseBasicAuth(header);
  // Both comparisons always run, so timing does not tell which part was wrong.
  const userOk = constantTimeEqual(given?.username ?? "", expected.username);
  const passwordOk = constantTimeEqual(given?.password ?? "", expected.password);
  return given !== undefined && userOk && passwordOk;
}
