/**
 * The Terminal API over WePay's Card Present SDK flow (`@payspec/wepay-driver`): a mobile card reader
 * (Moby 5500 / RP457c) reads the card and has it authorized, then the backend creates the payment with
 * POST /payments from the single-use `encoded_payment_method`, under a `Unique-Key`.
 *
 * - `prepare` picks a random `Unique-Key` (UUID) and uses the POS reference as WePay's `reference_id`; both
 *   are journalled before the card is read. A refund also journals the payment id (found by the payment's
 *   `reference_id`), so its whole body is known from the journal.
 * - `execute` reads the card (statuses become events; "waiting for card" → `waiting-for-card`), then sends
 *   POST /payments. `completed` → approved, `failed` → declined (WePay's failure reason), `canceled` →
 *   cancelled; a card read that was stopped → cancelled; a reader error (timeout, disconnect, …) or a 4xx
 *   from WePay (e.g. `CARD_READER_DISCONNECTED`, nothing charged) → failed. A lost answer, 5xx or `pending`
 *   throws `OutcomeUnknownError`.
 * - `recover`, payment: (1) while this process still holds the body it sent, it replays POST /payments with
 *   the same `Unique-Key` and the identical body: WePay answers the first payment, or creates it if the first
 *   send never arrived (the same card authorization, for the same sale; nothing is charged twice).
 *   (2) After a restart the body is gone: the encoded payment method exists only after the card read, is
 *   single use, and is a payment credential, so it is not journalled. The payment is then looked up by its
 *   `reference_id` (GET /payments): found → its outcome; none → "not-found" (the authorization died with the
 *   process, so the request can no longer reach WePay). A card is never read again to recover.
 *   Refund: the body is deterministic from the journal, so recovery replays it under the same key.
 * - `cancel` stops the card read (the reader reports "stopped"); once the card is read the payment runs on.
 */
import { randomUUID } from "node:crypto";
import type { Transport } from "@payspec/runtime";
import {
  CardReadCancelledError,
  type CardReaderStatus,
  type CardReaderStatusChanged,
  type CardReadResult,
  type CreatePaymentRequest,
  type Payment,
  type Refund,
  WePayApiError,
  WePayClient,
  WePayDriver,
  WePayDriverError,
  type WePayDriverOptions,
  wepayAuth,
} from "@payspec/wepay-driver";
import { OutcomeUnknownError, TerminalError } from "../errors.js";
import type { Journal } from "../journal.js";
import { createTerminal, type RecoveryPolicy } from "../terminal.js";
import type {
  AdapterContext,
  AdapterRequest,
  JournalEntry,
  OperationKind,
  Outcome,
  PayRequest,
  Recovery,
  RefundRequest,
  Terminal,
  TerminalAdapter,
  TerminalListener,
  VendorIds,
} from "../types.js";

export interface WePayAdapterOptions extends Omit<WePayDriverOptions, "client"> {
  /** WePay API base URL (`https://stage-api.wepay.com`, or the simulator's url). */
  readonly baseUrl: string;
  /** The platform app's App-Id / App-Token. */
  readonly credentials: { readonly appId: string; readonly appToken: string };
  /** HTTP transport for the WePay client (default: fetch). */
  readonly httpTransport?: Transport;
  /** HTTP time limit in ms (default 30 s). */
  readonly timeoutMs?: number;
  /** `refund_reason` sent with refunds (default "Refund requested by the merchant"). */
  readonly refundReason?: string;
}

export interface WePayTerminalOptions extends WePayAdapterOptions {
  readonly journal?: Journal;
  readonly recovery?: RecoveryPolicy;
}

/** What the phone shows the customer for a reader status (the Moby 5500 and RP457c have no display). */
const PROMPTS: Partial<Record<CardReaderStatus, string>> = {
  "configuring reader": "Setting up the card reader, please wait",
  "waiting for card": "Insert or swipe card",
  "should not swipe EMV card": "Chip card: please insert it",
  "check card orientation": "Check the card orientation",
  "chip error, swipe card": "Chip error: please swipe the card",
  "swipe error, swipe again": "Swipe again",
  "card dipped": "Card read, do not remove",
  "swipe detected": "Card read",
  authorizing: "Authorizing…",
};

function eventStatus(status: CardReaderStatus): string {
  if (status === "waiting for card") return "waiting-for-card";
  if (status === "tokenizing" || status === "authorizing") return "processing";
  return status;
}

function failureReason(payment: { failure_reason?: Record<string, unknown> | null }): string {
  const reason = payment.failure_reason;
  const message = reason?.reason_message ?? reason?.reason_code;
  return typeof message === "string" ? message : "WePay failed the payment";
}

