#!/usr/bin/env node
// Writes src/zod/<file>.ts: plain zod 4 source mirroring one message of a protocol's JSON Schema
// bundle (specs/openapi/<p>/<p>.schema.json) and everything it references, keyword by keyword,
// so the validators benchmark compares like with like. The output is committed source, as a
// user would write it by hand; rerun this when the spec changes:
//   node scripts/zod-from-schema.mjs nexo PaymentResponse nexo-payment-response
//   node scripts/zod-from-schema.mjs stripe-terminal Reader stripe-reader
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bench = join(dirname(fileURLToPath(import.meta.url)), "..");
const [protocol, root, file] = process.argv.slice(2);
if (!protocol || !root || !file) {
  console.error("usage: zod-from-schema.mjs <protocol> <Message> <file>");
  process.exit(2);
}
const defs = JSON.parse(
  readFileSync(join(bench, "..", "specs", "openapi", protocol, `${protocol}.schema.json`), "utf8"),
).$defs;

const IGNORED = new Set(["$schema", "$id", "description", "examples", "default", "title", "deprecated"]);
const refName = (ref) => ref.replace(/\.json$/, "");

// Closure of the root, dependencies first.
const order = [];
const visiting = new Set();
function visit(name) {
  if (order.includes(name)) return;
  if (visiting.has(name)) throw new Error(`cycle at ${name}: add z.lazy support`);
  visiting.add(name);
  for (const m of JSON.stringify(defs[name]).matchAll(/"\$ref":"([^"]+)"/g)) visit(refName(m[1]));
  visiting.delete(name);
  order.push(name);
}
visit(root);

const STRING_KEYS = ["maxLength", "minLength", "pattern", "format"];

function str(schema) {
  if (schema.const !== undefined) return `z.literal(${JSON.stringify(schema.const)})`;
  if (schema.enum) return `z.enum(${JSON.stringify(schema.enum)})`;
  let out = "z.string()";
  if (schema.format === "date-time") out = "z.iso.datetime({ offset: true })";
  else if (schema.format) throw new Error(`format ${schema.format}`);
  if (schema.minLength !== undefined) out += `.min(${schema.minLength})`;
  if (schema.maxLength !== undefined) out += `.max(${schema.maxLength})`;
  if (schema.pattern !== undefined) out += `.regex(new RegExp(${JSON.stringify(schema.pattern)}))`;
  return out;
}

function num(schema, integer) {
  if (schema.const !== undefined) return `z.literal(${JSON.stringify(schema.const)})`;
  let out = integer ? "z.number().int()" : "z.number()";
  if (schema.minimum !== undefined) out += `.min(${schema.minimum})`;
  if (schema.maximum !== undefined) out += `.max(${schema.maximum})`;
  if (schema.exclusiveMinimum !== undefined) out += `.gt(${schema.exclusiveMinimum})`;
  if (schema.exclusiveMaximum !== undefined) out += `.lt(${schema.exclusiveMaximum})`;
  return out;
}

function check(schema, known) {
  for (const k of Object.keys(schema)) {
    if (IGNORED.has(k) || k.startsWith("x-") || known.includes(k)) continue;
    throw new Error(`unsupported keyword ${k} in ${JSON.stringify(schema).slice(0, 200)}`);
  }
}

function convert(schema) {
  if (schema.$ref) {
    check(schema, ["$ref"]);
    return refName(schema.$ref);
  }
  if (schema.anyOf || schema.oneOf) {
    const members = schema.anyOf ?? schema.oneOf;
    // String keywords beside anyOf apply to the string members only.
    const pushed = Object.fromEntries(STRING_KEYS.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));
    check(schema, ["anyOf", "oneOf", ...STRING_KEYS]);
    const parts = members.map((m) => convert(m.type === "string" ? { ...pushed, ...m } : m));
    return parts.length === 1 ? parts[0] : `z.union([${parts.join(", ")}])`;
  }
  if (Array.isArray(schema.type)) {
    const parts = schema.type.map((t) => convert({ ...schema, type: t }));
    return `z.union([${parts.join(", ")}])`;
  }
  switch (schema.type) {
    case "string":
      check(schema, ["type", "const", "enum", ...STRING_KEYS]);
      return str(schema);
    case "number":
    case "integer":
      check(schema, ["type", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]);
      return num(schema, schema.type === "integer");
    case "boolean":
      check(schema, ["type", "const"]);
      return schema.const !== undefined ? `z.literal(${schema.const})` : "z.boolean()";
    case "null":
      check(schema, ["type"]);
      return "z.null()";
    case "array": {
      check(schema, ["type", "items", "minItems", "maxItems"]);
      let out = `z.array(${schema.items ? convert(schema.items) : "z.unknown()"})`;
      if (schema.minItems !== undefined) out += `.min(${schema.minItems})`;
      if (schema.maxItems !== undefined) out += `.max(${schema.maxItems})`;
      return out;
    }
    case "object": {
      check(schema, ["type", "properties", "required", "additionalProperties", "unevaluatedProperties"]);
      const props = Object.entries(schema.properties ?? {});
      const extra = schema.additionalProperties ?? schema.unevaluatedProperties;
      if (props.length === 0 && extra && typeof extra === "object") return `z.record(z.string(), ${convert(extra)})`;
      const required = new Set(schema.required ?? []);
      const body = props
        .map(([k, v]) => `${JSON.stringify(k)}: ${convert(v)}${required.has(k) ? "" : ".optional()"}`)
        .join(",\n    ");
      if (extra === false) return `z.strictObject({\n    ${body}\n  })`;
      if (extra && typeof extra === "object") return `z.object({\n    ${body}\n  }).catchall(${convert(extra)})`;
      // No additionalProperties in the JSON Schema: other members are allowed (and kept).
      return `z.looseObject({\n    ${body}\n  })`;
    }
    default:
      check(schema, []);
      return "z.unknown()";
  }
}

const lines = [
  `// Zod schemas of ${protocol}'s ${root} and what it references, mirroring`,
  `// specs/openapi/${protocol}/${protocol}.schema.json keyword by keyword (objects keep unknown members,`,
  "// as the JSON Schema allows them). Written by scripts/zod-from-schema.mjs; kept as plain source,",
  "// the zod a user would write by hand. Rerun the script when the spec changes.",
  'import { z } from "zod";',
  "",
];
for (const name of order) {
  lines.push(`export const ${name} = ${convert(defs[name])};`);
  lines.push("");
}
mkdirSync(join(bench, "src", "zod"), { recursive: true });
writeFileSync(join(bench, "src", "zod", `${file}.ts`), lines.join("\n"));
console.log(`src/zod/${file}.ts: ${order.length} schemas`);
