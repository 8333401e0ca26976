/**
 * What a generated server calls: mounts every operation of a descriptor table on a fastify
 * instance. Bodies arrive as text through our own codecs (size-limited, no prototype keys,
 * XML without entities), are validated with the build-time validators, and bad input is
 * answered in the vendor's own error shape through the protocol's `reject` hook — never a 5xx.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { decodeForm } from "../codecs/form.js";
import { encodeJson } from "../codecs/json.js";
import type { XmlElementShape } from "../codecs/xml.js";
import { CodecError } from "../errors.js";
import { decodeBody, encodeBody } from "../http/body.js";
import {
  type BodyEncoding,
  encodingFor,
  matchResponse,
  type OperationDescriptor,
  routePath,
} from "../http/operation.js";
import type { ValidationIssue } from "../validation/issues.js";
import { FAULT_HEADER, type FaultPlan, mergeFaults, parseFaultHeader } from "./faults.js";

/** What a handler returns: a status from the spec and its body. */
export interface Reply<S extends number = number, B = unknown> {
  status: S;
  body?: B;
  headers?: Record<string, string>;
}

/** What a handler receives: every parameter by its wire name, and the decoded, validated body. */
export interface HandlerInput {
  readonly [name: string]: unknown;
}

export interface HandlerContext {
  readonly op: OperationDescriptor;
  /** faults in force for this request (run plan + `Payspec-Fault` header): busy, decline, disconnect are the handler's to act on */
  readonly faults: FaultPlan;
  readonly request: FastifyRequest;
  /** the raw body text, for signature checks (OAuth) */
  readonly rawBody: string | undefined;
}

export type Handler = (input: HandlerInput, ctx: HandlerContext) => Promise<Reply> | Reply;

export type RejectReason =
  /** `body` is the decoded request body when it could be decoded (nexo echoes its MessageHeader) */
  | { kind: "invalid"; issues: ValidationIssue[]; body?: unknown }
  | { kind: "unauthorized"; message: string }
  | { kind: "not-found"; message: string; method?: string; url?: string }
  | { kind: "too-large"; message: string }
  | { kind: "unsupported-media-type"; message: string }
  | { kind: "internal"; message: string };

export interface MountOptions {
  /** the vendor-shaped answer for a request we refuse */
  reject(reason: RejectReason, op: OperationDescriptor | undefined): Reply;
  /**
   * Message validators by name; each returns issues (empty when valid). `encoding` is the body's
   * wire form: a form body's validator may coerce its text leaves in place.
   */
  validate(message: string, value: unknown, encoding?: BodyEncoding): ValidationIssue[];
  /** checks an operation's path, query and header parameters (by wire name) against their schemas */
  validateParams?: (op: OperationDescriptor, params: Readonly<Record<string, unknown>>) => ValidationIssue[];
  /** credential check, before the body is decoded; return a reason to refuse */
  authenticate?: (
    request: FastifyRequest,
    op: OperationDescriptor,
    rawBody: string | undefined,
  ) => RejectReason | undefined | Promise<RejectReason | undefined>;
  xmlShapes?: Readonly<Record<string, XmlElementShape>>;
  /** largest accepted body; default 1 MiB. Larger is answered 413 in the vendor's shape */
  bodyLimit?: number;
  /**
   * Wire form of a reply no response of the spec describes (unknown route, an undeclared status):
   * Payneteasy answers `text/html` key=value, nexo its own XML or JSON. Default JSON.
   */
  errorEncoding?: { contentType: string; encoding: BodyEncoding };
  /** route prefix, e.g. when mounting two protocols on one app */
  prefix?: string;
  /** faults for every request (simulators); a request adds its own with the `Payspec-Fault` header */
  faults?: FaultPlan | (() => FaultPlan);
  /** honour the `Payspec-Fault` request header; default true when `faults` is set */
  faultHeader?: boolean;
}

const textTypes = [
  "application/json",
  "application/x-www-form-urlencoded",
  "application/xml",
  "text/xml",
  "text/html",
  "text/plain",
];

/** The response descriptor for `status`, preferring the media type the request came in (nexo: XML in, XML out). */
function responseFor(op: OperationDescriptor | undefined, status: number, requestType: string | undefined) {
  if (!op) return undefined;
  const same = op.responses.find(
    (x) => x.status === status && x.contentType !== undefined && x.contentType === requestType,
  );
  return same ?? matchResponse(op, status);
}

