/**
 * From a file's bytes to the value a validator checks: which wire form the file is in (given,
 * from its extension, or sniffed from its first bytes) and the runtime codec that reads it.
 */
import { extname } from "node:path";
import { decodeForm, decodeJson, decodeKv, decodeXml, STX, type ValidationIssue } from "@payspec/runtime";
import { decodeFrameFile } from "./frames.js";
import { UsageError } from "./io.js";
import type { ProtocolCatalog, XmlEnvelope } from "./protocols.js";

export const FORMATS = ["json", "xml", "form", "kv", "frame"] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

const EXTENSIONS: Readonly<Record<string, Format>> = {
  ".json": "json",
  ".xml": "xml",
  ".form": "form",
  ".kv": "kv",
  ".frame": "frame",
  ".bin": "frame",
};

/** The format an extension names (`.json`, `.xml`, `.form`, `.kv`, `.frame`, `.bin`), case-insensitive. */
export function formatFromPath(path: string): Format | undefined {
  const extension = extname(path).toLowerCase();
  return Object.hasOwn(EXTENSIONS, extension) ? EXTENSIONS[extension] : undefined;
}

/** One `key=value` pair of a form or kv body: a key without spaces, `=`, `&`. */
const PAIR = /^[^\s=&]+=/;

/**
 * The format the content looks like: STX → a wrapped frame; `{`/`[` → JSON; `<` → XML; then
 * the encoding the spec declares for the message (`x-payspec-encoding`: a Stripe body is form,
 * a Payneteasy response kv, a Concert message a bare fixed-width payload); failing that, pairs
 * on lines joined by `\n&` (or one pair on a line of its own) → kv, `a=b&c[d]=e` → form.
 * Undefined when nothing fits.
 */
export function sniffFormat(input: Uint8Array, options: { declared?: Format | undefined } = {}): Format | undefined {
  if (input[0] === STX) return "frame";
  const text = Buffer.from(input.subarray(0, 4096))
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  const start = text.trimStart();
  if (start.startsWith("{") || start.startsWith("[")) return "json";
  if (start.startsWith("<")) return "xml";
  if (options.declared === "frame") return "frame";
  if (!PAIR.test(text)) return undefined;
  if (options.declared === "form" || options.declared === "kv") return options.declared;
  if (text.includes("\n&")) return "kv";
  const line = text.replace(/\r?\n$/, "");
  if (!line.includes("\n") && !line.includes("&") && !line.includes("[") && line !== text) return "kv";
  return "form";
}

const DECLARED: Readonly<Record<string, Format>> = {
  json: "json",
  xml: "xml",
  form: "form",
  kv: "kv",
  concert: "frame",
};

/** The format the spec declares for `message` (its `x-payspec-encoding`, or a frame layout), if any. */
export function declaredFormat(catalog: ProtocolCatalog, message: string): Format | undefined {
  if (catalog.frameLayout(message) !== undefined) return "frame";
  const encoding = catalog.schema(message)?.["x-payspec-encoding"];
  return encoding !== undefined && Object.hasOwn(DECLARED, encoding) ? DECLARED[encoding] : undefined;
}

/** A message read from a file, and where it sits in the file's decoded document. */
export interface DecodedMessage {
  readonly value: unknown;
  /** JSON Pointer of `value` in the decoded document (`/SaleToPOIRequest` for a nexo envelope's body): prefixed to issue paths. */
  readonly pointer: string;
  /** Set when the document cannot hold the message at all (an envelope without that body): report these, validate nothing. */
  readonly issues?: readonly ValidationIssue[];
}

/**
 * Decodes `input` as `format` and picks out `message`. Throws `CodecError` for input the codec
 * refuses and `UsageError` when the format cannot carry the message (no frame layout, no XML root).
 */
