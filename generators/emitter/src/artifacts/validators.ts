/**
 * Emits @payspec/<protocol>-validators: ajv standalone code compiled here, at build time, from
 * the JSON Schema bundle that @typespec/json-schema emitted for the same program, plus one
 * typed validator per declaration. Messages marked @Payspec.Wire.inbound also get a lenient
 * twin (closed enums opened) so an unknown enum value from a vendor is a warning, not an error.
 */
import { readFileSync } from "node:fs";
import { join as joinPath } from "node:path";
import type { Program } from "@typespec/compiler";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { doc, header, id, join, lit, raw, ts } from "../core/code.js";
import { collectDeclarations, payspecExtensions } from "../core/declarations.js";
import { collectOperations, type OperationInfo } from "./operations.js";
import type { EmittedFile } from "./types.js";

type Schema = Record<string, unknown>;
interface Bundle {
  $defs: Record<string, Schema>;
}

const lenientPrefix = "lenient/";

/** A copy of a schema with every closed enum opened to its base type. */
export function openEnums(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openEnums);
  if (!node || typeof node !== "object") return node;
  const s = node as Schema;
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0 && s.anyOf.every((b) => isConstBranch(b))) {
    const { anyOf: _anyOf, ...rest } = s;
    return openEnums({ ...rest, type: constType(s.anyOf as Schema[]) });
  }
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === "enum" || k === "const") continue;
    out[k] = openEnums(v);
  }
  if (("enum" in s || "const" in s) && !("type" in s)) out.type = constType([s]);
  return out;
}

function isConstBranch(b: unknown): boolean {
  return !!b && typeof b === "object" && ("const" in (b as Schema) || "enum" in (b as Schema));
}

function constType(branches: Schema[]): string | string[] {
  const types = new Set<string>();
  for (const b of branches) {
    const values = "const" in b ? [b.const] : ((b.enum as unknown[]) ?? []);
    for (const v of values) types.add(v === null ? "null" : typeof v);
  }
  const list = [...types].sort();
  return list.length === 1 ? (list[0] as string) : list;
}

function extensionKeywords(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) extensionKeywords(n, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith("x-")) out.add(k);
      else extensionKeywords(v, out);
    }
  }
  return out;
}

/**
 * ajv's standalone output keeps CommonJS `require("…")` calls for its runtime helpers even in
 * ESM mode (ajv#2209). A module-level `require` from `createRequire` serves them: plain Node
 * and bundlers' CommonJS interop then agree on what `require(...).default` is (a default
 * import would not: Node gives `module.exports`, vite/vitest give `exports.default`).
 */
export function esmRequires(code: string): string {
  if (!code.includes("require(")) return code;
  return `import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\n${code}`;
}

/** OpenAPI component refs → bundle schema ids (`#/components/schemas/X` → `X.json`); OpenAPI-only keys dropped. */
function toBundleRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toBundleRefs);
  if (!node || typeof node !== "object") return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")) out[k] = `${v.slice(21)}.json`;
    else if (k !== "example" && k !== "examples" && k !== "xml" && k !== "discriminator") out[k] = toBundleRefs(v);
  }
  return out;
}

/**
 * One object schema per operation for its path, query and header parameters, from the emitted
 * OpenAPI (the JSON Schema bundle has models only): what the server checks before a handler runs.
 * Fixed values and Content-Type are checked by the runtime itself.
 */
/** The parts of an OpenAPI document read here (its parameters and their schemas). */
interface OpenApiDoc {
  paths?: Record<string, Record<string, { parameters?: OpenApiParameter[] }>>;
  components?: { parameters?: Record<string, OpenApiParameter> };
}
interface OpenApiParameter {
  $ref?: string;
  name?: string;
  in?: string;
  required?: boolean;
  schema?: unknown;
}

