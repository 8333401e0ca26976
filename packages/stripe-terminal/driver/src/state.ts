/** The driver's two small state machines: a transition table each; an illegal transition throws. */
import { IllegalTransitionError } from "./errors.js";

export type ConnectionState = "disconnected" | "connecting" | "connected" | "closed";

const CONNECTION: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  disconnected: ["connecting", "disconnected", "closed"],
  // A failed connect returns to where it was: connected to the previous reader, or disconnected.
  connecting: ["connected", "disconnected", "closed"],
  // Switching readers or reconnecting goes through connecting again.
  connected: ["connecting", "disconnected", "closed"],
  closed: ["closed"],
};

export class ConnectionStateMachine {
  private current: ConnectionState = "disconnected";
  get state(): ConnectionState {
    return this.current;
  }
  to(next: ConnectionState): void {
    if (!CONNECTION[this.current].includes(next)) throw new IllegalTransitionError("connection", this.current, next);
    this.current = next;
  }
}

/** One payment: the PaymentIntent is created, the reader waits for the card, then one final state. */
export type PaymentFlowState =
  | "new"
  | "created"
  | "waiting-for-card"
  | "processing"
  | "approved"
  | "declined"
  | "cancelled"
  | "failed";

const PAYMENT: Readonly<Record<PaymentFlowState, readonly PaymentFlowState[]>> = {
  new: ["created"],
  created: ["waiting-for-card", "failed"],
  "waiting-for-card": ["processing"],
  processing: ["approved", "declined", "cancelled", "failed"],
  approved: [],
  declined: [],
  cancelled: [],
  failed: [],
};

export class PaymentFlow {
  private current: PaymentFlowState = "new";
  get state(): PaymentFlowState {
    return this.current;
  }
  to(next: PaymentFlowState): void {
    if (!PAYMENT[this.current].includes(next)) throw new IllegalTransitionError("payment", this.current, next);
    this.current = next;
  }
}
