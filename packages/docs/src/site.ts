/**
 * Builds the static reference site: an index page, and per protocol an overview page (flows as
 * mermaid sequence diagrams, auth, sandbox vs simulator, packages) and a Scalar reference page.
 * Everything the pages load is copied into the site: it works offline, from any static server.
 */
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { listOperations, type OpenApiInfo, openApiPath } from "./openapi.js";
import { PACKAGE_ROLES, PROTOCOL_DOCS, PROTOCOL_NAMES, type ProtocolDoc, type ProtocolName } from "./protocols.js";

export interface BuildSiteOptions {
  /** specs/openapi of the workspace (default: the one beside this package). */
  readonly openApiDir?: string;
  /** packages/ of the workspace, for the package READMEs (default: the one this package sits in). */
  readonly packagesDir?: string;
}

export interface BuiltSite {
  readonly outDir: string;
  /** Site-relative paths of every page written. */
  readonly pages: readonly string[];
  readonly operations: Readonly<Record<ProtocolName, number>>;
}

/** Where `build` writes the site and `serveDocs` serves it from. */
export function defaultSiteDir(): string {
  return fileURLToPath(new URL("../dist/site/", import.meta.url));
}

const require = createRequire(import.meta.url);

/** The renderers' standalone browser bundles, from node_modules. */
function assetSources(): { scalar: string; mermaid: string } {
  const scalarEntry = require.resolve("@scalar/api-reference");
  return {
    scalar: join(dirname(scalarEntry), "browser", "standalone.js"),
    mermaid: require.resolve("mermaid/dist/mermaid.min.js"),
  };
}

export async function buildSite(outDir: string = defaultSiteDir(), options: BuildSiteOptions = {}): Promise<BuiltSite> {
  const packagesDir = options.packagesDir ?? fileURLToPath(new URL("../../", import.meta.url));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, "assets"), { recursive: true });
  const sources = assetSources();
  await copyFile(sources.scalar, join(outDir, "assets", "scalar.js"));
  await copyFile(sources.mermaid, join(outDir, "assets", "mermaid.min.js"));
  await writeFile(join(outDir, "assets", "site.css"), SITE_CSS);
  await writeFile(join(outDir, "assets", "overview.js"), OVERVIEW_JS);

  const pages: string[] = [];
  const operations = {} as Record<ProtocolName, number>;
  const infos: Partial<Record<ProtocolName, OpenApiInfo>> = {};
  for (const protocol of PROTOCOL_NAMES) {
    const yamlText = await readFile(openApiPath(protocol, options.openApiDir), "utf8");
    const info = listOperations(yamlText);
    infos[protocol] = info;
    operations[protocol] = info.operations.length;
    const dir = join(outDir, protocol);
    await mkdir(join(dir, "packages"), { recursive: true });
    await writeFile(join(dir, "openapi.yaml"), yamlText);
    const readmes: Record<string, boolean> = {};
    for (const { role } of PACKAGE_ROLES) {
      try {
        const text = await readFile(join(packagesDir, protocol, role, "README.md"), "utf8");
        await writeFile(join(dir, "packages", `${role}.md`), text);
        readmes[role] = true;
      } catch {
        readmes[role] = false;
      }
    }
    await writeFile(join(dir, "index.html"), overviewPage(PROTOCOL_DOCS[protocol], info, readmes));
    await writeFile(join(dir, "reference.html"), referencePage(PROTOCOL_DOCS[protocol], parse(yamlText)));
    pages.push(`${protocol}/index.html`, `${protocol}/reference.html`);
  }
  await writeFile(join(outDir, "index.html"), indexPage(infos as Record<ProtocolName, OpenApiInfo>));
  pages.unshift("index.html");
  return { outDir, pages, operations };
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** JSON for an inline <script>: `</script>` and friends cannot close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

