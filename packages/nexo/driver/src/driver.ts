/**
 * The nexo driver: what a POS uses to run payments on a nexo Retailer 3.1 terminal (Swedbank Pay's
 * PAX integration, seed 004). It owns the login session (a fresh ServiceID for every request, unique
 * within the session; a new Login when the terminal answers LoggedOut), one service request at a
 * time, Abort, Reversal and TransactionStatus, and the POS listener of the full integration. After
 * a timeout or a lost socket it asks the terminal (TransactionStatus by the payment's ServiceID)
 * instead of guessing.
 */
import { randomInt } from "node:crypto";
import { NexoApiError, NexoClient, type NexoRequestKind, nexoRequest } from "@payspec/nexo-client";
import type {
  MessageHeader,
  NexoContentType,
  NexoRequestMessage,
  PaymentResponse,
  POISystemData,
  ReversalReasonType,
  ReversalResponse,
  SaleCapabilitiesType,
  SaleSoftware,
  SaleToPOIRequest,
  SaleToPOIResponse,
  TransactionIdentification,
} from "@payspec/nexo-types";
import type { Transport } from "@payspec/runtime";
import { NexoDriverError, NexoOutcomeUnknownError } from "./errors.js";
import {
  type ConfirmSignature,
  type NexoListenerEvent,
  type RunningPosListener,
  startPosListener,
} from "./listener.js";
import { SessionMachine, type SessionState } from "./session.js";

/** Everything the driver reports: the POS listener's requests and the session's state changes. */
export type NexoDriverEvent = NexoListenerEvent | { readonly type: "state"; readonly state: SessionState };

export interface NexoDriverOptions {
  /** Base URL of the terminal, e.g. `http://192.168.1.20:11000` (the endpoint is `/EPASSaleToPOI/3.1`). */
  readonly terminalUrl: string;
  /** POIID of the terminal (at most 32 characters). */
  readonly poiId: string;
  /** SaleID of this POS: keep it the same across restarts, so TransactionStatus finds earlier payments. */
  readonly saleId: string;
  /** Encoding of the requests: XML (default, as Swedbank Pay) or JSON. */
  readonly contentType?: NexoContentType;
  /**
   * The POS listener of the full integration (default: on 127.0.0.1, any free port; the terminal must
   * be configured with its address). `false`: light integration, the POS is only a client.
   */
  readonly listener?: false | { readonly host?: string; readonly port?: number };
  /** Answers the terminal's signature checks; default: always approve (Swedbank Pay). */
  readonly confirmSignature?: ConfirmSignature;
  /** The POS software, sent in every LoginRequest. */
  readonly saleSoftware?: SaleSoftware;
  /** Language of the cashier (ISO 639-1, default "en"). */
  readonly operatorLanguage?: string;
  /** Time limit of a Login, Abort, Reversal, TransactionStatus or Logout (default 30 s). */
  readonly timeoutMs?: number;
  /** Time limit of a payment, which waits for the customer (default 5 min). */
  readonly paymentTimeoutMs?: number;
  /** HTTP transport (default: fetch). */
  readonly transport?: Transport;
  /** How often and how fast to ask TransactionStatus after a lost answer (default 10 times, 1 s apart). */
  readonly recovery?: { readonly attempts?: number; readonly intervalMs?: number };
  /** Clock, for SaleTransactionID time stamps and the Login's DateTime. */
  readonly now?: () => Date;
  /** Sleep between TransactionStatus attempts (injectable for tests). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** ServiceID source (default: random decimal, at most 10 digits); the driver skips any already used in the session. */
  readonly serviceId?: () => string;
}

export interface NexoPaymentOptions {
  /** The ServiceID to send it with (default: a fresh one). Journal it first to recover the payment later. */
  readonly serviceId?: string;
  /** The POS's id of the sale transaction (SaleData.SaleTransactionID.TransactionID). */
  readonly saleTransactionId: string;
  /** Amount in the currency's major unit, as nexo writes it (10.5 = 10.50). */
  readonly amount: number;
  /** ISO 4217 alphabetic code. */
  readonly currency: string;
  /** Stops the payment: the driver sends an AbortRequest and the payment ends Failure / Aborted. */
  readonly signal?: AbortSignal;
  /** Ask TransactionStatus when the answer is lost (default true); false: throw NexoOutcomeUnknownError at once. */
  readonly recover?: boolean;
}

