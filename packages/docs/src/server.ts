/**
 * A tiny static server for the built site (node:http): GET and HEAD only, files under the site
 * directory only (a path that escapes it is refused), a content type per extension.
 */

import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { buildSite, defaultSiteDir } from "./site.js";

export interface ServeDocsOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The built site (default packages/docs/dist/site). */
  readonly root?: string;
  /** Build the site first when root has no index.html (default true). */
  readonly build?: boolean;
}

export interface RunningDocs {
  readonly url: string;
  readonly root: string;
  close(): Promise<void>;
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".yaml": "application/yaml; charset=utf-8",
  ".yml": "application/yaml; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/**
 * The file a request path names under root, or undefined when the path is malformed or leaves
 * root (`..`, encoded or not, backslashes, NUL). A path ending in / names its index.html.
 */
export function resolveSitePath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith("/") || decoded.includes("\0") || decoded.includes("\\")) return undefined;
  if (decoded.split("/").some((segment) => segment === "..")) return undefined;
  const base = resolve(root);
  const file = resolve(base, `.${decoded.endsWith("/") ? `${decoded}index.html` : decoded}`);
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  return file;
}

export async function serveDocs(options: ServeDocsOptions = {}): Promise<RunningDocs> {
  const root = resolve(options.root ?? defaultSiteDir());
  if (options.build !== false && !(await isFile(join(root, "index.html")))) await buildSite(root);
  const server = createServer((request, response) => {
    handle(root, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, "internal error");
      else response.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolvePromise();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    root,
    close: () =>
      new Promise<void>((resolvePromise, reject) => {
        server.close((error) => (error ? reject(error) : resolvePromise()));
        server.closeAllConnections();
      }),
  };
}

async function handle(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.setHeader("Allow", "GET, HEAD");
    send(response, 405, "method not allowed");
    return;
  }
  const rawPath = (request.url ?? "/").split(/[?#]/, 1)[0] ?? "/";
  const file = resolveSitePath(root, rawPath);
  if (file === undefined) {
    send(response, 403, "forbidden");
    return;
  }
  let target = file;
  if (await isDirectory(target)) target = join(target, "index.html");
  if (!(await isFile(target))) {
    send(response, 404, "not found");
    return;
  }
  const info = await stat(target);
  response.writeHead(200, {
    "Content-Type": contentTypeOf(target),
    "Content-Length": info.size,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
  });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  await new Promise<void>((resolvePromise, reject) => {
    const stream = createReadStream(target);
    stream.on("error", reject);
    response.on("close", resolvePromise);
    stream.pipe(response);
  });
}

function send(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" });
  response.end(`${text}\n`);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
