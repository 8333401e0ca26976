/**
 * The Terminal API on a nexo Retailer 3.1 terminal (Swedbank Pay PAX integration), over
 * `@payspec/nexo-driver`:
 * - `prepare` picks a fresh ServiceID (unique in the login session) and uses the reference as
 *   SaleTransactionID; both are journalled before the PaymentRequest leaves;
 * - `execute` sends a PaymentRequest (PaymentType Normal, or Refund for a refund) and maps the
 *   PaymentResponse; a lost answer throws `OutcomeUnknownError` (the core then asks `recover`);
 * - `recover` asks TransactionStatus by the journalled ServiceID: the repeated PaymentResponse when
 *   final, "in-progress" while the terminal works on it, "not-found" only when the terminal answers
 *   NotFound for that message reference (it never received it);
 * - `cancel` sends an AbortRequest for the journalled ServiceID (the payment ends Failure / Aborted);
 * - the POS listener's requests become events: DisplayRequest → display (and "waiting-for-card" when
 *   the terminal asks for the card), PrintRequest → print, InputRequest → input, EventNotification →
 *   status (card-inserted, card-removed, ...).
 */
import {
  type ErrorConditionType,
  fromNexoAmount,
  NexoDriver,
  NexoDriverError,
  type NexoDriverEvent,
  type NexoDriverOptions,
  type PaymentResponse,
  toNexoAmount,
} from "@payspec/nexo-driver";

import { maskPan } from "@payspec/runtime";
import { OutcomeUnknownError } from "../errors.js";
import type { Journal } from "../journal.js";
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
  TerminalListener,
  VendorIds,
} from "../types.js";

export type NexoAdapterOptions = Omit<NexoDriverOptions, "recovery">;

export interface NexoTerminalOptions extends NexoAdapterOptions {
  /** Where requests are journalled (default in memory: use `FileJournal` in production). */
  readonly journal?: Journal;
  readonly recovery?: RecoveryPolicy;
}

/** ErrorConditions that mean the POS or the customer stopped the payment: nothing charged. */
const CANCELLED: ReadonlySet<ErrorConditionType> = new Set<ErrorConditionType>(["Aborted", "Cancel"]);
/** ErrorConditions that are the card's (or issuer's) answer. */
const DECLINED: ReadonlySet<ErrorConditionType> = new Set<ErrorConditionType>([
  "Refusal",
  "WrongPIN",
  "InvalidCard",
  "PaymentRestriction",
]);
/** What a DisplayRequest says when the terminal waits for the card. */
const WAITING_FOR_CARD = /present card|insert card|tap card|swipe card|present, insert|insert, tap/i;

/** PaymentResponse → Outcome (the core adds reference and kind). */
function toOutcome(response: PaymentResponse, kind: OperationKind, request: PayRequest | RefundRequest): Outcome {
  const result = response.Response;
  let status: OutcomeStatus;
  if (result.Result !== "Failure") status = "approved";
  else if (result.ErrorCondition !== undefined && CANCELLED.has(result.ErrorCondition)) status = "cancelled";
  else if (result.ErrorCondition !== undefined && DECLINED.has(result.ErrorCondition)) status = "declined";
  else status = "failed";
  const paid = response.PaymentResult;
  const authorized = paid?.AmountsResp?.AuthorizedAmount;
  const currency = paid?.AmountsResp?.Currency ?? request.currency;
  const pan = paid?.PaymentInstrumentData?.CardData?.MaskedPAN;
  const approval = paid?.PaymentAcquirerData?.ApprovalCode;
  return {
    reference: request.reference,
    kind,
    status,
    amount: status === "approved" && authorized !== undefined ? fromNexoAmount(authorized, currency) : request.amount,
    currency: request.currency,
    transactionId: response.POIData.POITransactionID.TransactionID,
    ...(approval === undefined || status !== "approved" ? {} : { authorizationCode: approval }),
    ...(pan === undefined ? {} : { maskedPan: maskPan(pan) }),
    ...(status === "approved"
      ? {}
      : { reason: [result.ErrorCondition, result.AdditionalResponse].filter((s) => s !== undefined).join(": ") }),
  };
}

export class NexoAdapter implements TerminalAdapter {
  readonly protocol = "nexo" as const;
  readonly driver: NexoDriver;
  #emit: TerminalListener | undefined;
  /**
   * ServiceIDs whose answer this adapter lost, and whether TransactionStatus already said NotFound once:
   * right after a lost answer the PaymentRequest may still be on its way to the terminal, so the first
   * NotFound is answered "in-progress" (the core asks again after its interval) and only a second one
   * is "not-found". After a restart (a fresh adapter) the first NotFound is final.
   */
  readonly #lost = new Map<string, boolean>();
  #unsubscribe: (() => void) | undefined;

