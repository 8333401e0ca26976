/**
 * Walks a protocol's service namespace and lists what becomes one generated file each:
 * models, enums, unions and scalars, in declaration order, with the name the JSON Schema
 * bundle uses for them (so a type, its validator and its schema share one name).
 */
import {
  type Enum,
  getDoc,
  isTemplateDeclaration,
  listServices,
  type Model,
  type Namespace,
  type Operation,
  type Program,
  type Scalar,
  type Type,
  type Union,
} from "@typespec/compiler";
import { getExtensions } from "@typespec/openapi";

export type Declaration =
  | { kind: "Model"; name: string; type: Model; doc?: string }
  | { kind: "Enum"; name: string; type: Enum; doc?: string }
  | { kind: "Union"; name: string; type: Union; doc?: string }
  | { kind: "Scalar"; name: string; type: Scalar; doc?: string };

export function serviceNamespace(program: Program): Namespace {
  const [service] = listServices(program);
  if (!service) throw new Error("the spec has no @service namespace");
  return service.type;
}

/** The namespaces of a service, itself first, then nested ones depth-first in declaration order. */
export function namespacesOf(ns: Namespace): Namespace[] {
  return [ns, ...[...ns.namespaces.values()].flatMap(namespacesOf)];
}

/** Declaration name of a template instance, e.g. `ListEnvelope<Reader>` → `ListEnvelopeReader`. */
export function instanceName(model: Model): string {
  const args = model.templateMapper?.args ?? [];
  const parts = args.map((a) => ("name" in a && typeof a.name === "string" ? a.name : "T"));
  return model.name + parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");
}

export function collectDeclarations(program: Program): Declaration[] {
  const out: Declaration[] = [];
  const seen = new Set<Type>();
  const names = new Map<string, Type>();
  const add = (d: Declaration) => {
    if (seen.has(d.type)) return;
    const clash = names.get(d.name);
    if (clash && clash !== d.type) throw new Error(`two declarations named ${d.name}`);
    seen.add(d.type);
    names.set(d.name, d.type);
    const text = getDoc(program, d.type);
    out.push(text ? { ...d, doc: text } : d);
  };
  for (const ns of namespacesOf(serviceNamespace(program))) {
    for (const m of ns.models.values()) {
      if (!isTemplateDeclaration(m) && !isHttpAuthModel(m)) add({ kind: "Model", name: m.name, type: m });
    }
    for (const e of ns.enums.values()) add({ kind: "Enum", name: e.name, type: e });
    for (const u of ns.unions.values()) {
      if (!isTemplateDeclaration(u) && u.name) add({ kind: "Union", name: u.name, type: u });
    }
    for (const s of ns.scalars.values()) add({ kind: "Scalar", name: s.name, type: s });
  }
  // Template instances and library types referenced from the service become declarations too.
  const visit = (t: Type, depth: number): void => {
    if (depth > 64) return;
    if (t.kind === "Model") {
      if (isNamedInstance(t) && !seen.has(t)) add({ kind: "Model", name: instanceName(t), type: t });
      else if (isLibraryDeclaration(program, t) && !seen.has(t)) add({ kind: "Model", name: t.name, type: t });
      for (const p of t.properties.values()) visit(p.type, depth + 1);
      if (t.indexer) visit(t.indexer.value, depth + 1);
      for (const a of t.templateMapper?.args ?? []) if ("kind" in a) visit(a as Type, depth + 1);
      if (t.baseModel) visit(t.baseModel, depth + 1);
    } else if (t.kind === "Union") {
      for (const v of t.variants.values()) visit(v.type, depth + 1);
    } else if (t.kind === "Scalar" && isLibraryDeclaration(program, t)) {
      add({ kind: "Scalar", name: t.name, type: t });
    } else if (t.kind === "Enum" && isLibraryDeclaration(program, t)) {
      add({ kind: "Enum", name: t.name, type: t });
    } else if (t.kind === "Tuple") {
      for (const v of t.values) visit(v, depth + 1);
    }
  };
  for (const d of [...out]) {
    if (d.kind === "Model") visit(d.type, 0);
    if (d.kind === "Union") visit(d.type, 0);
  }
  for (const op of operationsOf(serviceNamespace(program))) {
    for (const p of op.parameters.properties.values()) visit(p.type, 0);
    visit(op.returnType, 0);
  }
  return out;
}

/** Every operation of the service: namespace-level first, then interface members, in declaration order. */
export function operationsOf(ns: Namespace): Operation[] {
  return namespacesOf(ns)
    .flatMap((n) => [
      ...n.operations.values(),
      ...[...n.interfaces.values()].flatMap((i) => [...i.operations.values()]),
    ])
    .filter((op) => !isTemplateDeclaration(op));
}

/** An auth scheme declared with `model X is ApiKeyAuth<...>`: metadata for clients, not a message. */
function isHttpAuthModel(m: Model): boolean {
  for (let src: Model | undefined = m.sourceModel; src; src = src.sourceModel) {
    if (src.namespace?.name === "Http" && src.namespace.namespace?.name === "TypeSpec") return true;
  }
  return false;
}

/** A named template instance such as `ListEnvelope<Reader>` (not Array/Record). */
export function isNamedInstance(m: Model): boolean {
  return !!m.name && m.name !== "Array" && m.name !== "Record" && !!m.templateMapper && !m.indexer;
}

/** A declaration of our shared spec library (Payspec.*), not the TypeSpec standard library. */
export function isLibraryDeclaration(_program: Program, t: Model | Scalar | Enum): boolean {
  let ns = t.namespace;
  while (ns?.namespace && ns.namespace.name !== "") ns = ns.namespace;
  return !!t.name && ns?.name === "Payspec" && !isTemplateDeclaration(t as Model);
}

/** The `x-payspec-*` facts our spec decorators recorded on a type (see specs/lib/index.js). */
export function payspecExtensions(program: Program, t: Type): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of getExtensions(program, t)) if (k.startsWith("x-payspec-")) out[k.slice(10)] = v;
  return out;
}