function send(reply: FastifyReply, op: OperationDescriptor | undefined, r: Reply, options: MountOptions): FastifyReply {
  const requestType = (reply.request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase() || undefined;
  const d = responseFor(op, r.status, requestType);
  if (r.headers) reply.headers(r.headers);
  reply.code(r.status);
  if (r.body === undefined || r.status === 204) return reply.send();
  const fallback = options.errorEncoding ?? { contentType: "application/json", encoding: "json" as const };
  const encoding = d ? encodingFor(r.headers?.["content-type"] ?? d.contentType, d.encoding) : fallback.encoding;
  const type = d?.contentType ?? fallback.contentType;
  let text: string;
  try {
    text = encodeBody(encoding, r.body, options.xmlShapes, d?.message, d?.xmlRoot);
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
    // A reply its wire form cannot carry (an echoed NUL in XML): JSON rather than a 5xx for bad input.
    reply.header("content-type", "application/json; charset=utf-8");
    return reply.send(encodeJson(r.body));
  }
  const textual = encoding === "json" || encoding === "xml" || encoding === "kv" || type.startsWith("text/");
  reply.header("content-type", textual && !type.includes("charset") ? `${type}; charset=utf-8` : type);
  return reply.send(text);
}

/** Registers the routes of `ops` with `handlers` (by operation id). Call inside a plugin or on the root app. */
export function mountOperations(
  app: FastifyInstance,
  ops: readonly OperationDescriptor[],
  handlers: Readonly<Record<string, Handler>>,
  options: MountOptions,
): void {
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(textTypes, { parseAs: "string", bodyLimit }, (_req, body, done) => done(null, body));
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const op = (request.routeOptions.config as { op?: OperationDescriptor } | undefined)?.op;
    if (err.statusCode === 413 || err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return send(
        reply,
        op,
        { ...options.reject({ kind: "too-large", message: `body over ${bodyLimit} bytes` }, op), status: 413 },
        options,
      );
    }
    if (err.statusCode === 415 || err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return send(
        reply,
        op,
        { ...options.reject({ kind: "unsupported-media-type", message: err.message }, op), status: 415 },
        options,
      );
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(
        reply,
        op,
        options.reject({ kind: "invalid", issues: [{ path: "", message: err.message, keyword: "request" }] }, op),
        options,
      );
    }
    request.log.error({ err: { message: err.message, code: err.code } }, "handler failed");
    return send(reply, op, options.reject({ kind: "internal", message: "internal error" }, op), options);
  });
  app.setNotFoundHandler((request, reply) =>
    send(
      reply,
      undefined,
      options.reject(
        {
          kind: "not-found",
          message: `no route ${request.method} ${request.url.split("?")[0]}`,
          method: request.method,
          url: request.url.split("?")[0] ?? "/",
        },
        undefined,
      ),
      options,
    ),
  );

  for (const op of ops) {
    const handler = handlers[op.id];
    if (!handler) throw new Error(`no handler for operation ${op.id}`);
    app.route({
      method: op.method,
      url: (options.prefix ?? "") + routePath(op.path),
      bodyLimit,
      // No automatic HEAD twin: a GET of a terminal API can be an action (HiPay GET /reset).
      exposeHeadRoute: false,
      config: { op },
      handler: async (request, reply) => {
        const rawBody = typeof request.body === "string" ? request.body : undefined;
        let faults: FaultPlan = {};
        if (options.faults !== undefined || options.faultHeader === true) {
          const run = typeof options.faults === "function" ? options.faults() : options.faults;
          const header = options.faultHeader === false ? undefined : request.headers[FAULT_HEADER];
          const parsed = parseFaultHeader(typeof header === "string" ? header : undefined);
          if (parsed.unknown.length > 0) {
            const issues = parsed.unknown.map((w) => ({
              path: `/${FAULT_HEADER}`,
              message: `unknown fault ${JSON.stringify(w)}`,
              keyword: "enum",
            }));
            return send(reply, op, options.reject({ kind: "invalid", issues }, op), options);
          }
          faults = mergeFaults(run, parsed.plan);
          if (faults.reset) {
            request.raw.socket.destroy();
            return reply.hijack();
          }
        }
        const denied = await options.authenticate?.(request, op, rawBody);
        if (denied) return send(reply, op, options.reject(denied, op), options);
        const input: Record<string, unknown> = Object.create(null);
        const issues: ValidationIssue[] = [];
        const params = request.params as Record<string, string>;
        const rawQuery = request.url.includes("?") ? request.url.slice(request.url.indexOf("?") + 1) : "";
        let query: Record<string, unknown>;
        try {
          query = decodeForm(rawQuery);
        } catch (err) {
          if (!(err instanceof CodecError)) throw err;
          return send(
            reply,
            op,
            options.reject(
              { kind: "invalid", issues: [{ path: "/query", message: err.message, keyword: "encoding" }] },
              op,
            ),
            options,
          );
        }
        for (const p of op.params) {
          let v: unknown;
          if (p.in === "path") v = params[p.name];
          else if (p.in === "query") v = query[p.name.endsWith("[]") ? p.name.slice(0, -2) : p.name];
          else v = request.headers[p.name.toLowerCase()];
          if (p.in === "header" && p.name.toLowerCase() === "content-type") continue;
          if (v === undefined || v === "") {
            if (p.required)
              issues.push({
                path: `/${p.name}`,
                message: `missing required ${p.in} parameter ${JSON.stringify(p.name)}`,
                keyword: "required",
              });
            continue;
          }
          if (p.array && p.in === "query" && !p.explode && !p.name.endsWith("[]") && typeof v === "string")
            v = v.split(",");
          if (p.kind && p.kind !== "string") {
            const coerced = coerce(v, p.kind);
            if (coerced === undefined) {
              issues.push({
                path: `/${p.name}`,
                message: `${p.in} parameter ${JSON.stringify(p.name)} must be ${p.kind === "boolean" ? "true or false" : `a ${p.kind}`}`,
                keyword: "type",
              });
              continue;
            }
            v = coerced;
          }
          if (p.fixed !== undefined && v !== p.fixed) {
            issues.push({
              path: `/${p.name}`,
              message: `${p.in} parameter ${JSON.stringify(p.name)} must be ${JSON.stringify(p.fixed)}`,
              keyword: "const",
            });
          }
          input[p.name] =
            p.array && !Array.isArray(v)
              ? p.in === "query" && !p.explode && typeof v === "string"
                ? v.split(",")
                : [v]
              : v;
        }
        if (issues.length === 0 && options.validateParams) issues.push(...options.validateParams(op, input));
        if (op.body) {
          if (rawBody === undefined || rawBody === "") {
            if (op.body.required) issues.push({ path: "", message: "missing request body", keyword: "required" });
          } else {
            const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
            if (!op.body.contentTypes.includes(type)) {
              return send(
                reply,
                op,
                {
                  ...options.reject(
                    {
                      kind: "unsupported-media-type",
                      message: `content-type ${type || "(none)"} is not one of ${op.body.contentTypes.join(", ")}`,
                    },
                    op,
                  ),
                  status: 415,
                },
                options,
              );
            }
            try {
              const encoding = encodingFor(type, op.body.encoding);
              const value = decodeBody(encoding, rawBody, options.xmlShapes, op.body.message, op.body.xmlRoot);
              issues.push(
                ...options.validate(op.body.message, value, encoding).map((i) => ({ ...i, path: `/body${i.path}` })),
              );
              input.body = value;
            } catch (err) {
              if (!(err instanceof CodecError)) throw err;
              issues.push({ path: "/body", message: err.message, keyword: "encoding" });
            }
          }
        }
        if (issues.length > 0) {
          const reason: RejectReason =
            input.body === undefined ? { kind: "invalid", issues } : { kind: "invalid", issues, body: input.body };
          return send(reply, op, options.reject(reason, op), options);
        }
        const result = await handler(input, { op, request, rawBody, faults });
        if (faults.dropAfterCommit) {
          // The handler has committed; the answer is lost on the way back.
          request.raw.socket.destroy();
          return reply.hijack();
        }
        if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
        return send(reply, op, result, options);
      },
    });
  }
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Wire text of a path, query or header parameter → its scalar kind; undefined when it is not one. */
function coerce(v: unknown, kind: "number" | "integer" | "boolean"): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => coerce(x, kind));
    return items.includes(undefined) ? undefined : items;
  }
  if (typeof v !== "string") return undefined;
  if (kind === "boolean") return v === "true" ? true : v === "false" ? false : undefined;
  if (!(kind === "integer" ? INTEGER : NUMBER).test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
