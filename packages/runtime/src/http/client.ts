/**
 * What a generated client calls: turns an operation descriptor and a flat input object
 * (`{ <wire param name>: value, body }`) into a request, sends it through the injectable
 * transport, and decodes the answer; vendor error statuses are thrown as the protocol's
 * VendorError subclass.
 */
import { encodeForm, type FormInput } from "../codecs/form.js";
import type { XmlElementShape } from "../codecs/xml.js";
import { VendorError } from "../errors.js";
import { createFetchTransport } from "../transport/fetch.js";
import { type RetryOptions, withRetry } from "../transport/retry.js";
import { responseText, type Transport, type TransportRequest } from "../transport/types.js";
import { decodeBody, encodeBody } from "./body.js";
import { encodingFor, expandPath, matchResponse, type OperationDescriptor } from "./operation.js";

/** A request the authenticator may still add headers to. */
export type OutgoingRequest = TransportRequest & { headers: Record<string, string>; body?: string };

/** Adds credentials to a request that is otherwise complete (OAuth signs the body, so it comes last). */
export type Authenticator = (request: OutgoingRequest, op: OperationDescriptor) => void | Promise<void>;

export interface ClientConfig {
  /** `https://api.stripe.com`, `http://127.0.0.1:11000` (no trailing slash needed) */
  baseUrl: string;
  /** default: `createFetchTransport({ timeoutMs })` */
  transport?: Transport;
  auth?: Authenticator;
  /** time limit of the default transport; default 30 s */
  timeoutMs?: number;
  /** retry policy for operations that are safe to retry (reads, writes with an idempotency key) */
  retry?: Omit<RetryOptions, "signal">;
  /** headers sent on every request (`Stripe-Version`, ...) */
  headers?: Record<string, string>;
  /** XML layouts by message name, for protocols with XML bodies */
  xmlShapes?: Readonly<Record<string, XmlElementShape>>;
  /** check every decoded answer against its message's validator; issues throw */
  validate?: (message: string, value: unknown) => readonly { path: string; message: string }[] | undefined;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export type ErrorFactory = (
  status: number,
  body: unknown,
  headers: Record<string, string>,
  op: OperationDescriptor,
) => Error;

/** Calls one operation. Returns the decoded success body; throws `makeError(...)` for an error status. */
export async function callOperation(
  op: OperationDescriptor,
  input: Readonly<Record<string, unknown>>,
  config: ClientConfig,
  makeError: ErrorFactory,
  options: CallOptions = {},
): Promise<unknown> {
  const pathValues: Record<string, unknown> = {};
  const query: Record<string, FormInput> = {};
  const pairs: string[] = [];
  const headers: Record<string, string> = { accept: "*/*", ...config.headers };
  for (const p of op.params) {
    const v = p.fixed ?? input[p.name];
    if (v === undefined || v === null) {
      if (p.required && p.in !== "header") throw new TypeError(`${op.id}: missing required parameter ${p.name}`);
      continue;
    }
    if (p.in === "path") pathValues[p.name] = v;
    // `expand[]` names the array itself: the form codec writes its brackets.
    else if (p.in === "query" && p.name.endsWith("[]")) query[p.name.slice(0, -2)] = v as FormInput;
    else if (p.in === "query" && p.array && Array.isArray(v)) {
      const name = encodeURIComponent(p.name);
      if (p.explode) for (const item of v) pairs.push(`${name}=${encodeURIComponent(String(item))}`);
      else pairs.push(`${name}=${v.map((item) => encodeURIComponent(String(item))).join(",")}`);
    } else if (p.in === "query") query[p.name] = v as FormInput;
    else if (p.name.toLowerCase() !== "content-type") headers[p.name] = String(v);
  }
  let url = config.baseUrl.replace(/\/+$/, "") + expandPath(op.path, pathValues);
  const qs = [encodeForm(query), ...pairs].filter((part) => part !== "").join("&");
  if (qs) url += `?${qs}`;
  let body: string | undefined;
  if (op.body && input.body !== undefined) {
    // A body the spec allows in several media types (nexo: XML or JSON) goes in the one asked for.
    const asked = input["Content-Type"] ?? input["content-type"];
    const type =
      typeof asked === "string" && op.body.contentTypes.includes(asked)
        ? asked
        : (op.body.contentTypes[0] ?? "application/json");
    body = encodeBody(
      encodingFor(type, op.body.encoding),
      input.body,
      config.xmlShapes,
      op.body.message,
      op.body.xmlRoot,
    );
    headers["content-type"] = type;
  } else if (op.body?.required) {
    throw new TypeError(`${op.id}: missing request body`);
  }
  const transport = config.transport ?? defaultTransport(config);
  const canRetry = op.safe || (op.idempotencyHeader !== undefined && headers[op.idempotencyHeader] !== undefined);
  const send = async () => {
    const request: OutgoingRequest = { method: op.method, url, headers: { ...headers } };
    if (options.signal) request.signal = options.signal;
    if (body !== undefined) request.body = body;
    await config.auth?.(request, op);
    return transport(request);
  };
  const res = canRetry
    ? await withRetry(send, { ...config.retry, ...(options.signal ? { signal: options.signal } : {}) })
    : await send();
  const text = responseText(res);
  const descriptor = matchResponse(op, res.status);
  const type = res.headers["content-type"] ?? "";
  const encoding = descriptor ? encodingFor(type, descriptor.encoding) : type.includes("json") ? "json" : "text";
  let decoded: unknown;
  try {
    decoded = decodeBody(encoding, text, config.xmlShapes, descriptor?.message, descriptor?.xmlRoot);
  } catch (err) {
    // An error page that is not in the vendor's shape still becomes the vendor error, with its text.
    if (res.status < 400) throw err;
    decoded = text;
  }
  if (!descriptor || descriptor.error || res.status >= 400)
    throw makeError(res.status, decoded, { ...res.headers }, op);
  if (config.validate && descriptor.message) {
    const issues = config.validate(descriptor.message, decoded);
    if (issues && issues.length > 0) {
      throw new VendorError(res.status, decoded, {
        message: `${op.id}: answer is not a valid ${descriptor.message}: ${issues.map((i) => `${i.path || "/"} ${i.message}`).join("; ")}`,
        headers: res.headers,
      });
    }
  }
  return decoded;
}

const transports = new WeakMap<ClientConfig, Transport>();
function defaultTransport(config: ClientConfig): Transport {
  let t = transports.get(config);
  if (!t) {
    t = createFetchTransport(config.timeoutMs === undefined ? {} : { timeoutMs: config.timeoutMs });
    transports.set(config, t);
  }
  return t;
}
