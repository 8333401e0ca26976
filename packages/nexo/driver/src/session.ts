/**
 * The login session of one POS with one terminal, as a small explicit state machine.
 *
 * ```
 * disconnected --login--> logging-in --logged-in--> ready --begin--> busy --end--> ready
 *                         logging-in --login-failed--> disconnected
 * ready --login--> logging-in (a new session replaces the old one)
 * ready --logout--> disconnected
 * busy --logged-out--> disconnected (the terminal answered LoggedOut: log in again)
 * any --close--> closed
 * ```
 *
 * Abort and TransactionStatus do not change the state: nexo serves them during a payment.
 */
import { NexoDriverError } from "./errors.js";

export type SessionState = "disconnected" | "logging-in" | "ready" | "busy" | "closed";
export type SessionEvent = "login" | "logged-in" | "login-failed" | "begin" | "end" | "logout" | "logged-out" | "close";

const TRANSITIONS: { readonly [S in SessionState]: Partial<Record<SessionEvent, SessionState>> } = {
  disconnected: { login: "logging-in", close: "closed" },
  "logging-in": { "logged-in": "ready", "login-failed": "disconnected", close: "closed" },
  ready: { begin: "busy", login: "logging-in", logout: "disconnected", close: "closed" },
  busy: { end: "ready", "logged-out": "disconnected", close: "closed" },
  closed: {},
};

/** The next state, or undefined when `event` is not allowed in `state`. */
export function nextSessionState(state: SessionState, event: SessionEvent): SessionState | undefined {
  return TRANSITIONS[state][event];
}

export class SessionMachine {
  #state: SessionState = "disconnected";

  get state(): SessionState {
    return this.#state;
  }

  /** Whether `event` is allowed now. */
  can(event: SessionEvent): boolean {
    return nextSessionState(this.#state, event) !== undefined;
  }

  /** Applies `event`; throws NexoDriverError("illegal-transition") when it is not allowed. */
  apply(event: SessionEvent): SessionState {
    const next = nextSessionState(this.#state, event);
    if (next === undefined) {
      throw new NexoDriverError(
        "illegal-transition",
        `nexo session: "${event}" is not allowed in state "${this.#state}"`,
      );
    }
    this.#state = next;
    return next;
  }
}
