/**
 * HTTP operations of a spec → descriptor table (see @payspec/runtime `OperationDescriptor`).
 * Read with @typespec/http, so routes, parameters, bodies and responses are exactly what the
 * OpenAPI emitter publishes.
 */
import { getDoc, isErrorModel, type Model, type Operation, type Program, type Type } from "@typespec/compiler";
import { getAllHttpServices, type HttpOperation } from "@typespec/http";
import { collectDeclarations, type Declaration, payspecExtensions } from "../core/declarations.js";

export type BodyEncoding = "json" | "form" | "kv" | "xml" | "text" | "none";

export interface ParamInfo {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  array?: boolean;
  fixed?: string;
  kind?: "number" | "integer" | "boolean";
  /** an array query parameter written as repeated `name=value` pairs (OpenAPI form, explode) */
  explode?: boolean;
  /** TypeSpec type, for the generated input type */
  type: Type;
  doc?: string;
}

export interface ResponseInfo {
  status: number | [number, number] | "default";
  error: boolean;
  contentType?: string;
  encoding: BodyEncoding;
  message?: string;
  xmlRoot?: string;
}

export interface OperationInfo {
  id: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  path: string;
  summary?: string;
  operation: Operation;
  params: ParamInfo[];
  body?: { contentTypes: string[]; encoding: BodyEncoding; message: string; required: boolean; xmlRoot?: string };
  responses: ResponseInfo[];
  safe: boolean;
  idempotencyHeader?: string;
}

const idempotencyHeaders = ["unique-key", "idempotency-key"];

/** The @Payspec.Wire.encoding of a body type, or of the members of a union of messages. */
function declaredEncoding(program: Program, type: Type | undefined): string | undefined {
  if (!type) return undefined;
  const own = payspecExtensions(program, type).encoding as string | undefined;
  if (own || type.kind !== "Union") return own;
  for (const v of type.variants.values()) {
    const e = declaredEncoding(program, v.type);
    if (e) return e;
  }
  return undefined;
}

export function encodingOf(program: Program, contentType: string | undefined, type: Type | undefined): BodyEncoding {
  const declared = declaredEncoding(program, type);
  const ct = (contentType ?? "").toLowerCase();
  if (ct.includes("json")) return "json";
  if (ct.includes("xml")) return "xml";
  if (ct === "application/x-www-form-urlencoded") return "form";
  if (declared === "kv" || declared === "form" || declared === "json" || declared === "xml") return declared;
  if (ct.startsWith("text/")) return "text";
  return ct ? "text" : "none";
}

const integers = new Set([
  "integer",
  "int64",
  "int32",
  "int16",
  "int8",
  "uint64",
  "uint32",
  "uint16",
  "uint8",
  "safeint",
]);

/** The scalar kind of a parameter type, following custom scalars and literal unions to their base. */
export function scalarKind(t: Type): "string" | "number" | "integer" | "boolean" {
  if (t.kind === "Number") return Number.isInteger(t.value) ? "integer" : "number";
  if (t.kind === "Boolean") return "boolean";
  if (t.kind === "Union") {
    const kinds = new Set([...t.variants.values()].map((v) => scalarKind(v.type)));
    return kinds.size === 1 ? [...kinds][0]! : "string";
  }
  if (t.kind !== "Scalar") return "string";
  for (let s: typeof t | undefined = t; s; s = s.baseScalar) {
    if (s.namespace?.name !== "TypeSpec") continue;
    if (integers.has(s.name)) return "integer";
    if (s.name === "boolean") return "boolean";
    if (["numeric", "float", "float32", "float64", "decimal", "decimal128"].includes(s.name)) return "number";
    return "string";
  }
  return "string";
}

/** `Readers.list` → `readersList`; a namespace-level `sale` stays `sale`. */
export function operationId(op: Operation): string {
  if (op.interface)
    return (
      op.interface.name.charAt(0).toLowerCase() +
      op.interface.name.slice(1) +
      op.name.charAt(0).toUpperCase() +
      op.name.slice(1)
    );
  return op.name;
}

function messageName(names: Map<Type, string>, t: Type | undefined, where: string): string | undefined {
  if (!t) return undefined;
  const n = names.get(t);
  if (n) return n;
  if (t.kind === "Model" && t.name === "Array" && t.indexer) {
    // An array body of a named model (HiPay answers `[ {...} ]`) needs a named alias in the spec.
    throw new Error(`${where}: an array body needs a named model (e.g. \`model Xs is X[]\`)`);
  }
  if (t.kind === "Intrinsic" || t.kind === "String" || t.kind === "Scalar") return undefined;
  throw new Error(`${where}: body type ${"name" in t ? String(t.name) : t.kind} is not a named message`);
}

