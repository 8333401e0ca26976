/**
 * Payneteasy response bodies: `key=value` pairs joined by `&`, each pair ending in `\n`,
 * values percent-encoded as in application/x-www-form-urlencoded (`+` is a space), e.g.
 * `type=async-response\n&status=processing\n&paynet-order-id=123\n`. Flat: no nesting.
 */
import { CodecError } from "../errors.js";
import { FORBIDDEN_KEYS, inputText } from "./input.js";

/** A decoded kv body. Null-prototype: a key can never reach Object.prototype. */
export type KvRecord = Record<string, string>;

export interface KvDecodeOptions {
  /** Largest accepted body in bytes. Default 256 KiB. */
  maxBytes?: number;
  /** Most pairs. Default 500. */
  maxPairs?: number;
}

/** Decodes a kv body. Tolerates `\r\n`, a missing final newline and blank segments. Throws only `CodecError`. */
export function decodeKv(input: string | Uint8Array, options: KvDecodeOptions = {}): KvRecord {
  const text = inputText("kv", input, options.maxBytes ?? 256 * 1024);
  const maxPairs = options.maxPairs ?? 500;
  const out: KvRecord = Object.create(null) as KvRecord;
  let count = 0;
  let offset = 0;
  for (const segment of text.split("&")) {
    const at = offset;
    offset += segment.length + 1;
    const pair = segment.replace(/^[\r\n]+|[\r\n]+$/g, "");
    if (pair.length === 0) continue;
    if (++count > maxPairs) {
      throw new CodecError(`more than ${maxPairs} pairs`, { codec: "kv", reason: "too_many", offset: at });
    }
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      throw new CodecError(eq === 0 ? "empty key" : "pair has no '='", { codec: "kv", reason: "syntax", offset: at });
    }
    const key = formDecode(pair.slice(0, eq), at);
    const value = formDecode(pair.slice(eq + 1), at + eq + 1);
    if (FORBIDDEN_KEYS.has(key)) {
      throw new CodecError(`forbidden key ${JSON.stringify(key)}`, {
        codec: "kv",
        reason: "forbidden_key",
        path: key,
        offset: at,
      });
    }
    if (Object.hasOwn(out, key)) {
      throw new CodecError(`key ${JSON.stringify(key)} occurs twice`, {
        codec: "kv",
        reason: "duplicate",
        path: key,
        offset: at,
      });
    }
    out[key] = value;
  }
  return out;
}

/** Encodes a flat record as a kv body; `undefined` values are skipped, numbers written in full. */
export function encodeKv(record: Readonly<Record<string, string | number | undefined>>): string {
  let out = "";
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (key.length === 0) throw new CodecError("empty key", { codec: "kv", reason: "invalid_value" });
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new CodecError("number is not finite", { codec: "kv", reason: "invalid_value", path: key });
    }
    if (typeof value !== "string" && typeof value !== "number") {
      throw new CodecError(`value of type ${typeof value} cannot be encoded`, {
        codec: "kv",
        reason: "invalid_value",
        path: key,
      });
    }
    out += `${out.length > 0 ? "&" : ""}${formEncode(key)}=${formEncode(String(value))}\n`;
  }
  return out;
}

function formEncode(text: string): string {
  try {
    return encodeURIComponent(text).replace(/%20/g, "+");
  } catch (cause) {
    // encodeURIComponent throws only on lone surrogates.
    throw new CodecError("string is not well-formed Unicode", { codec: "kv", reason: "invalid_value", cause });
  }
}

function formDecode(text: string, offset: number): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch (cause) {
    throw new CodecError("malformed percent-encoding", { codec: "kv", reason: "syntax", offset, cause });
  }
}
