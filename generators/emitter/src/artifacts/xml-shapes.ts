/**
 * XML layouts of the messages that travel as XML (nexo), for the runtime XML codec: which
 * properties are attributes, the order of child elements (declaration order = nexo schema
 * order), which repeat, which are xs:lists (`x-nexo-xml-list`), which are text content
 * (`@Xml.unwrapped` scalar) and which have no element of their own (`@Xml.unwrapped` model).
 */
import { type Model, type ModelProperty, type Program, resolveEncodedName, type Type } from "@typespec/compiler";
import { getExtensions } from "@typespec/openapi";
import { isAttribute, isUnwrapped } from "@typespec/xml";
import { scalarKind } from "./operations.js";

export type ScalarKind = "string" | "number" | "boolean" | "list";
export interface XmlChildShape {
  name: string;
  shape: XmlShape | ScalarKind;
  array?: boolean;
  transparent?: boolean;
}
export interface XmlShape {
  attributes?: Record<string, ScalarKind>;
  children?: XmlChildShape[];
  text?: { name: string; kind: ScalarKind };
}

function properties(m: Model): ModelProperty[] {
  const chain: Model[] = [];
  for (let cur: Model | undefined = m; cur; cur = cur.baseModel) chain.unshift(cur);
  return chain.flatMap((c) => [...c.properties.values()]);
}

function xmlName(program: Program, p: ModelProperty): string {
  return resolveEncodedName(program, p, "application/xml");
}

function kindOf(t: Type): ScalarKind {
  const k = scalarKind(t);
  return k === "integer" ? "number" : k;
}

function listMode(program: Program, p: ModelProperty): string | undefined {
  for (const [k, v] of getExtensions(program, p)) if (k === "x-nexo-xml-list") return String(v);
  return undefined;
}

/** A model's element layout. Models referenced more than once share one shape object (cycles included). */
export function shapeOf(program: Program, model: Model, memo = new Map<Model, XmlShape>()): XmlShape {
  const known = memo.get(model);
  if (known) return known;
  const shape: XmlShape = {};
  memo.set(model, shape);
  const children: XmlChildShape[] = [];
  for (const p of properties(model)) {
    const name = xmlName(program, p);
    const list = listMode(program, p);
    if (isAttribute(program, p) || list === "attribute") {
      shape.attributes ??= {};
      shape.attributes[name] = list ? "list" : kindOf(p.type);
      continue;
    }
    const t = p.type;
    if (list === "element") {
      children.push({ name, shape: "list" });
      continue;
    }
    const isArray = t.kind === "Model" && t.name === "Array" && !!t.indexer;
    const item = isArray && t.kind === "Model" ? t.indexer!.value : t;
    const itemModel = modelOf(item);
    if (isUnwrapped(program, p) && !isArray) {
      if (itemModel) children.push({ name, shape: shapeOf(program, itemModel, memo), transparent: true });
      else shape.text = { name, kind: kindOf(item) };
      continue;
    }
    const child: XmlChildShape = { name, shape: itemModel ? shapeOf(program, itemModel, memo) : kindOf(item) };
    if (isArray) child.array = true;
    children.push(child);
  }
  if (children.length > 0) shape.children = children;
  return shape;
}

/** The model behind a type (a union of models merges their properties: one element, any of them). */
function modelOf(t: Type): Model | undefined {
  if (t.kind === "Model" && !t.indexer) return t;
  return undefined;
}

/**
 * Layouts by body message name. A message typed in its JSON form `{ SaleToPOIRequest: {...} }`
 * maps to the layout of its single property's model, the XML root.
 */
export function xmlShapesFor(program: Program, messages: Map<string, Type>): Record<string, XmlShape> {
  const memo = new Map<Model, XmlShape>();
  const out: Record<string, XmlShape> = {};
  for (const [name, t] of [...messages].sort(([a], [b]) => a.localeCompare(b))) {
    if (t.kind !== "Model") continue;
    const props = [...t.properties.values()];
    const root = props.length === 1 ? modelOf(props[0]!.type) : undefined;
    out[name] = shapeOf(program, root ?? t, memo);
  }
  return out;
}

/**
 * Serialises layouts as TypeScript: a shape used more than once becomes a named constant, so
 * the emitted module has the same sharing (and the same cycles, through getters) as the model.
 */
export function shapesModule(shapes: Record<string, XmlShape>): string {
  const uses = new Map<XmlShape, number>();
  const count = (s: XmlShape) => {
    const n = (uses.get(s) ?? 0) + 1;
    uses.set(s, n);
    if (n > 1) return;
    for (const c of s.children ?? []) if (typeof c.shape !== "string") count(c.shape);
  };
  for (const s of Object.values(shapes)) count(s);
  const names = new Map<XmlShape, string>();
  let i = 0;
  for (const [s, n] of uses) if (n > 1) names.set(s, `shape${i++}`);
  const render = (s: XmlShape, top: boolean): string => {
    const named = names.get(s);
    if (named && !top) return named;
    const parts: string[] = [];
    if (s.attributes) parts.push(`attributes: ${JSON.stringify(s.attributes)}`);
    if (s.text) parts.push(`text: ${JSON.stringify(s.text)}`);
    if (s.children) {
      const kids = s.children.map((c) => {
        const flags = `${c.array ? ", array: true" : ""}${c.transparent ? ", transparent: true" : ""}`;
        const named = typeof c.shape === "string" ? undefined : names.get(c.shape);
        // A getter defers a reference to a named shape, so shapes may refer to each other in any order.
        const shape = named
          ? `get shape() { return ${named}; }`
          : `shape: ${typeof c.shape === "string" ? JSON.stringify(c.shape) : render(c.shape, false)}`;
        return `{ name: ${JSON.stringify(c.name)}, ${shape}${flags} }`;
      });
      parts.push(`children: [${kids.join(", ")}]`);
    }
    return `{ ${parts.join(", ")} }`;
  };
  const lines: string[] = [];
  for (const [s, name] of names) lines.push(`const ${name}: XmlElementShape = ${render(s, true)};`);
  const entries = Object.entries(shapes).map(([k, s]) => `  ${JSON.stringify(k)}: ${render(s, false)},`);
  return `${lines.join("\n")}${lines.length ? "\n\n" : ""}/** XML layouts of the messages that travel as XML, by message name. */\nexport const xmlShapes: Readonly<Record<string, XmlElementShape>> = {\n${entries.join("\n")}\n};\n`;
}
