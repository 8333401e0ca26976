/**
 * Retries for idempotent operations only (GETs, and POSTs carrying an idempotency key such
 * as Stripe's `Idempotency-Key` or WePay's `Unique-Key`). A non-idempotent payment request
 * must never go through this: a retry after a lost response can charge twice.
 */
import { setTimeout as delay } from "node:timers/promises";
import { AbortedError, TransportError } from "../errors.js";
import type { TransportResponse } from "./types.js";

export interface RetryOptions {
  /** Total attempts, the first included. Default 3. */
  maxAttempts?: number;
  /** Backoff before the 2nd attempt; doubles after each. Default 250 ms. */
  baseDelayMs?: number;
  /** Ceiling of one backoff. Default 8 s. */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the last response is returned. Default 60 s. */
  maxRetryAfterMs?: number;
  /** The caller's signal: once aborted, nothing is retried and waiting stops. */
  signal?: AbortSignal;
  /** Which statuses to retry. Default `isRetryableStatus`. */
  retryStatus?: (status: number) => boolean;
  /** Injectable for tests. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Called before each wait, e.g. for logging. */
  onRetry?: (info: { attempt: number; delayMs: number; status?: number; error?: unknown }) => void;
}

/** 408, 429 and 5xx except 501 (Not Implemented) and 505 (HTTP Version Not Supported), which do not heal. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/** RFC 9110 §10.2.3 Retry-After: delay-seconds or an HTTP-date. Milliseconds to wait, or undefined. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base · 2^(retry−1))]. */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `operation` until it yields a response that is not retryable, or attempts run out
 * (then the last response is returned, or the last error thrown). Retries network errors
 * and timeouts (`TransportError` with `retryable`) and retryable statuses, honouring
 * Retry-After. Never retries once the caller's signal has aborted.
 */
export async function withRetry(
  operation: (attempt: number) => Promise<TransportResponse>,
  options: RetryOptions = {},
): Promise<TransportResponse> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 8_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const retryStatus = options.retryStatus ?? isRetryableStatus;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const signal = options.signal;

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
    let response: TransportResponse | undefined;
    let error: unknown;
    try {
      response = await operation(attempt);
    } catch (caught) {
      if (signal?.aborted) throw caught instanceof AbortedError ? caught : new AbortedError({ cause: caught });
      if (!(caught instanceof TransportError) || !caught.retryable || attempt >= maxAttempts) throw caught;
      error = caught;
    }
    let waitMs = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
    if (response !== undefined) {
      if (!retryStatus(response.status) || attempt >= maxAttempts) return response;
      const retryAfter = parseRetryAfter(response.headers["retry-after"], now());
      if (retryAfter !== undefined) {
        if (retryAfter > maxRetryAfterMs) return response;
        waitMs = retryAfter;
      }
    }
    options.onRetry?.({ attempt, delayMs: waitMs, ...(response ? { status: response.status } : { error }) });
    await sleep(waitMs, signal);
  }
}

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  } catch (cause) {
    throw new AbortedError({ cause });
  }
}
