import type { DecoratorImplementations, Program, Type, TypeSpecLibrary } from "@typespec/compiler";

export declare const $lib: TypeSpecLibrary<Record<string, Record<string, string>>>;
export declare const $decorators: DecoratorImplementations;
export type BodyEncoding = "json" | "form" | "kv" | "xml" | "concert" | "tlv";
export interface FixedWidthRule {
  width: number;
  pad: "zeroLeft" | "spaceRight";
}
export declare function getEncoding(program: Program, target: Type): BodyEncoding | undefined;
export declare function getFrame(program: Program, target: Type): { name: string; version: string } | undefined;
export declare function getFixedWidth(program: Program, target: Type): FixedWidthRule | undefined;
export declare function isInbound(program: Program, target: Type): boolean;
