// mountOperations: every refusal goes through the protocol's reject hook (never a 5xx from bad
// input), parameters are coerced to their kinds, and simulator faults behave as documented.
import fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { OperationDescriptor } from "../src/http/operation.js";
import {
  freeLoopbackPort,
  listenUrl,
  mountOperations,
  parseFaultHeader,
  type RejectReason,
  type Reply,
} from "../src/server/index.js";
import type { ValidationIssue } from "../src/validation/issues.js";

const createItem: OperationDescriptor = {
  id: "createItem",
  method: "POST",
  path: "/shops/{shop}/items",
  params: [
    { name: "shop", in: "path", required: true, kind: "integer" },
    { name: "dry_run", in: "query", required: false, kind: "boolean" },
    { name: "Api-Version", in: "header", required: true, fixed: "3.0" },
  ],
  body: {
    contentTypes: ["application/json", "application/x-www-form-urlencoded"],
    encoding: "json",
    message: "Item",
    required: true,
  },
  responses: [
    { status: 201, error: false, contentType: "application/json", encoding: "json", message: "Item" },
    { status: 400, error: true, contentType: "application/json", encoding: "json", message: "Problem" },
  ],
  safe: false,
};

const reject = (reason: RejectReason): Reply => {
  const status = {
    invalid: 400,
    unauthorized: 401,
    "not-found": 404,
    "too-large": 413,
    "unsupported-media-type": 415,
    internal: 500,
  }[reason.kind];
  return {
    status,
    body: { kind: reason.kind, issues: reason.kind === "invalid" ? reason.issues.map((i) => i.path) : [] },
  };
};
const validate = (_m: string, v: unknown): ValidationIssue[] =>
  typeof (v as { name?: unknown })?.name === "string"
    ? []
    : [{ path: "/name", message: "must be string", keyword: "type" }];

let app: FastifyInstance;
let committed: unknown[] = [];
async function start(extra: Record<string, unknown> = {}) {
  committed = [];
  app = fastify();
  await app.register(async (scope) =>
    mountOperations(
      scope,
      [createItem],
      {
        createItem: (input, ctx) => {
          committed.push({ ...input });
          return { status: 201, body: { ...(input.body as object), faults: ctx.faults } };
        },
      },
      { reject, validate, bodyLimit: 1024, ...extra },
    ),
  );
  await app.ready();
}
afterEach(() => app?.close());

const post = (body: string, headers: Record<string, string> = {}, url = "/shops/7/items?dry_run=true") =>
  app.inject({
    method: "POST",
    url,
    payload: body,
    headers: { "content-type": "application/json", "api-version": "3.0", ...headers },
  });

