/**
 * The Terminal API over a Payneteasy mPOS reader (`@payspec/payneteasy-driver`).
 *
 * - `prepare` picks the `client_orderid` (random, `PS` + 30 hex digits): it is journalled before
 *   the card is read, and names the order at Payneteasy for recovery.
 * - `execute` reads the card, sends the sale (or preauth) and waits for the final status by
 *   polls or callback. `approved` → approved; `declined` / `filtered` → declined; `error` (the
 *   gateway says the order failed, e.g. the reader dropped mid-transaction) → failed; a card
 *   read cancelled or a reader disconnected before the card was read → cancelled / failed
 *   (nothing was sent); a `validation-error` / `error` answer to the sale → failed (no order).
 *   A lost answer or a status that stays `processing` throws `OutcomeUnknownError`.
 * - `recover` asks `status` by `client_orderid` (plus the `orderid` when this process learned
 *   it): final → Outcome, processing → "in-progress", "no such order" → "not-found".
 * - `cancel` stops the card read; once the card data has been sent, Payneteasy's mPOS API has
 *   no way to stop the order, and the payment runs to its end.
 * - Refunds are Payneteasy returns (`/api/v2/return`) of the approved sale: `prepare` journals the
 *   sale's `client_orderid` and `orderid` (read from the payment's journal entry) before the
 *   return is sent; `execute` sends the return and polls its status (`by-request-sn`) until final;
 *   `recover` asks the order's latest stage: a final return → Outcome, a return still processing
 *   → "in-progress", a latest stage that is not a return → "not-found" (it never arrived).
 */
import { randomBytes } from "node:crypto";
import {
  type DeviceEvent,
  fromDecimalAmount,
  type PaymentEvent,
  type PaymentResult,
  type PaymentType,
  PayneteasyDriver,
  type PayneteasyDriverOptions,
  PayneteasyOutcomeUnknownError,
  type RefundResult,
  toDecimalAmount,
} from "@payspec/payneteasy-driver";
import { OutcomeUnknownError, TerminalError } from "../errors.js";
import { type Journal, MemoryJournal } from "../journal.js";
import { createTerminal, type RecoveryPolicy } from "../terminal.js";
import type {
  AdapterContext,
  AdapterRequest,
  JournalEntry,
  OperationKind,
  Outcome,
  OutcomeStatus,
  PayRequest,
  Recovery,
  RefundRequest,
  Terminal,
  TerminalAdapter,
  TerminalEvent,
  VendorIds,
} from "../types.js";

export interface PayneteasyAdapterOptions extends PayneteasyDriverOptions {
  /**
   * The journal entry of a payment by its reference (`journal.get`): `prepare` reads the sale's
   * ids from it so a refund's entry names the order. `payneteasyTerminal` wires its journal in.
   */
  readonly paymentEntry?: (reference: string) => JournalEntry | undefined;
  /** What a payment runs as: `sale` (default) or `preauth` (held, captured later). */
  readonly paymentType?: PaymentType;
  /** Prefix of the generated `client_orderid` (default `PS`). */
  readonly orderIdPrefix?: string;
}

export interface PayneteasyTerminalOptions extends PayneteasyAdapterOptions {
  readonly journal?: Journal;
  readonly recovery?: RecoveryPolicy;
}

/** Where a return's end lands in the Terminal API (`refused`: the gateway created no return). */
const REFUND_STATUS_OF: Readonly<Record<RefundResult["state"], OutcomeStatus>> = {
  approved: "approved",
  declined: "declined",
  filtered: "declined",
  error: "failed",
  refused: "failed",
};

/** Where a Payneteasy end lands in the Terminal API. */
const STATUS_OF: Readonly<Record<PaymentResult["state"], OutcomeStatus>> = {
  approved: "approved",
  declined: "declined",
  filtered: "declined",
  error: "failed",
  cancelled: "cancelled",
  disconnected: "failed",
  refused: "failed",
};

export class PayneteasyAdapter implements TerminalAdapter {
  readonly protocol = "payneteasy" as const;
  readonly driver: PayneteasyDriver;
  readonly #paymentType: PaymentType;
  readonly #prefix: string;
  readonly #paymentEntry: ((reference: string) => JournalEntry | undefined) | undefined;
  /** orderids learned in this process, by client_orderid (a hint for recovery; never required) */
  readonly #orderIds = new Map<string, string>();
  /** the request in flight: its reference, and how to stop its card read */
  #inFlight: { reference: string; stopCardRead: () => void } | undefined;

