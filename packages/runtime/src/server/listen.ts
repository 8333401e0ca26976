/** Starts a fastify app and gives back its base URL (the bound port when `port` is 0). */
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