describe("mountOperations", () => {
  it("passes validated input with parameters coerced to their kinds", async () => {
    await start();
    const res = await post('{"name":"tea"}');
    expect(res.statusCode).toBe(201);
    expect(committed).toEqual([{ shop: 7, dry_run: true, "Api-Version": "3.0", body: { name: "tea" } }]);
  });

  it.each([
    ["a body that fails its validator", '{"name":1}', {}, "/shops/7/items", 400, ["/body/name"]],
    ["malformed JSON", '{"name":', {}, "/shops/7/items", 400, ["/body"]],
    ["a __proto__ key", '{"__proto__":{"x":1},"name":"a"}', {}, "/shops/7/items", 400, ["/body"]],
    ["a non-integer path parameter", '{"name":"a"}', {}, "/shops/seven/items", 400, ["/shop"]],
    ["a wrong fixed header", '{"name":"a"}', { "api-version": "2.0" }, "/shops/7/items", 400, ["/Api-Version"]],
  ])("answers %s through reject, not a 5xx", async (_what, body, headers, url, status, paths) => {
    await start();
    const res = await post(body, headers, url);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ kind: "invalid", issues: paths });
    expect(committed).toEqual([]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("answers an unsupported media type 415 in the protocol's shape", async () => {
    await start();
    const res = await post("name=a", { "content-type": "text/csv" });
    expect(res.statusCode).toBe(415);
    expect(res.json().kind).toBe("unsupported-media-type");
  });

  it("answers a body over the limit 413 in the protocol's shape", async () => {
    await start();
    const res = await post(JSON.stringify({ name: "x".repeat(4096) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().kind).toBe("too-large");
  });

  it("does not answer HEAD for a GET route (a GET may be an action)", async () => {
    app = fastify();
    let calls = 0;
    const reset: OperationDescriptor = {
      id: "reset",
      method: "GET",
      path: "/reset",
      params: [],
      responses: [{ status: 200, error: false, encoding: "none" }],
      safe: true,
    };
    await app.register(async (scope) =>
      mountOperations(
        scope,
        [reset],
        {
          reset: () => {
            calls++;
            return { status: 200 };
          },
        },
        { reject, validate },
      ),
    );
    const res = await app.inject({ method: "HEAD", url: "/reset" });
    expect(res.statusCode).toBe(404);
    expect(calls).toBe(0);
  });

  it("answers an unknown route 404 in the protocol's shape", async () => {
    await start();
    const res = await app.inject({ method: "GET", url: "/nowhere" });
    expect(res.statusCode).toBe(404);
    expect(res.json().kind).toBe("not-found");
  });

  it("answers a reply no response describes in the protocol's error encoding", async () => {
    await start({
      errorEncoding: { contentType: "text/html", encoding: "kv" },
      reject: () => ({ status: 404, body: { type: "error", "error-message": "no such path" } }),
    });
    const res = await app.inject({ method: "GET", url: "/nowhere" });
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body).toBe("type=error\n&error-message=no+such+path\n");
  });

  it("falls back to JSON for a refusal its wire form cannot carry, never a 5xx", async () => {
    // An operation whose only declared answer is XML, and a refusal holding a NUL:
    const xmlOp: OperationDescriptor = {
      ...createItem,
      id: "x",
      path: "/xml",
      responses: [
        {
          status: 400,
          error: true,
          contentType: "application/xml",
          encoding: "xml",
          message: "M",
          xmlRoot: "Response",
        },
      ],
    };
    const app2 = fastify();
    await app2.register(async (scope) =>
      mountOperations(
        scope,
        [xmlOp],
        { x: () => ({ status: 201 }) },
        {
          reject: () => ({ status: 400, body: { Response: { AdditionalResponse: "bad \u0000" } } }),
          validate: () => [{ path: "", message: "no", keyword: "x" }],
          xmlShapes: { M: { attributes: { AdditionalResponse: "string" } } },
        },
      ),
    );
    const res = await app2.inject({
      method: "POST",
      url: "/xml",
      payload: '{"name":"a"}',
      headers: { "content-type": "application/json", "api-version": "3.0" },
    });
    await app2.close();
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toContain("application/json");
  });

  it("turns a handler crash into the protocol's internal error, without the message", async () => {
    app = fastify({ logger: false });
    await app.register(async (scope) =>
      mountOperations(
        scope,
        [createItem],
        {
          createItem: () => {
            throw new Error("secret detail sk_test_123");
          },
        },
        { reject, validate },
      ),
    );
    const res = await post('{"name":"a"}');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("sk_test_123");
  });
});

describe("faults", () => {
  it("parses the Payspec-Fault header and reports unknown words", () => {
    expect(parseFaultHeader("latency=250, drop-after-commit; busy")).toEqual({
      plan: { latencyMs: 250, dropAfterCommit: true, busy: true },
      unknown: [],
    });
    expect(parseFaultHeader("explode").unknown).toEqual(["explode"]);
  });

  it("hands protocol faults to the handler", async () => {
    await start({ faults: { decline: true } });
    const res = await post('{"name":"a"}', { "payspec-fault": "busy" });
    expect(res.json().faults).toEqual({ decline: true, busy: true });
  });

  it("refuses an unknown fault word", async () => {
    await start({ faults: {} });
    const res = await post('{"name":"a"}', { "payspec-fault": "meteor" });
    expect(res.statusCode).toBe(400);
  });

  it("reset: the connection drops before anything commits", async () => {
    await start({ faults: {} });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/shops/7/items`;
    const call = fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "api-version": "3.0", "payspec-fault": "reset" },
      body: '{"name":"a"}',
    });
    await expect(call).rejects.toThrow();
    expect(committed).toEqual([]);
  });

  it("drop-after-commit: the handler commits, the answer never arrives", async () => {
    await start({ faults: {} });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/shops/7/items`;
    const call = fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "api-version": "3.0", "payspec-fault": "drop-after-commit" },
      body: '{"name":"a"}',
    });
    await expect(call).rejects.toThrow();
    expect(committed).toHaveLength(1);
  });
});

describe("listenUrl", () => {
  it("gives the bound loopback URL for port 0", async () => {
    const local = fastify();
    const url = await listenUrl(local);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toMatch(/:0$/);
    } finally {
      await local.close();
    }
  });
});

describe("freeLoopbackPort", () => {
  it("gives a port a server can then bind on 127.0.0.1", async () => {
    const port = await freeLoopbackPort();
    expect(port).toBeGreaterThan(0);
    const local = fastify();
    try {
      expect(await listenUrl(local, { port })).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await local.close();
    }
  });
});