/** The terminal's final answer to a payment or refund. */
export interface NexoPaymentResult {
  readonly serviceId: string;
  readonly response: PaymentResponse;
  /** True when the answer was learned from TransactionStatus after it was lost. */
  readonly recovered: boolean;
}

/** What TransactionStatus says of a request. */
export type NexoTransactionStatus =
  | {
      readonly status: "final";
      readonly header: MessageHeader;
      readonly payment?: PaymentResponse;
      readonly reversal?: ReversalResponse;
    }
  | { readonly status: "in-progress" }
  /** The terminal has no request with that ServiceID: it never received it. */
  | { readonly status: "not-found" };

const CAPABILITIES_LIGHT: SaleCapabilitiesType[] = ["PrinterReceipt"];
const CAPABILITIES_FULL: SaleCapabilitiesType[] = [
  "CashierStatus",
  "CashierError",
  "CashierDisplay",
  "CashierInput",
  "PrinterReceipt",
];
const SERVICE_ID_SPACE = 10_000_000_000;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type ResponseKind = Exclude<keyof SaleToPOIResponse, "MessageHeader">;

export class NexoDriver {
  readonly saleId: string;
  readonly poiId: string;
  readonly #options: NexoDriverOptions;
  readonly #client: NexoClient;
  readonly #paymentClient: NexoClient;
  readonly #machine = new SessionMachine();
  readonly #listeners = new Set<(event: NexoDriverEvent) => void>();
  readonly #now: () => Date;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #contentType: NexoContentType;
  #used = new Set<string>();
  #posListener: RunningPosListener | undefined;
  #poiSystemData: POISystemData | undefined;

