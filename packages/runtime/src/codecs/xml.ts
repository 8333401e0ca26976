/**
 * nexo XML, driven by a shape descriptor so one typed object travels as XML or as JSON.
 *
 * The typed object is the nexo JSON form (as Adyen's Terminal API carries it): attributes and
 * child elements are both plain properties. The shape says which properties are attributes,
 * the order of child elements (the nexo schema's order), which children repeat, and the kind
 * of every scalar. Parsing is fast-xml-parser with entity processing off; DOCTYPE and ENTITY
 * declarations are refused before the parser sees the text.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { CodecError } from "../errors.js";
import { childPath, FORBIDDEN_KEYS, inputText } from "./input.js";

/**
 * Kind of a text value. `list` is a nexo xs:list: a JSON array of tokens, written in XML as
 * one attribute or element whose tokens are separated by spaces.
 */
export type ScalarKind = "string" | "number" | "boolean" | "list";

/** One child element of a shape, in schema order. */
export interface XmlChild {
  /** Element name, exactly as the schema writes it (PascalCase for nexo). */
  readonly name: string;
  readonly shape: XmlElementShape | ScalarKind;
  /** Repeats: decoded as an array even with one occurrence. */
  readonly array?: boolean;
  /**
   * Has no element of its own: its children stand directly in the parent (nexo
   * `RepeatedResponseMessageBody`, whose one response element follows `MessageHeader`).
   */
  readonly transparent?: boolean;
}

/** The layout of one element. */
export interface XmlElementShape {
  /** Properties carried as XML attributes, with their kinds. */
  readonly attributes?: Readonly<Record<string, ScalarKind>>;
  /** Child elements in the order they are written. */
  readonly children?: readonly XmlChild[];
  /** The element's own text content, carried in the property `name` (nexo `OutputText` → `Text`). */
  readonly text?: { readonly name: string; readonly kind: ScalarKind };
}

export type XmlScalar = string | number | boolean | string[];
export type XmlNodeValue = XmlScalar | XmlObject | XmlNodeValue[];
export interface XmlObject {
  [key: string]: XmlNodeValue;
}

export interface XmlDecodeOptions {
  /** Largest accepted document in bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Deepest element nesting. Default 32 (nexo messages stay under 10). */
  maxDepth?: number;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
/** Names we write for properties the shape does not know. A conservative subset of XML's NameStartChar/NameChar. */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// ---------------------------------------------------------------------------------------------
// encode

/** Encodes `value` as the document `<rootName>…</rootName>` laid out by `shape`. */
export function encodeXml(rootName: string, value: object, shape: XmlElementShape): string {
  return XML_DECLARATION + encodeElement(rootName, value, shape, `$`);
}

function encodeElement(name: string, value: unknown, shape: XmlElementShape | ScalarKind, path: string): string {
  if (typeof shape === "string") {
    return `<${name}>${escapeText(scalarText(value, shape, path))}</${name}>`;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalid(`expected an object for element <${name}>`, path);
  }
  const record = value as Readonly<Record<string, unknown>>;
  const known = knownNames(shape);
  let attributes = "";
  for (const [attribute, kind] of Object.entries(shape.attributes ?? {})) {
    const attributeValue = record[attribute];
    if (attributeValue === undefined || attributeValue === null) continue;
    attributes += ` ${attribute}="${escapeAttribute(scalarText(attributeValue, kind, childPath(path, attribute)))}"`;
  }
  let content = "";
  if (shape.text !== undefined) {
    const text = record[shape.text.name];
    if (text !== undefined && text !== null)
      content += escapeText(scalarText(text, shape.text.kind, childPath(path, shape.text.name)));
  }
  content += encodeChildren(shape, record, path);
  // Properties the shape does not know (e.g. decoded from a newer terminal) go after the known ones.
  for (const [key, childValue] of Object.entries(record)) {
    if (known.has(key)) continue;
    if (!XML_NAME.test(key)) throw invalid(`property ${JSON.stringify(key)} is not an XML name`, childPath(path, key));
    content += encodeChild(key, childValue, undefined, Array.isArray(childValue), childPath(path, key));
  }
  return content.length === 0 ? `<${name}${attributes}/>` : `<${name}${attributes}>${content}</${name}>`;
}

function encodeChildren(shape: XmlElementShape, record: Readonly<Record<string, unknown>>, path: string): string {
  let content = "";
  for (const child of shape.children ?? []) {
    const value = record[child.name];
    if (child.transparent === true && typeof child.shape !== "string") {
      if (value === undefined || value === null) continue;
      if (typeof value !== "object" || Array.isArray(value))
        throw invalid(`expected an object for ${child.name}`, childPath(path, child.name));
      content += encodeChildren(child.shape, value as Readonly<Record<string, unknown>>, childPath(path, child.name));
      continue;
    }
    content += encodeChild(child.name, value, child.shape, child.array === true, childPath(path, child.name));
  }
  return content;
}

function encodeChild(
  name: string,
  value: unknown,
  shape: XmlElementShape | ScalarKind | undefined,
  array: boolean,
  path: string,
): string {
  if (value === undefined || value === null) return "";
  if (array) {
    const items: readonly unknown[] = Array.isArray(value) ? value : [value];
    return items.map((item, index) => encodeChild(name, item, shape, false, childPath(path, index))).join("");
  }
  if (Array.isArray(value) && shape !== "list") throw invalid(`element <${name}> does not repeat`, path);
  return encodeElement(name, value, shape ?? genericShape(value), path);
}

/** Layout for a value the shape does not describe: scalars as text, objects as child elements. */
function genericShape(value: unknown): XmlElementShape | ScalarKind {
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "object" && value !== null) return {};
  return "string";
}

