/** The default transport: Node's global fetch (undici), with a time limit and a body size limit. */
import { AbortedError, ERROR_CODES, TimeoutError, TransportError } from "../errors.js";
import type { Transport, TransportRequest, TransportResponse } from "./types.js";

export interface FetchTransportOptions {
  /** Time limit for the whole exchange, response body included. Default 30 s. */
  timeoutMs?: number;
  /** Largest response body accepted. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Injectable fetch (default `globalThis.fetch`). */
  fetch?: typeof globalThis.fetch;
}

/**
 * A `Transport` over fetch. Redirects are not followed (`redirect: "manual"`): a payment API
 * that redirects is misconfigured, and following would re-send credentials elsewhere.
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxResponseBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  const fetchImpl = options.fetch ?? globalThis.fetch;

  return async (request: TransportRequest): Promise<TransportResponse> => {
    const callerSignal = request.signal;
    if (callerSignal?.aborted) throw new AbortedError({ cause: callerSignal.reason });
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal === undefined ? timeout : AbortSignal.any([callerSignal, timeout]);
    const classify = (cause: unknown): Error => {
      if (callerSignal?.aborted) return new AbortedError({ cause: callerSignal.reason });
      if (timeout.aborted) return new TimeoutError(timeoutMs, { cause });
      if (cause instanceof TransportError) return cause;
      return new TransportError(
        `${request.method} ${originOf(request.url)} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        {
          cause,
          retryable: true,
        },
      );
    };
    let response: Response;
    try {
      response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal,
        redirect: "manual",
      });
    } catch (cause) {
      throw classify(cause);
    }
    try {
      const body = await readBody(response, maxResponseBytes);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: response.status, headers, body };
    } catch (cause) {
      throw classify(cause);
    }
  };
}

async function readBody(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, total);
}

function tooLarge(maxBytes: number): TransportError {
  return new TransportError(`response body exceeds ${maxBytes} bytes`, {
    code: ERROR_CODES.RESPONSE_TOO_LARGE,
    retryable: false,
  });
}

/** Scheme, host and port only: paths and queries can carry identifiers that do not belong in error messages. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}
