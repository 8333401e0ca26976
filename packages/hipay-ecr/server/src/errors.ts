/**
 * HiPay ECR connector error answers. The seed documents no error bodies beyond the payment
 * result's `status`/`error` pair, so refusals use the spec's ConnectorError `{ status: "Error",
 * error }` with the HTTP status that says why (400 bad input, 401 Basic auth, 404, 413, 415, 500).
 */
import type { ConnectorError } from "@payspec/hipay-ecr-types";
import { formatIssues } from "@payspec/runtime";
import type { RejectReason, Reply } from "@payspec/runtime/server";

const statusOf: Record<RejectReason["kind"], number> = {
  invalid: 400,
  unauthorized: 401,
  "not-found": 404,
  "too-large": 413,
  "unsupported-media-type": 415,
  internal: 500,
};

export function rejectHiPay(reason: RejectReason): Reply<number, ConnectorError> {
  const error = reason.kind === "invalid" ? formatIssues(reason.issues) : reason.message;
  const reply: Reply<number, ConnectorError> = { status: statusOf[reason.kind], body: { status: "Error", error } };
  if (reason.kind === "unauthorized") reply.headers = { "www-authenticate": 'Basic realm="ECR connector"' };
  return reply;
}
