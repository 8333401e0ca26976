/**
 * The vendor-neutral Terminal API. A POS, kiosk or mobile backend talks to one `Terminal`; an adapter per protocol
 * (`TerminalAdapter`) maps it onto that protocol's driver. The journal discipline (write before a request leaves,
 * reconcile open entries on start) lives once in `createTerminal`, not in each adapter.
 */

/** The five protocols Payspec speaks. */
export type ProtocolName = "wepay" | "stripe-terminal" | "payneteasy" | "hipay-ecr" | "nexo";

/** A payment: amount in minor units (cents), ISO 4217 alphabetic currency, and the POS's own unique reference. */
export interface PayRequest {
  readonly amount: number;
  readonly currency: string;
  /** Unique per payment attempt on this POS; paying twice with one reference returns the first outcome. */
  readonly reference: string;
}

/** A refund of an earlier payment (by its reference), possibly partial. */
export interface RefundRequest {
  readonly amount: number;
  readonly currency: string;
  /** Unique per refund attempt. */
  readonly reference: string;
  /** The reference of the payment being refunded. */
  readonly paymentReference: string;
}

export type OperationKind = "payment" | "refund";

/**
 * Where a request ended. `approved`/`declined` are the card's answer; `cancelled` means the POS or the customer
 * stopped it and nothing was charged; `failed` means the request did not complete and nothing was charged (the
 * vendor said so, or reconciliation proved it never reached the vendor).
 */
export type OutcomeStatus = "approved" | "declined" | "cancelled" | "failed";

export interface Outcome {
  readonly reference: string;
  readonly kind: OperationKind;
  readonly status: OutcomeStatus;
  readonly amount: number;
  readonly currency: string;
  /** The vendor's id of the transaction: PaymentIntent id, WePay payment id, Payneteasy orderid, nexo POITransactionID, HiPay transaction number. */
  readonly transactionId?: string;
  readonly authorizationCode?: string;
  /** Masked PAN only (first 6 / last 4 at most), never the full number. */
  readonly maskedPan?: string;
  /** The vendor's reason for a decline or failure, as the vendor said it. */
  readonly reason?: string;
  /** Receipt lines, when the protocol returns a receipt. */
  readonly receipt?: readonly string[];
  /** True when the outcome was learned by reconciliation after a lost answer or a restart. */
  readonly recovered?: boolean;
}

/** What the terminal shows or does while a request runs. */
export type TerminalEvent =
  | { readonly type: "display"; readonly lines: readonly string[] }
  /** Device progress. Conventional values: "waiting-for-card" (the device waits for the card), "processing", "reader-busy". */
  | { readonly type: "status"; readonly status: string }
  | { readonly type: "print"; readonly lines: readonly string[] }
  | { readonly type: "input"; readonly prompt: string; readonly answer?: string }
  | { readonly type: "connected" }
  | { readonly type: "disconnected"; readonly reason: string }
  | { readonly type: "reconciled"; readonly outcome: Outcome };

export type TerminalListener = (event: TerminalEvent) => void;

export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** The one interface a POS programs against. */
export interface Terminal {
  readonly protocol: ProtocolName;
  /** Connects to the device or service and reconciles the journal's open entries (their outcomes become events). */
  connect(): Promise<void>;
  close(): Promise<void>;
  pay(request: PayRequest, options?: CallOptions): Promise<Outcome>;
  refund(request: RefundRequest, options?: CallOptions): Promise<Outcome>;
  /** Asks the device to stop the request in flight with this reference; its `pay` then resolves `cancelled` (or approved, if too late). */
  cancel(reference: string): Promise<void>;
  /** The outcome of a reference: from the journal when closed, otherwise asked of the vendor; undefined when unknown to both. */
  status(reference: string): Promise<Outcome | undefined>;
  /** Subscribes to events; returns the unsubscribe function. */
  on(listener: TerminalListener): () => void;
  /** Resolves every open journal entry with the vendor; returns the outcomes learned. `connect` calls it. */
  reconcile(): Promise<Outcome[]>;
}

/**
 * Vendor-side identifiers chosen before a request leaves (idempotency key, client order id, ServiceID,
 * SaleTransactionID…). They are written to the journal first, so after a crash the adapter can ask the vendor
 * about exactly this request, and a re-send is recognised by the vendor as the same request.
 */
export type VendorIds = Readonly<Record<string, string>>;

/** What an adapter is told about a request: the request, its kind and the ids prepared for it. */
export interface AdapterRequest {
  readonly kind: OperationKind;
  readonly request: PayRequest | RefundRequest;
  readonly ids: VendorIds;
  /** The payment's journal entry, for a refund (its ids and outcome: transactionId). */
  readonly original?: JournalEntry;
}

export interface AdapterContext {
  readonly signal?: AbortSignal;
  readonly emit: TerminalListener;
}

/**
 * What the vendor knows of a journalled request:
 * - an `Outcome` when it reached a final state;
 * - `"in-progress"` when the vendor is still working on it (ask again later);
 * - `"not-found"` when the vendor never received it (nothing can have been charged).
 */
export type Recovery = Outcome | "in-progress" | "not-found";

/** One protocol's mapping onto the Terminal API. Adapters do not touch the journal. */
export interface TerminalAdapter {
  readonly protocol: ProtocolName;
  connect(context: AdapterContext): Promise<void>;
  close(): Promise<void>;
  /** Chooses the vendor ids for a new request. Called once per reference, before the journal entry is written. */
  prepare(kind: OperationKind, request: PayRequest | RefundRequest): VendorIds | Promise<VendorIds>;
  /** Runs the request to its end. Throws `OutcomeUnknownError` when the answer was lost (timeout, reset, disconnect). */
  execute(request: AdapterRequest, context: AdapterContext): Promise<Outcome>;
  /** Stops the request in flight (nexo Abort, Stripe cancel_action, HiPay /cancel…). */
  cancel(entry: JournalEntry): Promise<void>;
  /** Asks the vendor what became of a journalled request, using only its ids. */
  recover(entry: JournalEntry, context: AdapterContext): Promise<Recovery>;
}

/** One journalled request. `open` until its outcome is known for certain. */
export interface JournalEntry {
  readonly reference: string;
  readonly kind: OperationKind;
  readonly protocol: ProtocolName;
  readonly request: PayRequest | RefundRequest;
  readonly ids: VendorIds;
  readonly state: "open" | "closed";
  readonly openedAt: string;
  readonly closedAt?: string;
  readonly outcome?: Outcome;
}