  constructor(options: PayneteasyAdapterOptions) {
    this.driver = new PayneteasyDriver(options);
    this.#paymentType = options.paymentType ?? "sale";
    this.#prefix = options.orderIdPrefix ?? "PS";
    this.#paymentEntry = options.paymentEntry;
  }

  async connect(_context: AdapterContext): Promise<void> {
    // Nothing to open: the gateway is plain HTTPS and the reader is opened per card read.
  }

  async close(): Promise<void> {
    this.#inFlight?.stopCardRead();
  }

  prepare(kind: OperationKind, request: PayRequest | RefundRequest): VendorIds {
    if (kind === "refund") {
      // A return names the sale: its ids go into the refund's own journal entry, for recovery.
      const payment = this.#paymentEntry?.((request as RefundRequest).paymentReference);
      return payment === undefined ? {} : saleIds(payment);
    }
    return { client_orderid: `${this.#prefix}${randomBytes(15).toString("hex").toUpperCase()}` };
  }

  async execute(request: AdapterRequest, context: AdapterContext): Promise<Outcome> {
    const { reference, amount, currency } = request.request;
    const base = { reference, kind: request.kind, amount, currency };
    if (request.kind === "refund") return this.#refund(request, base, context);
    const client_orderid = clientOrderId(request.ids);
    // The card read can be stopped (cancel, or the caller's signal) until the card data is sent.
    const controller = new AbortController();
    let reading = true;
    const stopCardRead = () => {
      if (reading) controller.abort(new Error("cancelled"));
    };
    const onCallerAbort = () => stopCardRead();
    context.signal?.addEventListener("abort", onCallerAbort, { once: true });
    if (context.signal?.aborted) stopCardRead();
    this.#inFlight = { reference, stopCardRead };
    try {
      const result = await this.driver.pay(
        { type: this.#paymentType, client_orderid, amount: toDecimalAmount(amount, currency), currency },
        {
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === "state") {
              if (event.state === "sending") reading = false;
              if (event.state === "processing") context.emit({ type: "status", status: "processing" });
            } else {
              const mapped = terminalEvent(event);
              if (mapped !== undefined) context.emit(mapped);
            }
          },
        },
      );
      if (result.orderid !== undefined) this.#orderIds.set(client_orderid, result.orderid);
      return outcomeOf(base, result);
    } catch (error) {
      if (error instanceof PayneteasyOutcomeUnknownError) {
        if (error.orderid !== undefined) this.#orderIds.set(client_orderid, error.orderid);
        throw new OutcomeUnknownError(error.message, { cause: error });
      }
      throw error;
    } finally {
      context.signal?.removeEventListener("abort", onCallerAbort);
      if (this.#inFlight?.reference === reference) this.#inFlight = undefined;
    }
  }

