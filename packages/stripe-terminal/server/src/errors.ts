/**
 * Stripe-shaped refusals: every request the generated server turns away is answered with
 * Stripe's error object `{ error: { type, code?, message, param?, doc_url? } }` (Stripe API
 * reference, "Errors"), so a client written against api.stripe.com handles our answers unchanged.
 *
 * `param` uses Stripe's bracket notation, the same the form body is written in:
 * `/body/metadata/order` → `metadata[order]`, `/body/expand/0` → `expand[0]`.
 */
import { type OperationDescriptor, valueAt } from "@payspec/runtime";
import type { RejectReason, Reply } from "@payspec/runtime/server";
import type { ApiError, ErrorResponse } from "@payspec/stripe-terminal-types";
import { schemaBundle } from "@payspec/stripe-terminal-validators";

type Issue = Extract<RejectReason, { kind: "invalid" }>["issues"][number];

/** Status of each refusal (Stripe: 400 bad parameters, 401 no valid key, 404 unknown URL, 500 its own fault). */
const statusOf: Record<RejectReason["kind"], number> = {
  invalid: 400,
  unauthorized: 401,
  "not-found": 404,
  "too-large": 413,
  "unsupported-media-type": 415,
  internal: 500,
};

const SUPPORT = "If error persists and you need assistance, please contact support@stripe.com.";

