/**
 * Request logging for servers and simulators: one redacted `RequestLogEntry` per request, 404s,
 * refusals (401, 413, 415), fault-injected answers and dropped connections (status 0) included.
 * Headers pass through `redactHeaders`, the path through query redaction, bodies (opt-in) through
 * `redact` by content type: a sink never sees a secret, a token or a full card number.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { buildLogEntry, type RequestLogOptions, type RequestLogSink } from "../log-entry.js";

interface Pending {
  startedAt: number;
  responseBody?: string | Uint8Array;
  responseContentType?: string;
  done: boolean;
}

function headerText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "number") return String(value);
  return undefined;
}

/**
 * Adds hooks to `app` that hand `sink` one entry per request once its answer is sent (or its
 * connection ends). Call it before registering routes so every route and the 404 handler inherit
 * the hooks. A sink that throws is ignored: logging never changes an answer.
 */
export function attachRequestLog(app: FastifyInstance, sink: RequestLogSink, options: RequestLogOptions = {}): void {
  const now = options.now ?? Date.now;
  const pending = new WeakMap<FastifyRequest, Pending>();

  const finish = (request: FastifyRequest, status: number): void => {
    const state = pending.get(request);
    if (!state || state.done) return;
    state.done = true;
    const body = request.body;
    try {
      sink(
        buildLogEntry(
          {
            startedAt: state.startedAt,
            endedAt: now(),
            method: request.method,
            url: request.url,
            status,
            requestHeaders: request.headers,
            requestBody: typeof body === "string" || body instanceof Uint8Array ? body : undefined,
            requestContentType: headerText(request.headers["content-type"]),
            responseBody: state.responseBody,
            responseContentType: state.responseContentType,
          },
          options,
        ),
      );
    } catch {
      // a failing sink must not break the server
    }
  };

  app.addHook("onRequest", async (request, reply) => {
    pending.set(request, { startedAt: now(), done: false });
    // A reset or a dropped answer (hijacked, socket destroyed) never reaches onResponse.
    reply.raw.once("close", () => finish(request, reply.raw.writableFinished ? reply.raw.statusCode : 0));
  });
  app.addHook("onSend", async (request, reply, payload) => {
    const state = pending.get(request);
    if (state && options.bodies === true) {
      if (typeof payload === "string" || payload instanceof Uint8Array) state.responseBody = payload;
      const type = headerText(reply.getHeader("content-type"));
      if (type !== undefined) state.responseContentType = type;
    }
    return payload;
  });
  app.addHook("onResponse", async (request, reply) => {
    finish(request, reply.statusCode);
  });
}
