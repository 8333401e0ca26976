/**
 * Request log entries shared by the server hook (`attachRequestLog`) and the client transport
 * (`loggingTransport`): one redacted record per HTTP exchange. Nothing here ever holds a secret
 * or a full card number: paths, headers and bodies pass through `redact`, `redactHeaders` and
 * `maskPansInText` before an entry is built.
 */
import { decodeForm } from "./codecs/form.js";
import { decodeKv } from "./codecs/kv.js";
import { isSecretKey, maskPansInText, REDACTED, redact, redactHeaders } from "./redact.js";

/** One HTTP exchange, redacted. */
export interface RequestLogEntry {
  /** when the request started, ISO 8601 */
  time: string;
  method: string;
  /** path and query; secret-named query values redacted, card numbers masked */
  path: string;
  /** the answer's status; 0 when the connection ended without one (a reset, a dropped answer, a network error) */
  status: number;
  /** duration in milliseconds */
  ms: number;
  /** request headers through `redactHeaders` */
  requestHeaders: Record<string, string | readonly string[] | undefined>;
  /** the decoded, redacted request body (only with `bodies: true`) */
  requestBody?: unknown;
  /** the decoded, redacted response body (only with `bodies: true`) */
  responseBody?: unknown;
}

export type RequestLogSink = (entry: RequestLogEntry) => void;

export interface RequestLogOptions {
  /** log request and response bodies, redacted by content type. Default false */
  bodies?: boolean;
  /** longest body text kept, in characters; longer is cut with a `[truncated …]` marker. Default 8192 */
  maxBodyChars?: number;
  /** the clock (ms), for tests. Default Date.now */
  now?: () => number;
}

export const DEFAULT_MAX_BODY_CHARS = 8192;

/** `path?query` with the values of secret-named query parameters redacted and card numbers masked. */
export function redactUrlPath(url: string): string {
  const hash = url.indexOf("#");
  const bare = hash < 0 ? url : url.slice(0, hash);
  const q = bare.indexOf("?");
  const path = maskPansInText(q < 0 ? bare : bare.slice(0, q));
  if (q < 0) return path;
  return `${path}?${redactPairs(bare.slice(q + 1), "&")}`;
}

/** `key=value` pairs joined by `separator`: secret keys' values redacted, card numbers masked (also percent-encoded). */
function redactPairs(text: string, separator: string): string {
  return text
    .split(separator)
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return maskDecoded(pair);
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      return isSecretKey(
        safeDecode(key)
          .replace(/\[\]$/, "")
          .replace(/^.*\[([^\]]*)\]$/, "$1"),
      )
        ? `${key}=${encodeURIComponent(REDACTED)}`
        : `${key}=${maskDecoded(value)}`;
    })
    .join(separator);
}

