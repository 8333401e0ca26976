/**
 * `@opExample`s of every HTTP operation, resolved to the wire: parameters by their wire names,
 * the request body, the response status and body. Emitted as data so round-trip tests, the
 * simulators' fixtures and the docs use exactly what the spec says.
 */
import {
  getOpExamples,
  isErrorModel,
  type Program,
  serializeValueAsJson,
  type Type,
  type Value,
} from "@typespec/compiler";
import { getAllHttpServices, type HttpOperation, type HttpProperty } from "@typespec/http";
import { operationId } from "./operations.js";

export interface OperationExample {
  title: string;
  /** `{ <wire param name>: value, body? }`: what a client method takes */
  input: Record<string, unknown>;
  status: number;
  response?: unknown;
}

function at(value: Value | undefined, path: readonly (string | number)[]): Value | undefined {
  let cur = value;
  for (const key of path) {
    if (cur?.valueKind !== "ObjectValue") return undefined;
    cur = cur.properties.get(String(key))?.value;
  }
  return cur;
}

function json(program: Program, value: Value, type: Type): unknown {
  return serializeValueAsJson(program, value, type);
}

function requestInput(program: Program, http: HttpOperation, params: Value | undefined): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (!params) return input;
  const bodyProps: Record<string, unknown> = {};
  let spread = false;
  for (const p of http.parameters.properties as HttpProperty[]) {
    const v = at(params, p.path);
    if (v === undefined) continue;
    switch (p.kind) {
      case "path":
      case "query":
      case "header":
        // A fixed value (`Api-Version: 3.0`, a content type) is the client's to send, not the caller's.
        if (p.property.type.kind === "String" || p.options.name.toLowerCase() === "content-type") break;
        input[p.options.name] = json(program, v, p.property.type);
        break;
      case "body":
      case "bodyRoot":
        input.body = json(program, v, p.property.type);
        break;
      case "bodyProperty":
        spread = true;
        bodyProps[p.property.name] = json(program, v, p.property.type);
        break;
      default:
        break;
    }
  }
  if (spread && input.body === undefined) input.body = bodyProps;
  return input;
}

function responseOf(
  program: Program,
  http: HttpOperation,
  value: Value | undefined,
): { status: number; response?: unknown } | undefined {
  if (!value) return undefined;
  const candidates: { status: number; response?: unknown; exact: boolean }[] = [];
  for (const r of http.responses) {
    const codes = typeof r.statusCodes === "number" ? [r.statusCodes] : [];
    for (const content of r.responses) {
      const statusProp = content.properties.find((p) => p.kind === "statusCode");
      const bodyProp = content.properties.find((p) => p.kind === "body" || p.kind === "bodyRoot");
      const declared = statusProp ? at(value, statusProp.path) : undefined;
      const status = declared?.valueKind === "NumericValue" ? (declared.value.asNumber() ?? codes[0]) : codes[0];
      if (status === undefined) continue;
      // An example that names its status belongs to the response that declares that status.
      if (declared && !statusIn(status, r.statusCodes)) continue;
      if (statusProp && declared) {
        const body = bodyProp ? at(value, bodyProp.path) : undefined;
        const response = body && content.body ? json(program, body, content.body.type) : undefined;
        candidates.push({ status, ...(response === undefined ? {} : { response }), exact: true });
      } else if (!isErrorModel(program, r.type) && status < 400 && content.body) {
        // `{ @body body: X }`: the example value holds the body under that property.
        const body = bodyProp?.kind === "body" && bodyProp.path.length > 0 ? at(value, bodyProp.path) : value;
        if (body) candidates.push({ status, response: json(program, body, content.body.type), exact: false });
      } else if (!isErrorModel(program, r.type) && status < 400 && !content.body) {
        candidates.push({ status, exact: false });
      }
    }
  }
  const best = candidates.find((c) => c.exact) ?? candidates.find((c) => c.response !== undefined) ?? candidates[0];
  return best && { status: best.status, ...(best.response === undefined ? {} : { response: best.response }) };
}

function statusIn(status: number, codes: HttpOperation["responses"][number]["statusCodes"]): boolean {
  if (typeof codes === "number") return codes === status;
  if (codes === "*") return true;
  return status >= codes.start && status <= codes.end;
}

export function collectExamples(program: Program): Record<string, OperationExample[]> {
  const [services] = getAllHttpServices(program);
  const out: Record<string, OperationExample[]> = {};
  for (const service of services) {
    for (const http of service.operations) {
      const id = operationId(http.operation);
      const list: OperationExample[] = [];
      getOpExamples(program, http.operation).forEach((ex, i) => {
        const r = responseOf(program, http, ex.returnType);
        if (!r) return;
        list.push({ title: ex.title ?? `example ${i + 1}`, input: requestInput(program, http, ex.parameters), ...r });
      });
      out[id] = list;
    }
  }
  return out;
}
