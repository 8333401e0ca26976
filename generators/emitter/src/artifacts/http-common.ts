/** Pieces shared by the client and server generators: the operation table and the input/reply types. */
import { getDoc, getSummary, type Program, type Type } from "@typespec/compiler";
import { type Code, doc, header, id, join, lit, prop, raw, ts } from "../core/code.js";
import { collectDeclarations, type Declaration, serviceNamespace } from "../core/declarations.js";
import { collectOperations, type OperationInfo, type ResponseInfo } from "./operations.js";
import { type TypeContext, typeExpression } from "./type-expression.js";
import { shapesModule, xmlShapesFor } from "./xml-shapes.js";

/** The service namespace name: `WePay`, `StripeTerminal`, `Nexo`. Names the client class and plugin. */
export function serviceName(program: Program): string {
  return serviceNamespace(program).name;
}

export const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The descriptor table as a literal (`satisfies OperationDescriptor`). */
export function operationTable(ops: OperationInfo[]): Code {
  const entries = ops.map((op) => {
    const d: Record<string, unknown> = {
      id: op.id,
      method: op.method,
      path: op.path,
      params: op.params.map((p) => ({
        name: p.name,
        in: p.in,
        required: p.required,
        ...(p.array ? { array: true } : {}),
        ...(p.explode ? { explode: true } : {}),
        ...(p.fixed !== undefined ? { fixed: p.fixed } : {}),
        ...(p.kind ? { kind: p.kind } : {}),
      })),
      ...(op.body ? { body: op.body } : {}),
      responses: op.responses,
      safe: op.safe,
      ...(op.idempotencyHeader ? { idempotencyHeader: op.idempotencyHeader } : {}),
    };
    return ts`  ${id(op.id)}: ${lit(d)},`;
  });
  return ts`export const operations = {\n${entries}\n} as const satisfies Record<string, OperationDescriptor>;\n`;
}

/** Header parameters the runtime fills itself: a client never has to pass them. */
function filledByRuntime(name: string): boolean {
  const n = name.toLowerCase();
  return n === "content-type" || n === "authorization" || n === "accept";
}

/** `export interface SaleInput { endpointid: string; body: SaleRequest }` */
export function inputType(ctx: TypeContext, op: OperationInfo, names: Map<Type, string>): Code {
  const lines: Code[] = [];
  for (const p of op.params) {
    if (p.fixed !== undefined) continue;
    const optional = !p.required || (p.in === "header" && filledByRuntime(p.name));
    const text = p.doc ?? `${p.in} parameter ${p.name}`;
    lines.push(ts`${doc(text, "  ")}  ${prop(p.name)}${raw(optional ? "?" : "")}: ${typeExpression(ctx, p.type)};`);
  }
  if (op.body) {
    ctx.refs.add(op.body.message);
    lines.push(
      ts`  /** request body (${raw(op.body.contentTypes.join(", "))}) */\n  body${raw(op.body.required ? "" : "?")}: ${id(op.body.message)};`,
    );
  }
  void names;
  return ts`export interface ${id(`${upper(op.id)}Input`)} {\n${lines}\n}\n`;
}

function bodyType(ctx: TypeContext, r: ResponseInfo): Code {
  if (!r.message) return r.encoding === "none" ? raw("undefined") : raw("string");
  ctx.refs.add(r.message);
  return id(r.message);
}

/** Union of the success bodies (what a client method resolves to). */
export function successType(ctx: TypeContext, op: OperationInfo): Code {
  const bodies = op.responses.filter((r) => !r.error).map((r) => bodyType(ctx, r).text);
  const unique = [...new Set(bodies)];
  return raw(unique.length === 0 ? "undefined" : unique.join(" | "));
}

/** Union of the error bodies (what the protocol's error class carries). */
export function errorBodies(ctx: TypeContext, ops: OperationInfo[]): Code {
  const bodies = new Set<string>();
  for (const op of ops) for (const r of op.responses) if (r.error && r.message) bodies.add(bodyType(ctx, r).text);
  return raw(bodies.size === 0 ? "unknown" : [...bodies].sort().join(" | "));
}

/** `{ status: 200; body: SessionToken } | { status: 400; body: ApiError }` for a handler's return. */
export function replyType(ctx: TypeContext, op: OperationInfo): Code {
  const parts = op.responses.map((r) => {
    const status = typeof r.status === "number" ? lit(r.status) : raw("number");
    const body = bodyType(ctx, r);
    const optional = r.encoding === "none";
    return ts`{ status: ${status}; body${raw(optional ? "?" : "")}: ${body}; headers?: Record<string, string> }`;
  });
  // The same status and body in two media types (nexo XML and JSON) is one member.
  const unique = [...new Map(parts.map((p) => [p.text, p])).values()];
  return join(unique.length > 0 ? unique : [raw("{ status: number; body?: unknown }")], " | ");
}

export function summaryOf(program: Program, op: OperationInfo): string | undefined {
  return getSummary(program, op.operation) ?? getDoc(program, op.operation);
}

export function typeImports(refs: Set<string>, protocol: string, declarations: Declaration[]): Code {
  const known = new Set(declarations.map((d) => d.name));
  const names = [...refs].filter((r) => known.has(r)).sort();
  if (names.length === 0) return raw("");
  return ts`import type {\n${names.map((n) => ts`  ${id(n)},`)}\n} from ${lit(`@payspec/${protocol}-types`)};\n`;
}

/** The generated `xml-shapes.gen.ts`: layouts of every message an operation sends or receives as XML. */
export function xmlShapesFile(
  program: Program,
  ops: OperationInfo[],
  declarations: Declaration[],
  generator: string,
): string {
  const byName = new Map<string, Type>(declarations.map((d) => [d.name, d.type as Type]));
  const messages = new Map<string, Type>();
  for (const op of ops) {
    if (op.body?.contentTypes.some((c) => c.includes("xml")))
      messages.set(op.body.message, byName.get(op.body.message)!);
    for (const r of op.responses)
      if (r.message && r.contentType?.includes("xml")) messages.set(r.message, byName.get(r.message)!);
  }
  return `${header(generator)}import type { XmlElementShape } from "@payspec/runtime";

${shapesModule(xmlShapesFor(program, messages))}`;
}

/** What both the client and the server generators start from: the service's declarations, operations and input types. */
export interface HttpEmitContext {
  declarations: Declaration[];
  ops: OperationInfo[];
  service: string;
  ctx: TypeContext;
  /** `export interface <Op>Input {...}` per operation, in operation order */
  inputs: Code[];
}

export function httpEmitContext(program: Program): HttpEmitContext {
  const declarations = collectDeclarations(program);
  const names = new Map<Type, string>(declarations.map((d) => [d.type as Type, d.name]));
  const ops = collectOperations(program, declarations);
  const ctx: TypeContext = { program, names, refs: new Set() };
  const inputs = ops.map((op) => inputType(ctx, op, names));
  return { declarations, ops, service: serviceName(program), ctx, inputs };
}
