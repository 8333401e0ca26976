import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOperations, readOperations } from "../src/openapi.js";
import { PROTOCOL_DOCS, PROTOCOL_NAMES } from "../src/protocols.js";
import { contentTypeOf, type RunningDocs, resolveSitePath, serveDocs } from "../src/server.js";
import { type BuiltSite, buildSite, escapeHtml } from "../src/site.js";

let work: string;
let site: BuiltSite;
let docs: RunningDocs;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "payspec-docs-site-"));
  site = await buildSite(join(work, "site"));
  docs = await serveDocs({ root: site.outDir, port: 0, build: false });
}, 120_000);

afterAll(async () => {
  await docs?.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** A raw GET: the path goes on the wire as written (no URL normalisation of `..`). */
function get(path: string, method = "GET"): Promise<{ status: number; type: string | undefined; body: string }> {
  const url = new URL(docs.url);
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolvePromise({
          status: res.statusCode ?? 0,
          type: res.headers["content-type"],
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("buildSite", () => {
  it("writes an index page and an overview and a reference page per protocol", async () => {
    expect(site.pages).toEqual([
      "index.html",
      ...PROTOCOL_NAMES.flatMap((p) => [`${p}/index.html`, `${p}/reference.html`]),
    ]);
    for (const page of site.pages) expect((await stat(join(site.outDir, page))).isFile()).toBe(true);
  });

  it("counts every operation of each committed OpenAPI document", async () => {
    for (const protocol of PROTOCOL_NAMES) {
      const { operations } = await readOperations(protocol);
      expect(site.operations[protocol]).toBe(operations.length);
      expect(operations.length).toBeGreaterThan(0);
    }
  });

  it("bundles the renderers (no CDN): every script and stylesheet is a local file of the site", async () => {
    const pages = await htmlFiles(site.outDir);
    expect(pages.length).toBe(site.pages.length);
    for (const page of pages) {
      const html = await readFile(page, "utf8");
      for (const match of html.matchAll(/<(?:script|link|img)\b[^>]*?\b(?:src|href)="([^"]+)"/g)) {
        const ref = match[1]!;
        expect(ref, `${page}: ${ref}`).not.toMatch(/^(?:[a-z]+:)?\/\//i);
        const target = resolve(join(page, ".."), ref);
        expect((await stat(target)).isFile(), `${page}: ${ref} exists`).toBe(true);
      }
    }
    expect((await stat(join(site.outDir, "assets", "scalar.js"))).size).toBeGreaterThan(100_000);
    expect((await stat(join(site.outDir, "assets", "mermaid.min.js"))).size).toBeGreaterThan(100_000);
  });

  it("embeds the spec in the reference page with offline Scalar options", async () => {
    const html = await readFile(join(site.outDir, "nexo", "reference.html"), "utf8");
    expect(html).toContain('"withDefaultFonts":false');
    expect(html).toContain('"telemetry":false');
    const json = /<script id="payspec-openapi" type="application\/json">([^<]*)<\/script>/.exec(html);
    expect(json).not.toBeNull();
    const spec = JSON.parse(json![1]!) as { openapi: string };
    expect(spec.openapi).toMatch(/^3\./);
  });

  it("puts each flow of the protocol on its overview page as a mermaid sequence diagram", async () => {
    for (const protocol of PROTOCOL_NAMES) {
      const html = await readFile(join(site.outDir, protocol, "index.html"), "utf8");
      const diagrams = [...html.matchAll(/<pre class="mermaid">\n([\s\S]*?)\n<\/pre>/g)].map((m) => m[1]);
      expect(diagrams).toEqual(PROTOCOL_DOCS[protocol].flows.map((flow) => escapeHtml(flow.diagram)));
      for (const diagram of diagrams) expect(diagram).toMatch(/^sequenceDiagram\n/);
      expect(html).toContain(`npm install @payspec/${protocol}-client`);
    }
  });
});

describe("listOperations", () => {
  it("reads operationId, method, path and summary of every operation in document order", () => {
    const info = listOperations(`openapi: 3.1.0
info: { title: T, version: "1" }
paths:
  /a:
    get: { operationId: getA, summary: Get A, tags: [x] }
    post: { operationId: postA }
  /b/{id}:
    parameters: []
    delete: { summary: Delete B }
`);
    expect(info).toEqual({
      title: "T",
      version: "1",
      operations: [
        { operationId: "getA", method: "GET", path: "/a", summary: "Get A", tags: ["x"] },
        { operationId: "postA", method: "POST", path: "/a", summary: undefined, tags: [] },
        { operationId: undefined, method: "DELETE", path: "/b/{id}", summary: "Delete B", tags: [] },
      ],
    });
  });
});

describe("serveDocs", () => {
  it("serves pages, scripts and the spec with their content types", async () => {
    const index = await get("/");
    expect(index.status).toBe(200);
    expect(index.type).toBe("text/html; charset=utf-8");
    expect(index.body).toContain("Payspec protocol reference");
    expect((await get("/nexo/")).body).toContain("nexo Retailer");
    expect((await get("/assets/overview.js")).type).toBe("text/javascript; charset=utf-8");
    expect((await get("/assets/site.css")).type).toBe("text/css; charset=utf-8");
    expect((await get("/wepay/openapi.yaml")).type).toBe("application/yaml; charset=utf-8");
    expect((await get("/index.html?x=1#y")).status).toBe(200);
  });

  it("refuses paths that leave the site directory", async () => {
    for (const path of [
      "/../package.json",
      "/%2e%2e/package.json",
      "/assets/..%2f..%2fpackage.json",
      "/assets/%2e%2e/%2e%2e/package.json",
      "/..%5cpackage.json",
      "/index.html%00.png",
      "/%E0%A4%A",
    ]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(403);
      expect(answer.body, path).not.toContain('"name"');
    }
  });

  it("answers 404 for a missing file and 405 for methods other than GET and HEAD", async () => {
    expect((await get("/nope.html")).status).toBe(404);
    expect((await get("/index.html", "POST")).status).toBe(405);
    const head = await get("/index.html", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("resolveSitePath keeps every resolved path inside root", () => {
    expect(resolveSitePath("/srv/site", "/a/b.html")).toBe("/srv/site/a/b.html");
    expect(resolveSitePath("/srv/site", "/a/")).toBe("/srv/site/a/index.html");
    expect(resolveSitePath("/srv/site", "/../site2/x")).toBeUndefined();
    expect(resolveSitePath("/srv/site", "relative")).toBeUndefined();
  });

  it("content types follow the extension", () => {
    expect(contentTypeOf("a.HTML")).toBe("text/html; charset=utf-8");
    expect(contentTypeOf("a.md")).toBe("text/markdown; charset=utf-8");
    expect(contentTypeOf("a.bin")).toBe("application/octet-stream");
  });
});

async function htmlFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await htmlFiles(path)));
    else if (entry.name.endsWith(".html")) found.push(path);
  }
  return found.sort();
}
