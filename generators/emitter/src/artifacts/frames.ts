/**
 * Fixed-width serial frame layouts (`@Payspec.Wire.frame` models whose properties carry
 * `@Payspec.Wire.fixedWidth`), as data for the runtime's Concert codec: one constant per frame.
 */
import type { Program } from "@typespec/compiler";
import { doc, header, id, lit, raw, ts } from "../core/code.js";
import { type Declaration, payspecExtensions } from "../core/declarations.js";
import type { EmittedFile } from "./types.js";

export interface FrameLayout {
  name: string;
  version: string;
  fields: { name: string; width: number; pad: "zeroLeft" | "spaceRight" }[];
}

export function collectFrames(program: Program, declarations: Declaration[]): Map<string, FrameLayout> {
  const out = new Map<string, FrameLayout>();
  for (const d of declarations) {
    if (d.kind !== "Model") continue;
    const frame = payspecExtensions(program, d.type).frame as { name: string; version: string } | undefined;
    if (!frame) continue;
    const fields = [...d.type.properties.values()].map((p) => {
      const rule = payspecExtensions(program, p).width as { width: number; pad: "zeroLeft" | "spaceRight" } | undefined;
      if (!rule) throw new Error(`${d.name}.${p.name}: a property of a @frame model needs @fixedWidth`);
      return { name: p.name, width: rule.width, pad: rule.pad };
    });
    out.set(d.name, { name: frame.name, version: frame.version, fields });
  }
  return out;
}

/** `frames.gen.ts` for the types package: `export const ConcertRequestFrame = { name, version, width, fields }`. */
export function emitFrames(program: Program, declarations: Declaration[]): EmittedFile | undefined {
  const frames = collectFrames(program, declarations);
  if (frames.size === 0) return undefined;
  const consts = [...frames].map(([model, f]) => {
    const width = f.fields.reduce((n, x) => n + x.width, 0);
    return ts`${doc(`Layout of the ${model} frame (${f.name} v${f.version}): ${width} characters, fields in wire order.`)}export const ${id(`${model}Frame`)}: FrameLayout = ${lit({ ...f, width })};\n`;
  });
  const content = ts`${raw(header("types"))}
/** One fixed-width field: its width and padding (\`zeroLeft\` digits, \`spaceRight\` text). */
export interface FrameField {
  readonly name: string;
  readonly width: number;
  readonly pad: "zeroLeft" | "spaceRight";
}

/** A fixed-width frame layout from the spec (\`@Payspec.Wire.frame\` + \`@fixedWidth\`). */
export interface FrameLayout {
  readonly name: string;
  readonly version: string;
  /** total width in characters */
  readonly width: number;
  readonly fields: readonly FrameField[];
}

${consts}`;
  return { path: "frames.gen.ts", content: content.text };
}
