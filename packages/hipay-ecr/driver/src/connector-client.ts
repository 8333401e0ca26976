/**
 * The POS side: the connector's local HTTP API, for the calls a kiosk needs to run a payment
 * (pay, cancel, look a payment up, refund: the last two are Payspec extensions of the connector). It is the generated `HiPayEcrClient`'s behaviour on the
 * runtime's `callOperation`, with the three operation descriptors copied from the spec
 * (`@payspec/hipay-ecr-client` devDepends on the server, which depends on this package, so
 * the driver cannot depend on the client without a cycle; packages/terminal's hipay-ecr test
 * checks these descriptors against the generated table).
 */
import type { ConnectorError, PaymentRequest, PaymentResponse, PaymentResult } from "@payspec/hipay-ecr-types";
import { validatePaymentResponse } from "@payspec/hipay-ecr-validators";
import {
  basicAuth,
  type CallOptions,
  type ClientConfig,
  callOperation,
  type OperationDescriptor,
  VendorError,
} from "@payspec/runtime";

const errorResponses = (statuses: readonly number[]) =>
  statuses.map((status) => ({
    status,
    error: true,
    contentType: "application/json",
    encoding: "json",
    message: "ConnectorError",
  })) as OperationDescriptor["responses"];

/** The descriptors of the calls this client makes (same as the generated client's `operations`). */
export const CONNECTOR_OPERATIONS = {
  paymentPay: {
    id: "paymentPay",
    method: "POST",
    path: "/",
    params: [],
    body: { contentTypes: ["application/json"], encoding: "json", message: "PaymentRequest", required: true },
    responses: [
      { status: 200, error: false, contentType: "application/json", encoding: "json", message: "PaymentResponse" },
      ...errorResponses([400, 401, 409, 503]),
    ],
    safe: false,
  },
  paymentRefund: {
    id: "paymentRefund",
    method: "POST",
    path: "/refund",
    params: [],
    body: { contentTypes: ["application/json"], encoding: "json", message: "PaymentRequest", required: true },
    responses: [
      { status: 200, error: false, contentType: "application/json", encoding: "json", message: "PaymentResponse" },
      ...errorResponses([400, 401, 409, 503]),
    ],
    safe: false,
  },
  paymentStatus: {
    id: "paymentStatus",
    method: "GET",
    path: "/payment/{orderId}",
    params: [{ name: "orderId", in: "path", required: true }],
    responses: [
      { status: 200, error: false, contentType: "application/json", encoding: "json", message: "PaymentResponse" },
      ...errorResponses([400, 401, 409, 503]),
    ],
    safe: true,
  },
  maintenanceCancel: {
    id: "maintenanceCancel",
    method: "GET",
    path: "/cancel",
    params: [],
    responses: [{ status: 200, error: false, encoding: "none" }, ...errorResponses([401, 503])],
    safe: true,
  },
} as const satisfies Record<string, OperationDescriptor>;

/** An error status from the connector, with its `ConnectorError` body. */
export class ConnectorApiError extends VendorError<ConnectorError | undefined> {
  override readonly name = "ConnectorApiError";
}

export interface ConnectorClientOptions {
  /** `http://localhost:{LOCAL_PORT}` of config.txt. */
  baseUrl: string;
  /** `TERMINAL_MANAGER_LOGIN` / `TERMINAL_MANAGER_PWD` of config.txt. */
  login: string;
  password: string;
  /**
   * Time limit of one call. Default 200000: a payment's answer comes when the customer is done
   * (the connector waits up to 3 minutes for the terminal).
   */
  timeoutMs?: number;
  /** Replaces the fetch transport (tests). */
  transport?: ClientConfig["transport"];
}

/** What the connector knows of a payment by its `orderId` (Payspec's lookup extension). */
export type PaymentLookup =
  | { readonly state: "done"; readonly result: PaymentResult }
  /** the connector never received a payment with this orderId */
  | { readonly state: "unknown-order" }
  | { readonly state: "in-progress" }
  /** the terminal never answered: the connector itself does not know whether the card was charged */
  | { readonly state: "outcome-unknown"; readonly error: string };

const makeError = (status: number, body: unknown, headers: Record<string, string>) =>
  new ConnectorApiError(status, body as ConnectorError | undefined, {
    headers,
    message: `connector answered HTTP ${status}${isConnectorError(body) ? `: ${body.error}` : ""}`,
  });

function isConnectorError(body: unknown): body is ConnectorError {
  return typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string";
}

/** The connector's local API for a POS. Payments are never retried (a retry could charge twice). */
export class ConnectorClient {
  readonly #config: ClientConfig;

  constructor(options: ConnectorClientOptions) {
    this.#config = {
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 200_000,
      headers: { authorization: basicAuth(options.login, options.password) },
      retry: { maxAttempts: 1 },
      ...(options.transport === undefined ? {} : { transport: options.transport }),
    };
  }

  /** Takes a payment: resolves the connector's result (Success, Refused, Cancelled, Error); throws `ConnectorApiError` for 4xx/5xx. */
  async pay(body: PaymentRequest, options: CallOptions = {}): Promise<PaymentResult> {
    const answer = await callOperation(CONNECTOR_OPERATIONS.paymentPay, { body }, this.#config, makeError, options);
    const [result] = checkResponse(answer);
    if (!result) throw new TypeError("the connector answered an empty result array to a payment");
    return result;
  }

  /**
   * Refunds on the terminal (Payspec's connector extension `POST /refund`, a Concert credit):
   * `body.orderId` names the refund itself. Resolves the result as `pay` does.
   */
  async refund(body: PaymentRequest, options: CallOptions = {}): Promise<PaymentResult> {
    const answer = await callOperation(CONNECTOR_OPERATIONS.paymentRefund, { body }, this.#config, makeError, options);
    const [result] = checkResponse(answer);
    if (!result) throw new TypeError("the connector answered an empty result array to a refund");
    return result;
  }

  /** Asks the connector what became of the payment with this `orderId`. */
  async lookup(orderId: string, options: CallOptions = {}): Promise<PaymentLookup> {
    let answer: unknown;
    try {
      answer = await callOperation(CONNECTOR_OPERATIONS.paymentStatus, { orderId }, this.#config, makeError, options);
    } catch (error) {
      if (error instanceof ConnectorApiError && error.status === 409) return { state: "in-progress" };
      if (error instanceof ConnectorApiError && error.status === 503)
        return { state: "outcome-unknown", error: error.body?.error ?? error.message };
      throw error;
    }
    const [result] = checkResponse(answer);
    return result ? { state: "done", result } : { state: "unknown-order" };
  }

  /** Asks the connector to cancel the transaction in progress (`GET /cancel`). */
  async cancel(options: CallOptions = {}): Promise<void> {
    await callOperation(CONNECTOR_OPERATIONS.maintenanceCancel, {}, this.#config, makeError, options);
  }
}

function checkResponse(answer: unknown): PaymentResponse {
  const check = validatePaymentResponse.check(answer);
  if (!check.valid) {
    const first = check.errors[0];
    throw new TypeError(
      `the connector's answer is not a PaymentResponse: ${first?.path ?? ""} ${first?.message ?? ""}`,
    );
  }
  return answer as PaymentResponse;
}
