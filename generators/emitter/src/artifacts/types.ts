/** Emits @payspec/<protocol>-types: one file per message (model, enum, union, scalar) and a barrel. */
import { getDoc, isArrayModelType, type Model, type Program, type Type } from "@typespec/compiler";
import { type Code, doc, header, id, join, lit, prop, raw, ts } from "../core/code.js";
import { collectDeclarations, type Declaration } from "../core/declarations.js";
import { collectFrames, emitFrames } from "./frames.js";
import { objectType, type TypeContext, typeExpression } from "./type-expression.js";

export interface EmittedFile {
  path: string;
  content: string;
}

function allProperties(m: Model) {
  // Spread and `is` are already flattened by the checker; `extends` keeps the base separate.
  const chain: Model[] = [];
  for (let cur: Model | undefined = m; cur; cur = cur.baseModel) chain.unshift(cur);
  const byName = new Map<string, import("@typespec/compiler").ModelProperty>();
  for (const c of chain) for (const p of c.properties.values()) byName.set(p.name, p);
  return [...byName.values()];
}

function declarationBody(ctx: TypeContext, d: Declaration): Code {
  const name = id(d.name);
  switch (d.kind) {
    case "Model": {
      const props = allProperties(d.type);
      if (d.type.indexer && props.length === 0) {
        // `model Xs is X[]` is an array; `model M is Record<X>` a map.
        const item = typeExpression(ctx, d.type.indexer.value);
        return isArrayModelType(ctx.program, d.type)
          ? ts`export type ${name} = Array<${item}>;`
          : ts`export type ${name} = Record<string, ${item}>;`;
      }
      const body = objectType(ctx, props, "");
      if (props.length === 0 && !d.type.indexer) return ts`export type ${name} = ${body};`;
      if (d.type.indexer) {
        return ts`export type ${name} = ${body} & Record<string, ${typeExpression(ctx, d.type.indexer.value)}>;`;
      }
      return ts`export interface ${name} ${body}`;
    }
    case "Enum": {
      const members = [...d.type.members.values()];
      const values = members.map((m) => lit(m.value ?? m.name));
      const entries = members.map(
        (m) => ts`${doc(getDoc(ctx.program, m), "  ")}  ${prop(m.name)}: ${lit(m.value ?? m.name)},`,
      );
      return ts`export type ${name} = ${raw(values.map((v) => v.text).join(" | "))};\n\nexport const ${name} = {\n${entries}\n} as const;`;
    }
    case "Union":
      return ts`export type ${name} = ${typeExpression(ctx, { ...d.type, name: undefined } as Type)};`;
    case "Scalar":
      return ts`export type ${name} = ${typeExpression(ctx, d.type.baseScalar ?? d.type)};`;
  }
}

export function emitTypes(program: Program, generator = "types"): EmittedFile[] {
  const declarations = collectDeclarations(program);
  const names = new Map<Type, string>(declarations.map((d) => [d.type as Type, d.name]));
  const files: EmittedFile[] = [];
  for (const d of declarations) {
    const ctx: TypeContext = { program, names: new Map(names), refs: new Set() };
    ctx.names.delete(d.type); // the declaration itself is expanded, not referenced
    const body = declarationBody(ctx, d);
    ctx.refs.delete(d.name);
    const imports = [...ctx.refs].sort().map((r) => ts`import type { ${id(r)} } from ${lit(`./${r}.gen.js`)};`);
    const content = ts`${raw(header(generator))}${imports}${raw(imports.length ? "\n\n" : "\n")}${doc(d.doc)}${body}\n`;
    files.push({ path: `models/${d.name}.gen.ts`, content: content.text });
  }
  const barrel = declarations
    .map((d) => d.name)
    .sort()
    .map((n) => {
      const d = declarations.find((x) => x.name === n)!;
      const what = d.kind === "Enum" ? ts`${id(n)}` : ts`type ${id(n)}`;
      return ts`export { ${what} } from ${lit(`./models/${n}.gen.js`)};`;
    });
  const frames = emitFrames(program, declarations);
  if (frames) {
    files.push(frames);
    const names = [...collectFrames(program, declarations).keys()].map((n) => id(`${n}Frame`));
    barrel.push(ts`export { type FrameField, type FrameLayout, ${join(names, ", ")} } from "./frames.gen.js";`);
  }
  files.push({ path: "index.gen.ts", content: ts`${raw(header(generator))}${barrel}\n`.text });
  return files;
}
