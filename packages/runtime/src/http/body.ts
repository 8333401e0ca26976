/**
 * Body text ⇄ value for every wire encoding, shared by the generated clients and servers.
 * A nexo message is typed in its JSON form, `{ SaleToPOIRequest: {...} }`; in XML the same
 * wrapper property is the document root, so the value is unwrapped on encode and wrapped on decode.
 */
import { decodeForm, encodeForm, type FormInput } from "../codecs/form.js";
import { decodeJson, encodeJson } from "../codecs/json.js";
import { decodeKv, encodeKv } from "../codecs/kv.js";
import { decodeXml, encodeXml, type XmlElementShape } from "../codecs/xml.js";
import { CodecError } from "../errors.js";
import type { BodyEncoding } from "./operation.js";

export type XmlShapes = Readonly<Record<string, XmlElementShape>> | undefined;

function xmlShape(shapes: XmlShapes, message: string | undefined, root: string | undefined): XmlElementShape {
  const shape = message ? shapes?.[message] : undefined;
  if (!shape || !root)
    throw new CodecError(`no XML layout for ${message ?? "this body"}`, { codec: "xml", reason: "invalid_value" });
  return shape;
}

export function encodeBody(
  encoding: BodyEncoding,
  value: unknown,
  shapes: XmlShapes,
  message?: string,
  root?: string,
): string {
  switch (encoding) {
    case "json":
      return encodeJson(value);
    case "form":
      return encodeForm(value as { readonly [key: string]: FormInput });
    case "kv":
      return encodeKv(value as Record<string, string | number | undefined>);
    case "xml": {
      const shape = xmlShape(shapes, message, root);
      const inner = (value as Record<string, unknown> | null)?.[root!];
      if (inner === undefined || inner === null || typeof inner !== "object") {
        throw new CodecError(`expected { ${root}: {...} }`, { codec: "xml", reason: "unexpected_root", path: "$" });
      }
      return encodeXml(root!, inner, shape);
    }
    case "none":
      return "";
    default:
      return typeof value === "string" ? value : String(value ?? "");
  }
}

export function decodeBody(
  encoding: BodyEncoding,
  text: string,
  shapes: XmlShapes,
  message?: string,
  root?: string,
): unknown {
  if (text === "" && encoding !== "text") return undefined;
  switch (encoding) {
    case "json":
      return decodeJson(text);
    case "form":
      return decodeForm(text);
    case "kv":
      return decodeKv(text);
    case "xml":
      return { [root ?? ""]: decodeXml(text, root ?? "", xmlShape(shapes, message, root)) };
    case "none":
      return undefined;
    default:
      return text;
  }
}
