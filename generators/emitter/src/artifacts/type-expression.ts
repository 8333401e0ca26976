/**
 * TypeSpec type → TypeScript type expression, for one generated file. References to other
 * declarations are recorded so the file can import them.
 */
import {
  getDoc,
  isArrayModelType,
  isNeverType,
  type ModelProperty,
  type Program,
  type Scalar,
  type Type,
} from "@typespec/compiler";
import { type Code, doc, id, join, lit, prop, raw, ts } from "../core/code.js";
import { instanceName, isNamedInstance } from "../core/declarations.js";

export interface TypeContext {
  program: Program;
  /** declaration type → its name */
  names: Map<Type, string>;
  /** names this file refers to (filled while mapping) */
  refs: Set<string>;
}

const numeric = new Set([
  "numeric",
  "integer",
  "float",
  "int64",
  "int32",
  "int16",
  "int8",
  "uint64",
  "uint32",
  "uint16",
  "uint8",
  "safeint",
  "float32",
  "float64",
  "decimal",
  "decimal128",
]);

/** The TypeScript type of a std scalar or of the std scalar a custom one extends. */
export function scalarType(s: Scalar): Code {
  let cur: Scalar | undefined = s;
  while (cur) {
    if (cur.namespace?.name === "TypeSpec" || !cur.baseScalar) {
      if (numeric.has(cur.name)) return raw("number");
      if (cur.name === "boolean") return raw("boolean");
      return raw("string");
    }
    cur = cur.baseScalar;
  }
  return raw("string");
}

export function typeExpression(ctx: TypeContext, t: Type): Code {
  const named = ctx.names.get(t);
  if (named) {
    ctx.refs.add(named);
    return id(named);
  }
  switch (t.kind) {
    case "String":
    case "Number":
    case "Boolean":
      return lit(t.value);
    case "Intrinsic":
      if (t.name === "null") return raw("null");
      if (isNeverType(t)) return raw("never");
      if (t.name === "void") return raw("void");
      return raw("unknown");
    case "Scalar":
      return scalarType(t);
    case "Enum":
      return join(
        [...t.members.values()].map((m) => lit(m.value ?? m.name)),
        " | ",
      );
    case "EnumMember":
      return lit(t.value ?? t.name);
    case "Union": {
      const variants = [...t.variants.values()].map((v) => v.type);
      // `"a" | "b" | string` is an open enum: keep the literals visible to editors.
      const isString = (v: Type) => v.kind === "Scalar" && scalarType(v).text === "string";
      const hasString = variants.some(isString) && variants.some((v) => v.kind === "String");
      const parts = variants.map((v) => (hasString && isString(v) ? raw("(string & {})") : typeExpression(ctx, v)));
      return parts.length === 0 ? raw("never") : ts`(${join(parts, " | ")})`;
    }
    case "Tuple":
      return ts`[${join(
        t.values.map((v) => typeExpression(ctx, v)),
        ", ",
      )}]`;
    case "ModelProperty":
      return typeExpression(ctx, t.type);
    case "Model": {
      if (t.indexer && isArrayModelType(ctx.program, t)) return ts`Array<${typeExpression(ctx, t.indexer.value)}>`;
      if (t.indexer && t.properties.size === 0) return ts`Record<string, ${typeExpression(ctx, t.indexer.value)}>`;
      if (isNamedInstance(t)) {
        const name = instanceName(t);
        ctx.refs.add(name);
        return id(name);
      }
      return objectType(ctx, [...t.properties.values()], "");
    }
    default:
      return raw("unknown");
  }
}

/** `{ a: string; "b-c"?: number }` with a doc comment on each property. */
export function objectType(ctx: TypeContext, props: ModelProperty[], indent: string): Code {
  if (props.length === 0) return raw("Record<string, never>");
  const inner = `${indent}  `;
  const lines = props.map(
    (p) =>
      ts`${doc(getDoc(ctx.program, p), inner)}${raw(inner)}${prop(p.name)}${raw(p.optional ? "?" : "")}: ${typeExpression(ctx, p.type)};`,
  );
  return ts`{\n${lines}\n${raw(indent)}}`;
}
