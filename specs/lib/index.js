// @ts-check
/**
 * Implementation of the Payspec.Wire decorators (see wire.tsp) and the accessors that our
 * emitters in generators/ use to read them back.
 */
import { createTypeSpecLibrary } from "@typespec/compiler";
import { setExtension as setJsonSchemaExtension } from "@typespec/json-schema";
import { setExtension as setOpenApiExtension } from "@typespec/openapi";

export const $lib = createTypeSpecLibrary({
  name: "@payspec/specs",
  diagnostics: {
    "frame-width": {
      severity: "error",
      messages: {
        default: "A property of a @frame model needs @fixedWidth.",
      },
    },
  },
  state: {
    encoding: { description: "wire encoding of a body" },
    frame: { description: "fixed-width frame models" },
    fixedWidth: { description: "fixed-width frame fields" },
    inbound: { description: "messages sent by a device or vendor" },
  },
});

const keys = $lib.stateKeys;

/** @param {import("@typespec/compiler").Program} program @param {import("@typespec/compiler").Type} target @param {string} key @param {unknown} value */
function extend(program, target, key, value) {
  setOpenApiExtension(program, target, /** @type {`x-${string}`} */ (key), value);
  setJsonSchemaExtension(program, target, key, value);
}

/** @param {unknown} v */
function enumValue(v) {
  // An enum member value arrives as an EnumValue ({ valueKind: "EnumValue", value: member }).
  const m = /** @type {any} */ (v);
  if (m && typeof m === "object" && m.valueKind === "EnumValue") return m.value.name;
  if (m && typeof m === "object" && m.kind === "EnumMember") return m.name;
  return m;
}

/** @type {import("@typespec/compiler").DecoratorImplementations} */
export const $decorators = {
  "Payspec.Wire": {
    encoding(context, target, encoding) {
      const name = enumValue(encoding);
      context.program.stateMap(keys.encoding).set(target, name);
      extend(context.program, target, "x-payspec-encoding", name);
    },
    frame(context, target, name, version) {
      context.program.stateMap(keys.frame).set(target, { name, version });
      extend(context.program, target, "x-payspec-frame", { name, version });
    },
    fixedWidth(context, target, width, pad) {
      const rule = { width: Number(width), pad: pad === undefined ? "spaceRight" : enumValue(pad) };
      context.program.stateMap(keys.fixedWidth).set(target, rule);
      extend(context.program, target, "x-payspec-width", rule);
    },
    inbound(context, target) {
      context.program.stateSet(keys.inbound).add(target);
      extend(context.program, target, "x-payspec-inbound", true);
    },
  },
};

/** @param {import("@typespec/compiler").Program} program @param {import("@typespec/compiler").Type} target @returns {string | undefined} */
export function getEncoding(program, target) {
  return program.stateMap(keys.encoding).get(target);
}

/** @param {import("@typespec/compiler").Program} program @param {import("@typespec/compiler").Type} target @returns {{name: string, version: string} | undefined} */
export function getFrame(program, target) {
  return program.stateMap(keys.frame).get(target);
}

/** @param {import("@typespec/compiler").Program} program @param {import("@typespec/compiler").Type} target @returns {{width: number, pad: "zeroLeft" | "spaceRight"} | undefined} */
export function getFixedWidth(program, target) {
  return program.stateMap(keys.fixedWidth).get(target);
}

/** @param {import("@typespec/compiler").Program} program @param {import("@typespec/compiler").Type} target @returns {boolean} */
export function isInbound(program, target) {
  return program.stateSet(keys.inbound).has(target);
}