  async #refund(
    request: AdapterRequest,
    base: Pick<Outcome, "reference" | "kind" | "amount" | "currency">,
    context: AdapterContext,
  ): Promise<Outcome> {
    const ids =
      request.ids.client_orderid !== undefined && request.ids.orderid !== undefined
        ? request.ids
        : request.original === undefined
          ? undefined
          : saleIds(request.original);
    if (ids?.client_orderid === undefined || ids.orderid === undefined) {
      return { ...base, status: "failed", reason: "the payment's Payneteasy order is not known; nothing was sent" };
    }
    const { amount, currency } = base;
    try {
      const result = await this.driver.refund(
        {
          client_orderid: ids.client_orderid,
          orderid: ids.orderid,
          amount: toDecimalAmount(amount, currency),
          currency,
          comment: `Refund ${base.reference}`.slice(0, 50),
        },
        {
          ...(context.signal ? { signal: context.signal } : {}),
          onEvent: (event) => {
            if (event.state === "processing") context.emit({ type: "status", status: "processing" });
          },
        },
      );
      return refundOutcome(base, result);
    } catch (error) {
      if (error instanceof PayneteasyOutcomeUnknownError)
        throw new OutcomeUnknownError(error.message, { cause: error });
      throw error;
    }
  }

  async cancel(entry: JournalEntry): Promise<void> {
    if (this.#inFlight?.reference === entry.reference) this.#inFlight.stopCardRead();
  }

  async recover(entry: JournalEntry, context: AdapterContext): Promise<Recovery> {
    if (entry.kind === "refund") return this.#recoverRefund(entry, context);
    const client_orderid = clientOrderId(entry.ids);
    const orderid = this.#orderIds.get(client_orderid);
    const found = await this.driver.lookup(
      { client_orderid, ...(orderid === undefined ? {} : { orderid }) },
      context.signal,
    );
    if (found.kind === "not-found") return "not-found";
    if (found.kind === "processing") return "in-progress";
    const { amount, currency } = entry.request;
    const result = found.result;
    return outcomeOf(
      {
        reference: entry.reference,
        kind: entry.kind,
        amount: result.amount ? fromDecimalAmount(result.amount, currency) : amount,
        currency,
      },
      result,
    );
  }

  /** A return is recovered by the order's latest stage (its serial number came in the lost answer). */
  async #recoverRefund(entry: JournalEntry, context: AdapterContext): Promise<Recovery> {
    const { client_orderid, orderid } = entry.ids;
    if (client_orderid === undefined || orderid === undefined)
      throw new OutcomeUnknownError("the refund's journal entry does not name the Payneteasy order; ask Payneteasy");
    const found = await this.driver.lookupReturn({ client_orderid, orderid }, context.signal);
    if (found.kind === "not-found") return "not-found";
    if (found.kind === "processing") return "in-progress";
    const { amount, currency } = entry.request;
    return refundOutcome({ reference: entry.reference, kind: entry.kind, amount, currency }, found.result);
  }
}

/** The sale's ids from the payment's journal entry: its client_orderid and the orderid of its outcome. */
function saleIds(payment: JournalEntry): { client_orderid?: string; orderid?: string } {
  return {
    ...(payment.ids.client_orderid === undefined ? {} : { client_orderid: payment.ids.client_orderid }),
    ...(payment.outcome?.transactionId === undefined ? {} : { orderid: payment.outcome.transactionId }),
  };
}

function refundOutcome(
  base: Pick<Outcome, "reference" | "kind" | "amount" | "currency">,
  result: RefundResult,
): Outcome {
  return {
    ...base,
    amount: result.amount ? fromDecimalAmount(result.amount, base.currency) : base.amount,
    status: REFUND_STATUS_OF[result.state],
    transactionId: result.orderid,
    ...(result.state === "approved" ? {} : { reason: result.reason ?? result.state }),
  };
}

function clientOrderId(ids: VendorIds): string {
  const id = ids.client_orderid;
  if (id === undefined) throw new TerminalError("journal", "the journal entry has no client_orderid");
  return id;
}

function outcomeOf(base: Pick<Outcome, "reference" | "kind" | "amount" | "currency">, result: PaymentResult): Outcome {
  return {
    ...base,
    status: STATUS_OF[result.state],
    ...(result.orderid === undefined ? {} : { transactionId: result.orderid }),
    ...(result.approvalCode === undefined ? {} : { authorizationCode: result.approvalCode }),
    ...(result.maskedPan === undefined ? {} : { maskedPan: result.maskedPan }),
    ...(result.state === "approved" ? {} : { reason: result.reason ?? result.state }),
  };
}

function terminalEvent(event: DeviceEvent | Exclude<PaymentEvent, { type: "state" }>): TerminalEvent | undefined {
  switch (event.type) {
    case "display":
      return { type: "display", lines: event.lines };
    case "waiting-for-card":
      return { type: "status", status: "waiting-for-card" };
    case "card-read":
      return { type: "status", status: "card-read" };
    case "disconnected":
      return { type: "disconnected", reason: event.reason };
  }
}

/** The adapter alone (for `createTerminal` with your own options). */
export function payneteasyAdapter(options: PayneteasyAdapterOptions): PayneteasyAdapter {
  return new PayneteasyAdapter(options);
}

/** A Terminal on a Payneteasy mPOS reader: `createTerminal(adapter, { journal, recovery })`. */
export function payneteasyTerminal(options: PayneteasyTerminalOptions): Terminal {
  const { journal = new MemoryJournal(), recovery, ...adapterOptions } = options;
  const adapter = new PayneteasyAdapter({ paymentEntry: (reference) => journal.get(reference), ...adapterOptions });
  return createTerminal(adapter, { journal, ...(recovery === undefined ? {} : { recovery }) });
}