function apiReason(error: WePayApiError): string {
  const detail = error.body?.details?.[0]?.reason_code;
  return `${error.body?.error_code ?? `HTTP ${error.status}`}${detail === undefined ? "" : ` (${detail})`}: ${error.body?.error_message ?? ""}`.trim();
}

/** A 4xx WePay answered: it refused the request, so nothing was created (timeouts and throttling excepted). */
const refused = (error: unknown): error is WePayApiError =>
  error instanceof WePayApiError &&
  error.status >= 400 &&
  error.status < 500 &&
  error.status !== 408 &&
  error.status !== 429;

export class WePayAdapter implements TerminalAdapter {
  readonly protocol = "wepay" as const;
  readonly driver: WePayDriver;
  readonly #refundReason: string;
  /** bodies sent in this process, by Unique-Key: what a replay must repeat exactly */
  readonly #sent = new Map<string, CreatePaymentRequest>();
  #emit: TerminalListener = () => undefined;
  #lastStatus: string | undefined;
  #inFlight: { reference: string; controller: AbortController } | undefined;

  constructor(options: WePayAdapterOptions) {
    const client = new WePayClient({
      baseUrl: options.baseUrl,
      auth: wepayAuth(options.credentials),
      // No silent retries: a lost answer surfaces as OutcomeUnknownError and `recover` replays the same
      // Unique-Key and body, so the journal records that the outcome was recovered.
      retry: { maxAttempts: 1 },
      ...(options.httpTransport === undefined ? {} : { transport: options.httpTransport }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    const userOnStatus = options.onStatus;
    this.driver = new WePayDriver({
      ...options,
      client,
      onStatus: (event: CardReaderStatusChanged) => {
        userOnStatus?.(event);
        const status = eventStatus(event.status);
        // "tokenizing" and "authorizing" are both "processing": say it once
        if (status !== this.#lastStatus) this.#emit({ type: "status", status });
        this.#lastStatus = status;
        const prompt = PROMPTS[event.status];
        if (prompt !== undefined) this.#emit({ type: "display", lines: [prompt] });
      },
    });
    this.#refundReason = options.refundReason ?? "Refund requested by the merchant";
  }

  async connect(context: AdapterContext): Promise<void> {
    this.#emit = context.emit;
    try {
      await this.driver.connect(context.signal);
    } catch (error) {
      throw new TerminalError("device", `the card reader could not be connected: ${String(error)}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  async prepare(kind: OperationKind, request: PayRequest | RefundRequest): Promise<VendorIds> {
    if (kind === "payment") return { uniqueKey: randomUUID(), referenceId: request.reference };
    const paymentReference = (request as RefundRequest).paymentReference;
    const payment = await this.driver.findPayment(paymentReference);
    if (payment === undefined)
      throw new TerminalError(
        "unknown-payment",
        `WePay has no payment with reference_id ${JSON.stringify(paymentReference)}`,
      );
    return { uniqueKey: randomUUID(), referenceId: request.reference, paymentId: payment.id };
  }

  async execute(request: AdapterRequest, context: AdapterContext): Promise<Outcome> {
    this.#emit = context.emit;
    return request.kind === "payment" ? this.#pay(request, context) : this.#refund(request);
  }

  async #pay(request: AdapterRequest, context: AdapterContext): Promise<Outcome> {
    const { amount, currency, reference } = request.request;
    const uniqueKey = request.ids.uniqueKey as string;
    const referenceId = request.ids.referenceId as string;
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    context.signal?.addEventListener("abort", onAbort, { once: true });
    this.#inFlight = { reference, controller };
    let card: CardReadResult;
    try {
      card = await this.driver.readCard(amount, currency, controller.signal);
    } catch (error) {
      // Nothing was sent to POST /payments: no charge is possible.
      if (error instanceof CardReadCancelledError)
        return this.#outcome(request, "cancelled", { reason: "the card read was stopped" });
      if (error instanceof WePayDriverError)
        return this.#outcome(request, "failed", { reason: `${error.sdkError.ios_name}: ${error.sdkError.message}` });
      throw error;
    } finally {
      context.signal?.removeEventListener("abort", onAbort);
      this.#inFlight = undefined;
    }
    const body = this.driver.paymentBody({ referenceId, card });
    this.#sent.set(uniqueKey, body);
    let payment: Payment;
    try {
      // Not the cancel signal: once the card is read the payment runs to its end.
      payment = await this.driver.replayPayment(uniqueKey, body);
    } catch (error) {
      if (refused(error)) return this.#outcome(request, "failed", { reason: apiReason(error) });
      throw new OutcomeUnknownError(`POST /payments ${JSON.stringify(reference)}: ${String(error)}`, { cause: error });
    }
    const outcome = this.#paymentOutcome(request, payment, card.maskedPan);
    if (outcome === "in-progress") throw new OutcomeUnknownError(`payment ${payment.id} is still pending`);
    return outcome;
  }

  async #refund(request: AdapterRequest): Promise<Outcome> {
    let refund: Refund;
    try {
      refund = await this.#sendRefund(request);
    } catch (error) {
      if (refused(error)) return this.#outcome(request, "failed", { reason: apiReason(error) });
      throw new OutcomeUnknownError(`POST /refunds ${JSON.stringify(request.request.reference)}: ${String(error)}`, {
        cause: error,
      });
    }
    const outcome = this.#refundOutcome(request, refund);
    if (outcome === "in-progress") throw new OutcomeUnknownError(`refund ${refund.id} is still ${refund.status}`);
    return outcome;
  }

  #sendRefund(request: Pick<AdapterRequest, "ids" | "request">): Promise<Refund> {
    return this.driver.createRefund({
      uniqueKey: request.ids.uniqueKey as string,
      paymentId: request.ids.paymentId as string,
      amount: request.request.amount,
      reason: this.#refundReason,
      referenceId: request.ids.referenceId as string,
    });
  }

  async cancel(entry: JournalEntry): Promise<void> {
    if (this.#inFlight?.reference === entry.reference) this.#inFlight.controller.abort();
  }

  async recover(entry: JournalEntry, context: AdapterContext): Promise<Recovery> {
    void context;
    if (entry.kind === "refund") {
      try {
        return this.#refundOutcome(entry, await this.#sendRefund(entry));
      } catch (error) {
        if (refused(error)) return this.#outcome(entry, "failed", { reason: apiReason(error) });
        throw error;
      }
    }
    const uniqueKey = entry.ids.uniqueKey as string;
    const body = this.#sent.get(uniqueKey);
    if (body !== undefined) {
      try {
        return this.#paymentOutcome(entry, await this.driver.replayPayment(uniqueKey, body));
      } catch (error) {
        if (!refused(error)) throw error;
        // WePay refused the replay (e.g. the method was voided by a reader disconnect): ask by reference below.
      }
    }
    const payment = await this.driver.findPayment(entry.ids.referenceId as string);
    if (payment === undefined) return "not-found";
    return this.#paymentOutcome(entry, payment);
  }

  #outcome(
    entry: Pick<AdapterRequest, "kind" | "request">,
    status: Outcome["status"],
    extra: Partial<Outcome> = {},
  ): Outcome {
    return {
      reference: entry.request.reference,
      kind: entry.kind,
      status,
      amount: entry.request.amount,
      currency: entry.request.currency,
      ...extra,
    };
  }

  #paymentOutcome(
    entry: Pick<AdapterRequest, "kind" | "request">,
    payment: Payment,
    maskedPan?: string,
  ): Outcome | "in-progress" {
    const common = {
      transactionId: payment.id,
      ...(maskedPan === undefined ? {} : { maskedPan }),
    };
    switch (payment.status) {
      case "completed":
        return this.#outcome(entry, "approved", {
          ...common,
          ...(payment.authorization_code ? { authorizationCode: payment.authorization_code } : {}),
        });
      case "failed":
        return this.#outcome(entry, "declined", { ...common, reason: failureReason(payment) });
      case "canceled":
        return this.#outcome(entry, "cancelled", { ...common, reason: "WePay canceled the payment" });
      default:
        return "in-progress";
    }
  }

  #refundOutcome(entry: Pick<AdapterRequest, "kind" | "request">, refund: Refund): Outcome | "in-progress" {
    if (refund.status === "completed") return this.#outcome(entry, "approved", { transactionId: refund.id });
    if (refund.status === "failed")
      return this.#outcome(entry, "failed", { transactionId: refund.id, reason: failureReason(refund) });
    return "in-progress";
  }
}

/** A `Terminal` over WePay: `createTerminal(new WePayAdapter(options), { journal, recovery })`. */
export function wepayTerminal(options: WePayTerminalOptions): Terminal {
  const { journal, recovery, ...adapterOptions } = options;
  return createTerminal(new WePayAdapter(adapterOptions), {
    ...(journal === undefined ? {} : { journal }),
    ...(recovery === undefined ? {} : { recovery }),
  });
}
