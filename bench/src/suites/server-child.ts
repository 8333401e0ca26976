/**
 * The server under test, in a process of its own (the load generator must not share its event
 * loop). Started with `fork()` by the server suite; talks over IPC:
 *   parent → { kind: "payspec", protocol } | { kind: "raw", response }
 *   child  → { ready: true, url, request?, operation?, response? } | { error }
 *   parent → "close"
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type LoadRequest, type Protocol, STARTERS } from "./server-targets.js";

export interface CapturedResponse {
  status: number;
  contentType: string;
  /** base64 */
  body: string;
}

export type ChildCommand = { kind: "payspec"; protocol: Protocol } | { kind: "raw"; response: CapturedResponse };

export type ChildReply =
  | { ready: true; url: string; request?: LoadRequest; operation?: string; response?: CapturedResponse }
  | { ready: false; error: string };

async function payspec(protocol: Protocol): Promise<{ reply: ChildReply; close: () => Promise<void> }> {
  const target = await STARTERS[protocol]();
  const { request } = target;
  const res = await fetch(target.url + request.path, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const response = {
    status: res.status,
    contentType: res.headers.get("content-type") ?? "",
    body: body.toString("base64"),
  };
  return {
    reply: { ready: true, url: target.url, request, operation: target.operation, response },
    close: () => target.close(),
  };
}

/** The limit: node:http answering the same bytes, with nothing else done. */
async function raw(response: CapturedResponse): Promise<{ reply: ChildReply; close: () => Promise<void> }> {
  const body = Buffer.from(response.body, "base64");
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(response.status, { "content-type": response.contentType, "content-length": body.length });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    reply: { ready: true, url: `http://127.0.0.1:${port}` },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

process.once("message", async (command: ChildCommand) => {
  try {
    const started = command.kind === "payspec" ? await payspec(command.protocol) : await raw(command.response);
    process.on("message", async (message) => {
      if (message === "close") {
        await started.close();
        process.exit(0);
      }
    });
    process.send?.(started.reply);
  } catch (error) {
    process.send?.({ ready: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  }
});
