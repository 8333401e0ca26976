/**
 * The five protocols the command knows, and what it reads from their generated packages:
 * the `validate<Message>` functions and the JSON Schema bundle they were compiled from (its
 * `x-payspec-*` annotations carry the wire facts), the Concert frame layouts
 * (`<Message>Frame` in @payspec/hipay-ecr-types) and the nexo XML layouts (`xmlShapes` in
 * @payspec/nexo-client). Packages load on first use, so `payspec validate wepay …` never pays
 * for compiling nexo's validators.
 */
import type { FrameField, Validator, XmlElementShape } from "@payspec/runtime";

export const PROTOCOLS = ["wepay", "stripe-terminal", "payneteasy", "hipay-ecr", "nexo"] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

type Module = Readonly<Record<string, unknown>>;

interface Loaders {
  /** The validators package. */
  readonly validators: () => Promise<Module>;
  /** Packages holding wire layouts: frame layouts (`<Message>Frame`) and `xmlShapes`. */
  readonly layouts?: () => Promise<Module>;
}

/** Imported only when the protocol is named. */
const LOADERS: Readonly<Record<ProtocolName, Loaders>> = {
  wepay: { validators: () => import("@payspec/wepay-validators") },
  "stripe-terminal": { validators: () => import("@payspec/stripe-terminal-validators") },
  payneteasy: { validators: () => import("@payspec/payneteasy-validators") },
  "hipay-ecr": {
    validators: () => import("@payspec/hipay-ecr-validators"),
    layouts: () => import("@payspec/hipay-ecr-types"),
  },
  nexo: {
    validators: () => import("@payspec/nexo-validators"),
    layouts: () => import("@payspec/nexo-client"),
  },
};

export function isProtocol(name: string): name is ProtocolName {
  return (PROTOCOLS as readonly string[]).includes(name);
}

/** A JSON Schema object from a validators package's `schemaBundle` (only what we read of it). */
export interface MessageSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, MessageSchema & { readonly "x-payspec-width"?: FrameWidth }>>;
  readonly required?: readonly string[];
  readonly "x-payspec-encoding"?: string;
  readonly "x-payspec-frame"?: { readonly name: string; readonly version: string };
  readonly "x-payspec-inbound"?: boolean;
}

interface FrameWidth {
  readonly width: number;
  readonly pad?: "zeroLeft" | "spaceRight";
}

/** An XML document root and the message that wraps it in the JSON form (`SaleToPOIRequest` in `NexoRequestMessage`). */
export interface XmlEnvelope {
  readonly root: string;
  readonly wrapper: string | undefined;
  readonly shape: XmlElementShape | undefined;
}

export interface ProtocolCatalog {
  readonly name: ProtocolName;
  /** Every name `validate<Message>` exists for, sorted. */
  readonly messages: readonly string[];
  validator(message: string): Validator<unknown> | undefined;
  /**
   * The validator a server applies to `message` as a form body: it coerces the text leaves to
   * the schema's types (`"1000"` → 1000) before checking. Undefined for messages never sent as forms.
   */
  formValidator(message: string): Validator<unknown> | undefined;
  schema(message: string): MessageSchema | undefined;
  /** Field layout of a fixed-width frame message, in frame order; undefined for other messages. */
  frameLayout(message: string): readonly FrameField[] | undefined;
  /** XML document roots of the protocol (nexo: SaleToPOIRequest, SaleToPOIResponse, Response). */
  readonly xmlEnvelopes: readonly XmlEnvelope[];
}

const catalogs = new Map<ProtocolName, Promise<ProtocolCatalog>>();

export function loadProtocol(name: ProtocolName): Promise<ProtocolCatalog> {
  let catalog = catalogs.get(name);
  if (catalog === undefined) {
    const loaders = LOADERS[name];
    catalog = Promise.all([loaders.validators(), loaders.layouts?.() ?? {}]).then(([validators, layouts]) =>
      buildCatalog(name, validators, layouts),
    );
    catalogs.set(name, catalog);
  }
  return catalog;
}

const VALIDATE = "validate";