export function parameterSchemas(openapi: OpenApiDoc, ops: OperationInfo[]): Map<string, Schema> {
  const out = new Map<string, Schema>();
  for (const op of ops) {
    const oa = openapi.paths?.[op.path]?.[op.method.toLowerCase()];
    if (!oa) continue;
    const properties: Schema = {};
    const required: string[] = [];
    for (const ref of oa.parameters ?? []) {
      const p = typeof ref.$ref === "string" ? openapi.components?.parameters?.[ref.$ref.split("/").pop() ?? ""] : ref;
      const mine = op.params.find((x) => x.name === p?.name && x.in === p?.in);
      if (!p?.schema || !p.name || !mine || mine.fixed !== undefined || p.name.toLowerCase() === "content-type")
        continue;
      properties[p.name] = toBundleRefs(p.schema);
      if (p.required) required.push(p.name);
    }
    if (Object.keys(properties).length === 0) continue;
    out.set(op.id, {
      $id: `params-${op.id}.json`,
      type: "object",
      properties,
      ...(required.length ? { required } : {}),
    });
  }
  return out;
}

/** An ajv for standalone code with every schema of the bundle added; `coerce` for form bodies. */
function createAjv(bundle: Bundle, coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    // Shared sub-schemas stay functions of their own: nexo's nested messages would otherwise be
    // inlined into every envelope that holds them.
    inlineRefs: false,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    ...(coerce ? { coerceTypes: "array" as const } : {}),
    code: { source: true, esm: true, lines: false, optimize: true },
  });
  addFormats.default(ajv);
  // Extension keywords (`x-payspec-*`, vendor notes like `x-nexo-xml-list`) are annotations.
  ajv.addVocabulary([...extensionKeywords(bundle)].sort());
  for (const def of Object.values(bundle.$defs)) ajv.addSchema(def);
  return ajv;
}

export function loadBundle(schemaDir: string, protocol: string): Bundle {
  return JSON.parse(readFileSync(joinPath(schemaDir, protocol, `${protocol}.schema.json`), "utf8")) as Bundle;
}

