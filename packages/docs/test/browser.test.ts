/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Opens every protocol's pages in headless Chromium (Debian's, driven by playwright-core, kept
 * off the network) and checks that the reference page renders every operation of the committed
 * OpenAPI and that the overview page renders its sequence diagrams. Screenshots: test/.out/.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOperations } from "../src/openapi.js";
import { PROTOCOL_DOCS, PROTOCOL_NAMES } from "../src/protocols.js";
import { type RunningDocs, serveDocs } from "../src/server.js";
import { buildSite } from "../src/site.js";

const CHROMIUM = process.env.PAYSPEC_CHROMIUM ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === "true";
const OUT_DIR = fileURLToPath(new URL("./.out/", import.meta.url));

/** Flags that keep the browser off the network and away from the user's profile. */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  // Every host name fails to resolve except loopback: a CDN reference cannot load by accident.
  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
];

const PAGE_TIMEOUT = 120_000;

it.runIf(IN_CI && !HAVE_CHROMIUM)("chromium is installed in CI (the browser test must not skip there)", () => {
  expect.fail(`no Chromium at ${CHROMIUM}: CI installs Debian's chromium (apt-get install chromium)`);
});

describe.skipIf(!HAVE_CHROMIUM)(
  `docs site in headless Chromium (${HAVE_CHROMIUM ? CHROMIUM : "skipped: no chromium"})`,
  () => {
    let work: string;
    let docs: RunningDocs;
    let context: BrowserContext;
    /** Every request the pages made to a host other than 127.0.0.1 (aborted). */
    const outside: string[] = [];

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), "payspec-docs-browser-"));
      await buildSite(join(work, "site"));
      docs = await serveDocs({ root: join(work, "site"), host: "127.0.0.1", port: 0, build: false });
      await mkdir(OUT_DIR, { recursive: true });
      // launchPersistentContext: a fresh --user-data-dir of our own, deleted afterwards.
      context = await chromium.launchPersistentContext(join(work, "profile"), {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 900 },
        timeout: PAGE_TIMEOUT,
      });
      context.setDefaultTimeout(PAGE_TIMEOUT);
      await context.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:")
          return route.continue();
        outside.push(url.href);
        return route.abort();
      });
    }, 300_000);

    afterAll(async () => {
      await context?.close();
      await docs?.close();
      if (work !== undefined) await rm(work, { recursive: true, force: true });
    });

    for (const protocol of PROTOCOL_NAMES) {
      it(`${protocol}: the reference page renders every operation of specs/openapi/${protocol}/openapi.yaml`, async () => {
        const { operations } = await readOperations(protocol);
        expect(operations.length).toBeGreaterThan(0);
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(String(error)));
        try {
          await page.goto(`${docs.url}${protocol}/reference.html`);
          await page.waitForSelector("body[data-reference=loaded]");
          await page.waitForSelector("[data-sidebar-id]");
          await page.screenshot({ path: join(OUT_DIR, `${protocol}-reference.png`) });
          const sidebarIds = await page.$$eval("[data-sidebar-id]", (items) =>
            items.map((item) => item.getAttribute("data-sidebar-id") ?? ""),
          );
          for (const op of operations) {
            const label = `${op.method} ${op.path} (${op.operationId ?? "no operationId"})`;
            const id = sidebarIds.find((candidate) => candidate.endsWith(`/${op.method}${op.path}`));
            expect(id, `${label} is in the sidebar`).toBeDefined();
            // The content is virtualised: jump to the operation, then read its rendered section.
            await page.evaluate((target) => {
              window.location.hash = target.replace(/^[^/]+\//, "");
            }, id!);
            const handle = await page.waitForFunction((target) => {
              const section = document.getElementById(target);
              return section !== null && (section.textContent ?? "").length > 0 ? section.textContent : false;
            }, id!);
            const text = String(await handle.jsonValue());
            // The section's id is <doc>/tag/<tag>/<METHOD><path>: method and path are the ones of the spec.
            expect(text, `${label}: path`).toContain(op.path);
            if (op.summary !== undefined) expect(text, `${label}: summary`).toContain(op.summary);
            if (op.operationId !== undefined) expect(text, `${label}: operationId`).toContain(op.operationId);
          }
          expect(errors).toEqual([]);
        } finally {
          await page.close();
        }
      }, 300_000);

      it(`${protocol}: the overview page renders its sequence diagrams and lists every operation`, async () => {
        const { operations } = await readOperations(protocol);
        const page = await context.newPage();
        try {
          await page.goto(`${docs.url}${protocol}/index.html`);
          await page.waitForSelector("body[data-diagrams]");
          const state = await page.evaluate(() => ({
            diagrams: document.body.dataset.diagrams,
            error: document.body.dataset.diagramError,
            svgs: document.querySelectorAll("pre.mermaid svg").length,
            operations: [...document.querySelectorAll("tr[data-operation-id]")].map((row) =>
              row.getAttribute("data-operation-id"),
            ),
            headings: [...document.querySelectorAll("h2")].map((h) => h.textContent),
          }));
          expect(state.error).toBeUndefined();
          expect(state.diagrams).toBe("rendered");
          expect(state.svgs).toBe(PROTOCOL_DOCS[protocol].flows.length);
          expect(state.operations).toEqual(operations.map((op) => op.operationId ?? ""));
          expect(state.headings).toEqual([
            "Flows",
            "Authentication",
            "Sandbox and simulator",
            "Operations",
            "Packages",
          ]);
          await page.screenshot({ path: join(OUT_DIR, `${protocol}-overview.png`), fullPage: true });
        } finally {
          await page.close();
        }
      }, 300_000);
    }

    it("the pages load nothing from outside loopback (renderers are bundled, no CDN)", async () => {
      const page = await context.newPage();
      try {
        await page.goto(docs.url);
        await page.screenshot({ path: join(OUT_DIR, "index.png"), fullPage: true });
        const links = await page.$$eval("a[href]", (anchors) => anchors.map((a) => a.getAttribute("href") ?? ""));
        for (const protocol of PROTOCOL_NAMES) {
          expect(links).toContain(`${protocol}/index.html`);
          expect(links).toContain(`${protocol}/reference.html`);
        }
      } finally {
        await page.close();
      }
      expect(outside).toEqual([]);
    }, 300_000);
  },
);
