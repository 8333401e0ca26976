import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AbortedError,
  createFetchTransport,
  ERROR_CODES,
  responseText,
  TimeoutError,
  TransportError,
} from "../src/index.js";

let server: Server;
let base: string;
const pending = new Set<() => void>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      switch (req.url) {
        case "/echo":
          res.writeHead(201, { "content-type": "application/json", "X-Vendor": "yes" });
          res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
          return;
        case "/hang":
          // Never answers: only the client's signal ends this exchange.
          pending.add(() => res.destroy());
          return;
        case "/big":
          res.writeHead(200, { "content-type": "application/octet-stream" });
          res.end(Buffer.alloc(4096, 0x61));
          return;
        case "/big-chunked":
          res.writeHead(200, { "content-type": "application/octet-stream" });
          for (let i = 0; i < 8; i++) res.write(Buffer.alloc(512, 0x62));
          res.end();
          return;
        case "/redirect":
          res.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" });
          res.end();
          return;
        default:
          res.writeHead(404);
          res.end("not found");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const close of pending) close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("fetch transport", () => {
  it("sends method, headers and body; returns status, lower-case headers and bytes", async () => {
    const transport = createFetchTransport();
    const response = await transport({
      method: "POST",
      url: `${base}/echo`,
      headers: { Authorization: "Bearer sk_test_1", "Content-Type": "application/x-www-form-urlencoded" },
      body: "amount=899",
    });
    expect(response.status).toBe(201);
    expect(response.headers["x-vendor"]).toBe("yes");
    expect(response.body).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(responseText(response))).toEqual({
      method: "POST",
      body: "amount=899",
      auth: "Bearer sk_test_1",
    });
  });

  it("sends a Uint8Array body", async () => {
    const response = await createFetchTransport()({
      method: "PUT",
      url: `${base}/echo`,
      headers: {},
      body: new TextEncoder().encode("bytes"),
    });
    expect(JSON.parse(responseText(response)).body).toBe("bytes");
  });

  it("returns vendor error statuses as responses, not errors", async () => {
    const response = await createFetchTransport()({ method: "GET", url: `${base}/missing`, headers: {} });
    expect(response.status).toBe(404);
    expect(responseText(response)).toBe("not found");
  });

  it("does not follow redirects", async () => {
    const response = await createFetchTransport()({ method: "GET", url: `${base}/redirect`, headers: {} });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe("http://127.0.0.1:1/elsewhere");
  });

  it("ends with TimeoutError when its own time limit runs out", async () => {
    const error = await rejection(
      createFetchTransport({ timeoutMs: 50 })({ method: "GET", url: `${base}/hang`, headers: {} }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).retryable).toBe(true);
  });

  it("ends with AbortedError when the caller aborts, not TimeoutError", async () => {
    const controller = new AbortController();
    const sent = createFetchTransport({ timeoutMs: 60_000 })({
      method: "GET",
      url: `${base}/hang`,
      headers: {},
      signal: controller.signal,
    });
    controller.abort(new Error("user cancelled"));
    const error = await rejection(sent);
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).not.toBeInstanceOf(TransportError);
  });

  it("does not send at all when the caller's signal is already aborted", async () => {
    let called = false;
    const transport = createFetchTransport({
      fetch: async () => {
        called = true;
        return new Response("");
      },
    });
    const error = await rejection(
      transport({ method: "POST", url: `${base}/echo`, headers: {}, signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect(called).toBe(false);
  });

  it("maps a refused connection to a retryable TransportError", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(
      createFetchTransport()({ method: "GET", url: `http://127.0.0.1:${port}/secret-path?token=x`, headers: {} }),
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect((error as TransportError).code).toBe(ERROR_CODES.TRANSPORT);
    expect((error as TransportError).retryable).toBe(true);
    // Paths and queries can carry identifiers: messages name the origin only.
    expect((error as TransportError).message).toContain(`http://127.0.0.1:${port}`);
    expect((error as TransportError).message).not.toContain("secret-path");
  });

  it.each(["/big", "/big-chunked"])("refuses a body over maxResponseBytes (%s), not retryable", async (path) => {
    const error = await rejection(
      createFetchTransport({ maxResponseBytes: 1024 })({ method: "GET", url: `${base}${path}`, headers: {} }),
    );
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe(ERROR_CODES.RESPONSE_TOO_LARGE);
    expect((error as TransportError).retryable).toBe(false);
  });

  it("uses an injected fetch", async () => {
    const transport = createFetchTransport({
      fetch: async (input, init) =>
        new Response(`${init?.method} ${String(input)}`, { status: 202, headers: { "X-A": "1" } }),
    });
    const response = await transport({ method: "DELETE", url: "https://api.example.test/v1/x", headers: {} });
    expect(response).toMatchObject({ status: 202, headers: { "x-a": "1" } });
    expect(responseText(response)).toBe("DELETE https://api.example.test/v1/x");
  });
});
