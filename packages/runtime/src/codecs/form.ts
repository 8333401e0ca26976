/**
 * application/x-www-form-urlencoded with bracket nesting (`metadata[order]=42`,
 * `expand[0]=location`, `expand[]=location`), built on `qs` with bounded, prototype-safe
 * options. Encoding matches what Stripe's own Node client sends: qs's indexed arrays
 * (`expand[0]=x`, unambiguous for arrays of objects: `items[0][price]=p`) with literal
 * brackets, dates as Unix seconds.
 */
import qs from "qs";
import { CodecError } from "../errors.js";
import { FORBIDDEN_KEYS, inputText } from "./input.js";

/** A decoded form value: every leaf is a string. */
export type FormValue = string | FormValue[] | FormObject;
export type FormObject = { [key: string]: FormValue };

/** What `encodeForm` accepts. `null` encodes as an empty value (Stripe's way to unset a field); `undefined` is skipped. */
export type FormInput =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | readonly FormInput[]
  | { readonly [key: string]: FormInput };

export interface FormDecodeOptions {
  /** Largest accepted body in bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Deepest bracket nesting (`a[b][c]` is 2). Default 8. */
  maxDepth?: number;
  /** Most `key=value` pairs. Default 1000. */
  maxParameters?: number;
  /** Highest array index, and most `a[]` entries. Default 100. */
  maxArrayLength?: number;
}

export interface FormEncodeOptions {
  /**
   * `indices` (default, as Stripe's client): `expand[0]=a&expand[1]=b`.
   * `brackets`: `expand[]=a&expand[]=b` (ambiguous for arrays of objects).
   */
  arrayFormat?: "indices" | "brackets";
}

/** Decodes a form body into nested objects and arrays of strings. Throws only `CodecError`. */
export function decodeForm(input: string | Uint8Array, options: FormDecodeOptions = {}): FormObject {
  const text = inputText("form", input, options.maxBytes ?? 1024 * 1024);
  const maxParameters = options.maxParameters ?? 1000;
  checkKeys(text, maxParameters);
  try {
    return qs.parse(text, {
      allowPrototypes: false,
      plainObjects: true,
      allowDots: false,
      depth: options.maxDepth ?? 8,
      strictDepth: true,
      parameterLimit: maxParameters,
      arrayLimit: options.maxArrayLength ?? 100,
      throwOnLimitExceeded: true,
      duplicates: "combine",
      charset: "utf-8",
    }) as FormObject;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const reason = /depth/i.test(message) ? "too_deep" : /limit/i.test(message) ? "too_many" : "syntax";
    throw new CodecError(message, { codec: "form", reason, cause });
  }
}

/** Encodes nested objects and arrays as a form body. */
export function encodeForm(value: { readonly [key: string]: FormInput }, options: FormEncodeOptions = {}): string {
  try {
    return (
      qs
        .stringify(value, {
          arrayFormat: options.arrayFormat ?? "indices",
          format: "RFC3986",
          serializeDate: (date: Date) => String(Math.floor(date.getTime() / 1000)),
        })
        // As Stripe's client: brackets stay literal, which servers accept and logs can read.
        .replace(/%5B/g, "[")
        .replace(/%5D/g, "]")
    );
  } catch (cause) {
    throw new CodecError(`value cannot be encoded: ${cause instanceof Error ? cause.message : String(cause)}`, {
      codec: "form",
      reason: "invalid_value",
      cause,
    });
  }
}

/**
 * qs drops `__proto__` silently and keeps `constructor[prototype]`: refuse all three
 * outright so a hostile body is an error, not a quietly altered object.
 */
function checkKeys(text: string, maxParameters: number): void {
  let offset = 0;
  let count = 0;
  for (const pair of text.split("&")) {
    if (pair.length > 0 && ++count > maxParameters) {
      throw new CodecError(`more than ${maxParameters} parameters`, { codec: "form", reason: "too_many", offset });
    }
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const key = safeDecode(rawKey.replace(/\+/g, " "));
    for (const segment of key.split(/[[\]]/)) {
      if (FORBIDDEN_KEYS.has(segment)) {
        throw new CodecError(`forbidden key ${JSON.stringify(segment)}`, {
          codec: "form",
          reason: "forbidden_key",
          path: key,
          offset,
        });
      }
    }
    offset += pair.length + 1;
  }
}

/** Same leniency as qs: a malformed escape stays as written. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
