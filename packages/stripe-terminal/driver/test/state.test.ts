import { describe, expect, it } from "vitest";
import { ConnectionStateMachine, IllegalTransitionError, PaymentFlow } from "../src/index.js";

describe("connection state machine", () => {
  it("goes disconnected → connecting → connected → disconnected and refuses a connect result without a connect", () => {
    const m = new ConnectionStateMachine();
    expect(() => m.to("connected")).toThrow(IllegalTransitionError);
    m.to("connecting");
    m.to("connected");
    m.to("disconnected");
    expect(m.state).toBe("disconnected");
  });

  it("is final once closed", () => {
    const m = new ConnectionStateMachine();
    m.to("closed");
    expect(() => m.to("connecting")).toThrow(IllegalTransitionError);
  });
});

describe("payment flow", () => {
  it("only reaches a final state after the reader waited for the card", () => {
    const f = new PaymentFlow();
    expect(() => f.to("approved")).toThrow(IllegalTransitionError);
    f.to("created");
    expect(() => f.to("approved")).toThrow(IllegalTransitionError);
    f.to("waiting-for-card");
    f.to("processing");
    f.to("declined");
    expect(() => f.to("approved")).toThrow(/payment: declined → approved/);
  });

  it("fails straight from created when the reader refuses the action (nothing charged)", () => {
    const f = new PaymentFlow();
    f.to("created");
    f.to("failed");
    expect(f.state).toBe("failed");
  });
});
