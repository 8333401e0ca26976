/**
 * The table a generated client or server is driven by: one descriptor per operation of a spec,
 * emitted by @payspec/emitter from the TypeSpec HTTP program. Built once at start-up; nothing
 * here is computed per request.
 */

/** Wire encodings of a body (see specs/lib/wire.tsp). */
export type BodyEncoding = "json" | "form" | "kv" | "xml" | "text" | "none";

export type ParamLocation = "path" | "query" | "header";

export interface ParamDescriptor {
  /** wire name, exactly as the spec writes it (`endpointid`, `Unique-Key`, `expand`) */
  readonly name: string;
  readonly in: ParamLocation;
  readonly required: boolean;
  /**
   * The parameter is an array. In a query it is written as the spec says: repeated pairs
   * (`status=a&status=b`) when `explode`, brackets when the wire name ends in `[]`
   * (`expand[0]=a`, Stripe), else one comma-separated value (`status=a,b`).
   */
  readonly array?: boolean;
  readonly explode?: boolean;
  /** a fixed value the spec gives (e.g. `Api-Version: 3.0`): sent by the client, checked by the server */
  readonly fixed?: string;
  /** scalar kind of the value (of each item for arrays); the server coerces the wire text to it */
  readonly kind?: "string" | "number" | "integer" | "boolean";
}

export interface BodyDescriptor {
  readonly contentTypes: readonly string[];
  readonly encoding: BodyEncoding;
  /** name of the message (its type and validator) */
  readonly message: string;
  readonly required: boolean;
  /** XML root element name when encoding is xml */
  readonly xmlRoot?: string;
}

export interface ResponseDescriptor {
  /** a status code, or the low end of a range given as `[from, to]` */
  readonly status: number | readonly [number, number] | "default";
  readonly error: boolean;
  readonly contentType?: string;
  readonly encoding: BodyEncoding;
  /** message name of the body, when there is one */
  readonly message?: string;
  readonly xmlRoot?: string;
}

export interface OperationDescriptor {
  /** operation id: `createSessionToken`, `Readers_list` → `readersList` */
  readonly id: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";
  /** path template with `{name}` segments */
  readonly path: string;
  readonly params: readonly ParamDescriptor[];
  readonly body?: BodyDescriptor;
  readonly responses: readonly ResponseDescriptor[];
  /**
   * Whether a retry is safe: GET/HEAD/DELETE reads, or a write that carries an idempotency
   * header the caller set (`idempotencyHeader`).
   */
  readonly safe: boolean;
  readonly idempotencyHeader?: string;
}

/** The response descriptor that matches `status`: exact code first, then a range, then default. */
export function matchResponse(op: OperationDescriptor, status: number): ResponseDescriptor | undefined {
  let range: ResponseDescriptor | undefined;
  let fallback: ResponseDescriptor | undefined;
  for (const r of op.responses) {
    if (r.status === status) return r;
    if (Array.isArray(r.status) && status >= r.status[0] && status <= r.status[1]) range ??= r;
    if (r.status === "default") fallback = r;
  }
  return range ?? fallback;
}

/** `/v1/terminal/readers/{reader}` + { reader: "tmr_1" } → `/v1/terminal/readers/tmr_1` (segments encoded). */
export function expandPath(template: string, values: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = values[name];
    if (v === undefined || v === null || v === "") throw new TypeError(`missing path parameter ${name}`);
    return encodeURIComponent(String(v));
  });
}

/** The fastify route form of a path template: `{reader}` → `:reader`. */
export function routePath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => `:${name}`);
}

/**
 * The codec for a body of media type `contentType`: JSON and XML media types choose their
 * codec (nexo travels as either); anything else keeps the encoding the spec declares.
 */
export function encodingFor(contentType: string | undefined, declared: BodyEncoding): BodyEncoding {
  const ct = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (ct === "application/json" || ct.endsWith("+json")) return declared === "kv" ? "kv" : "json";
  if (ct === "application/xml" || ct === "text/xml") return "xml";
  return declared;
}