  constructor(options: NexoAdapterOptions) {
    // The core recovers lost answers itself (journal first): the driver does not.
    this.driver = new NexoDriver({ ...options, recovery: { attempts: 1 } });
  }

  async connect(context: AdapterContext): Promise<void> {
    this.#emit = context.emit;
    this.#unsubscribe ??= this.driver.on((event) => this.#forward(event));
    await this.driver.connect();
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.driver.close();
  }

  prepare(_kind: OperationKind, request: PayRequest | RefundRequest): VendorIds {
    return { serviceId: this.driver.newServiceId(), saleTransactionId: request.reference, saleId: this.driver.saleId };
  }

  async execute(request: AdapterRequest, context: AdapterContext): Promise<Outcome> {
    const { serviceId, saleTransactionId } = request.ids;
    if (serviceId === undefined || saleTransactionId === undefined) {
      throw new NexoDriverError("rejected", "journal entry without serviceId / saleTransactionId");
    }
    const money = request.request;
    const options = {
      serviceId,
      saleTransactionId,
      amount: toNexoAmount(money.amount, money.currency),
      currency: money.currency,
      recover: false,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    };
    try {
      const result = request.kind === "payment" ? await this.driver.pay(options) : await this.driver.refund(options);
      return toOutcome(result.response, request.kind, money);
    } catch (error) {
      if (error instanceof NexoDriverError && error.code === "rejected") {
        // The terminal refused the message itself (HTTP 4xx): it did not act on it.
        return {
          reference: money.reference,
          kind: request.kind,
          status: "failed",
          amount: money.amount,
          currency: money.currency,
          reason: error.message,
        };
      }
      this.#lost.set(serviceId, false);
      throw new OutcomeUnknownError(`nexo ServiceID ${serviceId}: ${String(error)}`, { cause: error });
    }
  }

  async cancel(entry: JournalEntry): Promise<void> {
    const serviceId = entry.ids.serviceId;
    if (serviceId !== undefined) await this.driver.abort(serviceId);
  }

  async recover(entry: JournalEntry, _context: AdapterContext): Promise<Recovery> {
    const serviceId = entry.ids.serviceId;
    if (serviceId === undefined) throw new NexoDriverError("rejected", "journal entry without serviceId");
    const status = await this.driver.transactionStatus(serviceId);
    if (status.status === "not-found") {
      if (this.#lost.get(serviceId) === false) {
        this.#lost.set(serviceId, true);
        return "in-progress";
      }
      this.#lost.delete(serviceId);
      return "not-found";
    }
    this.#lost.delete(serviceId);
    if (status.status === "in-progress") return "in-progress";
    if (status.payment === undefined) {
      throw new NexoDriverError("rejected", `TransactionStatus of ServiceID ${serviceId} holds no PaymentResponse`);
    }
    return toOutcome(status.payment, entry.kind, entry.request);
  }

  #forward(event: NexoDriverEvent): void {
    const emit = this.#emit;
    if (emit === undefined) return;
    switch (event.type) {
      case "display":
        emit({ type: "display", lines: event.lines });
        if (event.lines.some((line) => WAITING_FOR_CARD.test(line))) {
          emit({ type: "status", status: "waiting-for-card" });
        }
        return;
      case "print":
        emit({ type: "print", lines: event.lines });
        return;
      case "input":
        emit({
          type: "input",
          prompt: event.prompt,
          ...(event.confirmed === undefined ? {} : { answer: event.confirmed ? "yes" : "no" }),
        });
        return;
      case "event":
        emit({ type: "status", status: event.event.replace(/(?<=[a-z])(?=[A-Z])/g, "-").toLowerCase() });
        return;
      case "state":
        return;
    }
  }
}

export function nexoAdapter(options: NexoAdapterOptions): NexoAdapter {
  return new NexoAdapter(options);
}

/** A Terminal on a nexo terminal: `await terminal.connect()` starts the POS listener and logs in. */
export function nexoTerminal(options: NexoTerminalOptions): Terminal {
  const { journal, recovery, ...adapter } = options;
  return createTerminal(new NexoAdapter(adapter), {
    ...(journal === undefined ? {} : { journal }),
    ...(recovery === undefined ? {} : { recovery }),
  });
}
