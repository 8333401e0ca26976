/**
 * Client-under-test mode: a mock server (the built-in simulator behind a recording proxy) that a
 * client, driver or POS talks to. Every exchange is logged with its operation and status; a
 * scenario counts as exercised when its requests (operation and expected status) appear in the
 * log in order.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { routePath } from "@payspec/runtime";
import { subsetDiff } from "./engine.js";
import { adapters } from "./protocols/index.js";
import type { Target } from "./protocols/types.js";
import { loadScenarios, type ProtocolName, type Scenario } from "./scenario.js";

export interface Exchange {
  method: string;
  path: string;
  /** descriptor id, when the request matches an operation of the spec */
  operation?: string;
  status: number;
  /** the answer's body, when it is JSON */
  body?: unknown;
}

export interface ServeOptions {
  protocol: ProtocolName;
  host?: string;
  /** default 0 (any free port) */
  port?: number;
  scenarios?: Scenario[];
  scenarioDir?: string;
}

export interface ExercisedScenario {
  id: string;
  doc: string;
  exercised: boolean;
}

export interface RunningConformanceMock {
  url: string;
  /** the simulator behind the proxy (its state, clock...) */
  target: Target;
  readonly exchanges: readonly Exchange[];
  /** every HTTP scenario of the protocol, and whether the client's traffic exercised it */
  exercised(): ExercisedScenario[];
  /** descriptor ids the client called */
  operations(): string[];
  close(): Promise<void>;
}

function matcher(protocol: ProtocolName): (method: string, path: string) => string | undefined {
  const routes = Object.values(adapters[protocol].operations).map((op) => {
    const pattern = routePath(op.path)
      .split("/")
      .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    return { id: op.id, method: op.method, re: new RegExp(`^${pattern}/?$`) };
  });
  return (method, path) => routes.find((r) => r.method === method && r.re.test(path))?.id;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Whether `log` holds the scenario's request steps, in order. */
export function scenarioExercised(scenario: Scenario, log: readonly Exchange[]): boolean {
  if (scenario.kind !== "http") return false;
  const wanted = scenario.steps.flatMap((s) => {
    if (s.kind !== "request") return [];
    const status = s.expect.status;
    // a body expectation without variables must match too (it tells a decline from an approval)
    const body =
      s.expect.body !== undefined && !JSON.stringify(s.expect.body).includes("${") ? s.expect.body : undefined;
    return [{ op: s.op, statuses: status === undefined ? undefined : Array.isArray(status) ? status : [status], body }];
  });
  if (wanted.length === 0) return false;
  let i = 0;
  for (const e of log) {
    const w = wanted[i];
    if (
      w &&
      e.operation === w.op &&
      (!w.statuses || w.statuses.includes(e.status)) &&
      (w.body === undefined || e.body === undefined || subsetDiff(e.body, w.body).length === 0)
    )
      i += 1;
    if (i === wanted.length) return true;
  }
  return false;
}

export async function serveConformance(options: ServeOptions): Promise<RunningConformanceMock> {
  const adapter = adapters[options.protocol];
  if (!adapter) throw new TypeError(`unknown protocol ${JSON.stringify(options.protocol)}`);
  const scenarios = options.scenarios ?? loadScenarios(options.protocol, options.scenarioDir);
  const target = await adapter.startSimulator();
  const upstream = new URL(target.url);
  const match = matcher(options.protocol);
  const exchanges: Exchange[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = (req.url ?? "/").split("?")[0]!;
    const method = req.method ?? "GET";
    // forward with the client's own Host header: signatures over the URL (OAuth) stay valid
    const up = httpRequest(
      { host: upstream.hostname, port: upstream.port, method, path: req.url, headers: req.headers },
      (answer) => {
        void readBody(answer).then((text) => {
          const op = match(method, path);
          const exchange: Exchange = { method, path, status: answer.statusCode ?? 0, ...(op ? { operation: op } : {}) };
          if (String(answer.headers["content-type"] ?? "").includes("json")) {
            try {
              exchange.body = JSON.parse(text.toString("utf8"));
            } catch {
              // not JSON after all: matched on operation and status only
            }
          }
          exchanges.push(exchange);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(text);
        });
      },
    );
    up.on("error", (err) => {
      exchanges.push({ method, path, status: 502 });
      res.writeHead(502, { "content-type": "text/plain" }).end(`conformance mock: ${err.message}`);
    });
    up.end(body);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    target,
    exchanges,
    exercised: () =>
      scenarios
        .filter((s) => s.kind === "http")
        .map((s) => ({ id: s.id, doc: s.doc, exercised: scenarioExercised(s, exchanges) })),
    operations: () => [...new Set(exchanges.flatMap((e) => (e.operation ? [e.operation] : [])))],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await target.close();
    },
  };
}
