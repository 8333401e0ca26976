/**
 * WePay v3 error answers for requests the server refuses. The body is WePay's error shape
 * (dev.wepay.com/api/guides/errors): `{ error_code, error_message, details: [{ message,
 * reason_code, target, target_type }] }`, with one detail per problem found and `target`
 * pointing at the offending part of the request (a body path, a header, a query or path parameter).
 */
import type { OperationDescriptor, ValidationIssue } from "@payspec/runtime";
import type { RejectReason, Reply } from "@payspec/runtime/server";
import type { ApiError, ErrorDetail, TargetType } from "@payspec/wepay-types";

/** HTTP status of each refusal, as WePay answers it (413/415 are Payspec's: WePay documents no status for them). */
const statusOf: Readonly<Record<RejectReason["kind"], number>> = {
  invalid: 400,
  unauthorized: 401,
  "not-found": 404,
  "too-large": 413,
  "unsupported-media-type": 415,
  internal: 500,
};

/**
 * `reason_code` of a detail, by the JSON Schema keyword that failed. WePay publishes reason
 * codes per error code but not for schema checks, so these names are Payspec's own, in WePay's
 * style (unconfirmed as WePay's exact strings).
 */
const reasonCodeOf: Readonly<Record<string, string>> = {
  required: "PARAM_REQUIRED",
  type: "PARAM_TYPE_INVALID",
  enum: "PARAM_VALUE_NOT_ALLOWED",
  const: "PARAM_VALUE_NOT_ALLOWED",
  pattern: "PARAM_FORMAT_INVALID",
  format: "PARAM_FORMAT_INVALID",
  minLength: "PARAM_OUT_OF_RANGE",
  maxLength: "PARAM_OUT_OF_RANGE",
  minimum: "PARAM_OUT_OF_RANGE",
  maximum: "PARAM_OUT_OF_RANGE",
  exclusiveMinimum: "PARAM_OUT_OF_RANGE",
  exclusiveMaximum: "PARAM_OUT_OF_RANGE",
  minItems: "PARAM_OUT_OF_RANGE",
  maxItems: "PARAM_OUT_OF_RANGE",
  additionalProperties: "PARAM_NOT_ALLOWED",
  unevaluatedProperties: "PARAM_NOT_ALLOWED",
  encoding: "PARAM_MALFORMED",
};

const targetTypeOf: Readonly<Record<"path" | "query" | "header", TargetType>> = {
  path: "HTTP_REQUEST_PATH",
  query: "HTTP_REQUEST_QUERY_STRING",
  header: "HTTP_REQUEST_HEADER",
};

/** JSON Pointer (RFC 6901) → its unescaped segments: `/payment_method/encoded_payment_method` → two segments. */
function segments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * Where an issue points. The server reports body issues under `/body/...` (and a missing body
 * at ""), a parameter under `/<wire name>`, an undecodable query string under `/query`.
 */
function locate(
  issue: ValidationIssue,
  op: OperationDescriptor | undefined,
): Pick<ErrorDetail, "target" | "target_type"> {
  const [first, ...rest] = segments(issue.path);
  if (first === "body" || (first === undefined && issue.keyword === "required" && op?.body)) {
    return rest.length > 0 ? { target: rest, target_type: "HTTP_REQUEST_BODY" } : { target_type: "HTTP_REQUEST_BODY" };
  }
  if (first === undefined) return {};
  const param = op?.params.find((p) => p.name === first);
  if (param) return { target: [param.name, ...rest], target_type: targetTypeOf[param.in] };
  if (first === "query") return { target_type: "HTTP_REQUEST_QUERY_STRING" };
  return { target: [first, ...rest] };
}

const ALTERNATIVE = new Set(["type", "const", "enum"]);

/** `must be "a"`, `must be string` → `"a"`, `string`; undefined for any other message. */
function allowedIn(message: string): string | undefined {
  return message.startsWith("must be ") ? message.slice("must be ".length) : undefined;
}

