/**
 * The public API of @payspec/runtime: explicit named re-exports, sorted by module path.
 * Anything not listed here is internal.
 */

export { constantTimeEqual } from "./auth/constant-time.js";
export {
  type BasicCredentials,
  basicAuth,
  bearerAuth,
  checkBasicAuth,
  parseBasicAuth,
  parseBearerAuth,
} from "./auth/http.js";
export {
  baseStringUri,
  createOAuth1Verifier,
  hmacSha1Signature,
  MemoryNonceStore,
  type NonceStore,
  normalizeParameters,
  type OAuth1FailureReason,
  type OAuth1Signature,
  type OAuth1SignOptions,
  type OAuth1VerifierOptions,
  type OAuth1VerifyRequest,
  type OAuth1VerifyResult,
  type OAuthBody,
  type OAuthParameter,
  parseOAuthHeader,
  percentEncode,
  signatureBaseString,
  signOAuth1,
} from "./auth/oauth1.js";
export {
  amountInCents,
  payneteasyCallbackControl,
  payneteasyReturnControl,
  payneteasyStatusControl,
  sha1Hex,
  verifyControl,
} from "./auth/payneteasy-control.js";
export { type WepayHeaderOptions, wepayHeaders } from "./auth/wepay.js";
export {
  ACK,
  CONTROL_NAMES,
  type ControlByte,
  type ControlName,
  decodeFrame,
  ENQ,
  EOT,
  ETX,
  encodeFrame,
  type FrameDecodeOptions,
  type FrameEvent,
  type FrameField,
  FrameReader,
  type FrameReaderOptions,
  type FrameValue,
  type FrameValues,
  lrc,
  NAK,
  STX,
  wrapFrame,
} from "./codecs/concert.js";
export {
  decodeForm,
  encodeForm,
  type FormDecodeOptions,
  type FormEncodeOptions,
  type FormInput,
  type FormObject,
  type FormValue,
} from "./codecs/form.js";
export {
  decodeJson,
  encodeJson,
  JSON_DEFAULT_MAX_BYTES,
  JSON_DEFAULT_MAX_DEPTH,
  type JsonDecodeOptions,
  type JsonObject,
  type JsonPrimitive,
  type JsonValue,
} from "./codecs/json.js";
export { decodeKv, encodeKv, type KvDecodeOptions, type KvRecord } from "./codecs/kv.js";
export { decodeNexoJson, encodeNexoJson } from "./codecs/nexo-json.js";
export { decodeTlv, encodeTlv, type TlvField } from "./codecs/tlv.js";
export {
  decodeXml,
  encodeXml,
  type ScalarKind,
  type XmlChild,
  type XmlDecodeOptions,
  type XmlElementShape,
  type XmlNodeValue,
  type XmlObject,
  type XmlScalar,
} from "./codecs/xml.js";
export {
  AbortedError,
  AuthError,
  type AuthReason,
  CodecError,
  type CodecErrorDetails,
  type CodecName,
  type CodecReason,
  ERROR_CODES,
  type ErrorCode,
  PayspecError,
  TimeoutError,
  TransportError,
  type TransportErrorOptions,
  VendorError,
  type VendorErrorOptions,
} from "./errors.js";
export { decodeBody, encodeBody, type XmlShapes } from "./http/body.js";
export {
  type Authenticator,
  type CallOptions,
  type ClientConfig,
  callOperation,
  type ErrorFactory,
  type OutgoingRequest,
} from "./http/client.js";
// HTTP operations (what generated clients and servers are driven by)
export {
  type BodyDescriptor,
  type BodyEncoding,
  encodingFor,
  expandPath,
  matchResponse,
  type OperationDescriptor,
  type ParamDescriptor,
  type ParamLocation,
  type ResponseDescriptor,
  routePath,
} from "./http/operation.js";

export {
  type RequestLogEntry,
  type RequestLogOptions,
  type RequestLogSink,
  redactUrlPath,
  redactWireBody,
} from "./log-entry.js";
export {
  type HeaderRecord,
  isSecretKey,
  luhnValid,
  maskPan,
  maskPansInText,
  REDACTED,
  type RedactOptions,
  redact,
  redactHeaders,
} from "./redact.js";
export { createFetchTransport, type FetchTransportOptions } from "./transport/fetch.js";
export { loggingTransport } from "./transport/logging.js";
export { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryOptions, withRetry } from "./transport/retry.js";
export { scriptedTransport } from "./transport/scripted.js";
export { responseText, type Transport, type TransportRequest, type TransportResponse } from "./transport/types.js";
// Validation issues (what generated validators return)
export {
  type AjvErrorLike,
  type CompiledValidate,
  createValidator,
  formatIssues,
  toIssues,
  type ValidationIssue,
  type ValidationResult,
  type Validator,
  valueAt,
} from "./validation/issues.js";
