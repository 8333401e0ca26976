// The login session state machine: legal transitions move, illegal ones throw.
import { describe, expect, it } from "vitest";
import { NexoDriverError } from "../src/errors.js";
import { nextSessionState, SessionMachine } from "../src/session.js";

describe("session state machine", () => {
  it("login → logged-in → begin → end walks disconnected → logging-in → ready → busy → ready", () => {
    const m = new SessionMachine();
    expect(m.state).toBe("disconnected");
    expect(m.apply("login")).toBe("logging-in");
    expect(m.apply("logged-in")).toBe("ready");
    expect(m.apply("begin")).toBe("busy");
    expect(m.apply("end")).toBe("ready");
  });

  it("a LoggedOut answer while busy goes to disconnected, from where the driver logs in again", () => {
    const m = new SessionMachine();
    m.apply("login");
    m.apply("logged-in");
    m.apply("begin");
    expect(m.apply("logged-out")).toBe("disconnected");
    expect(m.apply("login")).toBe("logging-in");
  });

  it("one service request at a time: begin while busy is illegal and throws", () => {
    const m = new SessionMachine();
    m.apply("login");
    m.apply("logged-in");
    m.apply("begin");
    expect(() => m.apply("begin")).toThrow(NexoDriverError);
    expect(m.state).toBe("busy");
  });

  it("no request before a session: begin while disconnected throws illegal-transition", () => {
    const m = new SessionMachine();
    expect(() => m.apply("begin")).toThrow(expect.objectContaining({ code: "illegal-transition" }));
  });

  it("a failed login returns to disconnected; logout is only legal from ready", () => {
    expect(nextSessionState("logging-in", "login-failed")).toBe("disconnected");
    expect(nextSessionState("busy", "logout")).toBeUndefined();
    expect(nextSessionState("ready", "logout")).toBe("disconnected");
  });

  it("closed is final: every event is illegal", () => {
    const m = new SessionMachine();
    m.apply("close");
    for (const e of ["login", "logged-in", "login-failed", "begin", "end", "logout", "logged-out", "close"] as const) {
      expect(m.can(e)).toBe(false);
    }
  });
});
