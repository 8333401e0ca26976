import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACK,
  CodecError,
  decodeFrame,
  ENQ,
  EOT,
  ETX,
  encodeFrame,
  type FrameEvent,
  type FrameField,
  FrameReader,
  lrc,
  NAK,
  STX,
  wrapFrame,
} from "../src/index.js";

function codecError(run: () => unknown): CodecError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return error as CodecError;
  }
  throw new Error("expected a CodecError");
}

/** Concert E+ request layout (PROTOCOLS.md §4). */
const ePlusRequest: readonly FrameField[] = [
  { name: "pos", width: 2, pad: "zeroLeft" },
  { name: "amount", width: 8, pad: "zeroLeft" },
  { name: "answer", width: 1, pad: "zeroLeft" },
  { name: "mode", width: 1, pad: "spaceRight" },
  { name: "type", width: 1, pad: "zeroLeft" },
  { name: "currency", width: 3, pad: "zeroLeft" },
  { name: "private", width: 10, pad: "spaceRight" },
  { name: "delay", width: 4, pad: "spaceRight" },
  { name: "auto", width: 4, pad: "spaceRight" },
];

/** Concert E+ answer layout. */
const ePlusAnswer: readonly FrameField[] = [
  { name: "pos", width: 2, pad: "zeroLeft" },
  { name: "status", width: 1, pad: "zeroLeft" },
  { name: "amount", width: 8, pad: "zeroLeft", kind: "number" },
  { name: "mode", width: 1, pad: "spaceRight" },
  { name: "rep", width: 55, pad: "spaceRight" },
  { name: "currency", width: 3, pad: "zeroLeft" },
  { name: "private", width: 10, pad: "spaceRight" },
];

const request = {
  pos: "01",
  amount: "00000899",
  answer: "1",
  mode: "1",
  type: "0",
  currency: "978",
  private: "",
  delay: "A010",
  auto: "B010",
};
const requestText = "0100000899110978          A010B010";

describe("concert: fixed-width E+ frames", () => {
  it("encodes the E+ request of pos 01, 8.99 EUR to the exact layout", () => {
    expect(encodeFrame(ePlusRequest, request)).toBe(requestText);
    expect(encodeFrame(ePlusRequest, { ...request, pos: 1, amount: 899, currency: 978 })).toBe(requestText);
  });

  it("decode ∘ encode = identity for the seed's request", () => {
    expect({ ...decodeFrame(ePlusRequest, encodeFrame(ePlusRequest, request)) }).toEqual(request);
  });

  it("decodes an answer, number-kind fields as numbers and text unpadded", () => {
    const answer = `010000008991${"4970XXXXXXXX1234".padEnd(55, " ")}978${"REF42".padEnd(10, " ")}`;
    expect({ ...decodeFrame(ePlusAnswer, answer) }).toEqual({
      pos: "01",
      status: "0",
      amount: 899,
      mode: "1",
      rep: "4970XXXXXXXX1234",
      currency: "978",
      private: "REF42",
    });
  });

  it("decodes bytes as well as text", () => {
    expect({ ...decodeFrame(ePlusRequest, Buffer.from(requestText, "latin1")) }).toEqual(request);
  });

  it.each([
    {
      name: "an amount too wide",
      value: { ...request, amount: "123456789" },
      reason: "invalid_length",
      path: "amount",
    },
    {
      name: "a non-numeric zeroLeft value",
      value: { ...request, currency: "EUR" },
      reason: "invalid_value",
      path: "currency",
    },
    { name: "a negative number", value: { ...request, amount: -5 }, reason: "invalid_value", path: "amount" },
    { name: "a fractional number", value: { ...request, amount: 8.99 }, reason: "invalid_value", path: "amount" },
    { name: "a missing zeroLeft value", value: { ...request, pos: undefined }, reason: "missing_field", path: "pos" },
    { name: "text too wide", value: { ...request, private: "ELEVEN CHRS" }, reason: "invalid_length", path: "private" },
    {
      name: "a control character",
      value: { ...request, private: "a\u0003b" },
      reason: "invalid_value",
      path: "private",
    },
  ])("encode refuses $name", ({ value, reason, path }) => {
    const error = codecError(() => encodeFrame(ePlusRequest, value));
    expect(error.reason).toBe(reason);
    expect(error.path).toBe(path);
  });

  it.each([
    { name: "one character short", given: requestText.slice(1), reason: "invalid_length" },
    { name: "one character long", given: `${requestText} `, reason: "invalid_length" },
    { name: "letters in a zeroLeft field", given: `0A${requestText.slice(2)}`, reason: "invalid_value" },
  ])("decode refuses $name", ({ given, reason }) => {
    expect(codecError(() => decodeFrame(ePlusRequest, given)).reason).toBe(reason);
  });

  it("decode ∘ encode = identity for arbitrary field values", () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 10,
    });
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,8}$/), printable, (amount, text) => {
        const fields: FrameField[] = [
          { name: "amount", width: 8, pad: "zeroLeft" },
          { name: "text", width: 10, pad: "spaceRight" },
        ];
        const decoded = decodeFrame(fields, encodeFrame(fields, { amount, text }));
        expect(decoded.amount).toBe(amount.padStart(8, "0"));
        expect(decoded.text).toBe(text.replace(/ +$/, ""));
      }),
    );
  });
});