function layout(title: string, root: string, body: string, scripts = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${root}assets/site.css">
</head>
<body>
<header class="top"><a href="${root}index.html">Payspec</a> · ${PROTOCOL_NAMES.map(
    (p) => `<a href="${root}${p}/index.html">${p}</a>`,
  ).join(" · ")}</header>
<main>
${body}
</main>
${scripts}
</body>
</html>
`;
}

function indexPage(infos: Record<ProtocolName, OpenApiInfo>): string {
  const rows = PROTOCOL_NAMES.map((p) => {
    const doc = PROTOCOL_DOCS[p];
    return `<li data-protocol="${p}"><h2><a href="${p}/index.html">${escapeHtml(doc.title)}</a></h2>
<p>${escapeHtml(doc.summary)}</p>
<p><a href="${p}/index.html">Overview</a> · <a href="${p}/reference.html">API reference</a> (${infos[p].operations.length} operations) · <a href="${p}/openapi.yaml">openapi.yaml</a></p></li>`;
  }).join("\n");
  return layout(
    "Payspec protocol reference",
    "",
    `<h1>Payspec protocol reference</h1>
<p>Five payment-terminal protocols, each specified once in TypeSpec. The reference pages are rendered from the committed OpenAPI in <code>specs/openapi</code>.</p>
<ul class="protocols">
${rows}
</ul>`,
  );
}

function paragraphs(items: readonly string[]): string {
  return items.map((text) => `<p>${escapeHtml(text)}</p>`).join("\n");
}

function overviewPage(doc: ProtocolDoc, info: OpenApiInfo, readmes: Record<string, boolean>): string {
  const ops = info.operations
    .map(
      (op) =>
        `<tr data-operation-id="${escapeHtml(op.operationId ?? "")}"><td><code>${op.method}</code></td><td><code>${escapeHtml(op.path)}</code></td><td>${escapeHtml(op.summary ?? "")}</td><td><code>${escapeHtml(op.operationId ?? "")}</code></td></tr>`,
    )
    .join("\n");
  const flows = doc.flows
    .map(
      (flow) => `<section class="flow">
<h3>${escapeHtml(flow.title)}</h3>
<p>${escapeHtml(flow.description)}</p>
<pre class="mermaid">
${escapeHtml(flow.diagram)}
</pre>
</section>`,
    )
    .join("\n");
  const packages = PACKAGE_ROLES.map(({ role, description }) => {
    const name = `@payspec/${doc.name}-${role}`;
    const readme = readmes[role] ? ` · <a href="packages/${role}.md">README</a>` : "";
    return `<li><code>${name}</code>: ${escapeHtml(description)} (<code>packages/${doc.name}/${role}</code>)${readme}<br><code>npm install ${name}</code></li>`;
  }).join("\n");
  return layout(
    `${doc.title} · Payspec`,
    "../",
    `<h1>${escapeHtml(doc.title)}</h1>
<p>${escapeHtml(doc.summary)}</p>
<p><strong>Wire:</strong> ${escapeHtml(doc.encoding)}</p>
<p><a href="reference.html">API reference</a> · <a href="openapi.yaml">openapi.yaml</a> (${escapeHtml(info.title)} ${escapeHtml(info.version)})</p>
<h2 id="flows">Flows</h2>
${flows}
<h2 id="auth">Authentication</h2>
${paragraphs(doc.auth)}
<h2 id="sandbox">Sandbox and simulator</h2>
<h3>Vendor sandbox</h3>
${paragraphs(doc.sandbox)}
<h3>Payspec simulator</h3>
${paragraphs(doc.simulator)}
<h2 id="operations">Operations</h2>
<table class="operations"><thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>operationId</th></tr></thead>
<tbody>
${ops}
</tbody></table>
<h2 id="packages">Packages</h2>
<ul class="packages">
${packages}
</ul>`,
    `<script src="../assets/mermaid.min.js"></script>
<script src="../assets/overview.js"></script>`,
  );
}

/** Scalar options that keep the page offline: no fonts CDN, no telemetry, no hosted client or agent. */
const SCALAR_OPTIONS = {
  telemetry: false,
  withDefaultFonts: false,
  hideClientButton: true,
  showDeveloperTools: "never",
  agent: { disabled: true },
  mcp: { disabled: true },
  defaultOpenAllTags: true,
  showOperationId: true,
  layout: "modern",
} as const;

function referencePage(doc: ProtocolDoc, spec: unknown): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)} · API reference · Payspec</title>
</head>
<body>
<div id="app"></div>
<script id="payspec-openapi" type="application/json">${scriptJson(spec)}</script>
<script src="../assets/scalar.js"></script>
<script>
(function () {
  var spec = JSON.parse(document.getElementById("payspec-openapi").textContent);
  var options = ${scriptJson(SCALAR_OPTIONS)};
  options.content = spec;
  options.onLoaded = function () { document.body.setAttribute("data-reference", "loaded"); };
  Scalar.createApiReference("#app", options);
})();
</script>
</body>
</html>
`;
}

const OVERVIEW_JS = `(function () {
  var body = document.body;
  if (typeof mermaid === "undefined") { body.setAttribute("data-diagrams", "error"); return; }
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
  mermaid.run({ querySelector: "pre.mermaid" }).then(
    function () { body.setAttribute("data-diagrams", "rendered"); },
    function (error) { body.setAttribute("data-diagrams", "error"); body.setAttribute("data-diagram-error", String(error)); }
  );
})();
`;

const SITE_CSS = `body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; line-height: 1.5; }
header.top { padding: 0.6rem 1.5rem; background: #0f2a43; color: #fff; }
header.top a { color: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
code { background: #f1f3f5; padding: 0 0.25rem; border-radius: 3px; }
ul.protocols { list-style: none; padding: 0; }
ul.protocols li { border-bottom: 1px solid #dde1e6; padding-bottom: 0.5rem; }
table.operations { border-collapse: collapse; width: 100%; }
table.operations td, table.operations th { border: 1px solid #dde1e6; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
pre.mermaid { background: #fafbfc; border: 1px solid #dde1e6; padding: 0.5rem; overflow-x: auto; }
ul.packages li { margin-bottom: 0.5rem; }
`;