function scalarText(value: unknown, kind: ScalarKind, path: string): string {
  switch (kind) {
    case "string":
      if (typeof value === "string") return checkXmlChars(value, path);
      if (typeof value === "number" && Number.isFinite(value)) return String(value);
      if (typeof value === "boolean") return String(value);
      break;
    case "number":
      if (typeof value === "number" && Number.isFinite(value)) return String(value);
      if (typeof value === "string" && NUMBER.test(value)) return value;
      break;
    case "boolean":
      if (typeof value === "boolean") return String(value);
      break;
    case "list":
      if (Array.isArray(value) && value.every((v) => typeof v === "string" && v.length > 0 && !/\s/.test(v))) {
        return checkXmlChars(value.join(" "), path);
      }
      break;
  }
  throw invalid(`expected a ${kind === "list" ? "list of tokens" : kind}, got ${describe(value)}`, path);
}

/** XML 1.0 §2.2: every character must match the Char production (lone surrogates do not). */
function checkXmlChars(text: string, path: string): string {
  for (const char of text) {
    if (!isXmlChar(char.codePointAt(0) as number)) throw invalid("string holds a character XML 1.0 cannot carry", path);
  }
  return text;
}

function escapeText(text: string): string {
  // `\r` as a reference: a parser would otherwise normalise it to `\n` (XML 1.0 §2.11).
  return text.replace(/[&<>\r]/g, (c) => ENTITY_FOR[c] as string);
}

function escapeAttribute(text: string): string {
  // Tabs and newlines as references: attribute-value normalisation would turn them into spaces.
  return text.replace(/[&<>"'\r\n\t]/g, (c) => ENTITY_FOR[c] as string);
}

const ENTITY_FOR: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
  "\n": "&#10;",
  "\t": "&#9;",
};

// ---------------------------------------------------------------------------------------------
// decode

/** One node of fast-xml-parser's `preserveOrder` output. */
type OrderedNode = { [name: string]: OrderedNode[] | string } & { ":@"?: Record<string, string> };

const TEXT = "#text";
const CDATA = "#cdata";
const ATTRS = ":@";

/** Decodes the document `<rootName>…</rootName>` laid out by `shape`. Throws only `CodecError`. */
export function decodeXml(
  input: string | Uint8Array,
  rootName: string,
  shape: XmlElementShape,
  options: XmlDecodeOptions = {},
): XmlObject {
  const text = inputText("xml", input, options.maxBytes ?? 1024 * 1024);
  const maxDepth = options.maxDepth ?? 32;
  const markup = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (markup !== null) {
    throw new CodecError(`<!${markup[1]?.toUpperCase()}> is not accepted`, {
      codec: "xml",
      reason: "forbidden_markup",
      offset: markup.index,
    });
  }
  let document: OrderedNode[];
  try {
    // Parse first: the parser stops at maxDepth, so the validator never sees a hostile depth.
    document = parserFor(maxDepth).parse(text) as OrderedNode[];
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const reason = /nested/i.test(message)
      ? "too_deep"
      : /prototype|reserved/i.test(message)
        ? "forbidden_key"
        : "syntax";
    throw new CodecError(message, { codec: "xml", reason, cause });
  }
  const validation = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (validation !== true) {
    throw new CodecError(
      `not well-formed: ${validation.err.msg} (line ${validation.err.line}, column ${validation.err.col})`,
      {
        codec: "xml",
        reason: "syntax",
      },
    );
  }
  const roots = document.filter((node) => elementName(node) !== undefined);
  if (roots.length > 1) throw new CodecError("more than one root element", { codec: "xml", reason: "syntax" });
  const root = roots[0];
  const name = root === undefined ? undefined : elementName(root);
  if (root === undefined || name !== rootName) {
    throw new CodecError(`expected root element <${rootName}>, found ${name === undefined ? "none" : `<${name}>`}`, {
      codec: "xml",
      reason: "unexpected_root",
    });
  }
  const decoded = decodeElement(root, name, shape, "$");
  return decoded as XmlObject;
}

const parsers = new Map<number, XMLParser>();

function parserFor(maxDepth: number): XMLParser {
  let parser = parsers.get(maxDepth);
  if (parser === undefined) {
    parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: "",
      processEntities: false,
      htmlEntities: false,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      cdataPropName: CDATA,
      ignoreDeclaration: true,
      ignorePiTags: true,
      // fast-xml-parser does not count the root: k allows k + 1 levels.
      maxNestedTags: Math.max(0, maxDepth - 1),
    });
    parsers.set(maxDepth, parser);
  }
  return parser;
}