/** `https://stripe.com/docs/error-codes/parameter-missing` for `parameter_missing`. */
export function docUrlOf(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`;
}

/** JSON Pointer (`/metadata/order`, `/expand/0`) → Stripe's parameter name (`metadata[order]`, `expand[0]`). */
export function stripeParam(pointer: string): string {
  const segments = pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const [head, ...rest] = segments;
  return (head ?? "") + rest.map((s) => `[${s}]`).join("");
}

/** A value as Stripe quotes it in a message, cut short: never a whole body in an error. */
function shown(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** Where an issue points: `/body/...` is a form field, `/<name>` a path, query or header parameter. */
function locate(issue: Issue): { pointer: string; inBody: boolean } {
  if (issue.path === "/body" || issue.path.startsWith("/body/"))
    return { pointer: issue.path.slice("/body".length), inBody: true };
  return { pointer: issue.path, inBody: false };
}

/** The first required field of a request body message, from the JSON Schema the validators were built from. */
function firstRequired(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const defs = schemaBundle.$defs as Readonly<Record<string, { readonly required?: readonly string[] }>>;
  return defs[message]?.required?.[0];
}

/** The issue that says most: a concrete one before the `anyOf`/`oneOf` summary ajv adds for unions. */
function firstIssue(issues: readonly Issue[]): Issue | undefined {
  return issues.find((i) => i.keyword !== "anyOf" && i.keyword !== "oneOf") ?? issues[0];
}

/**
 * The values a closed enum allows, gathered from every `const`/`enum` issue at `path` (ajv
 * reports a union of literals as one `const` failure per member): "cart", "one of online or offline".
 */
function allowedValues(issues: readonly Issue[], path: string): string {
  const values: string[] = [];
  for (const i of issues) {
    if (i.path !== path || (i.keyword !== "const" && i.keyword !== "enum")) continue;
    const literal = /must be (?:one of )?(.*)$/.exec(i.message)?.[1];
    if (literal === undefined) continue;
    try {
      const parsed: unknown = JSON.parse(literal);
      for (const v of Array.isArray(parsed) ? parsed : [parsed]) values.push(String(v));
    } catch {
      values.push(literal);
    }
  }
  const unique = [...new Set(values)];
  if (unique.length === 0) return "one of the documented values";
  if (unique.length === 1) return unique[0]!;
  return `one of ${unique.slice(0, -1).join(", ")} or ${unique.at(-1)}`;
}

/** Stripe's `invalid_request_error` for the first validation issue. */
export function invalidRequest(
  issues: readonly Issue[],
  op: OperationDescriptor | undefined,
  body?: unknown,
): ApiError {
  const issue = firstIssue(issues);
  if (!issue) return { type: "invalid_request_error", message: "Invalid request." };
  const { pointer, inBody } = locate(issue);
  const param = stripeParam(pointer) || undefined;
  const value = inBody ? valueAt(body, pointer) : undefined;
  const withCode = (code: string, message: string, name = param): ApiError => ({
    type: "invalid_request_error",
    code,
    message,
    ...(name ? { param: name } : {}),
    doc_url: docUrlOf(code),
  });

  switch (issue.keyword) {
    case "required": {
      // An empty body of an operation that needs one: name its first required field, as Stripe does.
      const name = param ?? firstRequired(op?.body?.message);
      return withCode("parameter_missing", `Missing required param: ${name ?? "body"}.`, name);
    }
    case "additionalProperties":
    case "unevaluatedProperties":
      return withCode("parameter_unknown", `Received unknown parameter: ${param ?? "(unnamed)"}`);
    case "encoding": {
      // The form codec refuses `__proto__`, `constructor` and `prototype` keys outright.
      const forbidden = /forbidden key "([^"]*)"/.exec(issue.message)?.[1];
      if (forbidden !== undefined)
        return withCode("parameter_unknown", `Received unknown parameter: ${forbidden}`, forbidden);
      return {
        type: "invalid_request_error",
        message: `Invalid request: the ${inBody ? "form body" : "query string"} could not be parsed (${issue.message}). ${SUPPORT}`,
      };
    }
    case "type":
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
    case "multipleOf": {
      const expected = /must be (?:an? )?(integer|number|boolean|string|array|object)/.exec(issue.message)?.[1];
      const given = value === undefined ? "" : `: ${shown(value)}`;
      if (issue.keyword === "type" && expected === "boolean") {
        return { type: "invalid_request_error", message: `Invalid boolean${given}`, ...(param ? { param } : {}) };
      }
      if (issue.keyword !== "type" || expected === "integer" || expected === "number") {
        const bound = issue.keyword === "type" ? "" : `; ${issue.message}`;
        return withCode("parameter_invalid_integer", `Invalid integer${given}${bound}`);
      }
      if (expected === "array")
        return withCode(
          "parameter_invalid_string",
          `Invalid array: ${param ?? "value"} must be a list (${param ?? "value"}[0]=...)`,
        );
      if (expected === "object")
        return withCode(
          "parameter_invalid_string",
          `Invalid object: ${param ?? "value"} must be a hash (${param ?? "value"}[key]=...)`,
        );
      return withCode("parameter_invalid_string", `Invalid string${given}`);
    }
    case "enum":
    case "const":
      return withCode(
        "parameter_invalid_string",
        `Invalid ${param ?? "value"}: must be ${allowedValues(issues, issue.path)}`,
      );
    case "maxLength":
    case "minLength":
    case "pattern":
    case "format":
      return withCode(
        "parameter_invalid_string",
        `Invalid string${value === undefined ? "" : `: ${shown(value)}`}; ${issue.message}`,
      );
    default:
      return withCode("parameter_invalid_string", `Invalid ${param ?? "request"}: ${issue.message}`);
  }
}

function errorFor(reason: RejectReason, op: OperationDescriptor | undefined): ApiError {
  switch (reason.kind) {
    case "invalid":
      return invalidRequest(reason.issues, op, reason.body);
    case "unauthorized":
      // The authenticator writes Stripe's wording with the key already masked (see auth.ts).
      return { type: "invalid_request_error", message: reason.message || "Invalid API Key provided." };
    case "not-found": {
      const where = reason.method && reason.url ? ` (${reason.method}: ${reason.url})` : "";
      return {
        type: "invalid_request_error",
        message: `Unrecognized request URL${where}. Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      };
    }
    case "too-large":
      return { type: "invalid_request_error", message: `Request body is too large (${reason.message}). ${SUPPORT}` };
    case "unsupported-media-type":
      return {
        type: "invalid_request_error",
        message: `Invalid request: unsupported Content-Type. Stripe request bodies are application/x-www-form-urlencoded (${reason.message}). ${SUPPORT}`,
      };
    case "internal":
      // Never the cause: it may hold internals. The log has it.
      return {
        type: "api_error",
        message:
          "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at support.stripe.com/contact.",
      };
  }
}

/**
 * The `reject` option of `registerStripeTerminal`: a refused request as Stripe answers it.
 * A 401 also carries `WWW-Authenticate: Basic realm="Stripe"`, as api.stripe.com sends.
 */
export function rejectStripe(reason: RejectReason, op: OperationDescriptor | undefined): Reply<number, ErrorResponse> {
  const reply: Reply<number, ErrorResponse> = { status: statusOf[reason.kind], body: { error: errorFor(reason, op) } };
  if (reason.kind === "unauthorized") reply.headers = { "www-authenticate": 'Basic realm="Stripe"' };
  return reply;
}
