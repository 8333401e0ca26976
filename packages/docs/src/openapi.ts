/** Reads the committed OpenAPI documents (specs/openapi/<protocol>/openapi.yaml). */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { ProtocolName } from "./protocols.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export interface OperationInfo {
  readonly operationId: string | undefined;
  /** Upper case: GET, POST, … */
  readonly method: string;
  readonly path: string;
  readonly summary: string | undefined;
  readonly tags: readonly string[];
}

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly operations: readonly OperationInfo[];
}

/** specs/openapi in the workspace this package sits in. */
export function openApiDir(): string {
  // src/openapi.ts and dist/openapi.js are both two levels under packages/docs.
  return fileURLToPath(new URL("../../../specs/openapi/", import.meta.url));
}

export function openApiPath(protocol: ProtocolName, dir: string = openApiDir()): string {
  return `${dir.replace(/\/$/, "")}/${protocol}/openapi.yaml`;
}

/** Every operation of an OpenAPI document, in document order (paths, then methods). */
export function listOperations(yamlText: string): OpenApiInfo {
  const doc = parse(yamlText) as unknown;
  if (!isRecord(doc)) throw new Error("OpenAPI document is not a mapping");
  const info = isRecord(doc.info) ? doc.info : {};
  const operations: OperationInfo[] = [];
  const paths = isRecord(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isRecord(op)) continue;
      operations.push({
        operationId: typeof op.operationId === "string" ? op.operationId : undefined,
        method: method.toUpperCase(),
        path,
        summary: typeof op.summary === "string" ? op.summary : undefined,
        tags: Array.isArray(op.tags) ? op.tags.filter((tag): tag is string => typeof tag === "string") : [],
      });
    }
  }
  return {
    title: typeof info.title === "string" ? info.title : "",
    version: typeof info.version === "string" ? info.version : "",
    operations,
  };
}

export async function readOperations(protocol: ProtocolName, dir?: string): Promise<OpenApiInfo> {
  return listOperations(await readFile(openApiPath(protocol, dir), "utf8"));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