describe("concert: LRC = XOR of the bytes after STX up to and including ETX", () => {
  it.each([
    { given: [ETX], want: 0x03 },
    { given: [0x41, ETX], want: 0x42 },
    { given: [0x30, 0x31, ETX], want: 0x02 },
    { given: [0xff, 0x0f, ETX], want: 0xf3 },
    { given: [...Buffer.from(requestText, "latin1"), ETX], want: 0x0f },
  ])("lrc($given) = $want", ({ given, want }) => {
    expect(lrc(Uint8Array.from(given))).toBe(want);
  });

  it("wrapFrame writes STX payload ETX LRC", () => {
    expect([...wrapFrame("01")]).toEqual([STX, 0x30, 0x31, ETX, 0x02]);
    const frame = wrapFrame(requestText);
    expect(frame[0]).toBe(STX);
    expect(frame.subarray(1, -2).toString("latin1")).toBe(requestText);
    expect(frame.at(-2)).toBe(ETX);
    expect(frame.at(-1)).toBe(0x0f);
  });

  it("wrapFrame refuses a payload holding STX or ETX", () => {
    expect(codecError(() => wrapFrame("a\u0003b")).reason).toBe("invalid_value");
    expect(codecError(() => wrapFrame(Uint8Array.from([0x41, STX]))).reason).toBe("invalid_value");
    expect(codecError(() => wrapFrame("€")).reason).toBe("invalid_value");
  });
});

const frames = (events: FrameEvent[]) => events.filter((event) => event.type !== "discarded");