export function emitValidators(program: Program, protocol: string, schemaDir: string): EmittedFile[] {
  const bundle = loadBundle(schemaDir, protocol);
  const declarations = collectDeclarations(program).filter((d) => d.name in bundle.$defs);
  const ajv = createAjv(bundle, false);
  // A union whose members are all inbound messages (Payneteasy's answer unions) is inbound too.
  const isInbound = (t: import("@typespec/compiler").Type): boolean =>
    payspecExtensions(program, t).inbound === true ||
    (t.kind === "Union" && t.variants.size > 0 && [...t.variants.values()].every((v) => isInbound(v.type)));
  const inbound = new Set(declarations.filter((d) => isInbound(d.type)).map((d) => d.name));
  for (const [name, def] of Object.entries(bundle.$defs)) {
    if (inbound.size === 0) break;
    ajv.addSchema({ ...(openEnums(def) as Schema), $id: `${lenientPrefix}${name}.json` });
  }
  const openapi = parse(readFileSync(joinPath(schemaDir, protocol, "openapi.yaml"), "utf8")) as OpenApiDoc;
  const ops = collectOperations(program);
  const params = parameterSchemas(openapi, ops);
  for (const schema of params.values()) ajv.addSchema(schema);
  const mapping: Record<string, string> = {};
  for (const opId of params.keys()) mapping[`p_${opId}`] = `params-${opId}.json`;
  for (const d of declarations) {
    mapping[`v_${d.name}`] = `${d.name}.json`;
    if (inbound.has(d.name)) mapping[`l_${d.name}`] = `${lenientPrefix}${d.name}.json`;
  }
  const standalone = esmRequires(standaloneCode.default(ajv, mapping));
  const files: EmittedFile[] = [
    {
      path: "standalone.gen.ts",
      content: `${header("validators")}// @ts-nocheck -- ajv standalone output, compiled from specs/openapi/${protocol}/${protocol}.schema.json\n${standalone}\n`,
    },
    {
      path: "schema.gen.ts",
      content: `${header("validators")}/** The JSON Schema (draft 2020-12) bundle every validator here was compiled from. */\nexport const schemaBundle = ${JSON.stringify(bundle, null, 2)} as const;\n`,
    },
  ];
  // A form body's leaves are all text (`amount=1000`): its validator coerces them by the schema
  // (ajv coerceTypes, in place) so the handler gets the integers and booleans the message declares.
  const formMessages = [
    ...new Set(ops.flatMap((op) => (op.body?.encoding === "form" ? [op.body.message] : []))),
  ].sort();
  if (formMessages.length > 0) {
    const coercing = createAjv(bundle, true);
    const formMapping = Object.fromEntries(formMessages.map((m) => [`f_${m}`, `${m}.json`]));
    files.push({
      path: "standalone-form.gen.ts",
      content: `${header("validators")}// @ts-nocheck -- ajv standalone output (coerceTypes), compiled from specs/openapi/${protocol}/${protocol}.schema.json\n${esmRequires(standaloneCode.default(coercing, formMapping))}\n`,
    });
  }
  const formEntries = formMessages.map((m) => ts`  ${id(m)}: createValidator<unknown>(${id(`f_${m}`)}),`);
  files.push({
    path: "form.gen.ts",
    content: ts`${raw(header("validators"))}import { type Validator, createValidator } from "@payspec/runtime";
${
  formMessages.length
    ? ts`import { ${join(
        formMessages.map((m) => id(`f_${m}`)),
        ", ",
      )} } from "./standalone-form.gen.js";\n`
    : raw("")
}
/**
 * Validators of the messages that travel form-encoded, by name. They coerce text leaves to the
 * schema's types in place (\`"1000"\` → 1000, \`"true"\` → true) before checking.
 */
export const formValidators: Readonly<Record<string, Validator<unknown>>> = {
${formEntries}
};
`.text,
  });
  const paramEntries = [...params.keys()]
    .sort()
    .map((opId) => ts`  ${id(opId)}: createValidator<Record<string, unknown>>(${id(`p_${opId}`)}),`);
  files.push({
    path: "params.gen.ts",
    content: ts`${raw(header("validators"))}import { type Validator, createValidator } from "@payspec/runtime";
${
  paramEntries.length
    ? ts`import { ${join(
        [...params.keys()].sort().map((opId) => id(`p_${opId}`)),
        ", ",
      )} } from "./standalone.gen.js";
`
    : raw("")
}
/** Path, query and header parameters of each operation, by operation id (wire names as keys). */
export const parameterValidators: Readonly<Record<string, Validator<Record<string, unknown>>>> = {
${paramEntries}
};
`.text,
  });
  const typesPkg = `@payspec/${protocol}-types`;
  for (const d of declarations) {
    const name = id(d.name);
    const fn = id(`validate${d.name}`);
    const lenient = inbound.has(d.name) ? ts`, ${id(`l_${d.name}`)}` : raw("");
    const imports = inbound.has(d.name) ? ts`${id(`v_${d.name}`)}, ${id(`l_${d.name}`)}` : ts`${id(`v_${d.name}`)}`;
    const note = inbound.has(d.name)
      ? " Sent by the terminal or vendor: an unknown enum value is accepted with a warning."
      : "";
    const content = ts`${raw(header("validators"))}import type { ${name} } from ${lit(typesPkg)};
import { type Validator, createValidator } from "@payspec/runtime";
import { ${imports} } from "../standalone.gen.js";

${doc(`Validates a ${d.name} (type guard; issues of the last call in \`.errors\`).${note}`)}export const ${fn}: Validator<${name}> = createValidator<${name}>(${id(`v_${d.name}`)}${lenient});
`;
    files.push({ path: `validators/${d.name}.gen.ts`, content: content.text });
  }
  const barrel = declarations
    .map((d) => d.name)
    .sort()
    .map((n) => ts`export { ${id(`validate${n}`)} } from ${lit(`./validators/${n}.gen.js`)};`);
  files.push({
    path: "index.gen.ts",
    content:
      ts`${raw(header("validators"))}${barrel}\nexport { schemaBundle } from "./schema.gen.js";\nexport { parameterValidators } from "./params.gen.js";\nexport { formValidators } from "./form.gen.js";\n`
        .text,
  });
  return files;
}
