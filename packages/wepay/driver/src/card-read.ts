/**
 * The card-read rules of the Card Present SDK (PROTOCOLS.md §1, specs/wepay/sdk.tsp CardReaderStatus):
 * - a chip card must be dipped: a swiped chip card gets "should not swipe EMV card" and the reader keeps waiting;
 * - after 3 failed dips ("chip error") the reader falls back to swipe: "chip error, swipe card", and a swipe of
 *   the chip card is then accepted;
 * - a card inserted the wrong way round gets "check card orientation" (not a failed dip);
 * - a failed swipe gets "swipe error, swipe again";
 * - a dropped link ends the read with "card reader not connected".
 * `cardReadStep` is pure: the manager feeds it the reader's signals and acts on its answer.
 */
import type { CardReaderStatus } from "@payspec/wepay-types";
import type { CardData, ReaderSignal } from "./transport.js";

/** Failed dips after which the reader falls back to swipe. */
export const DIPS_BEFORE_SWIPE_FALLBACK = 3;
/** Milliseconds a reader waits for a card before WPErrorCardReaderTimeout. */
export const CARD_TIMEOUT_MS = 60_000;

export interface CardReadState {
  readonly failedDips: number;
  /** True once the reader fell back to swipe after failed dips. */
  readonly swipeFallback: boolean;
}

export const INITIAL_CARD_READ: CardReadState = Object.freeze({ failedDips: 0, swipeFallback: false });

export type CardReadStep =
  /** Keep waiting; `status` is what the reader reports (the customer is prompted again). */
  | { readonly kind: "wait"; readonly state: CardReadState; readonly status: CardReaderStatus }
  /** The card was read. */
  | { readonly kind: "read"; readonly state: CardReadState; readonly status: CardReaderStatus; readonly card: CardData }
  /** The link dropped. */
  | { readonly kind: "disconnected"; readonly state: CardReadState; readonly status: CardReaderStatus };

export function cardReadStep(state: CardReadState, signal: ReaderSignal): CardReadStep {
  switch (signal.type) {
    case "card-inserted":
      return { kind: "read", state, status: "card dipped", card: signal.card };
    case "chip-error": {
      const failedDips = state.failedDips + 1;
      if (failedDips >= DIPS_BEFORE_SWIPE_FALLBACK)
        return { kind: "wait", state: { failedDips, swipeFallback: true }, status: "chip error, swipe card" };
      return { kind: "wait", state: { ...state, failedDips }, status: "waiting for card" };
    }
    case "wrong-orientation":
      return { kind: "wait", state, status: "check card orientation" };
    case "card-swiped":
      if (signal.card.chip && !state.swipeFallback) return { kind: "wait", state, status: "should not swipe EMV card" };
      return { kind: "read", state, status: "swipe detected", card: signal.card };
    case "swipe-error":
      return { kind: "wait", state, status: "swipe error, swipe again" };
    case "disconnected":
      return { kind: "disconnected", state, status: "card reader not connected" };
  }
}