/** The XML root element of a JSON-wrapped nexo message: `{ SaleToPOIRequest: {...} }` → "SaleToPOIRequest". */
function xmlRootOf(t: Type | undefined): string | undefined {
  if (t?.kind !== "Model" || t.properties.size !== 1) return undefined;
  return [...t.properties.keys()][0];
}

export function collectOperations(
  program: Program,
  declarations: Declaration[] = collectDeclarations(program),
): OperationInfo[] {
  const names = new Map<Type, string>(declarations.map((d) => [d.type as Type, d.name]));
  const [services, diagnostics] = getAllHttpServices(program);
  if (diagnostics.length > 0)
    throw new Error(`HTTP diagnostics in spec: ${diagnostics.map((d) => d.message).join("; ")}`);
  const out: OperationInfo[] = [];
  const ids = new Set<string>();
  for (const service of services) {
    for (const op of service.operations) {
      const info = describe(program, names, op);
      if (ids.has(info.id)) throw new Error(`two operations with id ${info.id}`);
      ids.add(info.id);
      out.push(info);
    }
  }
  return out;
}

function describe(program: Program, names: Map<Type, string>, http: HttpOperation): OperationInfo {
  const id = operationId(http.operation);
  const params: ParamInfo[] = [];
  for (const p of http.parameters.parameters) {
    if (p.type === "cookie") continue;
    const t = p.param.type;
    const info: ParamInfo = { name: p.name, in: p.type, required: !p.param.optional, type: t };
    const text = getDoc(program, p.param);
    if (text) info.doc = text;
    if (t.kind === "Model" && t.name === "Array") info.array = true;
    if (info.array && p.type === "query" && p.explode) info.explode = true;
    const kind = scalarKind(t.kind === "Model" && t.name === "Array" && t.indexer ? t.indexer.value : t);
    if (kind !== "string") info.kind = kind;
    if (t.kind === "String") info.fixed = t.value;
    params.push(info);
  }
  const method = http.verb.toUpperCase() as OperationInfo["method"];
  const info: OperationInfo = {
    id,
    method,
    path: http.path,
    operation: http.operation,
    params,
    responses: [],
    safe: method === "GET" || method === "HEAD" || method === "DELETE",
  };
  const idem = params.find((p) => p.in === "header" && idempotencyHeaders.includes(p.name.toLowerCase()));
  if (idem) info.idempotencyHeader = idem.name;
  const body = http.parameters.body;
  if (body && body.bodyKind === "single") {
    const contentTypes = body.contentTypes.length > 0 ? [...body.contentTypes] : ["application/json"];
    const message = messageName(names, body.type, `${id} request`);
    if (message) {
      const encoding = encodingOf(program, contentTypes[0], body.type);
      info.body = { contentTypes, encoding, message, required: !(body.property?.optional ?? false) };
      const root = encoding === "xml" || contentTypes.some((c) => c.includes("xml")) ? xmlRootOf(body.type) : undefined;
      if (root) info.body.xmlRoot = root;
    }
  }
  for (const r of http.responses) {
    const status: ResponseInfo["status"] =
      typeof r.statusCodes === "number"
        ? r.statusCodes
        : r.statusCodes === "*"
          ? "default"
          : [r.statusCodes.start, r.statusCodes.end];
    const error = isErrorModel(program, r.type) || (typeof status === "number" && status >= 400);
    const contents = r.responses.flatMap((c) =>
      c.body ? c.body.contentTypes.map((ct) => ({ ct, t: c.body!.type })) : [],
    );
    if (contents.length === 0) {
      info.responses.push({ status, error, encoding: "none" });
      continue;
    }
    for (const { ct, t } of contents) {
      // An error model with its own @statusCode has an anonymous body (the model without the
      // status): it is still that message.
      const anonymous = t.kind === "Model" && !t.name && names.has(r.type);
      const message = anonymous ? names.get(r.type) : messageName(names, t, `${id} ${String(status)} response`);
      const ri: ResponseInfo = { status, error, contentType: ct, encoding: encodingOf(program, ct, t) };
      if (message) ri.message = message;
      const root = ct.includes("xml") ? xmlRootOf(t) : undefined;
      if (root) ri.xmlRoot = root;
      info.responses.push(ri);
    }
  }
  return info;
}

export type { Model };