function elementName(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== ATTRS && key !== TEXT && key !== CDATA) return key;
  }
  return undefined;
}

function decodeElement(
  node: OrderedNode,
  name: string,
  shape: XmlElementShape | ScalarKind | undefined,
  path: string,
): XmlNodeValue {
  const children = node[name] as OrderedNode[];
  if (typeof shape === "string") {
    if (children.some((child) => elementName(child) !== undefined)) {
      throw invalid(`element <${name}> should hold a ${shape}, found child elements`, path);
    }
    return coerce(textOf(children, path), shape, path);
  }
  const attributes = node[ATTRS] ?? {};
  const hasElements = children.some((child) => elementName(child) !== undefined);
  if (shape === undefined && !hasElements && Object.keys(attributes).every(isNamespaceDeclaration)) {
    // An element the shape does not know, with no structure: kept as its text.
    return textOf(children, path);
  }
  const effective: XmlElementShape = shape ?? {};
  const childShapes = childIndex(effective);
  const out: XmlObject = {};
  for (const [attribute, raw] of Object.entries(attributes)) {
    if (isNamespaceDeclaration(attribute)) continue;
    const attributePath = childPath(path, attribute);
    if (FORBIDDEN_KEYS.has(attribute)) throw forbidden(attribute, attributePath);
    const kind = effective.attributes?.[attribute];
    const value = unescapeXml(raw, attributePath);
    out[attribute] = kind === undefined ? value : coerce(value, kind, attributePath);
  }
  for (const child of children) {
    const childName = elementName(child);
    if (childName === undefined) continue;
    const spec = childShapes.get(childName);
    const itemPath = childPath(path, childName);
    if (FORBIDDEN_KEYS.has(childName)) throw forbidden(childName, itemPath);
    if (spec?.via !== undefined) {
      if (out[spec.via] === undefined) out[spec.via] = {};
      const holder = out[spec.via] as XmlObject;
      if (holder[childName] !== undefined && spec.array !== true) {
        throw new CodecError(`element <${childName}> occurs more than once`, {
          codec: "xml",
          reason: "duplicate",
          path: itemPath,
        });
      }
      const item = decodeElement(child, childName, spec.shape, itemPath);
      holder[childName] =
        spec.array === true ? [...((holder[childName] as XmlNodeValue[] | undefined) ?? []), item] : item;
      continue;
    }
    const existing = out[childName];
    if (spec?.array === true) {
      const list = (existing as XmlNodeValue[] | undefined) ?? [];
      list.push(decodeElement(child, childName, spec.shape, childPath(itemPath, list.length)));
      out[childName] = list;
    } else if (spec !== undefined) {
      if (existing !== undefined) {
        throw new CodecError(`element <${childName}> occurs more than once`, {
          codec: "xml",
          reason: "duplicate",
          path: itemPath,
        });
      }
      out[childName] = decodeElement(child, childName, spec.shape, itemPath);
    } else {
      // Unknown elements are kept; a repeated unknown element becomes an array.
      const value = decodeElement(child, childName, undefined, itemPath);
      if (existing === undefined) out[childName] = value;
      else if (Array.isArray(existing)) (existing as XmlNodeValue[]).push(value);
      else out[childName] = [existing, value];
    }
  }
  if (effective.text !== undefined) {
    const text = textOf(children, path);
    if (text.length > 0 || effective.text.kind === "string") {
      out[effective.text.name] = coerce(text, effective.text.kind, childPath(path, effective.text.name));
    }
  }
  return out;
}

