/**
 * The connector's error answers. The seed documents no error body, so every refusal is the
 * spec's ConnectorError `{ status: "Error", error }` (the `status` / `error` pair a payment result
 * carries) with the HTTP status that says why. Statuses the spec declares (400 on a payment, 401
 * on every call) keep their declared shape; the rest (404, 413, 415, 500) are Payspec's.
 */
import type { ConnectorError } from "@payspec/hipay-ecr-types";
import type { OperationDescriptor } from "@payspec/runtime";
import type { RejectReason, Reply } from "@payspec/runtime/server";

/** HTTP status of each refusal. */
export const REJECT_STATUS = {
  invalid: 400,
  unauthorized: 401,
  "not-found": 404,
  "too-large": 413,
  "unsupported-media-type": 415,
  internal: 500,
} as const satisfies Record<RejectReason["kind"], number>;

/** The realm of the Basic challenge a 401 carries (RFC 7617 §2). */
export const HIPAY_REALM = "HiPay ECR connector";

/** At most this many validation issues are listed in `error`; a hostile body cannot make it grow without bound. */
const MAX_ISSUES = 10;

function describeIssues(issues: readonly { path: string; message: string }[]): string {
  const shown = issues.slice(0, MAX_ISSUES).map((i) => `${i.path || "/"}: ${i.message}`);
  if (issues.length > MAX_ISSUES) shown.push(`(${issues.length - MAX_ISSUES} more)`);
  return shown.length > 0 ? shown.join("; ") : "invalid request";
}

/**
 * The `reject` option of `registerHiPayEcr`: a ConnectorError body with the status of
 * `REJECT_STATUS`, and `WWW-Authenticate: Basic realm="HiPay ECR connector"` on a 401. A 401
 * says only that credentials are missing or not accepted, never which part or what was sent.
 */
export function rejectHiPay(reason: RejectReason, _op?: OperationDescriptor): Reply<number, ConnectorError> {
  const error = reason.kind === "invalid" ? describeIssues(reason.issues) : reason.message;
  const reply: Reply<number, ConnectorError> = { status: REJECT_STATUS[reason.kind], body: { status: "Error", error } };
  if (reason.kind === "unauthorized")
    reply.headers = { "www-authenticate": `Basic realm="${HIPAY_REALM}", charset="UTF-8"` };
  return reply;
}
