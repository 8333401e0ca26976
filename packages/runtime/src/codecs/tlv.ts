/**
 * Caisse-AP over IP fields: tag (2 characters), length (3 decimal digits), value. A message
 * is a run of fields in order, version (`CZ`) first. Values are single-byte text (Latin-1),
 * so a length counts bytes and characters alike.
 */
import { CodecError } from "../errors.js";
import { latin1Text } from "./input.js";

export interface TlvField {
  /** Two characters, e.g. `CZ` version, `CB` amount, `AE` result. */
  readonly tag: string;
  readonly value: string;
}

const TAG = /^[A-Z0-9]{2}$/;
const MAX_VALUE = 999;
/** Printable ASCII and printable Latin-1: no control characters, nothing a single byte cannot hold. */
const PRINTABLE_LATIN1 = /^[\x20-\x7e\xa0-\xff]*$/;

/** Encodes fields in the order given. Throws `CodecError` for a bad tag or a value over 999 characters. */
export function encodeTlv(fields: readonly TlvField[]): string {
  let out = "";
  for (const [index, { tag, value }] of fields.entries()) {
    const path = `[${index}]`;
    if (!TAG.test(tag)) {
      throw new CodecError(`tag ${JSON.stringify(tag)} is not two characters A-Z 0-9`, {
        codec: "tlv",
        reason: "invalid_value",
        path,
      });
    }
    if (value.length > MAX_VALUE) {
      throw new CodecError(`value of ${tag} is over ${MAX_VALUE} characters`, {
        codec: "tlv",
        reason: "invalid_length",
        path,
      });
    }
    if (!PRINTABLE_LATIN1.test(value)) {
      throw new CodecError(`value of ${tag} holds a control or non-Latin-1 character`, {
        codec: "tlv",
        reason: "invalid_value",
        path,
      });
    }
    out += tag + String(value.length).padStart(3, "0") + value;
  }
  return out;
}

/** Decodes a run of fields, keeping order and repeated tags. Throws only `CodecError`. */
export function decodeTlv(input: string | Uint8Array, options: { maxFields?: number } = {}): TlvField[] {
  const text = latin1Text("tlv", input);
  const maxFields = options.maxFields ?? 256;
  const fields: TlvField[] = [];
  let offset = 0;
  while (offset < text.length) {
    if (fields.length === maxFields) {
      throw new CodecError(`more than ${maxFields} fields`, { codec: "tlv", reason: "too_many", offset });
    }
    if (text.length - offset < 5) {
      throw new CodecError("truncated field header", { codec: "tlv", reason: "invalid_length", offset });
    }
    const tag = text.slice(offset, offset + 2);
    const length = text.slice(offset + 2, offset + 5);
    if (!TAG.test(tag)) {
      throw new CodecError(`tag ${JSON.stringify(tag)} is not two characters A-Z 0-9`, {
        codec: "tlv",
        reason: "syntax",
        offset,
      });
    }
    if (!/^\d{3}$/.test(length)) {
      throw new CodecError(`length ${JSON.stringify(length)} is not three digits`, {
        codec: "tlv",
        reason: "syntax",
        offset: offset + 2,
      });
    }
    const end = offset + 5 + Number(length);
    if (end > text.length) {
      throw new CodecError(`value of ${tag} runs past the end`, { codec: "tlv", reason: "invalid_length", offset });
    }
    fields.push({ tag, value: text.slice(offset + 5, end) });
    offset = end;
  }
  return fields;
}
