/** Format detection and frame unwrapping, as small given/want tables. */
import { describe, expect, it } from "vitest";
import { formatFromPath, sniffFormat } from "../src/formats.js";
import { unwrapFrame } from "../src/frames.js";
import { frameLayoutFromSchema, type MessageSchema } from "../src/protocols.js";
import { closestMatch } from "../src/suggest.js";

const bytes = (text: string) => Buffer.from(text, "latin1");

describe("formatFromPath: the extension names the format", () => {
  it.each([
    ["token.json", "json"],
    ["PAYMENT.XML", "xml"],
    ["body.form", "form"],
    ["status.kv", "kv"],
    ["request.frame", "frame"],
    ["capture.bin", "frame"],
    ["notes.txt", undefined],
    ["noextension", undefined],
  ])("%s → %s", (path, want) => {
    expect(formatFromPath(path)).toBe(want);
  });
});

describe("sniffFormat: the content names the format", () => {
  it.each([
    ["\u0002012345\u0003x", {}, "frame"],
    ['  {"a": 1}', {}, "json"],
    ["[1, 2]", {}, "json"],
    ["\uFEFF{}", {}, "json"],
    ['<?xml version="1.0"?><SaleToPOIRequest/>', {}, "xml"],
    ["type=status-response\n&status=approved\n", {}, "kv"],
    ["type=status-response\n", {}, "kv"],
    ["a=b&c[d]=e", {}, "form"],
    ["a=b&c=d\n", {}, "form"],
    ["label=x\n", { declared: "form" }, "form"],
    ["a=b&c=d", { declared: "kv" }, "kv"],
    ["0100000899110978          A010B010", { declared: "frame" }, "frame"],
    ["0100000899110978          A010B010", {}, undefined],
    ["hello", {}, undefined],
  ] as const)("%j %j → %s", (text, options, want) => {
    expect(sniffFormat(Buffer.from(text, "utf8"), options)).toBe(want);
  });
});

describe("unwrapFrame: STX payload ETX LRC", () => {
  it("returns the payload of a frame whose LRC is the XOR of the bytes after STX through ETX", () => {
    // "AB" ETX: 0x41 ^ 0x42 ^ 0x03 = 0x00
    const frame = unwrapFrame(Uint8Array.from([0x02, 0x41, 0x42, 0x03, 0x00]));
    expect(Buffer.from(frame.payload).toString("latin1")).toBe("AB");
    expect(frame.offset).toBe(1);
  });

  it("keeps a bare payload, less an editor's final line break", () => {
    expect(Buffer.from(unwrapFrame(bytes("0123\r\n")).payload).toString("latin1")).toBe("0123");
    expect(unwrapFrame(bytes("0123")).offset).toBe(0);
  });

  it.each([
    ["no ETX", [0x02, 0x41], /no ETX after STX \(offset 2\)/],
    ["no LRC", [0x02, 0x41, 0x03], /no LRC byte after ETX \(offset 3\)/],
    ["bad LRC", [0x02, 0x41, 0x03, 0x00], /LRC is 0x00, the frame's bytes give 0x42 \(offset 3\)/],
    ["STX inside", [0x02, 0x41, 0x02, 0x03, 0x00], /STX inside the frame \(offset 2\)/],
    ["trailing bytes", [0x02, 0x41, 0x03, 0x42, 0x0a], /1 bytes after the LRC \(offset 4\)/],
  ])("refuses %s", (_, input, message) => {
    expect(() => unwrapFrame(Uint8Array.from(input))).toThrow(message);
  });
});

describe("closestMatch: typos get a suggestion, unrelated names do not", () => {
  it.each([
    ["nexoo", ["wepay", "nexo"], "nexo"],
    ["paymentrequest", ["PaymentRequest", "PaymentResponse"], "PaymentRequest"],
    ["stripe", ["wepay", "stripe-terminal", "payneteasy"], "stripe-terminal"],
    ["Payment", ["PaymentRequest", "PaymentResponse"], undefined],
    ["Xyzzy", ["SessionToken", "Terminal"], undefined],
  ])("%s → %s", (input, candidates, want) => {
    expect(closestMatch(input, candidates)).toBe(want);
  });
});

describe("frameLayoutFromSchema: x-payspec-frame + x-payspec-width in property order", () => {
  it("reads the widths and pads of a frame model", () => {
    const schema = {
      "x-payspec-frame": { name: "concert-e+", version: "1" },
      properties: {
        pos: { "x-payspec-width": { width: 2, pad: "zeroLeft" as const } },
        private: { "x-payspec-width": { width: 10, pad: "spaceRight" as const } },
      },
    };
    expect(frameLayoutFromSchema(schema)).toEqual([
      { name: "pos", width: 2, pad: "zeroLeft" },
      { name: "private", width: 10, pad: "spaceRight" },
    ]);
  });

  it.each([
    ["a model that is not a frame", { properties: { a: { "x-payspec-width": { width: 1 } } } }],
    [
      "a frame with a property without a width",
      { "x-payspec-frame": { name: "f", version: "1" }, properties: { a: {} } },
    ],
  ])("ignores %s", (_, schema) => {
    expect(frameLayoutFromSchema(schema)).toBeUndefined();
  });
});

describe("the schema fallback agrees with the generated frame layouts", () => {
  it.each([["ConcertRequest"], ["ConcertAnswer"]])("%s", async (message) => {
    const types = (await import("@payspec/hipay-ecr-types")) as Record<string, unknown>;
    const { schemaBundle } = await import("@payspec/hipay-ecr-validators");
    const generated = types[`${message}Frame`] as { fields: readonly unknown[] };
    const schema = (schemaBundle.$defs as Record<string, MessageSchema>)[message];
    expect(frameLayoutFromSchema(schema)).toEqual(generated.fields);
  });
});
