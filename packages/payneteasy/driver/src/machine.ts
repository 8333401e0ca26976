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

/** A state that moves only along its transition table; `to` throws on any other move. */
class Machine<S extends PaymentState | RefundState> {
  #state: S;
  readonly #transitions: Readonly<Record<S, readonly S[]>>;
  readonly #what: string;
  readonly #onChange: ((state: S) => void) | undefined;

  constructor(transitions: Readonly<Record<S, readonly S[]>>, what: string, onChange?: (state: S) => void) {
    this.#state = "idle" as S;
    this.#transitions = transitions;
    this.#what = what;
    this.#onChange = onChange;
  }

  get state(): S {
    return this.#state;
  }

  /** Whether it reached an end (no transition leaves it). */
  get done(): boolean {
    return this.#transitions[this.#state].length === 0;
  }

  can(to: S): boolean {
    return this.#transitions[this.#state].includes(to);
  }

  to(next: S): void {
    if (!this.can(next)) throw new IllegalTransitionError(this.#state, next, this.#what);
    this.#state = next;
    this.#onChange?.(next);
  }
}

/** One payment's state; `to` moves it along PAYMENT_TRANSITIONS or throws. */
export class PaymentMachine extends Machine<PaymentState> {
  constructor(onChange?: (state: PaymentState) => void) {
    super(PAYMENT_TRANSITIONS, "payment", onChange);
  }
}

/** One return's state; `to` moves it along REFUND_TRANSITIONS or throws. */
export class RefundMachine extends Machine<RefundState> {
  constructor(onChange?: (state: RefundState) => void) {
    super(REFUND_TRANSITIONS, "refund", onChange);
  }
}