export function decodeMessage(
  input: Uint8Array,
  format: Format,
  catalog: ProtocolCatalog,
  message: string,
): DecodedMessage {
  // A UTF-8 byte order mark (Windows editors write one) is not part of any text wire form.
  if (format !== "frame" && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) input = input.subarray(3);
  switch (format) {
    case "json": {
      const document = decodeJson(input);
      const envelope = envelopeOf(document, catalog.xmlEnvelopes);
      return envelope === undefined ? { value: document, pointer: "" } : select(document, envelope, catalog, message);
    }
    case "form":
      // A trailing line break is the editor's, not the body's: the form codec would keep it in the last value.
      return { value: decodeForm(stripFinalNewline(input)), pointer: "" };
    case "kv":
      return { value: decodeKv(input), pointer: "" };
    case "xml":
      return decodeXmlMessage(input, catalog, message);
    case "frame": {
      const fields = catalog.frameLayout(message);
      if (fields === undefined) {
        const frames = catalog.messages.filter((name) => catalog.frameLayout(name) !== undefined);
        throw new UsageError(
          `${catalog.name} ${message} is not a fixed-width frame message` +
            (frames.length > 0
              ? ` (frame messages: ${frames.join(", ")})`
              : ` (${catalog.name} has no frame messages)`),
        );
      }
      return { value: decodeFrameFile(input, fields), pointer: "" };
    }
  }
}

function stripFinalNewline(input: Uint8Array): Uint8Array {
  let end = input.length;
  if (input[end - 1] === 0x0a) end--;
  if (input[end - 1] === 0x0d) end--;
  return input.subarray(0, end);
}

/** A nexo JSON document: an object whose single member is an XML root (`{"SaleToPOIRequest": {...}}`). */
function envelopeOf(document: unknown, envelopes: readonly XmlEnvelope[]): XmlEnvelope | undefined {
  if (document === null || typeof document !== "object" || Array.isArray(document)) return undefined;
  const keys = Object.keys(document);
  return keys.length === 1 ? envelopes.find((envelope) => envelope.root === keys[0]) : undefined;
}

/**
 * The part of an envelope document `{ Root: body }` that `message` describes: the whole
 * document for the wrapper (`NexoRequestMessage`), the root's content for the root message
 * (`SaleToPOIRequest`), a body element for a body message (`EventNotification`). A body the
 * root can hold but this one does not is reported as missing; for any other message the whole
 * document is validated, so the validator says what does not match.
 */
function select(document: unknown, envelope: XmlEnvelope, catalog: ProtocolCatalog, message: string): DecodedMessage {
  const { root } = envelope;
  const content = (document as Record<string, unknown>)[root];
  if (message === envelope.wrapper) return { value: document, pointer: "" };
  if (message === root) return { value: content, pointer: `/${root}` };
  const other = catalog.xmlEnvelopes.find((candidate) => candidate.root === message || candidate.wrapper === message);
  if (other !== undefined) {
    return {
      value: undefined,
      pointer: "",
      issues: [{ path: "", message: `expected a ${other.root} document, found ${root}`, keyword: "const" }],
    };
  }
  const body = content !== null && typeof content === "object" ? (content as Record<string, unknown>) : undefined;
  if (body !== undefined && Object.hasOwn(body, message)) {
    return { value: body[message], pointer: `/${root}/${message}` };
  }
  if (body !== undefined && Object.hasOwn(catalog.schema(root)?.properties ?? {}, message)) {
    const holds = Object.keys(body).join(", ") || "nothing";
    return {
      value: undefined,
      pointer: "",
      issues: [{ path: `/${root}/${message}`, message: `missing: this ${root} holds ${holds}`, keyword: "required" }],
    };
  }
  return { value: document, pointer: "" };
}

/**
 * The name of the document's root element: the first `<Name` that is not a declaration, comment
 * or PI, looked for in the first 64 KiB (the codec still reads the whole document).
 */
function xmlRootName(text: string): string | undefined {
  const body = text.slice(0, 64 * 1024).replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, "");
  return /<([A-Za-z_][\w.:-]*)/.exec(body)?.[1];
}

function decodeXmlMessage(input: Uint8Array, catalog: ProtocolCatalog, message: string): DecodedMessage {
  const roots = catalog.xmlEnvelopes;
  if (roots.length === 0) throw new UsageError(`${catalog.name} has no XML messages`);
  const text = Buffer.from(input).toString("utf8");
  const rootName = xmlRootName(text);
  const envelope =
    roots.find((candidate) => candidate.root === rootName) ??
    // Not one of ours: let the codec report the unexpected root against the root the message implies.
    roots.find((candidate) => candidate.root === message || candidate.wrapper === message) ??
    roots[0]!;
  if (envelope.shape === undefined) {
    throw new UsageError(`no XML layout for <${envelope.root}> in the ${catalog.name} packages`);
  }
  const content = decodeXml(input, envelope.root, envelope.shape);
  return select({ [envelope.root]: content }, envelope, catalog, message);
}