function isNamespaceDeclaration(attribute: string): boolean {
  return attribute === "xmlns" || attribute.startsWith("xmlns:");
}

/** A child element found in a parent: its layout, and the transparent property it belongs to, if any. */
interface IndexedChild extends XmlChild {
  readonly via?: string;
}

const childIndexes = new WeakMap<XmlElementShape, ReadonlyMap<string, IndexedChild>>();

/** Child lookup built once per shape object, not once per element; transparent children are flattened in. */
function childIndex(shape: XmlElementShape): ReadonlyMap<string, IndexedChild> {
  let index = childIndexes.get(shape);
  if (index === undefined) {
    const entries: [string, IndexedChild][] = [];
    for (const child of shape.children ?? []) {
      if (child.transparent === true && typeof child.shape !== "string") {
        for (const inner of child.shape.children ?? []) entries.push([inner.name, { ...inner, via: child.name }]);
      } else {
        entries.push([child.name, child]);
      }
    }
    index = new Map(entries);
    childIndexes.set(shape, index);
  }
  return index;
}

const knownNameSets = new WeakMap<XmlElementShape, ReadonlySet<string>>();

function knownNames(shape: XmlElementShape): ReadonlySet<string> {
  let names = knownNameSets.get(shape);
  if (names === undefined) {
    names = new Set([
      ...Object.keys(shape.attributes ?? {}),
      ...(shape.children ?? []).map((child) => child.name),
      ...(shape.text === undefined ? [] : [shape.text.name]),
    ]);
    knownNameSets.set(shape, names);
  }
  return names;
}

/** Text content: escaped text unescaped, CDATA sections taken as written. */
function textOf(children: readonly OrderedNode[], path: string): string {
  let text = "";
  for (const child of children) {
    const raw = child[TEXT];
    if (typeof raw === "string") text += unescapeXml(raw, path);
    const cdata = child[CDATA];
    if (Array.isArray(cdata)) {
      for (const part of cdata) {
        const value = part[TEXT];
        if (typeof value === "string") text += value;
      }
    }
  }
  return text;
}

function coerce(text: string, kind: ScalarKind, path: string): XmlScalar {
  switch (kind) {
    case "string":
      return text;
    case "list":
      return text.split(/[ \t\r\n]+/).filter((token) => token.length > 0);
    case "number": {
      const trimmed = text.trim();
      if (!NUMBER.test(trimmed)) throw invalid(`expected a number, got ${JSON.stringify(truncate(text))}`, path);
      return Number(trimmed);
    }
    case "boolean": {
      // XML Schema xs:boolean lexical space.
      const trimmed = text.trim();
      if (trimmed === "true" || trimmed === "1") return true;
      if (trimmed === "false" || trimmed === "0") return false;
      throw invalid(`expected a boolean, got ${JSON.stringify(truncate(text))}`, path);
    }
  }
}

/** The five predefined entities and character references; any other reference is an error (entities are off). */
function unescapeXml(text: string, path: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&([^;&\s]{0,10});?/g, (match, body: string) => {
    if (!match.endsWith(";")) throw syntax(`unterminated reference ${JSON.stringify(truncate(match))}`, path);
    switch (body) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "amp":
        return "&";
      case "quot":
        return '"';
      case "apos":
        return "'";
    }
    const code = /^#x([0-9a-fA-F]{1,6})$/.exec(body)?.[1] ?? /^#([0-9]{1,7})$/.exec(body)?.[1];
    if (code !== undefined) {
      const point = body.startsWith("#x") ? Number.parseInt(code, 16) : Number.parseInt(code, 10);
      if (isXmlChar(point)) return String.fromCodePoint(point);
      throw syntax(`reference ${match} is not an XML character`, path);
    }
    throw syntax(`undeclared entity ${match}`, path);
  });
}

function isXmlChar(point: number): boolean {
  return (
    point === 0x9 ||
    point === 0xa ||
    point === 0xd ||
    (point >= 0x20 && point <= 0xd7ff) ||
    (point >= 0xe000 && point <= 0xfffd) ||
    (point >= 0x10000 && point <= 0x10ffff)
  );
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? JSON.stringify(truncate(value)) : typeof value;
}

function invalid(message: string, path: string): CodecError {
  return new CodecError(message, { codec: "xml", reason: "invalid_value", path });
}

function syntax(message: string, path: string): CodecError {
  return new CodecError(message, { codec: "xml", reason: "syntax", path });
}

function forbidden(name: string, path: string): CodecError {
  return new CodecError(`forbidden name ${JSON.stringify(name)}`, { codec: "xml", reason: "forbidden_key", path });
}
