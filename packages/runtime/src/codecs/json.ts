/**
 * JSON codec (RFC 8259) with the limits a server facing the network needs: a byte limit,
 * a nesting limit checked before `JSON.parse` runs, and no key that could reach
 * Object.prototype (`__proto__`, `constructor`, `prototype`) in the result.
 */
import { CodecError, type CodecName } from "../errors.js";
import { childPath, FORBIDDEN_KEYS, inputText } from "./input.js";

export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface JsonDecodeOptions {
  /** Largest accepted input in bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Deepest accepted nesting of arrays and objects. Default 64. */
  maxDepth?: number;
}

export const JSON_DEFAULT_MAX_BYTES = 1024 * 1024;
export const JSON_DEFAULT_MAX_DEPTH = 64;

/** Decodes JSON text or UTF-8 bytes. Throws only `CodecError`. */
export function decodeJson(input: string | Uint8Array, options: JsonDecodeOptions = {}): JsonValue {
  return decodeJsonAs("json", input, options);
}

/** Shared with the nexo JSON codec so its errors name the codec the caller used. */
export function decodeJsonAs(codec: CodecName, input: string | Uint8Array, options: JsonDecodeOptions): JsonValue {
  const maxBytes = options.maxBytes ?? JSON_DEFAULT_MAX_BYTES;
  const maxDepth = options.maxDepth ?? JSON_DEFAULT_MAX_DEPTH;
  let text = inputText(codec, input, maxBytes);
  // RFC 8259 §8.1: a parser may ignore a leading byte order mark.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  checkDepth(codec, text, maxDepth);
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const position = /position (\d+)/.exec(message);
    throw new CodecError(`invalid JSON: ${message}`, {
      codec,
      reason: "syntax",
      ...(position?.[1] !== undefined ? { offset: Number(position[1]) } : {}),
      cause,
    });
  }
  checkKeys(codec, value, "$");
  return value;
}

/** Encodes a value as JSON text. Throws `CodecError` for values JSON cannot hold (BigInt, cycles, undefined). */
export function encodeJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new CodecError(`value cannot be encoded: ${cause instanceof Error ? cause.message : String(cause)}`, {
      codec: "json",
      reason: "invalid_value",
      cause,
    });
  }
  if (text === undefined) {
    throw new CodecError("value cannot be encoded: top-level value is not JSON", {
      codec: "json",
      reason: "invalid_value",
    });
  }
  return text;
}

/** Scans brackets outside strings so a hostile `[[[[…` is refused before JSON.parse builds it. */
function checkDepth(codec: CodecName, text: string, maxDepth: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > maxDepth) {
        throw new CodecError(`nesting deeper than ${maxDepth}`, { codec, reason: "too_deep", offset: i });
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
}

function checkKeys(codec: CodecName, value: JsonValue, path: string): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkKeys(codec, value[i] as JsonValue, childPath(path, i));
    return;
  }
  for (const key of Object.keys(value)) {
    const child = childPath(path, key);
    if (FORBIDDEN_KEYS.has(key)) {
      throw new CodecError(`forbidden key ${JSON.stringify(key)}`, { codec, reason: "forbidden_key", path: child });
    }
    checkKeys(codec, value[key] as JsonValue, child);
  }
}
