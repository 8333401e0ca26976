/**
 * nexo messages as JSON (Adyen's Terminal API form): `{"SaleToPOIRequest": {...}}`. The
 * body is the same typed object `decodeXml` returns, so one model serves both encodings;
 * this codec adds the root check and JSON's size and depth limits.
 */
import { CodecError } from "../errors.js";
import { decodeJsonAs, encodeJson, type JsonDecodeOptions, type JsonObject } from "./json.js";

/** Encodes `value` as `{"<rootName>": value}`. */
export function encodeNexoJson(rootName: string, value: object): string {
  return encodeJson({ [rootName]: value });
}

/** Decodes `{"<rootName>": {...}}` and returns the inner object. Throws only `CodecError`. */
export function decodeNexoJson(
  input: string | Uint8Array,
  rootName: string,
  options: JsonDecodeOptions = {},
): JsonObject {
  const document = decodeJsonAs("nexo-json", input, options);
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new CodecError("expected a JSON object", { codec: "nexo-json", reason: "unexpected_root", path: "$" });
  }
  const keys = Object.keys(document);
  const body = document[rootName];
  if (keys.length !== 1 || body === undefined) {
    throw new CodecError(
      `expected the single root ${JSON.stringify(rootName)}, found ${JSON.stringify(keys.slice(0, 3))}`,
      {
        codec: "nexo-json",
        reason: "unexpected_root",
        path: "$",
      },
    );
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new CodecError(`${rootName} must be an object`, {
      codec: "nexo-json",
      reason: "invalid_value",
      path: `$.${rootName}`,
    });
  }
  return body;
}
