/**
 * The connecting party's callback receiver (seed 002, "Connecting Party Callback"; spec
 * callback.tsp): Payneteasy GETs the order's `server_callback_url` with the final status and
 * `control = SHA1(status + orderid + client_orderid + merchant_control_key)`, and retries
 * anything but HTTP 200 (30 tries over 14 days), so the same callback can arrive many times.
 *
 * The receiver checks the control in constant time (403 when wrong), checks the parameters
 * against the spec (400), answers 200 to every genuine callback (repeats included: a repeat
 * answered otherwise would only be sent again) and hands each order's final status on once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isFinalStatus } from "@payspec/payneteasy-client";
import type { CallbackParameters } from "@payspec/payneteasy-types";
import { validateCallbackParameters } from "@payspec/payneteasy-validators";
import { CodecError, decodeForm, payneteasyCallbackControl, verifyControl } from "@payspec/runtime";
import { abortable } from "./device.js";

export interface CallbackReceiverOptions {
  /** The merchant control key the callbacks are checked with. */
  readonly merchantControlKey: string;
  /** Path served by `listen` (default `/payneteasy/callback`); `handle` serves any path. */
  readonly path?: string;
  /** How many orders' callbacks are remembered for deduplication (default 10 000, oldest dropped). */
  readonly remember?: number;
}

export type CallbackVerdict = "accepted" | "duplicate" | "not-final" | "bad-control" | "invalid";

export interface CallbackReceiverStats {
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** Receives, verifies and deduplicates Payneteasy callbacks; `waitFor(orderid)` gets the first one. */
export class PayneteasyCallbackReceiver {
  readonly stats: CallbackReceiverStats = { accepted: 0, duplicates: 0, rejected: 0 };
  readonly #key: string;
  readonly #path: string;
  readonly #remember: number;
  /** first genuine callback per orderid (insertion order = age) */
  readonly #seen = new Map<string, CallbackParameters>();
  readonly #waiters = new Map<string, Set<(callback: CallbackParameters) => void>>();
  #server: Server | undefined;
  #url: string | undefined;

  constructor(options: CallbackReceiverOptions) {
    if (!options.merchantControlKey) throw new TypeError("merchantControlKey is required");
    this.#key = options.merchantControlKey;
    this.#path = options.path ?? "/payneteasy/callback";
    this.#remember = options.remember ?? 10_000;
  }

  /** The URL to send as `server_callback_url`, once `listen` resolved. */
  get url(): string | undefined {
    return this.#url;
  }

  /**
   * Judges one callback's query (already decoded). A genuine first callback is handed to the
   * waiters of its order; a repeat is only counted.
   */
  accept(query: Readonly<Record<string, unknown>>): CallbackVerdict {
    const { status, orderid, client_orderid, control } = query;
    if (typeof status !== "string" || typeof orderid !== "string" || typeof client_orderid !== "string") {
      this.stats.rejected++;
      return "invalid";
    }
    const expected = payneteasyCallbackControl({ status, orderid, client_orderid, merchant_control_key: this.#key });
    if (typeof control !== "string" || !verifyControl(expected, control)) {
      this.stats.rejected++;
      return "bad-control";
    }
    if (!validateCallbackParameters(query)) {
      this.stats.rejected++;
      return "invalid";
    }
    const callback = query as CallbackParameters;
    // A callback reports a final status; anything else is acknowledged and not handed on.
    if (!isFinalStatus(status)) return "not-final";
    if (this.#seen.has(orderid)) {
      this.stats.duplicates++;
      return "duplicate";
    }
    this.#seen.set(orderid, callback);
    if (this.#seen.size > this.#remember) this.#seen.delete(this.#seen.keys().next().value as string);
    this.stats.accepted++;
    const waiters = this.#waiters.get(orderid);
    this.#waiters.delete(orderid);
    for (const resolve of waiters ?? []) resolve(callback);
    return "accepted";
  }

  /** The first genuine callback of `orderid` (at once if it already came). */
  waitFor(orderid: string, signal?: AbortSignal): Promise<CallbackParameters> {
    const seen = this.#seen.get(orderid);
    if (seen !== undefined) return Promise.resolve(seen);
    let resolver: ((callback: CallbackParameters) => void) | undefined;
    const promise = new Promise<CallbackParameters>((resolve) => {
      resolver = resolve;
      const set = this.#waiters.get(orderid) ?? new Set();
      set.add(resolve);
      this.#waiters.set(orderid, set);
    });
    signal?.addEventListener("abort", () => {
      const set = this.#waiters.get(orderid);
      if (resolver !== undefined) set?.delete(resolver);
      if (set?.size === 0) this.#waiters.delete(orderid);
    });
    return abortable(promise, signal);
  }

  /** A `node:http` request handler (mount it in your own server, or use `listen`). */
  readonly handle = (request: IncomingMessage, response: ServerResponse): void => {
    const [status, text] = this.#answer(request);
    response.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(text);
  };

  #answer(request: IncomingMessage): [number, string] {
    if (request.method !== "GET") return [405, "Method not allowed"];
    const url = request.url ?? "";
    const at = url.indexOf("?");
    let query: Record<string, unknown>;
    try {
      query = at < 0 ? {} : decodeForm(url.slice(at + 1));
    } catch (error) {
      if (error instanceof CodecError) return [400, "Invalid query"];
      throw error;
    }
    switch (this.accept(query)) {
      case "accepted":
      case "duplicate":
      case "not-final":
        return [200, "OK"];
      case "bad-control":
        return [403, "Invalid control"];
      case "invalid":
        return [400, "Invalid callback parameters"];
    }
  }

  /** Serves `path` on its own HTTP server (default 127.0.0.1, any free port); resolves the callback URL. */
  async listen(options: { host?: string; port?: number } = {}): Promise<string> {
    const host = options.host ?? "127.0.0.1";
    const server = createServer((request, response) => {
      const path = (request.url ?? "").split("?")[0];
      if (path !== this.#path) return void response.writeHead(404).end("Not found");
      this.handle(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    this.#server = server;
    this.#url = `http://${host.includes(":") ? `[${host}]` : host}:${port}${this.#path}`;
    return this.#url;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
