/**
 * nexo answers to requests the generated server refuses. nexo never answers a message it can
 * name with an HTTP error: when the body is a message whose MessageHeader can be echoed, the
 * answer is HTTP 200 with the SaleToPOIResponse of its category, Response.Result Failure and
 * ErrorCondition MessageFormat (Swedbank Pay quick guide, "Message Format"). Only a body that
 * cannot be answered in nexo gets an HTTP error, with the spec's NexoErrorMessage body
 * (specs/nexo/errors.tsp): 400, 401, 404, 413, 415, and 500 as a last resort.
 */

import { randomUUID } from "node:crypto";
import type {
  ErrorConditionType,
  MessageHeader,
  NexoErrorMessage,
  NexoResponseMessage,
  Response,
  SaleToPOIRequest,
  SaleToPOIResponse,
} from "@payspec/nexo-types";
import {
  validateDeviceType,
  validateDocumentQualifierType,
  validateInfoQualifyType,
  validateNexoResponseMessage,
  validateTransactionIdentification,
} from "@payspec/nexo-validators";
import type { OperationDescriptor, ValidationIssue } from "@payspec/runtime";
import type { RejectReason, Reply } from "@payspec/runtime/server";

/** HTTP status and nexo ErrorCondition of each refusal that cannot be answered in nexo. */
const httpAnswer: Record<RejectReason["kind"], { status: number; condition: ErrorConditionType }> = {
  invalid: { status: 400, condition: "MessageFormat" },
  unauthorized: { status: 401, condition: "NotAllowed" },
  "not-found": { status: 404, condition: "NotFound" },
  "too-large": { status: 413, condition: "MessageFormat" },
  "unsupported-media-type": { status: 415, condition: "MessageFormat" },
  internal: { status: 500, condition: "UnavailableService" },
};

/** AdditionalResponse stays short: the first issues are the useful ones. */
const MAX_ISSUES = 10;
const MAX_TEXT = 1000;
/** Characters outside XML 1.0's Char production (§2.2): an XML answer could not carry them. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export interface NexoRejectOptions {
  /** `WWW-Authenticate` challenge of a 401 (RFC 9110 §11.6.1); default `Basic realm="nexo"`. */
  challenge?: string;
  /** POITransactionID.TransactionID of a refused PaymentResponse (nexo requires POIData); default a random id. */
  transactionId?: () => string;
  /** Clock of POITransactionID.TimeStamp; default the system clock. */
  now?: () => Date;
}

export type NexoReject = (
  reason: RejectReason,
  op?: OperationDescriptor,
) => Reply<number, NexoResponseMessage | NexoErrorMessage>;

/** Builds the `reject` option of registerNexoTerminal / registerNexoPosListener. */
export function createNexoReject(options: NexoRejectOptions = {}): NexoReject {
  const challenge = options.challenge ?? 'Basic realm="nexo"';
  const transactionId = options.transactionId ?? (() => randomUUID().replace(/-/g, "").slice(0, 20));
  const now = options.now ?? (() => new Date());
  return (reason) => {
    if (reason.kind === "invalid") {
      const text = describeIssues(reason.issues);
      const answer = nexoFailure(reason.body, text, { transactionId, now });
      if (answer) return { status: 200, body: answer };
      return errorReply(400, "MessageFormat", text);
    }
    const { status, condition } = httpAnswer[reason.kind];
    const reply = errorReply(status, condition, reason.message);
    if (reason.kind === "unauthorized") reply.headers = { "www-authenticate": challenge };
    return reply;
  };
}

/** The `reject` option with the defaults: `registerNexoTerminal(app, handlers, { reject: rejectNexo })`. */
export const rejectNexo: NexoReject = createNexoReject();

function errorReply(status: number, condition: ErrorConditionType, text: string): Reply<number, NexoErrorMessage> {
  return {
    status,
    body: { Response: { Result: "Failure", ErrorCondition: condition, AdditionalResponse: readable(text) } },
  };
}

/** `/body/SaleToPOIRequest/PaymentRequest/PaymentTransaction: missing ...; ...`, without the transport's `/body` prefix. */
function describeIssues(issues: readonly ValidationIssue[]): string {
  const lines = issues.slice(0, MAX_ISSUES).map((i) => {
    const path = i.path.startsWith("/body") ? i.path.slice("/body".length) : i.path;
    return `${path || "/"}: ${i.message}`;
  });
  if (issues.length > MAX_ISSUES) lines.push(`and ${issues.length - MAX_ISSUES} more`);
  return readable(lines.join("; "));
}

/**
 * Text an XML or JSON answer can carry, at most MAX_TEXT characters: a codec's message may quote
 * the bad input (a NUL byte, a lone surrogate) and the answer may be XML.
 */
