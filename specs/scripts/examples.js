// @ts-check
/**
 * Collects the example payloads that the specs carry (`@example` on models, `@opExample` on
 * operations) from the emitted OpenAPI, and builds an ajv (draft 2020-12) that validates them
 * against the emitted JSON Schema bundle.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { loadOpenApi, loadSchemaBundle } from "./schemas.js";

/** @typedef {{ where: string, schema: object, value: unknown }} Example */

/** @param {unknown} node @returns {unknown} a copy with OpenAPI component refs turned into bundle refs */
function toBundleRefs(node) {
  if (Array.isArray(node)) return node.map(toBundleRefs);
  if (node && typeof node === "object") {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")) {
        out[k] = `${v.slice("#/components/schemas/".length)}.json`;
      } else if (k !== "examples" && k !== "example" && !k.startsWith("x-") && k !== "xml" && k !== "discriminator") {
        out[k] = toBundleRefs(v);
      }
    }
    return out;
  }
  return node;
}

/** @param {string} id */
export function createValidator(id) {
  const bundle = loadSchemaBundle(id);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  for (const def of Object.values(bundle.$defs)) ajv.addSchema(def);
  return {
    ajv,
    bundle,
    /** @param {string} name model name */
    schemaFor: (name) => ({ $ref: `${name}.json` }),
    /** @param {object} schema @param {unknown} value */
    validate(schema, value) {
      const fn = ajv.compile(/** @type {any} */ (schema));
      const ok = fn(value);
      return { ok, errors: fn.errors ?? [] };
    },
  };
}

/** @param {string} id @returns {Example[]} every example the OpenAPI of `id` carries */
export function collectExamples(id) {
  const doc = loadOpenApi(id);
  /** @type {Example[]} */
  const out = [];
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    const list = /** @type {{ examples?: unknown[] }} */ (schema).examples ?? [];
    for (const [i, value] of list.entries()) {
      out.push({ where: `#/components/schemas/${name}/examples/${i}`, schema: { $ref: `${name}.json` }, value });
    }
  }
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(/** @type {Record<string, any>} */ (item))) {
      if (!op || typeof op !== "object" || !("responses" in op)) continue;
      /** @type {[string, any][]} */
      const bodies = Object.entries(op.requestBody?.content ?? {}).map(([mt, c]) => [`requestBody/${mt}`, c]);
      for (const [code, resp] of Object.entries(op.responses ?? {})) {
        for (const [mt, c] of Object.entries(/** @type {any} */ (resp).content ?? {}))
          bodies.push([`responses/${code}/${mt}`, c]);
      }
      for (const [where, content] of bodies) {
        // An untitled @opExample is emitted as a singular `example`.
        const named = content.example === undefined ? {} : { example: { value: content.example } };
        for (const [k, ex] of Object.entries({ ...named, ...(content.examples ?? {}) })) {
          if (!content.schema || /** @type {any} */ (ex).value === undefined) continue;
          out.push({
            where: `${method.toUpperCase()} ${path} ${where} examples/${k}`,
            schema: /** @type {object} */ (toBundleRefs(content.schema)),
            value: /** @type {any} */ (ex).value,
          });
        }
      }
    }
  }
  return out;
}
