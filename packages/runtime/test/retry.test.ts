import { describe, expect, it } from "vitest";
import {
  AbortedError,
  backoffDelay,
  CodecError,
  isRetryableStatus,
  parseRetryAfter,
  TimeoutError,
  TransportError,
  type TransportResponse,
  withRetry,
} from "../src/index.js";

const response = (status: number, headers: Record<string, string> = {}): TransportResponse => ({
  status,
  headers,
  body: "",
});

/** Scripted operation: each step is a response to return or an error to throw. */
function script(steps: Array<TransportResponse | Error>) {
  const calls: number[] = [];
  const operation = async (attempt: number) => {
    calls.push(attempt);
    const step = steps[attempt - 1];
    if (step === undefined) throw new Error("called too often");
    if (step instanceof Error) throw step;
    return step;
  };
  return { operation, calls };
}

/** Records waits instead of waiting: no test depends on the clock. */
function sleeper() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe("retryable statuses", () => {
  it.each([
    { status: 200, want: false },
    { status: 400, want: false },
    { status: 402, want: false },
    { status: 404, want: false },
    { status: 409, want: false },
    { status: 408, want: true },
    { status: 429, want: true },
    { status: 500, want: true },
    { status: 501, want: false },
    { status: 502, want: true },
    { status: 503, want: true },
    { status: 504, want: true },
    { status: 505, want: false },
  ])("$status → $want", ({ status, want }) => {
    expect(isRetryableStatus(status)).toBe(want);
  });
});

describe("withRetry retries only retryable failures", () => {
  it.each([
    { name: "a network error", first: new TransportError("ECONNRESET") },
    { name: "a timeout", first: new TimeoutError(1000) },
    { name: "429", first: response(429) },
    { name: "503", first: response(503) },
  ])("retries after $name and returns the success", async ({ first }) => {
    const { operation, calls } = script([first, response(200)]);
    const { sleep } = sleeper();
    expect((await withRetry(operation, { sleep, random: () => 0.5 })).status).toBe(200);
    expect(calls).toEqual([1, 2]);
  });

  it.each([
    { name: "400", step: response(400) },
    { name: "402 card declined", step: response(402) },
    { name: "409", step: response(409) },
    { name: "501", step: response(501) },
  ])("returns $name at once", async ({ step }) => {
    const { operation, calls } = script([step]);
    expect((await withRetry(operation, { sleep: sleeper().sleep })).status).toBe(step.status);
    expect(calls).toEqual([1]);
  });

  it.each([
    { name: "a codec error", error: new CodecError("bad", { codec: "json", reason: "syntax" }) },
    { name: "a non-retryable transport error", error: new TransportError("too large", { retryable: false }) },
    { name: "an unknown error", error: new TypeError("bug") },
  ])("rethrows $name at once", async ({ error }) => {
    const { operation, calls } = script([error]);
    await expect(withRetry(operation, { sleep: sleeper().sleep })).rejects.toBe(error);
    expect(calls).toEqual([1]);
  });

  it("stops after maxAttempts, returning the last response", async () => {
    const { operation, calls } = script([response(503), response(502), response(500)]);
    expect((await withRetry(operation, { maxAttempts: 3, sleep: sleeper().sleep })).status).toBe(500);
    expect(calls).toEqual([1, 2, 3]);
  });

  it("stops after maxAttempts, throwing the last error", async () => {
    const last = new TransportError("third");
    const { operation, calls } = script([new TransportError("first"), new TransportError("second"), last]);
    await expect(withRetry(operation, { maxAttempts: 3, sleep: sleeper().sleep })).rejects.toBe(last);
    expect(calls).toEqual([1, 2, 3]);
  });
});

describe("withRetry waits", () => {
  it("backs off exponentially with full jitter, capped", async () => {
    const { operation } = script([response(503), response(503), response(503), response(503), response(200)]);
    const { waits, sleep } = sleeper();
    await withRetry(operation, { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300, random: () => 0.999, sleep });
    expect(waits).toEqual([99, 199, 299, 299]);
  });

  it.each([
    { retry: 1, random: 0, want: 0 },
    { retry: 1, random: 0.5, want: 125 },
    { retry: 3, random: 0.5, want: 500 },
    { retry: 10, random: 0.5, want: 4000 },
  ])("backoffDelay(retry $retry, random $random) = $want", ({ retry, random, want }) => {
    expect(backoffDelay(retry, 250, 8000, () => random)).toBe(want);
  });

  it("honours Retry-After in seconds", async () => {
    const { operation } = script([response(429, { "retry-after": "2" }), response(200)]);
    const { waits, sleep } = sleeper();
    await withRetry(operation, { sleep });
    expect(waits).toEqual([2000]);
  });

  it("honours Retry-After as an HTTP-date", async () => {
    const now = Date.parse("2024-05-02T10:00:00Z");
    const { operation } = script([response(503, { "retry-after": "Thu, 02 May 2024 10:00:03 GMT" }), response(200)]);
    const { waits, sleep } = sleeper();
    await withRetry(operation, { sleep, now: () => now });
    expect(waits).toEqual([3000]);
  });

  it("returns the response instead of waiting past maxRetryAfterMs", async () => {
    const { operation, calls } = script([response(503, { "retry-after": "3600" })]);
    expect((await withRetry(operation, { sleep: sleeper().sleep, maxRetryAfterMs: 60_000 })).status).toBe(503);
    expect(calls).toEqual([1]);
  });

  it.each([
    { given: "120", want: 120_000 },
    { given: " 0 ", want: 0 },
    { given: "Thu, 02 May 2024 09:59:00 GMT", want: 0 },
    { given: "soon", want: undefined },
    { given: undefined, want: undefined },
  ])("parseRetryAfter($given) = $want", ({ given, want }) => {
    expect(parseRetryAfter(given, Date.parse("2024-05-02T10:00:00Z"))).toBe(want);
  });
});

describe("withRetry never retries once the caller aborted", () => {
  it("does not start when already aborted", async () => {
    const { operation, calls } = script([response(200)]);
    await expect(withRetry(operation, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
    expect(calls).toEqual([]);
  });

  it("does not retry a failure that happened after the abort", async () => {
    const controller = new AbortController();
    const operation = async () => {
      controller.abort();
      throw new TransportError("socket closed");
    };
    await expect(withRetry(operation, { signal: controller.signal, sleep: sleeper().sleep })).rejects.toBeInstanceOf(
      AbortedError,
    );
  });

  it("stops between attempts when aborted during the wait", async () => {
    const controller = new AbortController();
    const { operation, calls } = script([response(503), response(200)]);
    const sleep = async () => controller.abort();
    await expect(withRetry(operation, { signal: controller.signal, sleep })).rejects.toBeInstanceOf(AbortedError);
    expect(calls).toEqual([1]);
  });

  it("the default sleep ends early with AbortedError", async () => {
    const controller = new AbortController();
    const { operation, calls } = script([response(503), response(200)]);
    const running = withRetry(operation, { signal: controller.signal, baseDelayMs: 60_000, random: () => 1 });
    await Promise.resolve();
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(AbortedError);
    expect(calls).toEqual([1]);
  });
});
