/**
 * A transport that logs: wraps any `Transport` and hands `sink` one redacted `RequestLogEntry`
 * per request (the same shape as the server's `attachRequestLog`), for client and driver users.
 * Failed requests are logged with status 0 and rethrown unchanged.
 */
import { buildLogEntry, type RequestLogOptions, type RequestLogSink } from "../log-entry.js";
import type { Transport, TransportResponse } from "./types.js";

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function headerOf(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

export function loggingTransport(
  transport: Transport,
  sink: RequestLogSink,
  options: RequestLogOptions = {},
): Transport {
  const now = options.now ?? Date.now;
  return async (request) => {
    const startedAt = now();
    const emit = (response: TransportResponse | undefined): void => {
      try {
        sink(
          buildLogEntry(
            {
              startedAt,
              endedAt: now(),
              method: request.method,
              url: pathOf(request.url),
              status: response?.status ?? 0,
              requestHeaders: request.headers,
              requestBody: request.body,
              requestContentType: headerOf(request.headers, "content-type"),
              responseBody: response?.body,
              responseContentType: response === undefined ? undefined : headerOf(response.headers, "content-type"),
            },
            options,
          ),
        );
      } catch {
        // a failing sink must not fail the call
      }
    };
    let response: TransportResponse;
    try {
      response = await transport(request);
    } catch (error) {
      emit(undefined);
      throw error;
    }
    emit(response);
    return response;
  };
}
