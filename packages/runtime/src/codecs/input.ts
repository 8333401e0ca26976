/** Helpers shared by the codecs (internal: not re-exported from the package). */
import { CodecError, type CodecName } from "../errors.js";

/** Keys that reach Object.prototype through assignment or merge gadgets. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Turns wire input into a string, enforcing the byte limit first so a huge input costs
 * nothing more than its length check.
 */
export function inputText(codec: CodecName, input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === "string") {
    // UTF-16 length is a lower bound of the UTF-8 length: a cheap first check, then the exact one.
    if (input.length > maxBytes || Buffer.byteLength(input, "utf8") > maxBytes) {
      throw new CodecError(`input exceeds ${maxBytes} bytes`, { codec, reason: "too_large" });
    }
    return input;
  }
  if (!(input instanceof Uint8Array)) {
    throw new CodecError("input must be a string or a Uint8Array", { codec, reason: "invalid_value" });
  }
  if (input.byteLength > maxBytes) {
    throw new CodecError(`input exceeds ${maxBytes} bytes`, { codec, reason: "too_large" });
  }
  try {
    return utf8.decode(input);
  } catch (cause) {
    throw new CodecError("input is not valid UTF-8", { codec, reason: "syntax", cause });
  }
}

/** Latin-1 view of serial bytes (Concert, Caisse-AP): one character per byte, never fails. */
export function latin1Text(codec: CodecName, input: string | Uint8Array): string {
  if (typeof input === "string") return input;
  if (!(input instanceof Uint8Array)) {
    throw new CodecError("input must be a string or a Uint8Array", { codec, reason: "invalid_value" });
  }
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString("latin1");
}

/** `$.a.b[0]`-style path segment. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}