function readable(text: string): string {
  const clean = text.replace(NOT_XML_CHAR, "\uFFFD");
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT - 1)}…` : clean;
}

interface FailureContext {
  transactionId: () => string;
  now: () => Date;
}

type ResponseKind = Exclude<keyof SaleToPOIResponse, "MessageHeader">;

/**
 * The response body of each category a request of which has a response, with Result Failure.
 * What nexo requires a response to repeat (SaleData, DocumentQualifier, the device) comes from
 * the request; undefined when the request lacks it, and the refusal becomes an HTTP 400.
 */
const failureBodies: {
  [K in ResponseKind]: (
    request: Record<string, unknown> | undefined,
    response: Response,
    ctx: FailureContext,
  ) => SaleToPOIResponse[K] | undefined;
} = {
  LoginResponse: (_r, Response) => ({ Response }),
  LogoutResponse: (_r, Response) => ({ Response }),
  TransactionStatusResponse: (_r, Response) => ({ Response }),
  ReversalResponse: (_r, Response) => ({ Response }),
  PaymentResponse: (request, Response, ctx) => {
    const sale = field(request, "SaleData");
    const saleTransaction = field(sale, "SaleTransactionID");
    if (!validateTransactionIdentification(saleTransaction) || validateTransactionIdentification.warnings.length > 0)
      return undefined;
    return {
      Response,
      SaleData: { SaleTransactionID: saleTransaction },
      POIData: { POITransactionID: { TransactionID: ctx.transactionId(), TimeStamp: ctx.now().toISOString() } },
    };
  },
  PrintResponse: (request, Response) => {
    const qualifier = field(field(request, "PrintOutput"), "DocumentQualifier");
    if (!validateDocumentQualifierType(qualifier) || validateDocumentQualifierType.warnings.length > 0)
      return undefined;
    return { DocumentQualifier: qualifier, Response };
  },
  InputResponse: (request, Response) => {
    const device = deviceOf(field(request, "InputData"));
    return device ? { InputResult: { ...device, Response } } : undefined;
  },
  DisplayResponse: (request, Response) => {
    const outputs = field(request, "DisplayOutput");
    const devices = (Array.isArray(outputs) ? outputs : []).map(deviceOf);
    if (devices.length === 0 || devices.some((d) => d === undefined)) return undefined;
    return { OutputResult: devices.map((d) => ({ ...d!, Response })) };
  },
};

/** Device and InfoQualify of a DisplayOutput or InputData, when both are known values. */
function deviceOf(value: unknown) {
  const Device = field(value, "Device");
  const InfoQualify = field(value, "InfoQualify");
  if (!validateDeviceType(Device) || validateDeviceType.warnings.length > 0) return undefined;
  if (!validateInfoQualifyType(InfoQualify) || validateInfoQualifyType.warnings.length > 0) return undefined;
  return { Device, InfoQualify };
}

function field(value: unknown, name: string): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, name))
    return undefined;
  return (value as Record<string, unknown>)[name];
}

/**
 * The SaleToPOIResponse answering `body` with Failure / MessageFormat, or undefined when `body`
 * names no request that has a response (no MessageHeader, a Notification, Abort, Event) or the
 * answer would not be a valid NexoResponseMessage (e.g. a ServiceID over 10 characters to echo).
 */
function nexoFailure(body: unknown, text: string, ctx: FailureContext): NexoResponseMessage | undefined {
  const request = field(body, "SaleToPOIRequest") as Partial<SaleToPOIRequest> | undefined;
  const header = field(request, "MessageHeader") as Partial<MessageHeader> | undefined;
  if (header?.MessageType !== "Request" || typeof header.MessageCategory !== "string") return undefined;
  const kind = `${header.MessageCategory}Response`;
  if (!Object.hasOwn(failureBodies, kind)) return undefined;
  const response: Response = { Result: "Failure", ErrorCondition: "MessageFormat", AdditionalResponse: text };
  const requestBody = field(request, `${header.MessageCategory}Request`) as Record<string, unknown> | undefined;
  const answer = failureBodies[kind as ResponseKind](requestBody, response, ctx);
  if (answer === undefined) return undefined;
  const echoed: MessageHeader = {
    // Optional in a response: a request's wrong version (the reason it is refused) is not repeated.
    ...(header.ProtocolVersion === "3.1" ? { ProtocolVersion: header.ProtocolVersion } : {}),
    MessageClass: header.MessageClass!,
    MessageCategory: header.MessageCategory,
    MessageType: "Response",
    ServiceID: header.ServiceID!,
    ...(header.DeviceID === undefined ? {} : { DeviceID: header.DeviceID }),
    SaleID: header.SaleID!,
    POIID: header.POIID!,
  };
  const message = { SaleToPOIResponse: { MessageHeader: echoed, [kind]: answer } };
  // Strictly valid or not at all: an echoed unknown MessageClass would only pass with a warning.
  if (!validateNexoResponseMessage(message) || validateNexoResponseMessage.warnings.length > 0) return undefined;
  return message;
}