describe("concert: FrameReader", () => {
  const exchange = Buffer.concat([
    Uint8Array.from([ENQ]),
    wrapFrame(requestText),
    Uint8Array.from([EOT]),
    Uint8Array.from([ACK]),
    wrapFrame("0100000899"),
    Uint8Array.from([NAK]),
  ]);
  const want: FrameEvent[] = [
    { type: "control", byte: ENQ, name: "ENQ" },
    { type: "frame", payload: Buffer.from(requestText, "latin1"), lrc: 0x0f, lrcOk: true },
    { type: "control", byte: EOT, name: "EOT" },
    { type: "control", byte: ACK, name: "ACK" },
    {
      type: "frame",
      payload: Buffer.from("0100000899", "latin1"),
      lrc: lrc(Buffer.from("0100000899\u0003", "latin1")),
      lrcOk: true,
    },
    { type: "control", byte: NAK, name: "NAK" },
  ];

  it("reads control bytes and frames from one chunk", () => {
    expect(new FrameReader().push(exchange)).toEqual(want);
  });

  it("reads the same events from one byte at a time", () => {
    const reader = new FrameReader();
    const events = [...exchange].flatMap((byte) => reader.push(Uint8Array.of(byte)));
    expect(events).toEqual(want);
  });

  it("reads the same events whatever the chunking", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: exchange.length }), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const reader = new FrameReader();
        const events: FrameEvent[] = [];
        let start = 0;
        for (const point of [...points, exchange.length]) {
          events.push(...reader.push(exchange.subarray(start, point)));
          start = point;
        }
        expect(events).toEqual(want);
      }),
    );
  });

  it("reports a frame with a corrupted byte with lrcOk false (so the caller NAKs it)", () => {
    const frame = wrapFrame(requestText);
    frame[5] = (frame[5] as number) ^ 0x01;
    const [event] = new FrameReader().push(frame);
    expect(event).toMatchObject({ type: "frame", lrcOk: false, lrc: 0x0f });
  });

  it("reports a corrupted LRC byte with lrcOk false", () => {
    const frame = wrapFrame("01");
    frame[frame.length - 1] = 0x7f;
    expect(new FrameReader().push(frame)).toEqual([
      { type: "frame", payload: Buffer.from("01"), lrc: 0x7f, lrcOk: false },
    ]);
  });

  it("an LRC byte equal to a control byte is still read as the LRC", () => {
    // "4" ^ "1" ^ ETX = 0x34 ^ 0x31 ^ 0x03 = 0x06, the value of ACK.
    const frame = wrapFrame("41");
    expect(frame.at(-1)).toBe(ACK);
    expect(new FrameReader().push(frame)).toEqual([
      { type: "frame", payload: Buffer.from("41"), lrc: ACK, lrcOk: true },
    ]);
  });

  it("resynchronises after line noise, and reports it once per run", () => {
    const stream = Buffer.concat([
      Buffer.from("garbage\xff", "latin1"),
      wrapFrame("01"),
      Buffer.from("zz"),
      Uint8Array.of(ACK),
    ]);
    expect(new FrameReader().push(stream)).toEqual([
      { type: "discarded", bytes: 8, reason: "noise" },
      { type: "frame", payload: Buffer.from("01"), lrc: 0x02, lrcOk: true },
      { type: "discarded", bytes: 2, reason: "noise" },
      { type: "control", byte: ACK, name: "ACK" },
    ]);
  });

  it("drops a partial frame cut by a new STX or a control byte", () => {
    const stream = Buffer.concat([
      Uint8Array.of(STX, 0x31, 0x32),
      wrapFrame("01"),
      Uint8Array.of(STX, 0x33),
      Uint8Array.of(EOT),
    ]);
    expect(new FrameReader().push(stream)).toEqual([
      { type: "discarded", bytes: 3, reason: "interrupted" },
      { type: "frame", payload: Buffer.from("01"), lrc: 0x02, lrcOk: true },
      { type: "discarded", bytes: 2, reason: "interrupted" },
      { type: "control", byte: EOT, name: "EOT" },
    ]);
  });

  it("keeps memory bounded: an over-long frame is dropped and the next one is read", () => {
    const reader = new FrameReader({ maxPayloadBytes: 16 });
    const events = reader.push(Buffer.concat([wrapFrame("x".repeat(100)), wrapFrame("01")]));
    expect(events[0]).toEqual({ type: "discarded", bytes: 18, reason: "overflow" });
    expect(frames(events)).toEqual([{ type: "frame", payload: Buffer.from("01"), lrc: 0x02, lrcOk: true }]);
  });

  it("always finds a valid frame sent after arbitrary garbage", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 50 }), (garbage, tail) => {
        const reader = new FrameReader({ maxPayloadBytes: 64 });
        reader.push(garbage);
        // An EOT ends whatever the garbage left half-open (a frame, or a pending LRC byte).
        reader.push(Uint8Array.of(EOT, EOT));
        const events = reader.push(wrapFrame(requestText));
        expect(frames(events)).toEqual([{ type: "frame", payload: Buffer.from(requestText), lrc: 0x0f, lrcOk: true }]);
        // And nothing thrown for any further garbage.
        expect(() => reader.push(tail)).not.toThrow();
      }),
    );
  });

  it("reset drops a partial frame", () => {
    const reader = new FrameReader();
    reader.push(Uint8Array.of(STX, 0x31));
    reader.reset();
    // Without the reset "2" ETX would complete the frame; after it they are noise.
    expect(reader.push(Uint8Array.of(0x32, ETX, 0x01, ACK))).toEqual([
      { type: "discarded", bytes: 3, reason: "noise" },
      { type: "control", byte: ACK, name: "ACK" },
    ]);
  });
});

describe("decodeFrame keepPadding", () => {
  const fields = [
    { name: "pos", width: 2, pad: "zeroLeft" },
    { name: "private", width: 10, pad: "spaceRight" },
  ] as const;
  it("keeps the field text as it stands in the frame when asked (the spec's frame models)", () => {
    expect(decodeFrame(fields, "01AB        ", { keepPadding: true })).toEqual({ pos: "01", private: "AB        " });
  });
  it("trims trailing spaces by default", () => {
    expect(decodeFrame(fields, "01AB        ")).toEqual({ pos: "01", private: "AB" });
  });
});
