// The session-token lifecycle against the WePay simulator over loopback, with an injected clock.

import type { WePayClient } from "@payspec/wepay-client";
import type { RunningWePaySimulator } from "@payspec/wepay-server";
import type { SessionEvent } from "@payspec/wepay-types";
import { validateSessionFailed, validateSessionTokenRequested } from "@payspec/wepay-validators";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  androidSessionName,
  iosSessionName,
  SESSION_EVENT_NAMES,
  SessionManager,
  WePayDriverError,
} from "../src/index.js";
import { ACCOUNT, startSim } from "./helpers.js";

let clock = 1_700_000_000_000;
let sim: RunningWePaySimulator;
let client: WePayClient;
beforeEach(async () => {
  clock = 1_700_000_000_000;
  ({ sim, client } = await startSim(() => clock));
});
afterEach(() => sim.close());

const manager = (events: SessionEvent[], activate?: (t: string) => boolean) =>
  new SessionManager({
    client,
    accountId: ACCOUNT,
    now: () => clock,
    activate: activate ?? ((t) => sim.state.useSessionToken(t).ok),
    onEvent: (e) => events.push(e),
  });

describe("rule: iOS and Android names of the session functions (seed mapping table)", () => {
  it("maps each iOS function to its Android one and back", () => {
    expect(androidSessionName("sessionDidSucceed")).toBe("onSessionSuccess");
    expect(androidSessionName("sessionDidFailWithError")).toBe("onSessionFailure");
    expect(androidSessionName("didRequestSessionTokenWithCallback")).toBe("onSessionTokenRequested");
    expect(androidSessionName("refreshSessionWithToken")).toBe("refreshSession");
    expect(iosSessionName("refreshSession")).toBe("refreshSessionWithToken");
    expect(Object.keys(SESSION_EVENT_NAMES)).toHaveLength(4);
  });
});

describe("rule: session token request, use and refresh", () => {
  it("requests a token, hands it over, and succeeds: events in order with both names", async () => {
    const events: SessionEvent[] = [];
    const sessions = manager(events);
    const token = await sessions.sessionToken();
    expect(token).toMatch(/^stage_/);
    expect(events.map((e) => e.ios_name)).toEqual([
      "didRequestSessionTokenWithCallback",
      "refreshSessionWithToken",
      "sessionDidSucceed",
    ]);
    expect(events.map((e) => e.android_name)).toEqual([
      "onSessionTokenRequested",
      "refreshSession",
      "onSessionSuccess",
    ]);
    expect(validateSessionTokenRequested(events[0])).toBe(true);
    expect(sessions.state).toBe("active");
    // used by the SDK: the token now lives 12 hours (re-read from WePay)
    expect(sessions.expireTime).toBe(clock / 1000 + 12 * 3600);
    expect(sim.state.sessionTokens.size).toBe(1);
  });

  it("reuses the token while it is valid and asks for a new one before it expires", async () => {
    const sessions = manager([]);
    const first = await sessions.sessionToken();
    clock += 11 * 3600 * 1000;
    expect(await sessions.sessionToken()).toBe(first);
    expect(sim.state.sessionTokens.size).toBe(1);
    clock += 3600 * 1000 - 30_000; // 30 s before expiry, inside the 60 s margin
    const second = await sessions.sessionToken();
    expect(second).not.toBe(first);
    expect(sim.state.sessionTokens.size).toBe(2);
    expect(sessions.state).toBe("active");
  });

  it("a token WePay refuses fails the session with WPErrorSecureSessionNotActive; the next call requests a new one", async () => {
    const events: SessionEvent[] = [];
    let accept = false;
    const sessions = manager(events, (t) => accept && sim.state.useSessionToken(t).ok);
    const error = await sessions.sessionToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WePayDriverError);
    expect((error as WePayDriverError).sdkError).toMatchObject({
      ios_name: "WPErrorSecureSessionNotActive",
      android_name: "SECURE_SESSION_NOT_ACTIVE",
    });
    const failed = events.at(-1);
    expect(failed).toMatchObject({ ios_name: "sessionDidFailWithError", android_name: "onSessionFailure" });
    expect(validateSessionFailed(failed)).toBe(true);
    expect(sessions.state).toBe("failed");
    accept = true;
    await expect(sessions.sessionToken()).resolves.toMatch(/^stage_/);
    expect(sessions.state).toBe("active");
  });

  it("a failed POST /session_tokens fails the session with WPErrorNoDataReturned", async () => {
    const events: SessionEvent[] = [];
    await sim.close();
    const sessions = manager(events);
    const error = (await sessions.sessionToken().catch((e: unknown) => e)) as WePayDriverError;
    expect(error.sdkError).toMatchObject({ code: -10015, ios_name: "WPErrorNoDataReturned" });
    expect(events.map((e) => e.ios_name)).toEqual(["didRequestSessionTokenWithCallback", "sessionDidFailWithError"]);
    ({ sim, client } = await startSim(() => clock)); // afterEach closes it
  });
});
