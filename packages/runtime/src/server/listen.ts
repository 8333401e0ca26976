/** Starts a fastify app and gives back its base URL (the bound port when `port` is 0); finds a free loopback port. */
import { createServer } from "node:net";
import type { FastifyInstance } from "fastify";

export interface ListenOptions {
  /** default 127.0.0.1: simulators and tests stay on loopback */
  host?: string;
  /** default 0: any free port */
  port?: number;
}

export async function listenUrl(app: FastifyInstance, options: ListenOptions = {}): Promise<string> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 0;
  await app.listen({ host, port });
  const address = app.server.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  return `http://${host.includes(":") ? `[${host}]` : host}:${bound}`;
}

/**
 * A loopback port free right now, for a server whose address another party must know before it starts (a nexo
 * terminal is configured with its POS listener's URL first; Prism is started on a port picked for it).
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
