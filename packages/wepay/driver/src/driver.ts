/**
 * `WePayDriver`: what a mobile backend (or the app's backend half) uses to run a card-present payment:
 * the reader reads the card and has it authorized (single-use `encoded_payment_method`), then the backend
 * creates the payment with POST /payments under a `Unique-Key`.
 *
 * Recovery rules (see README "Recovery"):
 * - the same `Unique-Key` with the same body is a safe replay: WePay answers the first payment and never uses
 *   the encoded method twice. `replayPayment` does this while the body is still in memory;
 * - the body holds the encoded method, which exists only after the card read and is single use: it is not
 *   journalled, so after a restart the payment is found by its `reference_id` (GET /payments) instead;
 * - a card is never read again to recover a payment.
 */
import type { CallOptions } from "@payspec/runtime";
import type { WePayClient } from "@payspec/wepay-client";
import type { CreatePaymentRequest, CreateRefundRequest, Payment, Refund } from "@payspec/wepay-types";
import { CardReaderManager, type CardReaderManagerOptions, type CardReadResult } from "./manager.js";
import { SessionManager, type SessionManagerOptions } from "./session.js";

export interface WePayDriverOptions
  extends Omit<CardReaderManagerOptions, "session">,
    Pick<SessionManagerOptions, "now" | "refreshMarginSeconds" | "activate"> {
  /** A WePayClient for the merchant's platform app (`wepayAuth` credentials). Give it no `retry`: the driver decides. */
  readonly client: WePayClient;
  /** The merchant's account id. */
  readonly accountId: string;
  readonly onSessionEvent?: SessionManagerOptions["onEvent"];
}

export interface CreatePaymentInput {
  /** The idempotency key, chosen (and journalled) before the card is read. */
  readonly uniqueKey: string;
  /** Your reference for the payment: what finds it again after a restart. */
  readonly referenceId: string;
  readonly card: CardReadResult;
  readonly feeAmount?: number;
}

export interface CreateRefundInput {
  readonly uniqueKey: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly reason: string;
  readonly referenceId: string;
}

const call = (signal?: AbortSignal): CallOptions | undefined => (signal === undefined ? undefined : { signal });

export class WePayDriver {
  readonly client: WePayClient;
  readonly accountId: string;
  readonly session: SessionManager;
  readonly reader: CardReaderManager;

  constructor(options: WePayDriverOptions) {
    this.client = options.client;
    this.accountId = options.accountId;
    this.session = new SessionManager({
      client: options.client,
      accountId: options.accountId,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.refreshMarginSeconds === undefined ? {} : { refreshMarginSeconds: options.refreshMarginSeconds }),
      ...(options.activate === undefined ? {} : { activate: options.activate }),
      ...(options.onSessionEvent === undefined ? {} : { onEvent: options.onSessionEvent }),
    });
    this.reader = new CardReaderManager({ ...options, session: this.session });
  }

  /** Starts the SDK session (a token from POST /session_tokens) and connects a reader (configuring it when needed). */
  async connect(signal?: AbortSignal): Promise<void> {
    await this.session.sessionToken(signal);
    await this.reader.connect(signal);
  }

  async close(): Promise<void> {
    await this.reader.disconnect();
  }

  /** Reads and authorizes a card for `amount` (minor units) in `currency` (USD). */
  readCard(amount: number, currency: string, signal?: AbortSignal): Promise<CardReadResult> {
    return this.reader.readCard({ amount, currency, accountId: this.accountId }, signal);
  }

  /** The body of POST /payments for a card read: deterministic, so a replay under the same key is identical. */
  paymentBody(input: Omit<CreatePaymentInput, "uniqueKey">): CreatePaymentRequest {
    return {
      account_id: this.accountId,
      amount: input.card.authorization.amount,
      currency: input.card.authorization.currency,
      ...(input.feeAmount === undefined ? {} : { fee_amount: input.feeAmount }),
      payment_method: { encoded_payment_method: input.card.authorization.encoded_payment_method },
      reference_id: input.referenceId,
    };
  }

  /** POST /payments from a card read, under `uniqueKey`. */
  createPayment(input: CreatePaymentInput, signal?: AbortSignal): Promise<Payment> {
    return this.replayPayment(input.uniqueKey, this.paymentBody(input), signal);
  }

  /** POST /payments with a key and a body already sent once: WePay answers the first payment. */
  replayPayment(uniqueKey: string, body: CreatePaymentRequest, signal?: AbortSignal): Promise<Payment> {
    return this.client.paymentsCreate({ "Unique-Key": uniqueKey, body }, call(signal));
  }

  getPayment(id: string, signal?: AbortSignal): Promise<Payment> {
    return this.client.paymentsGet({ id }, call(signal));
  }

  /** The payment with this `reference_id` on the merchant's account (the newest), or undefined when WePay has none. */
  async findPayment(referenceId: string, signal?: AbortSignal): Promise<Payment | undefined> {
    const page = await this.client.paymentsList(
      { account_id: this.accountId, reference_id: referenceId },
      call(signal),
    );
    return page.results.find((p) => p.reference_id === referenceId);
  }

  /** The body of POST /refunds: fully known before sending, so recovery replays it under the same key. */
  refundBody(input: Omit<CreateRefundInput, "uniqueKey">): CreateRefundRequest {
    return {
      payment_id: input.paymentId,
      refund_reason: input.reason,
      amount: input.amount,
      reference_id: input.referenceId,
    };
  }

  /** POST /refunds under `uniqueKey` (a replay with the same input answers the first refund). */
  createRefund(input: CreateRefundInput, signal?: AbortSignal): Promise<Refund> {
    return this.client.refundsCreate({ "Unique-Key": input.uniqueKey, body: this.refundBody(input) }, call(signal));
  }
}