/** Masks card numbers in a possibly percent-encoded value: decodes it first when a masked PAN hides there. */
function maskDecoded(value: string): string {
  const decoded = safeDecode(value);
  if (decoded === value) return maskPansInText(value);
  const masked = maskPansInText(decoded);
  return masked === decoded ? maskPansInText(value) : encodeURIComponent(masked);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** XML: secret-named elements' text and attributes' values redacted, card numbers masked. */
function redactXmlText(text: string): string {
  const elements = text.replace(
    /<((?:[\w.-]+:)?([\w.-]+))(\s[^<>]*)?>([^<]*)<\/\1\s*>/g,
    (whole, qname: string, local: string, attrs: string | undefined, inner: string) =>
      isSecretKey(local) && inner.length > 0 ? `<${qname}${attrs ?? ""}>${REDACTED}</${qname}>` : whole,
  );
  const attributes = elements.replace(
    /(\s(?:[\w.-]+:)?([\w.-]+)\s*=\s*)(["'])([^"']*)\3/g,
    (whole, lead: string, local: string, quote: string) =>
      isSecretKey(local) ? `${lead}${quote}${REDACTED}${quote}` : whole,
  );
  return maskPansInText(attributes);
}

/** `key=value` pairs inside free text (a URL echoed in a message) with secret keys redacted. */
function redactTextPairs(text: string): string {
  return text.replace(/([A-Za-z0-9_.\-[\]]+)=([^&\s"'<>]*)/g, (whole, key: string) =>
    isSecretKey(
      safeDecode(key)
        .replace(/\[\]$/, "")
        .replace(/^.*\[([^\]]*)\]$/, "$1"),
    )
      ? `${key}=${REDACTED}`
      : whole,
  );
}

/** `redact`, then secret `key=value` pairs inside every string leaf (an error message echoing a query). */
function redactDecoded(value: unknown): unknown {
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return node.includes("=") ? redactTextPairs(node) : node;
    // A card number sent as a JSON number: masked like one in a string.
    if (typeof node === "number" && Number.isSafeInteger(node) && node >= 1e12) {
      const masked = maskPansInText(String(node));
      return masked === String(node) ? node : masked;
    }
    if (node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) return node.map(walk);
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node))
      Object.defineProperty(out, key, { value: walk(child), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return walk(redact(value));
}

/** Any other text: `key=value` and `"key": "value"` pairs with secret keys redacted, card numbers masked. */
function redactFreeText(text: string): string {
  const pairs = redactTextPairs(text);
  const quoted = pairs.replace(/("([^"\\]{1,100})"\s*:\s*)"((?:[^"\\]|\\.)*)"/g, (whole, lead: string, key: string) =>
    isSecretKey(key) ? `${lead}"${REDACTED}"` : whole,
  );
  return redactXmlText(quoted);
}

function truncate(value: unknown, maxChars: number): unknown {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text === undefined || text.length <= maxChars) return value;
  // Masked again: a cut can turn a long non-card digit run into a Luhn-valid one.
  return maskPansInText(`${text.slice(0, maxChars)}…[truncated ${text.length - maxChars} chars]`);
}

/**
 * A body fit for a log, by content type: JSON and form bodies decoded then `redact`ed; Payneteasy
 * key=value answers (`text/html`) decoded then redacted; XML and other text masked and pattern-redacted.
 * Empty bodies are `undefined`; long ones are cut at `maxChars`.
 */
export function redactWireBody(
  body: string | Uint8Array | undefined,
  contentType: string | undefined,
  maxChars = DEFAULT_MAX_BODY_CHARS,
): unknown {
  if (body === undefined) return undefined;
  const text = typeof body === "string" ? body : new TextDecoder("utf-8").decode(body);
  if (text.length === 0) return undefined;
  const type = mediaType(contentType);
  let value: unknown;
  if (type === "application/json" || type.endsWith("+json")) {
    try {
      value = redactDecoded(JSON.parse(text) as unknown);
    } catch {
      value = redactFreeText(text);
    }
  } else if (type === "application/x-www-form-urlencoded") {
    try {
      value = redactDecoded(decodeForm(text));
    } catch {
      value = redactFreeText(text);
    }
  } else if (type === "application/xml" || type === "text/xml" || type.endsWith("+xml") || /^\s*</.test(text)) {
    value = redactXmlText(text);
  } else if (/^[\s\r\n]*[\w.\-[\]]+=/.test(text)) {
    // Payneteasy answers `text/html` key=value; a callback or a mis-typed form body looks the same.
    try {
      value = redactDecoded({ ...decodeKv(text) });
    } catch {
      try {
        value = redactDecoded(decodeForm(text));
      } catch {
        value = redactFreeText(text);
      }
    }
  } else {
    value = redactFreeText(text);
  }
  return truncate(value, maxChars);
}

/** Builds an entry from the raw facts of one exchange; every field passes through redaction here. */
export function buildLogEntry(
  raw: {
    startedAt: number;
    endedAt: number;
    method: string;
    url: string;
    status: number;
    requestHeaders: Readonly<Record<string, string | readonly string[] | undefined>>;
    requestBody?: string | Uint8Array | undefined;
    requestContentType?: string | undefined;
    responseBody?: string | Uint8Array | undefined;
    responseContentType?: string | undefined;
  },
  options: RequestLogOptions,
): RequestLogEntry {
  const entry: RequestLogEntry = {
    time: new Date(raw.startedAt).toISOString(),
    method: raw.method,
    path: redactUrlPath(raw.url),
    status: raw.status,
    ms: Math.max(0, raw.endedAt - raw.startedAt),
    requestHeaders: redactHeaders(raw.requestHeaders),
  };
  if (options.bodies === true) {
    const max = options.maxBodyChars ?? DEFAULT_MAX_BODY_CHARS;
    const requestBody = redactWireBody(raw.requestBody, raw.requestContentType, max);
    const responseBody = redactWireBody(raw.responseBody, raw.responseContentType, max);
    if (requestBody !== undefined) entry.requestBody = requestBody;
    if (responseBody !== undefined) entry.responseBody = responseBody;
  }
  return entry;
}
