/**
 * The state machine of one mPOS payment (seed 002, "Sale Flow" / "Preauth Flow"):
 *
 *   idle → reading-card → sending → processing → approved | declined | error | filtered
 *
 * with the ends a payment can also reach: `cancelled` (the card read was stopped: nothing was
 * sent), `disconnected` (the reader dropped before the card was read: nothing was sent),
 * `refused` (the gateway answered validation-error / error: no order exists) and `unknown` (the
 * request may have reached the gateway and its outcome is not known: reconcile by status).
 * Every transition is listed; any other throws.
 *
 * A return (refund, /api/v2/return) has no card read:
 *
 *   idle → sending → processing → approved | declined | error | filtered
 *
 * plus `refused` (validation-error / error: no return was created) and `unknown`.
 */

export type PaymentState =
  | "idle"
  | "reading-card"
  | "sending"
  | "processing"
  | "approved"
  | "declined"
  | "error"
  | "filtered"
  | "cancelled"
  | "disconnected"
  | "refused"
  | "unknown";

const FINALS = ["approved", "declined", "error", "filtered"] as const;

export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentState, readonly PaymentState[]>> = {
  idle: ["reading-card"],
  "reading-card": ["sending", "cancelled", "disconnected"],
  sending: ["processing", "refused", "unknown"],
  processing: [...FINALS, "unknown"],
  approved: [],
  declined: [],
  error: [],
  filtered: [],
  cancelled: [],
  disconnected: [],
  refused: [],
  unknown: [],
};

export type RefundState =
  | "idle"
  | "sending"
  | "processing"
  | "approved"
  | "declined"
  | "error"
  | "filtered"
  | "refused"
  | "unknown";

export const REFUND_TRANSITIONS: Readonly<Record<RefundState, readonly RefundState[]>> = {
  idle: ["sending"],
  sending: ["processing", "refused", "unknown"],
  processing: [...FINALS, "unknown"],
  approved: [],
  declined: [],
  error: [],
  filtered: [],
  refused: [],
  unknown: [],
};

export class IllegalTransitionError extends Error {
  override readonly name = "IllegalTransitionError";
  constructor(
    readonly from: PaymentState | RefundState,
    readonly to: PaymentState | RefundState,
    what = "payment",
  ) {
    super(`illegal ${what} transition ${from} → ${to}`);
  }
}

/** One payment's state; `to` moves it along PAYMENT_TRANSITIONS or throws. */
export class PaymentMachine {
  #state: PaymentState = "idle";
  readonly #onChange: ((state: PaymentState) => void) | undefined;

  constructor(onChange?: (state: PaymentState) => void) {
    this.#onChange = onChange;
  }

  get state(): PaymentState {
    return this.#state;
  }

  /** Whether the payment reached an end (no transition leaves it). */
  get done(): boolean {
    return PAYMENT_TRANSITIONS[this.#state].length === 0;
  }

  can(to: PaymentState): boolean {
    return PAYMENT_TRANSITIONS[this.#state].includes(to);
  }

  to(next: PaymentState): void {
    if (!this.can(next)) throw new IllegalTransitionError(this.#state, next);
    this.#state = next;
    this.#onChange?.(next);
  }
}

/** One return's state; `to` moves it along REFUND_TRANSITIONS or throws. */
export class RefundMachine {
  #state: RefundState = "idle";
  readonly #onChange: ((state: RefundState) => void) | undefined;

  constructor(onChange?: (state: RefundState) => void) {
    this.#onChange = onChange;
  }

  get state(): RefundState {
    return this.#state;
  }

  /** Whether the return reached an end (no transition leaves it). */
  get done(): boolean {
    return REFUND_TRANSITIONS[this.#state].length === 0;
  }

  to(next: RefundState): void {
    if (!REFUND_TRANSITIONS[this.#state].includes(next)) throw new IllegalTransitionError(this.#state, next, "refund");
    this.#state = next;
    this.#onChange?.(next);
  }
}
