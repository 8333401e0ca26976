/**
 * The codec contract: for any input at all (garbage, huge, deeply nested) a decoder returns
 * a value or throws a CodecError, never anything else.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CodecError,
  decodeForm,
  decodeFrame,
  decodeJson,
  decodeKv,
  decodeNexoJson,
  decodeTlv,
  decodeXml,
  type FrameField,
  FrameReader,
  type XmlElementShape,
} from "../src/index.js";

const frame: readonly FrameField[] = [
  { name: "pos", width: 2, pad: "zeroLeft" },
  { name: "text", width: 6, pad: "spaceRight" },
];
const shape: XmlElementShape = {
  attributes: { N: "number", B: "boolean" },
  children: [
    { name: "S", shape: "string" },
    { name: "L", shape: { text: { name: "T", kind: "number" } }, array: true },
  ],
};

const decoders: Array<[string, (input: string | Uint8Array) => unknown]> = [
  ["json", (input) => decodeJson(input)],
  ["nexo-json", (input) => decodeNexoJson(input, "SaleToPOIRequest")],
  ["form", (input) => decodeForm(input)],
  ["kv", (input) => decodeKv(input)],
  ["xml", (input) => decodeXml(input, "A", shape)],
  ["concert", (input) => decodeFrame(frame, input)],
  ["tlv", (input) => decodeTlv(input)],
];

function returnsOrCodecError(decode: (input: string | Uint8Array) => unknown, input: string | Uint8Array): void {
  try {
    decode(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
  }
}

/** Strings built from each wire form's own punctuation, so the fuzzer reaches deep into the parsers. */
const structured = fc
  .array(
    fc.constantFrom(
      "<A>",
      "</A>",
      "<S>",
      "</S>",
      "<L>",
      "</L>",
      '<A N="1">',
      "<![CDATA[",
      "]]>",
      "&amp;",
      "&#x0;",
      "&",
      "<!--",
      "-->",
      "<?xml?>",
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      '"',
      '"__proto__"',
      "null",
      "1e999",
      "-0",
      "=",
      "&",
      "%",
      "%zz",
      "+",
      "a[b]",
      "[]",
      "__proto__",
      "constructor",
      "\n",
      "\r\n",
      "CZ",
      "004",
      "0300",
      "999",
      "01",
      "  ",
      "x",
      "é",
      "\u0000",
      "\ud800",
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("decoders throw only CodecError", () => {
  it.each(decoders)("%s: arbitrary strings", (_name, decode) => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (input) => returnsOrCodecError(decode, input)),
      { numRuns: 300 },
    );
  });

  it.each(decoders)("%s: strings made of wire punctuation", (_name, decode) => {
    fc.assert(
      fc.property(structured, (input) => returnsOrCodecError(decode, input)),
      { numRuns: 500 },
    );
  });

  it.each(decoders)("%s: arbitrary bytes", (_name, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (input) => returnsOrCodecError(decode, input)),
      { numRuns: 300 },
    );
  });

  it.each(decoders)("%s: deep nesting and large input", (_name, decode) => {
    for (const input of [
      "[".repeat(50_000),
      '{"a":'.repeat(50_000),
      "<A>".repeat(50_000),
      "a".concat("[b]".repeat(50_000), "=1"),
      "x".repeat(2 * 1024 * 1024),
    ]) {
      returnsOrCodecError(decode, input);
    }
  });

  it.each(decoders)("%s: non-string input", (_name, decode) => {
    for (const input of [undefined, null, 42, {}, []]) returnsOrCodecError(decode, input as unknown as string);
  });

  it("FrameReader never throws on any byte stream", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const reader = new FrameReader({ maxPayloadBytes: 32 });
        for (const chunk of chunks) reader.push(chunk);
      }),
    );
  });
});
