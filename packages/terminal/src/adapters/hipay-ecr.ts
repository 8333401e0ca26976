/**
 * The Terminal API on HiPay's unattended ECR connector. The POS side of HiPay is the connector's
 * local HTTP API (the connector drives the terminal over the Concert serial line): a payment is
 * one `POST /` that answers when the customer is done.
 *
 * - `prepare`: the vendor id is the connector's `orderId` = the payment's reference (journalled
 *   before the request leaves; HiPay also creates its order under it).
 * - `execute`: `POST /`; `Success` → approved, `Refused` → declined, `Cancelled` → cancelled,
 *   `Error` → failed; 400/401/409 (refused before the terminal was asked) → failed; a lost answer
 *   (network error, timeout, 503) → `OutcomeUnknownError`.
 * - `recover`: `GET /payment/{orderId}`, Payspec's lookup extension of the connector (HiPay's
 *   connector documents none): the result when final, `in-progress` while it runs, `not-found`
 *   when the connector never received the orderId. When the terminal never answered the
 *   connector (503), nobody on the POS side can know: the entry stays open, to be settled from
 *   HiPay's back office (the order is filed under the same orderId). A connector without the
 *   lookup (404) also leaves the entry open.
 * - Refunds: HiPay's connector has no refund call (seed: payment and maintenance only); Payspec's
 *   connector adds `POST /refund` (a Concert credit, orderId = the refund's reference). Against a
 *   real HiPay connector a refund answers 404 → the entry stays open: refund from HiPay's back office.
 * - Events: `waiting-for-card` once the connector has the payment (its lookup, polled every
 *   `pollMs`, answers 409; a payment over before the first poll emits none), `print` with the
 *   customer ticket lines. The connector shows no display lines to the POS.
 */
import {
  ConnectorApiError,
  ConnectorClient,
  type ConnectorClientOptions,
  type PaymentResult,
} from "@payspec/hipay-ecr-driver";
import { maskPan, maskPansInText } from "@payspec/runtime";
import { OutcomeUnknownError } from "../errors.js";
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
  VendorIds,
} from "../types.js";

export interface HiPayEcrAdapterOptions extends ConnectorClientOptions {
  /** How often to look the payment up while waiting for the connector to take it, and when cancelling. Default 50 ms. */
  pollMs?: number;
  /** Injectable sleep (tests). */
  sleep?: (ms: number) => Promise<void>;
}

export interface HiPayEcrTerminalOptions extends HiPayEcrAdapterOptions {
  journal?: Journal;
  recovery?: RecoveryPolicy;
}