/** One issue saying what the value must be, from the alternatives that all failed. */
function oneOf(alternatives: readonly ValidationIssue[], keyword: string): ValidationIssue {
  const first = alternatives[0] as ValidationIssue;
  if (alternatives.length === 1) return { ...first, keyword };
  const allowed = alternatives.map((a) => allowedIn(a.message));
  const message = allowed.every((a) => a !== undefined)
    ? `must be one of: ${allowed.join(", ")}`
    : alternatives.map((a) => a.message).join(", or ");
  return { path: first.path, message, keyword };
}

/**
 * A union (`anyOf`) that fails reports every branch's complaint plus the `anyOf` itself: an
 * unknown terminal model comes out as one `const` issue per known model. WePay names one
 * problem per target, so these collapse into one issue: the branch's specific complaint when
 * there is one (`minLength`, a missing nested field), else what the value must be.
 */
function mergeAlternatives(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const unions = new Set(issues.filter((i) => i.keyword === "anyOf").map((i) => i.path));
  if (unions.size === 0) return [...issues];
  const merged = new Map<string, ValidationIssue[]>();
  for (const path of unions) {
    const here = issues.filter((i) => i.path === path && i.keyword !== "anyOf");
    const deeper = issues.some((i) => i.path.startsWith(`${path}/`));
    const specific = here.filter((i) => !ALTERNATIVE.has(i.keyword));
    const types = here.filter((i) => i.keyword === "type");
    const values = here.filter((i) => i.keyword === "const" || i.keyword === "enum");
    if (deeper || specific.length > 0) merged.set(path, specific);
    // A value of the wrong type fails the value branches too; its type is the problem.
    else if (types.length > 0) merged.set(path, [oneOf(types, "type")]);
    else if (values.length > 0) merged.set(path, [oneOf(values, "enum")]);
    else merged.set(path, issues.filter((i) => i.path === path && i.keyword === "anyOf").slice(0, 1));
  }
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    if (!unions.has(issue.path)) out.push(issue);
    else if (merged.has(issue.path)) {
      out.push(...(merged.get(issue.path) ?? []));
      merged.delete(issue.path);
    }
  }
  return out;
}

function detailOf(issue: ValidationIssue, op: OperationDescriptor | undefined): ErrorDetail {
  return { message: issue.message, reason_code: reasonCodeOf[issue.keyword] ?? "PARAM_INVALID", ...locate(issue, op) };
}

function body(reason: RejectReason, op: OperationDescriptor | undefined): ApiError {
  switch (reason.kind) {
    case "invalid":
      return {
        error_code: "INVALID_PARAMS",
        error_message: "The request has invalid parameters; see details.",
        details: mergeAlternatives(reason.issues).map((issue) => detailOf(issue, op)),
      };
    case "unauthorized":
      return { error_code: "NOT_AUTHORIZED", error_message: reason.message };
    case "not-found":
      return { error_code: "NOT_FOUND", error_message: reason.message };
    case "too-large":
      return {
        error_code: "INVALID_PARAMS",
        error_message: "The request body is too large.",
        details: [{ message: reason.message, reason_code: "BODY_TOO_LARGE", target_type: "HTTP_REQUEST_BODY" }],
      };
    case "unsupported-media-type":
      return {
        error_code: "INVALID_PARAMS",
        error_message: "The request body must be application/json.",
        details: [
          {
            message: reason.message,
            reason_code: "CONTENT_TYPE_NOT_SUPPORTED",
            target: ["Content-Type"],
            target_type: "HTTP_REQUEST_HEADER",
          },
        ],
      };
    case "internal":
      // The cause stays in the server log: an error answer must not carry internals.
      return {
        error_code: "UNEXPECTED_ERROR",
        error_message: "WePay failed unexpectedly; retry with the same Unique-Key.",
      };
  }
}

/**
 * The `reject` option of `registerWePay`: the WePay-shaped answer for a refused request.
 * invalid → 400 INVALID_PARAMS (one detail per problem), unauthorized → 401 NOT_AUTHORIZED,
 * not-found → 404 NOT_FOUND, too-large → 413 and unsupported-media-type → 415 (INVALID_PARAMS),
 * internal → 500 UNEXPECTED_ERROR.
 */
export function rejectWePay(reason: RejectReason, op: OperationDescriptor | undefined): Reply<number, ApiError> {
  return { status: statusOf[reason.kind], body: body(reason, op) };
}
