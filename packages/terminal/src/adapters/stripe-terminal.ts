/**
 * Stripe Terminal (smart readers, server-driven) behind the Terminal API. A payment is a PaymentIntent
 * created with an `Idempotency-Key` chosen in `prepare` (journalled before anything leaves), processed
 * on the connected reader; a lost answer is recovered by replaying that create (same key, same
 * parameters: the same PaymentIntent) and re-reading the PaymentIntent. A refund is the reader's
 * `refund_payment` action, found again by the reference in its metadata.
 */
import { randomUUID } from "node:crypto";
import {
  OutcomeUnknownError as DriverOutcomeUnknownError,
  type PaymentRequest,
  type PaymentResult,
  StripeTerminalDriver,
  type StripeTerminalDriverOptions,
} from "@payspec/stripe-terminal-driver";
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
  TerminalEvent,
  VendorIds,
} from "../types.js";

export interface StripeTerminalAdapterOptions extends Omit<StripeTerminalDriverOptions, "onDisconnect"> {
  /** The reader to connect when none is remembered (serial number); default the first online reader discovered. */
  readonly serialNumber?: string;
  /** The seed's recommendation: connect with `failIfInUse: true` so a payment in progress is never interrupted (default true). */
  readonly failIfInUse?: boolean;
  /** Show the amount as a cart on the reader before the payment (default true). */
  readonly showCart?: boolean;
}

export interface StripeTerminalTerminalOptions extends StripeTerminalAdapterOptions {
  readonly journal?: Journal;
  readonly recovery?: RecoveryPolicy;
}

/** "10.00 EUR" from minor units, with the currency's own number of decimals. */
function money(amount: number, currency: string): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // an unknown code keeps two decimals
  }
  return `${(amount / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
}

export class StripeTerminalAdapter implements TerminalAdapter {
  readonly protocol = "stripe-terminal" as const;
  private readonly options: StripeTerminalAdapterOptions;
  private readonly driver: StripeTerminalDriver;
  private emit: (event: TerminalEvent) => void = () => undefined;

  constructor(options: StripeTerminalAdapterOptions) {
    this.options = options;
    this.driver = new StripeTerminalDriver({
      ...options,
      onDisconnect: (event) => this.emit({ type: "disconnected", reason: String(event.reason) }),
    });
  }

  async connect(context: AdapterContext): Promise<void> {
    this.emit = context.emit;
    const failIfInUse = this.options.failIfInUse ?? true;
    try {
      await this.driver.reconnect({ failIfInUse });
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "reader-not-found") throw error;
    }
    const readers = await this.driver.discoverReaders(
      this.options.location ? { discoveryMethod: "internet", location: this.options.location } : undefined,
      context.signal,
    );
    const reader = this.options.serialNumber
      ? readers.find((r) => r.serial_number === this.options.serialNumber)
      : (readers.find((r) => r.status === "online") ?? readers[0]);
    if (!reader) throw new TerminalError("device", "no Stripe Terminal reader discovered");
    await this.driver.connectReader(reader, { failIfInUse });
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  prepare(kind: OperationKind, request: PayRequest | RefundRequest): VendorIds {
    const reader = this.driver.reader?.id;
    if (!reader) throw new TerminalError("not-connected", "no Stripe Terminal reader connected");
    // Random, not derived from the reference: two POS journals reusing a reference never share a key.
    return kind === "payment"
      ? { idempotencyKey: `payspec:${request.reference}:${randomUUID()}`, reader }
      : { reader, refundReference: request.reference };
  }

  /** The create parameters: the same entry always gives the same request, so the replay finds the PaymentIntent. */
  private paymentRequest(request: PayRequest | RefundRequest, ids: VendorIds): PaymentRequest {
    const idempotencyKey = ids.idempotencyKey;
    if (!idempotencyKey) throw new TerminalError("journal", "the journal entry has no idempotency key");
    return {
      amount: request.amount,
      currency: request.currency,
      idempotencyKey,
      metadata: { payspec_reference: request.reference },
    };
  }

  async execute(request: AdapterRequest, context: AdapterContext): Promise<Outcome> {
    const { emit } = context;
    const base = { reference: request.request.reference, kind: request.kind };
    let result: PaymentResult;
    try {
      if (request.kind === "payment") {
        const showCart = this.options.showCart ?? true;
        const total = money(request.request.amount, request.request.currency);
        result = await this.driver.collectPayment(
          {
            ...this.paymentRequest(request.request, request.ids),
            ...(showCart
              ? { cart: { lineItems: [{ description: "Payment", amount: request.request.amount, quantity: 1 }] } }
              : {}),
          },
          {
            ...(context.signal ? { signal: context.signal } : {}),
            onStatus: (status) => {
              if (status === "displaying") emit({ type: "display", lines: ["Payment", `Total ${total}`] });
              else emit({ type: "status", status });
            },
          },
        );
      } else {
        const paymentIntent = request.original?.outcome?.transactionId;
        if (!paymentIntent) throw new TerminalError("unknown-payment", "the payment has no PaymentIntent id");
        result = await this.driver.refundPayment(
          { paymentIntent, amount: request.request.amount, reference: request.request.reference },
          { onStatus: (status) => emit({ type: "status", status }) },
        );
      }
    } catch (error) {
      if (error instanceof TerminalError) throw error;
      throw new OutcomeUnknownError(error instanceof Error ? error.message : String(error), { cause: error });
    }
    return this.outcome(base, request.request, result);
  }

  private outcome(
    base: { reference: string; kind: OperationKind },
    request: PayRequest | RefundRequest,
    result: PaymentResult,
  ): Outcome {
    return {
      ...base,
      status: result.status,
      amount: request.amount,
      currency: request.currency,
      ...(result.paymentIntent ? { transactionId: result.paymentIntent.id } : {}),
      ...(result.status !== "approved" && result.reason ? { reason: result.reason } : {}),
    };
  }

  async cancel(_entry: JournalEntry): Promise<void> {
    await this.driver.cancelCollect();
  }

  async recover(entry: JournalEntry): Promise<Recovery> {
    const base = { reference: entry.reference, kind: entry.kind };
    const reader = entry.ids.reader;
    if (entry.kind === "refund") {
      if (!reader || !entry.ids.refundReference) throw new OutcomeUnknownError("the refund has no reader id");
      const found = await this.driver.findRefund(reader, entry.ids.refundReference);
      if (found.status === "in-progress") return "in-progress";
      return this.outcome(base, entry.request, found);
    }
    let found: Awaited<ReturnType<StripeTerminalDriver["findPayment"]>>;
    try {
      found = await this.driver.findPayment(this.paymentRequest(entry.request, entry.ids), reader);
    } catch (error) {
      if (error instanceof DriverOutcomeUnknownError) return "in-progress";
      throw error;
    }
    if (found.status === "in-progress") return "in-progress";
    if (found.status === "never-processed") return "not-found";
    return this.outcome(base, entry.request, found);
  }
}

/** A Terminal over Stripe Terminal smart readers (server-driven). */
export function stripeTerminalTerminal(options: StripeTerminalTerminalOptions): Terminal {
  const { journal, recovery, ...adapter } = options;
  return createTerminal(new StripeTerminalAdapter(adapter), {
    ...(journal ? { journal } : {}),
    ...(recovery ? { recovery } : {}),
  });
}