/** The connector's currencies (the seed lists EUR only) and their minor-unit exponent. */
const EXPONENT: Readonly<Record<string, number>> = { EUR: 2 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class HiPayEcrAdapter implements TerminalAdapter {
  readonly protocol = "hipay-ecr" as const;
  readonly #client: ConnectorClient;
  readonly #pollMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  /** orderIds of payments this adapter is running */
  readonly #running = new Set<string>();

  constructor(options: HiPayEcrAdapterOptions) {
    const { pollMs, sleep, ...client } = options;
    this.#client = new ConnectorClient(client);
    this.#pollMs = pollMs ?? 50;
    this.#sleep = sleep ?? defaultSleep;
  }

  async connect(_context: AdapterContext): Promise<void> {
    // The connector is a local service; there is no session to open.
  }

  async close(): Promise<void> {}

  prepare(_kind: OperationKind, request: PayRequest | RefundRequest): VendorIds {
    return { orderId: request.reference };
  }

  async execute(request: AdapterRequest, context: AdapterContext): Promise<Outcome> {
    const { amount, currency } = request.request;
    const orderId = request.ids.orderId as string;
    const exponent = EXPONENT[currency];
    if (exponent === undefined)
      return failed(
        request.kind,
        request.request,
        `the HiPay ECR connector takes ${Object.keys(EXPONENT).join(", ")} only`,
      );
    this.#running.add(orderId);
    const done = new AbortController();
    try {
      const body = { amount: amount / 10 ** exponent, orderId, currency: currency as "EUR" };
      const options = context.signal === undefined ? {} : { signal: context.signal };
      const paying = request.kind === "refund" ? this.#client.refund(body, options) : this.#client.pay(body, options);
      void this.#announceWaiting(orderId, context, done.signal);
      let result: PaymentResult;
      try {
        result = await paying;
      } catch (error) {
        if (error instanceof ConnectorApiError && [400, 401, 409].includes(error.status))
          // Refused by the connector before the terminal was asked: nothing was charged.
          return failed(request.kind, request.request, error.body?.error ?? error.message);
        throw new OutcomeUnknownError(`the connector's answer to order ${orderId} was lost: ${String(error)}`, {
          cause: error,
        });
      }
      const outcome = toOutcome(request.kind, request.request, result);
      if (outcome.receipt) context.emit({ type: "print", lines: outcome.receipt });
      return outcome;
    } finally {
      done.abort();
      this.#running.delete(orderId);
    }
  }

  async cancel(entry: JournalEntry): Promise<void> {
    const orderId = entry.ids.orderId;
    if (orderId === undefined) return;
    // The payment may not have reached the connector yet: cancel once it runs there.
    for (let attempt = 0; attempt < 100; attempt++) {
      const lookup = await this.#client.lookup(orderId).catch(() => undefined);
      if (lookup?.state === "in-progress") {
        await this.#client.cancel();
        return;
      }
      if (lookup !== undefined && lookup.state !== "unknown-order") return; // over already
      if (!this.#running.has(orderId)) return;
      await this.#sleep(this.#pollMs);
    }
  }

  async recover(entry: JournalEntry, _context: AdapterContext): Promise<Recovery> {
    const orderId = entry.ids.orderId;
    if (orderId === undefined) return "not-found";
    let lookup: Awaited<ReturnType<ConnectorClient["lookup"]>>;
    try {
      lookup = await this.#client.lookup(orderId);
    } catch (error) {
      if (error instanceof ConnectorApiError && error.status === 404)
        throw new OutcomeUnknownError(
          "this connector has no payment lookup (GET /payment/{orderId}): settle the order from HiPay's back office",
          { cause: error },
        );
      throw error;
    }
    switch (lookup.state) {
      case "done":
        return toOutcome(entry.kind, entry.request, lookup.result);
      case "in-progress":
        return "in-progress";
      case "unknown-order":
        return "not-found";
      case "outcome-unknown":
        throw new OutcomeUnknownError(
          `the terminal never answered the connector for order ${orderId} (${lookup.error}): settle it from HiPay's back office`,
        );
    }
  }

  /** Emits `waiting-for-card` once the connector runs the payment (or at once when it has no lookup). */
  async #announceWaiting(orderId: string, context: AdapterContext, stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      let state: string | undefined;
      try {
        state = (await this.#client.lookup(orderId)).state;
      } catch (error) {
        if (error instanceof ConnectorApiError && error.status === 404) state = "no-lookup";
      }
      if (stop.aborted || state === "done") return;
      if (state === "in-progress" || state === "no-lookup") {
        context.emit({ type: "status", status: "waiting-for-card" });
        return;
      }
      await this.#sleep(this.#pollMs);
    }
  }
}

function failed(kind: OperationKind, request: PayRequest | RefundRequest, reason: string): Outcome {
  return {
    reference: request.reference,
    kind,
    status: "failed",
    amount: request.amount,
    currency: request.currency,
    reason,
  };
}

/** The connector's result as an Outcome; amounts stay the POS's minor units. */
function toOutcome(kind: OperationKind, request: PayRequest | RefundRequest, result: PaymentResult): Outcome {
  const base = { reference: request.reference, kind, amount: request.amount, currency: request.currency };
  switch (result.status) {
    case "Success": {
      const receipt = result.receipt ?? undefined;
      const lines = (result.ticket ?? "").split("|").map((line) => maskPansInText(line).trimEnd());
      while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      return {
        ...base,
        status: "approved",
        transactionId: receipt?.transactionNumber.trim() || result.orderId,
        ...(receipt?.authorizationNumber.trim() ? { authorizationCode: receipt.authorizationNumber.trim() } : {}),
        ...(receipt?.primaryAccountNumber.trim() ? { maskedPan: maskPan(receipt.primaryAccountNumber.trim()) } : {}),
        ...(lines.length > 0 ? { receipt: lines } : {}),
      };
    }
    case "Refused":
      return { ...base, status: "declined", reason: result.error ?? "Refused" };
    case "Cancelled":
      return { ...base, status: "cancelled", reason: result.error ?? "Cancelled" };
    default:
      return { ...base, status: "failed", reason: result.error ?? String(result.status) };
  }
}

/** A `Terminal` on a HiPay ECR connector (`baseUrl`, `login`, `password` of its config.txt). */
export function hipayEcrTerminal(options: HiPayEcrTerminalOptions): Terminal {
  const { journal, recovery, ...adapter } = options;
  return createTerminal(new HiPayEcrAdapter(adapter), {
    ...(journal === undefined ? {} : { journal }),
    ...(recovery === undefined ? {} : { recovery }),
  });
}
