/**
 * What coverage is measured against: the OpenAPI operations of `specs/openapi/<p>/openapi.yaml`
 * and the messages (`$defs`) of the JSON Schema bundle `<p>.schema.json` (the validators package
 * ships the same bundle as `schemaBundle`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { OperationDescriptor } from "@payspec/runtime";
import { parse } from "yaml";
import type { ProtocolName } from "./scenario.js";

export interface SpecOperation {
  /** OpenAPI operationId */
  operationId: string;
  method: string;
  path: string;
  /** descriptor ids of the generated table that serve this OpenAPI operation */
  descriptors: string[];
}

export interface SpecIndex {
  protocol: ProtocolName;
  operations: SpecOperation[];
  messages: string[];
  /** message → messages it references, transitively (itself excluded) */
  references: Map<string, Set<string>>;
  /** where the OpenAPI was read from (undefined: the descriptor table stood in for it) */
  openapiFile?: string;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
const shape = (path: string) => path.replace(/\{[^}]+\}/g, "{}");

/** `specs/openapi` of the repository this package sits in, when there is one. */
export function defaultSpecDir(): string | undefined {
  for (const rel of ["../../specs/openapi/", "../specs/openapi/"]) {
    const dir = new URL(rel, import.meta.url).pathname;
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

function collectRefs(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) for (const n of node) collectRefs(n, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") {
        const name = v
          .replace(/^.*\//, "")
          .replace(/\.json$/, "")
          .replace(/^#\/\$defs\//, "");
        out.add(name);
      } else collectRefs(v, out);
    }
  }
}

/** Builds the index from the schema bundle, the descriptor table and (when found) the OpenAPI file. */
export function loadSpec(
  protocol: ProtocolName,
  bundle: { $defs?: Record<string, unknown> },
  descriptors: Readonly<Record<string, OperationDescriptor>>,
  specDir: string | undefined = defaultSpecDir(),
): SpecIndex {
  const defs = bundle.$defs ?? {};
  const messages = Object.keys(defs).sort();
  const direct = new Map<string, Set<string>>();
  for (const m of messages) {
    const refs = new Set<string>();
    collectRefs(defs[m], refs);
    refs.delete(m);
    direct.set(m, refs);
  }
  const references = new Map<string, Set<string>>();
  for (const m of messages) {
    const seen = new Set<string>();
    const stack = [...(direct.get(m) ?? [])];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n) || n === m) continue;
      seen.add(n);
      stack.push(...(direct.get(n) ?? []));
    }
    references.set(m, seen);
  }
  const byShape = new Map<string, string[]>();
  for (const d of Object.values(descriptors)) {
    const key = `${d.method} ${shape(d.path)}`;
    byShape.set(key, [...(byShape.get(key) ?? []), d.id]);
  }
  const operations: SpecOperation[] = [];
  const file = specDir ? join(specDir, protocol, "openapi.yaml") : undefined;
  if (file && existsSync(file)) {
    const doc = parse(readFileSync(file, "utf8")) as {
      paths?: Record<string, Record<string, { operationId?: string }>>;
    };
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const method of METHODS) {
        const op = item?.[method];
        if (!op) continue;
        const upper = method.toUpperCase();
        operations.push({
          operationId: op.operationId ?? `${upper} ${path}`,
          method: upper,
          path,
          descriptors: byShape.get(`${upper} ${shape(path)}`) ?? [],
        });
      }
    }
    return { protocol, operations, messages, references, openapiFile: file };
  }
  for (const d of Object.values(descriptors))
    operations.push({ operationId: d.id, method: d.method, path: d.path, descriptors: [d.id] });
  return { protocol, operations, messages, references };
}
