// Unit tests of the pure card-read rules and the two state machines' transition tables.
import { describe, expect, it } from "vitest";
import {
  cardReadStep,
  DIPS_BEFORE_SWIPE_FALLBACK,
  INITIAL_CARD_READ,
  nextReaderState,
  nextSessionState,
  type ReaderSignal,
} from "../src/index.js";

const chipSwipe: ReaderSignal = { type: "card-swiped", card: { entry: "swipe", chip: true } };
const stripeSwipe: ReaderSignal = { type: "card-swiped", card: { entry: "swipe", chip: false } };

describe("rule: a chip card must be dipped, not swiped", () => {
  it("a swiped chip card is refused with 'should not swipe EMV card' and the reader keeps waiting", () => {
    const step = cardReadStep(INITIAL_CARD_READ, chipSwipe);
    expect(step).toMatchObject({ kind: "wait", status: "should not swipe EMV card" });
  });
  it("a magstripe-only card may be swiped", () => {
    expect(cardReadStep(INITIAL_CARD_READ, stripeSwipe)).toMatchObject({ kind: "read", status: "swipe detected" });
  });
  it("a dipped card is read", () => {
    const step = cardReadStep(INITIAL_CARD_READ, { type: "card-inserted", card: { entry: "dip", chip: true } });
    expect(step).toMatchObject({ kind: "read", status: "card dipped" });
  });
});

describe("rule: after 3 failed dips the reader falls back to swipe", () => {
  it("the first two chip errors prompt for a new dip; the third says 'chip error, swipe card' and a swipe is then read", () => {
    expect(DIPS_BEFORE_SWIPE_FALLBACK).toBe(3);
    let state = INITIAL_CARD_READ;
    for (let i = 1; i < 3; i++) {
      const step = cardReadStep(state, { type: "chip-error" });
      expect(step).toMatchObject({ kind: "wait", status: "waiting for card" });
      state = step.state;
      expect(cardReadStep(state, chipSwipe).kind).toBe("wait");
    }
    const third = cardReadStep(state, { type: "chip-error" });
    expect(third).toMatchObject({ kind: "wait", status: "chip error, swipe card", state: { swipeFallback: true } });
    expect(cardReadStep(third.state, chipSwipe)).toMatchObject({ kind: "read", status: "swipe detected" });
  });
  it("a card inserted the wrong way round is not a failed dip", () => {
    const step = cardReadStep(INITIAL_CARD_READ, { type: "wrong-orientation" });
    expect(step).toMatchObject({ kind: "wait", status: "check card orientation", state: { failedDips: 0 } });
  });
  it("a failed swipe asks for another swipe; a dropped link ends the read", () => {
    expect(cardReadStep(INITIAL_CARD_READ, { type: "swipe-error" }).status).toBe("swipe error, swipe again");
    expect(cardReadStep(INITIAL_CARD_READ, { type: "disconnected" })).toMatchObject({
      kind: "disconnected",
      status: "card reader not connected",
    });
  });
});

describe("rule: illegal state transitions throw", () => {
  it("reader: a card cannot be awaited before the reader is ready, nor authorized without a card", () => {
    expect(() => nextReaderState("disconnected", "waiting-for-card")).toThrow(/illegal/);
    expect(() => nextReaderState("ready", "authorizing")).toThrow(/illegal/);
    expect(() => nextReaderState("connecting", "ready")).toThrow(/illegal/);
    expect(nextReaderState("ready", "checking")).toBe("checking");
  });
  it("session: a token cannot become active without being requested", () => {
    expect(() => nextSessionState("none", "active")).toThrow(/illegal/);
    expect(nextSessionState("active", "refreshing")).toBe("refreshing");
  });
});
