/**
 * The session-token lifecycle of the Card Present SDK (seed 000, "Create a Session" and "Handle
 * Session Initialization Errors"), driven from the backend side:
 * 1. the SDK asks for a token (iOS `didRequestSessionTokenWithCallback`, Android `onSessionTokenRequested`);
 * 2. the app creates one with POST /session_tokens and hands it over (`refreshSessionWithToken` / `refreshSession`);
 * 3. the SDK uses it: `sessionDidSucceed` / `onSessionSuccess`, or `sessionDidFailWithError` /
 *    `onSessionFailure` (WPErrorSecureSessionNotActive), after which a new token is requested.
 * An unused token lives 5 minutes, a used one 12 hours; the manager re-reads `expire_time` after the
 * use and asks for a new token `refreshMarginSeconds` before it expires.
 */
import type { WePayClient } from "@payspec/wepay-client";
import type {
  RefreshSession,
  SessionEvent,
  SessionFailed,
  SessionSucceeded,
  SessionToken,
  SessionTokenRequested,
} from "@payspec/wepay-types";
import { sdkError, WePayDriverError } from "./errors.js";

/** The session events with their iOS and Android names (seed mapping table). */
export const SESSION_EVENT_NAMES = {
  succeeded: { ios: "sessionDidSucceed", android: "onSessionSuccess" },
  failed: { ios: "sessionDidFailWithError", android: "onSessionFailure" },
  tokenRequested: { ios: "didRequestSessionTokenWithCallback", android: "onSessionTokenRequested" },
  refresh: { ios: "refreshSessionWithToken", android: "refreshSession" },
} as const;

/** The Android name of an iOS session function name, and the reverse. */
export function androidSessionName(iosName: string): string | undefined {
  return Object.values(SESSION_EVENT_NAMES).find((n) => n.ios === iosName)?.android;
}
export function iosSessionName(androidName: string): string | undefined {
  return Object.values(SESSION_EVENT_NAMES).find((n) => n.android === androidName)?.ios;
}

export type SessionState = "none" | "requesting" | "active" | "refreshing" | "failed";

const SESSION_TRANSITIONS: Readonly<Record<SessionState, readonly SessionState[]>> = {
  none: ["requesting"],
  requesting: ["active", "failed"],
  active: ["refreshing", "none"],
  refreshing: ["active", "failed"],
  failed: ["requesting", "none"],
};

/** Checks a session-state transition; an illegal one throws. */
export function nextSessionState(from: SessionState, to: SessionState): SessionState {
  if (!SESSION_TRANSITIONS[from].includes(to)) throw new Error(`illegal session transition ${from} -> ${to}`);
  return to;
}

export interface SessionManagerOptions {
  readonly client: WePayClient;
  /** The merchant's account id the tokens are for. */
  readonly accountId: string;
  /** Clock in ms (default Date.now). */
  readonly now?: () => number;
  /** Ask for a new token this many seconds before the current one expires (default 60). */
  readonly refreshMarginSeconds?: number;
  /**
   * What the SDK does with a token it is given: start a secure session with WePay. Returns false when
   * WePay refuses it. Default: accepted. With the simulator: `(t) => sim.state.useSessionToken(t).ok`.
   */
  readonly activate?: (sessionToken: string) => boolean | Promise<boolean>;
  /** Receives every session event (the token value travels in `refresh`: treat it as a secret, never log it). */
  readonly onEvent?: (event: SessionEvent) => void;
}

const tokenRequested: SessionTokenRequested = {
  ios_name: "didRequestSessionTokenWithCallback",
  android_name: "onSessionTokenRequested",
};

export class SessionManager {
  #state: SessionState = "none";
  #token: SessionToken | undefined;
  #pending: Promise<string> | undefined;
  readonly #options: SessionManagerOptions;
  readonly #now: () => number;

  constructor(options: SessionManagerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get state(): SessionState {
    return this.#state;
  }

  /** When the current token expires (Unix seconds), if there is one. */
  get expireTime(): number | undefined {
    return this.#token?.expire_time;
  }

  #emit(event: SessionEvent): void {
    this.#options.onEvent?.(event);
  }

  #to(state: SessionState): void {
    this.#state = nextSessionState(this.#state, state);
  }

  /** True when the token must be replaced: none yet, failed, or within the refresh margin of its expiry. */
  needsToken(): boolean {
    if (this.#state !== "active" || this.#token === undefined) return true;
    const margin = this.#options.refreshMarginSeconds ?? 60;
    return this.#now() / 1000 >= this.#token.expire_time - margin;
  }

  /** The `session_token` to use now: the current one, or a new one from POST /session_tokens. */
  async sessionToken(signal?: AbortSignal): Promise<string> {
    if (!this.needsToken()) return (this.#token as SessionToken).session_token;
    this.#pending ??= this.#obtain(signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forgets the token (the SDK is reset); the next call requests a new one. */
  reset(): void {
    if (this.#state === "active" || this.#state === "failed") this.#to("none");
    this.#token = undefined;
  }

  async #obtain(signal?: AbortSignal): Promise<string> {
    this.#to(this.#state === "active" ? "refreshing" : "requesting");
    this.#emit(tokenRequested);
    const { client, accountId } = this.#options;
    let token: SessionToken;
    try {
      token = await client.sessionTokensCreate(
        { body: { type: "mobile_session", mobile_session: { account_id: accountId } } },
        signal === undefined ? undefined : { signal },
      );
    } catch (error) {
      this.#fail("WPErrorNoDataReturned", "No data was returned during the session authentication.");
      throw new WePayDriverError("WPErrorNoDataReturned", "No data was returned during the session authentication.", {
        cause: error,
      });
    }
    const refresh: RefreshSession = {
      ios_name: "refreshSessionWithToken",
      android_name: "refreshSession",
      session_token: token.session_token,
    };
    this.#emit(refresh);
    const accepted = await (this.#options.activate ?? (() => true))(token.session_token);
    if (!accepted) {
      this.#fail("WPErrorSecureSessionNotActive");
      throw new WePayDriverError("WPErrorSecureSessionNotActive");
    }
    // Once used, the token lives 12 hours: read its new expiry back from WePay.
    try {
      token = await client.sessionTokensGet({ id: token.id }, signal === undefined ? undefined : { signal });
    } catch {
      // keep the creation answer's expiry (the shorter one): the token is refreshed sooner, never later
    }
    this.#token = token;
    this.#to("active");
    const succeeded: SessionSucceeded = { ios_name: "sessionDidSucceed", android_name: "onSessionSuccess" };
    this.#emit(succeeded);
    return token.session_token;
  }

  #fail(name: "WPErrorNoDataReturned" | "WPErrorSecureSessionNotActive", message?: string): void {
    this.#token = undefined;
    this.#to("failed");
    const failed: SessionFailed = {
      ios_name: "sessionDidFailWithError",
      android_name: "onSessionFailure",
      error: sdkError(name, message),
    };
    this.#emit(failed);
  }
}
