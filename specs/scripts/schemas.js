// @ts-check
/** Loads the committed contract of a protocol: its OpenAPI document and JSON Schema bundle. */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const specsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** @param {string} id @param {string} [root] */
export function loadOpenApi(id, root = join(specsDir, "openapi")) {
  return parse(readFileSync(join(root, id, "openapi.yaml"), "utf8"));
}

/** @param {string} id @param {string} [root] @returns {{ $id: string, $defs: Record<string, any> }} */
export function loadSchemaBundle(id, root = join(specsDir, "openapi")) {
  return JSON.parse(readFileSync(join(root, id, `${id}.schema.json`), "utf8"));
}
