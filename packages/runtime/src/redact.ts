/**
 * Redaction for logs and error reports: card numbers masked to at most first 6 / last 4
 * (PCI DSS 3.4), secrets and credentials replaced. Over-masking is preferred to a leak: any
 * 13–19 digit run that passes the Luhn check is masked wherever it appears.
 */

export const REDACTED = "[REDACTED]";

/** Luhn (ISO/IEC 7812-1) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Masks the digits of a card number, keeping separators: the first 6 and last 4 positions stay
 * for 13+ positions, only the last 4 for 8–12, none below. Positions already masked (`X`, `*`)
 * count, so masking is idempotent. `4111 1111 1111 1111` → `4111 11XX XXXX 1111`.
 */
export function maskPan(pan: string): string {
  const total = pan.replace(/[^0-9Xx*]/g, "").length;
  const keepFirst = total >= 13 ? 6 : 0;
  const keepLast = total >= 8 ? 4 : 0;
  let seen = 0;
  return pan.replace(/[0-9Xx*]/g, (char) => {
    const index = seen++;
    return index < keepFirst || index >= total - keepLast || !/\d/.test(char) ? char : "X";
  });
}

/** Digit runs of 13–19 digits, optionally grouped by single spaces or dashes, not inside a longer run. */
const PAN_CANDIDATE = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;

/** Masks every Luhn-valid 13–19 digit run in free text. */
export function maskPansInText(text: string): string {
  return text.replace(PAN_CANDIDATE, (run) => {
    const digits = run.replace(/\D/g, "");
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? maskPan(run) : run;
  });
}

/** Header names whose whole value is secret (lower case). */
const SECRET_HEADERS = new Set([
  "cookie",
  "set-cookie",
  "app-token",
  "x-api-key",
  "api-key",
  "wepay-risk-token",
  "x-auth-token",
]);
/** Header names whose scheme may stay but whose credentials may not. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization"]);

export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A copy of `headers` with credentials replaced: `Authorization: Bearer [REDACTED]`, `App-Token: [REDACTED]`. */
export function redactHeaders(headers: HeaderRecord): Record<string, string | readonly string[] | undefined> {
  const out: Record<string, string | readonly string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined) out[name] = value;
    else if (CREDENTIAL_HEADERS.has(lower)) out[name] = mapHeader(value, redactCredentials);
    else if (SECRET_HEADERS.has(lower) || isSecretKey(lower)) out[name] = mapHeader(value, () => REDACTED);
    else out[name] = mapHeader(value, maskPansInText);
  }
  return out;
}

function mapHeader(value: string | readonly string[], map: (text: string) => string): string | readonly string[] {
  return typeof value === "string" ? map(value) : value.map(map);
}

function redactCredentials(value: string): string {
  const scheme = /^([A-Za-z][A-Za-z0-9-]*)\s/.exec(value)?.[1];
  return scheme === undefined ? REDACTED : `${scheme} ${REDACTED}`;
}

/** Normalised (lower case, no `-`, `_`, spaces) names of fields whose value is a secret. */
const SECRET_KEYS = new Set([
  "password",
  "passwd",
  "pwd",
  "secret",
  "token",
  "apikey",
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "control",
  "merchantcontrolkey",
  "controlkey",
  "oauthsignature",
  "signature",
  "cvv",
  "cvv2",
  "cvc",
  "cvc2",
  "csc",
  "pin",
  "pinblock",
  "track1",
  "track2",
  "trackdata",
  "encrypteddata",
  "encryptedpaymentmethod",
  "encodedpaymentmethod",
  "privatekey",
  "terminalmanagerpwd",
  "hipaypwd",
]);
/**
 * Suffixes that mark a secret whatever precedes them (`session_token`, `client_secret`, `TERMINAL_MANAGER_PWD`,
 * `Stripe-Signature`: a webhook's MAC is replayable within its tolerance window).
 */
const SECRET_SUFFIXES = ["password", "passwd", "pwd", "secret", "token", "apikey", "privatekey", "signature"];
/** Fields holding a card number: masked, not removed, so a log still tells cards apart. */
const PAN_KEYS = new Set(["pan", "cardnumber", "primaryaccountnumber", "accountnumber"]);

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, "");
}

/** Whether a field, parameter or header named `key` holds a secret (case, `-`, `_`, spaces ignored). */
export function isSecretKey(key: string): boolean {
  const normal = normaliseKey(key);
  return SECRET_KEYS.has(normal) || SECRET_SUFFIXES.some((suffix) => normal.endsWith(suffix));
}

export interface RedactOptions {
  /** More field names to redact (matched like the built-in ones: case, `-`, `_` ignored). */
  extraKeys?: readonly string[];
  /** Deeper structures are cut with `[Truncated]`. Default 32. */
  maxDepth?: number;
}

/**
 * A deep copy of `value` safe to log: secret fields replaced by `[REDACTED]`, card-number
 * fields masked, and Luhn-valid digit runs masked inside every string. Cycles become `[Circular]`.
 */
export function redact<T>(value: T, options: RedactOptions = {}): T {
  const extra = new Set((options.extraKeys ?? []).map(normaliseKey));
  const maxDepth = options.maxDepth ?? 32;
  const seen = new WeakSet<object>();

  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === "string") return maskPansInText(node);
    if (node === null || typeof node !== "object") return node;
    if (depth >= maxDepth) return "[Truncated]";
    if (seen.has(node)) return "[Circular]";
    if (ArrayBuffer.isView(node) || node instanceof Date || node instanceof RegExp) return node;
    seen.add(node);
    try {
      if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        const normal = normaliseKey(key);
        let redacted: unknown;
        if (PAN_KEYS.has(normal) && (typeof child === "string" || typeof child === "number"))
          redacted = maskPan(String(child));
        else if (isSecretKey(key) || extra.has(normal))
          redacted = child === undefined || child === null ? child : REDACTED;
        else redacted = walk(child, depth + 1);
        // defineProperty: a `__proto__` key stays an own property instead of replacing the prototype.
        Object.defineProperty(out, key, { value: redacted, enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      seen.delete(node);
    }
  };

  return walk(value, 0) as T;
}