  constructor(options: NexoDriverOptions) {
    this.#options = options;
    this.saleId = options.saleId;
    this.poiId = options.poiId;
    this.#now = options.now ?? (() => new Date());
    this.#sleep = options.sleep ?? defaultSleep;
    this.#contentType = options.contentType ?? "application/xml";
    const transport = options.transport === undefined ? {} : { transport: options.transport };
    this.#client = new NexoClient({
      baseUrl: options.terminalUrl,
      timeoutMs: options.timeoutMs ?? 30_000,
      ...transport,
    });
    this.#paymentClient = new NexoClient({
      baseUrl: options.terminalUrl,
      timeoutMs: options.paymentTimeoutMs ?? 300_000,
      ...transport,
    });
  }

  /** disconnected, logging-in, ready, busy (a payment, refund, reversal or logout in progress) or closed. */
  get state(): SessionState {
    return this.#machine.state;
  }

  /** The POS listener's base URL once connected in full integration. */
  get listenerUrl(): string | undefined {
    return this.#posListener?.url;
  }

  /** What the terminal said of itself in the last LoginResponse. */
  get poiSystemData(): POISystemData | undefined {
    return this.#poiSystemData;
  }

  /** Subscribes to the driver's events; returns the unsubscribe function. */
  on(listener: (event: NexoDriverEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts the POS listener (full integration) and logs in. */
  async connect(): Promise<void> {
    if (this.state === "closed") throw new NexoDriverError("not-connected", "the driver is closed");
    if (this.#options.listener !== false && this.#posListener === undefined) {
      const where = this.#options.listener ?? {};
      this.#posListener = await startPosListener({
        ...(where.host === undefined ? {} : { host: where.host }),
        ...(where.port === undefined ? {} : { port: where.port }),
        ...(this.#options.confirmSignature === undefined ? {} : { confirmSignature: this.#options.confirmSignature }),
        emit: (event) => this.#emit(event),
      });
    }
    if (this.state !== "ready") await this.login();
  }

  /** Logs out (best effort) and stops the POS listener. */
  async close(): Promise<void> {
    if (this.state === "ready") await this.logout().catch(() => undefined);
    if (this.state !== "closed") this.#transition("close");
    await this.#posListener?.close();
    this.#posListener = undefined;
  }

  /** Opens a new login session (a new Login replaces the terminal's previous session for this SaleID). */
  async login(): Promise<void> {
    this.#transition("login");
    this.#used = new Set();
    const software = this.#options.saleSoftware ?? {
      ProviderIdentification: "Payspec",
      ApplicationName: "@payspec/nexo-driver",
      SoftwareVersion: "0.1.0",
    };
    try {
      const answer = await this.#send(
        "LoginRequest",
        {
          DateTime: this.#now().toISOString(),
          SaleSoftware: software,
          SaleTerminalData: {
            TerminalEnvironment: "Attended",
            SaleCapabilities: this.#options.listener === false ? CAPABILITIES_LIGHT : CAPABILITIES_FULL,
          },
          OperatorLanguage: this.#options.operatorLanguage ?? "en",
        },
        this.newServiceId(),
      );
      const login = this.#expect(answer, "LoginResponse");
      if (login.Response.Result !== "Success") {
        throw new NexoDriverError(
          "login-failed",
          `Login refused: ${login.Response.ErrorCondition ?? "Failure"} ${login.Response.AdditionalResponse ?? ""}`.trim(),
        );
      }
      this.#poiSystemData = login.POISystemData;
      this.#transition("logged-in");
    } catch (error) {
      if (this.state === "logging-in") this.#transition("login-failed");
      throw error instanceof NexoDriverError
        ? error
        : new NexoDriverError("login-failed", `Login failed: ${String(error)}`, { cause: error });
    }
  }

  /** Ends the login session; `maintenanceAllowed` lets the terminal install pending updates. */
  async logout(maintenanceAllowed?: boolean): Promise<void> {
    this.#requireState("ready");
    const answer = await this.#send(
      "LogoutRequest",
      maintenanceAllowed === undefined ? {} : { MaintenanceAllowed: maintenanceAllowed },
      this.newServiceId(),
    );
    const logout = this.#expect(answer, "LogoutResponse");
    if (logout.Response.Result !== "Success" && logout.Response.ErrorCondition !== "LoggedOut") {
      throw new NexoDriverError("rejected", `Logout refused: ${logout.Response.ErrorCondition ?? "Failure"}`);
    }
    this.#transition("logout");
  }

  /** A ServiceID not yet used in this login session (at most 10 characters). */
  newServiceId(): string {
    const next = this.#options.serviceId ?? (() => String(randomInt(1, SERVICE_ID_SPACE)));
    for (;;) {
      const id = next();
      if (!this.#used.has(id)) return id;
    }
  }

  /** A payment (PaymentType Normal). */
  pay(options: NexoPaymentOptions): Promise<NexoPaymentResult> {
    return this.#payment("Normal", options);
  }

  /** A refund to the customer's card (PaymentType Refund): a card transaction of its own. */
  refund(options: NexoPaymentOptions): Promise<NexoPaymentResult> {
    return this.#payment("Refund", options);
  }

  /** Aborts the request sent with `serviceId` (nexo answers 204; the request then ends Failure / Aborted). */
  async abort(serviceId: string, reason = "Abort by Sale System"): Promise<void> {
    this.#requireSession();
    await this.#send(
      "AbortRequest",
      {
        MessageReference: { MessageCategory: "Payment", ServiceID: serviceId, SaleID: this.saleId, POIID: this.poiId },
        AbortReason: reason,
      },
      this.newServiceId(),
    );
  }

  /** Reverses an approved payment of the day by its POITransactionID. */
  async reversal(options: {
    readonly poiTransactionId: TransactionIdentification;
    readonly reason?: ReversalReasonType;
    readonly serviceId?: string;
  }): Promise<ReversalResponse> {
    return this.#serviceRequest(async (serviceId) => {
      const answer = await this.#send(
        "ReversalRequest",
        {
          ReversalReason: options.reason ?? "MerchantCancel",
          OriginalPOITransaction: {
            SaleID: this.saleId,
            POIID: this.poiId,
            POITransactionID: options.poiTransactionId,
          },
        },
        serviceId,
      );
      return this.#expect(answer, "ReversalResponse");
    }, options.serviceId);
  }

  /**
   * TransactionStatus of the payment sent with `serviceId` (default: the terminal's last one).
   * `not-found` means the terminal has no payment with that ServiceID for this SaleID.
   */
  async transactionStatus(serviceId?: string): Promise<NexoTransactionStatus> {
    if (this.state === "disconnected") await this.login();
    this.#requireSession();
    let answer = await this.#send(
      "TransactionStatusRequest",
      serviceId === undefined
        ? {}
        : { MessageReference: { MessageCategory: "Payment", ServiceID: serviceId, SaleID: this.saleId } },
      this.newServiceId(),
    );
    let status = this.#expect(answer, "TransactionStatusResponse");
    if (status.Response.ErrorCondition === "LoggedOut" && this.state === "ready") {
      await this.login();
      answer = await this.#send(
        "TransactionStatusRequest",
        serviceId === undefined
          ? {}
          : { MessageReference: { MessageCategory: "Payment", ServiceID: serviceId, SaleID: this.saleId } },
        this.newServiceId(),
      );
      status = this.#expect(answer, "TransactionStatusResponse");
    }
    if (status.Response.Result === "Failure") {
      if (status.Response.ErrorCondition === "InProgress") return { status: "in-progress" };
      if (status.Response.ErrorCondition === "NotFound") return { status: "not-found" };
      throw new NexoDriverError(
        "rejected",
        `TransactionStatus: ${status.Response.ErrorCondition ?? "Failure"} ${status.Response.AdditionalResponse ?? ""}`.trim(),
      );
    }
    const repeated = status.RepeatedMessageResponse;
    if (repeated === undefined) throw new NexoDriverError("rejected", "TransactionStatus: no RepeatedMessageResponse");
    if (serviceId !== undefined && repeated.MessageHeader.ServiceID !== serviceId) {
      // Another request's answer says nothing about ours: never take it for ours.
      throw new NexoDriverError(
        "rejected",
        `TransactionStatus answered ServiceID ${repeated.MessageHeader.ServiceID}, not ${serviceId}`,
      );
    }
    const body = repeated.RepeatedResponseMessageBody;
    return {
      status: "final",
      header: repeated.MessageHeader,
      ...(body.PaymentResponse === undefined ? {} : { payment: body.PaymentResponse }),
      ...(body.ReversalResponse === undefined ? {} : { reversal: body.ReversalResponse }),
    };
  }

  /**
   * Asks TransactionStatus until the payment sent with `serviceId` is final. Throws
   * NexoDriverError("not-received") when the terminal never received it, NexoOutcomeUnknownError
   * when it stays unknown (in progress, or the terminal unreachable) after the attempts.
   */
  async recover(
    serviceId: string,
    options: {
      readonly attempts?: number;
      readonly intervalMs?: number;
      /**
       * How many NotFound answers, one interval apart, prove the terminal never received it (default 1).
       * Right after a lost answer the request may still be on its way: the driver's own recovery uses 2.
       */
      readonly notFoundAfter?: number;
    } = {},
  ): Promise<NexoPaymentResult> {
    const attempts = Math.max(1, options.attempts ?? this.#options.recovery?.attempts ?? 10);
    const intervalMs = options.intervalMs ?? this.#options.recovery?.intervalMs ?? 1000;
    const notFoundAfter = Math.max(1, options.notFoundAfter ?? 1);
    let notFound = 0;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await this.#sleep(intervalMs);
      let status: NexoTransactionStatus;
      try {
        status = await this.transactionStatus(serviceId);
      } catch (error) {
        lastError = error;
        continue;
      }
      if (status.status === "not-found") {
        if (++notFound >= notFoundAfter) {
          throw new NexoDriverError("not-received", `the terminal never received ServiceID ${serviceId}`);
        }
        continue;
      }
      notFound = 0;
      if (status.status === "final" && status.payment !== undefined) {
        return { serviceId, response: status.payment, recovered: true };
      }
    }
    throw new NexoOutcomeUnknownError(
      serviceId,
      `the outcome of ServiceID ${serviceId} is still unknown after ${attempts} TransactionStatus requests`,
      lastError === undefined ? {} : { cause: lastError },
    );
  }

  async #payment(type: "Normal" | "Refund", options: NexoPaymentOptions): Promise<NexoPaymentResult> {
    const serviceId = options.serviceId ?? this.newServiceId();
    const body: NonNullable<SaleToPOIRequest["PaymentRequest"]> = {
      SaleData: {
        SaleTransactionID: { TransactionID: options.saleTransactionId, TimeStamp: this.#now().toISOString() },
      },
      PaymentTransaction: { AmountsReq: { Currency: options.currency, RequestedAmount: options.amount } },
      PaymentData: { PaymentType: type },
    };
    const onAbort = () => {
      this.abort(serviceId).catch(() => undefined);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await this.#serviceRequest(async (id) => {
        let answer: SaleToPOIResponse | undefined;
        if (options.signal?.aborted) {
          throw new NexoDriverError("not-received", `ServiceID ${id} was aborted before it was sent`);
        }
        try {
          answer = await this.#send("PaymentRequest", body, id, true);
        } catch (error) {
          if (error instanceof NexoDriverError) throw error;
          // Sent, and the answer lost: the terminal may have charged the card. Ask, never guess.
          if (options.recover === false) {
            throw new NexoOutcomeUnknownError(id, `the answer to ServiceID ${id} was lost: ${String(error)}`, {
              cause: error,
            });
          }
          return this.recover(id, { notFoundAfter: 2 });
        }
        return { serviceId: id, response: this.#expect(answer, "PaymentResponse"), recovered: false };
      }, serviceId);
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Runs one service request (busy meanwhile). When the terminal answers LoggedOut, logs in again
   * and sends it once more with the same ServiceID (new session: still unique there).
   */
  async #serviceRequest<T extends NexoPaymentResult | ReversalResponse>(
    run: (serviceId: string) => Promise<T>,
    serviceId = this.newServiceId(),
  ): Promise<T> {
    if (this.state === "disconnected") await this.login();
    if (this.state === "busy")
      throw new NexoDriverError("busy", "another request is in progress (nexo: one at a time)");
    this.#requireState("ready");
    this.#transition("begin");
    try {
      let result = await run(serviceId);
      if (loggedOut(result)) {
        this.#transition("logged-out");
        await this.login();
        this.#transition("begin");
        result = await run(serviceId);
      }
      return result;
    } finally {
      if ((this.state as SessionState) === "busy") this.#transition("end");
    }
  }

  /** Sends one request; resolves the terminal's SaleToPOIResponse (undefined for a 204). */
  async #send<K extends NexoRequestKind>(
    kind: K,
    body: NonNullable<SaleToPOIRequest[K]>,
    serviceId: string,
    long = false,
  ): Promise<SaleToPOIResponse | undefined> {
    this.#used.add(serviceId);
    const message: NexoRequestMessage = nexoRequest(
      { SaleID: this.saleId, POIID: this.poiId, ServiceID: serviceId },
      kind,
      body,
    );
    try {
      const answer = await (long ? this.#paymentClient : this.#client).terminalSend({
        "Content-Type": this.#contentType,
        body: message,
      });
      return answer?.SaleToPOIResponse;
    } catch (error) {
      if (error instanceof NexoApiError && error.status < 500) {
        // The terminal refused the message itself: it did not act on it.
        throw new NexoDriverError(
          "rejected",
          `${kind}: HTTP ${error.status} ${error.body?.Response?.AdditionalResponse ?? ""}`.trim(),
          { cause: error },
        );
      }
      throw error;
    }
  }

  #expect<K extends ResponseKind>(answer: SaleToPOIResponse | undefined, kind: K): NonNullable<SaleToPOIResponse[K]> {
    const response = answer?.[kind];
    if (response === undefined) {
      throw new NexoDriverError(
        "rejected",
        `expected a ${kind}, got ${answer === undefined ? "no body" : Object.keys(answer).join(", ")}`,
      );
    }
    return response as NonNullable<SaleToPOIResponse[K]>;
  }

  #requireSession(): void {
    if (this.state !== "ready" && this.state !== "busy") {
      throw new NexoDriverError("not-connected", `no login session (state ${this.state}): call connect()`);
    }
  }

  #requireState(state: SessionState): void {
    if (this.state !== state) {
      throw new NexoDriverError(
        this.state === "busy" ? "busy" : "not-connected",
        `the driver is ${this.state}, not ${state}`,
      );
    }
  }

  #transition(event: Parameters<SessionMachine["apply"]>[0]): void {
    const state = this.#machine.apply(event);
    this.#emit({ type: "state", state });
  }

  #emit(event: NexoDriverEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A subscriber's bug must not break a payment in flight.
      }
    }
  }
}

function loggedOut(result: NexoPaymentResult | ReversalResponse): boolean {
  const response = "response" in result ? result.response.Response : result.Response;
  return response.Result === "Failure" && response.ErrorCondition === "LoggedOut";
}