function buildCatalog(name: ProtocolName, module: Module, layouts: Module): ProtocolCatalog {
  const validators = new Map<string, Validator<unknown>>();
  for (const [key, value] of Object.entries(module)) {
    if (key.startsWith(VALIDATE) && key.length > VALIDATE.length && isValidator(value)) {
      validators.set(key.slice(VALIDATE.length), value);
    }
  }
  const definitions = schemaDefinitions(module.schemaBundle);
  const schema = (message: string): MessageSchema | undefined =>
    Object.hasOwn(definitions, message) ? definitions[message] : undefined;
  const frameLayouts = new Map<string, readonly FrameField[] | undefined>();
  const formValidators = (module.formValidators ?? {}) as Readonly<Record<string, unknown>>;
  return {
    name,
    messages: [...validators.keys()].sort(),
    validator: (message) => validators.get(message),
    formValidator(message) {
      const validator = Object.hasOwn(formValidators, message) ? formValidators[message] : undefined;
      return isValidator(validator) ? validator : undefined;
    },
    schema,
    frameLayout(message) {
      if (!frameLayouts.has(message)) {
        frameLayouts.set(message, generatedFrameLayout(layouts, message) ?? frameLayoutFromSchema(schema(message)));
      }
      return frameLayouts.get(message);
    },
    xmlEnvelopes: xmlEnvelopes(definitions, xmlLayouts(layouts)),
  };
}

function isValidator(value: unknown): value is Validator<unknown> {
  return typeof value === "function" && typeof (value as Partial<Validator<unknown>>).check === "function";
}

function schemaDefinitions(bundle: unknown): Readonly<Record<string, MessageSchema>> {
  const definitions = (bundle as { $defs?: unknown } | undefined)?.$defs;
  return typeof definitions === "object" && definitions !== null
    ? (definitions as Record<string, MessageSchema>)
    : Object.create(null);
}

/** The generated layout `<Message>Frame` (`{ name, version, width, fields }`), when the package exports it. */
function generatedFrameLayout(layouts: Module, message: string): readonly FrameField[] | undefined {
  const key = `${message}Frame`;
  const layout = Object.hasOwn(layouts, key) ? (layouts[key] as { fields?: unknown } | undefined) : undefined;
  return Array.isArray(layout?.fields) && layout.fields.length > 0 ? (layout.fields as FrameField[]) : undefined;
}

/**
 * The same layout read from the schema, for a frame message whose package does not export it:
 * `x-payspec-frame` marks the model, each property carries `x-payspec-width`
 * (`@Payspec.Wire.fixedWidth`), and property order is frame order.
 */
export function frameLayoutFromSchema(schema: MessageSchema | undefined): readonly FrameField[] | undefined {
  if (schema?.["x-payspec-frame"] === undefined) return undefined;
  const fields: FrameField[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const width = property["x-payspec-width"];
    if (width === undefined) return undefined;
    fields.push({ name, width: width.width, pad: width.pad ?? "spaceRight" });
  }
  return fields.length > 0 ? fields : undefined;
}

/** The generated XML layouts (`xmlShapes`), keyed by the message that wraps each root. */
function xmlLayouts(module: Module): Readonly<Record<string, XmlElementShape>> {
  const value = module.xmlShapes;
  return typeof value === "object" && value !== null ? (value as Record<string, XmlElementShape>) : Object.create(null);
}

/**
 * XML roots from the schema. A message with `x-payspec-encoding: xml` whose only property is
 * named after another message is the JSON form of that root (`NexoRequestMessage` is
 * `{ SaleToPOIRequest }`, `NexoErrorMessage` is `{ Response }`); any other XML message is a root
 * of its own.
 */
function xmlEnvelopes(
  definitions: Readonly<Record<string, MessageSchema>>,
  layouts: Readonly<Record<string, XmlElementShape>>,
): XmlEnvelope[] {
  const xml = Object.keys(definitions).filter((name) => definitions[name]?.["x-payspec-encoding"] === "xml");
  const wrappers = new Map<string, string>();
  for (const name of xml) {
    const properties = Object.keys(definitions[name]?.properties ?? {});
    const only = properties[0];
    if (properties.length === 1 && only !== undefined && Object.hasOwn(definitions, only)) wrappers.set(only, name);
  }
  const wrapperNames = new Set(wrappers.values());
  const roots = new Set([...wrappers.keys(), ...xml.filter((name) => !wrapperNames.has(name))]);
  return [...roots].map((root) => {
    const wrapper = wrappers.get(root);
    const shape = layouts[root] ?? (wrapper === undefined ? undefined : layouts[wrapper]);
    return { root, wrapper, shape };
  });
}
