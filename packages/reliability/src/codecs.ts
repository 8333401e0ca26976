/**
 * Codec fuzzing: every decoder of the runtime fed random and hostile input. The oracle: each call returns a value or
 * throws the runtime's `CodecError` (a clear, typed refusal); any other exception escaping, or a polluted
 * `Object.prototype`, is a failure. The Concert frame reader must also never accept a frame whose LRC is wrong.
 */
import { ConcertRequestFrame } from "@payspec/hipay-ecr-types";
import { xmlShapes } from "@payspec/nexo-server";
import {
  CodecError,
  decodeForm,
  decodeFrame,
  decodeJson,
  decodeKv,
  decodeNexoJson,
  decodeTlv,
  decodeXml,
  FrameReader,
  wrapFrame,
  type XmlElementShape,
} from "@payspec/runtime";
import fc from "fast-check";

export interface CodecReport {
  readonly codec: string;
  readonly inputs: number;
  readonly decoded: number;
  readonly refused: number;
  readonly escaped: ReadonlyArray<{ readonly input: string; readonly error: string }>;
}

const requestShape = (xmlShapes as Record<string, XmlElementShape>).NexoRequestMessage as XmlElementShape;

const HOSTILE = [
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><SaleToPOIRequest>&e;</SaleToPOIRequest>',
  '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><SaleToPOIRequest>&c;</SaleToPOIRequest>',
  '<SaleToPOIRequest><MessageHeader __proto__="x" constructor="y"/></SaleToPOIRequest>',
  '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
  '{"SaleToPOIRequest":{"__proto__":{"polluted":1}}}',
  "__proto__[polluted]=1&constructor[prototype][polluted]=1&a[__proto__][b]=1",
  "type=x&__proto__=y&constructor=z",
  "[".repeat(100_000),
  "<a>".repeat(20_000),
  "a".repeat(2_000_000),
  "\uFEFF{}",
  "%E0%A4%A",
];

/** Text and bytes: unicode, binary, protocol-looking fragments, and the hostile set. */
const input: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 300 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 5 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })), { maxLength: 20 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(fc.sample(fc.constantFrom("&", "\n&", "\n"), 1)[0])),
  },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
);

type Decoder = (value: string | Uint8Array) => unknown;

const DECODERS: Readonly<Record<string, Decoder>> = {
  json: (value) => decodeJson(value),
  form: (value) => decodeForm(value),
  kv: (value) => decodeKv(value),
  "nexo-xml": (value) => decodeXml(value, "SaleToPOIRequest", requestShape),
  "nexo-json": (value) => decodeNexoJson(value, "SaleToPOIRequest"),
  "concert-frame": (value) => decodeFrame(ConcertRequestFrame.fields, value),
  tlv: (value) => decodeTlv(value),
};

export const CODECS = Object.keys(DECODERS);

const show = (value: string | Uint8Array) =>
  typeof value === "string"
    ? JSON.stringify(value.slice(0, 120))
    : `bytes ${Buffer.from(value.slice(0, 60)).toString("hex")}`;

export function fuzzCodec(codec: string, options: { runs: number; seed: number }): CodecReport {
  const decode = DECODERS[codec];
  if (decode === undefined) throw new Error(`unknown codec ${codec}`);
  const inputs = fc.sample(input, { numRuns: options.runs, seed: options.seed });
  let decoded = 0;
  let refused = 0;
  const escaped: Array<{ input: string; error: string }> = [];
  for (const value of inputs) {
    try {
      decode(value);
      decoded++;
    } catch (error) {
      if (error instanceof CodecError) refused++;
      else escaped.push({ input: show(value), error: String(error) });
    }
  }
  if (({} as Record<string, unknown>).polluted !== undefined)
    escaped.push({ input: "(campaign)", error: "Object.prototype was polluted" });
  return { codec, inputs: inputs.length, decoded, refused, escaped };
}

export interface LineNoiseReport {
  readonly frames: number;
  /** Damaged frames that passed both the LRC and the fixed-width decode with a changed payload (must be 0). */
  readonly corruptedAccepted: number;
  /**
   * Damaged frames whose LRC happened to match (a payload byte turned into ETX cuts the frame short, and the next
   * byte is read as its LRC: about 1 in 256 such cuts match) and that the fixed-width decode refused.
   */
  readonly lrcCollisionsCaughtByLayout: number;
  /** Frames whose corruption the LRC caught (the link answers NAK and the sender resends). */
  readonly corruptedRejected: number;
  /** Frames lost entirely (a dropped STX/ETX or an interrupted frame): the sender's timer resends them. */
  readonly lost: number;
  readonly intact: number;
}

/**
 * Serial line noise on the frame layer: a Concert request frame with one flipped bit or one dropped byte must never be
 * accepted with a changed payload by the receiving stack — the frame reader's LRC check, then the fixed-width decode
 * of the request layout. The LRC (an XOR) catches every flip inside the checked bytes and every dropped payload byte;
 * what it can miss is a flip that turns a payload byte into ETX (0x43 'C' → 0x03), which ends the frame early and
 * makes the next byte the LRC: those truncated frames are refused by the fixed width.
 */
export function lineNoise(options: { runs: number; seed: number }): LineNoiseReport {
  const payloadChar = fc.constantFrom(..."0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ".split(""));
  const width = ConcertRequestFrame.fields.reduce((sum, field) => sum + field.width, 0);
  const cases = fc.sample(
    fc.record({
      payload: fc.string({ unit: payloadChar, minLength: width, maxLength: width }),
      damage: fc.oneof(
        fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }),
        fc.constant({ kind: "none" as const }),
      ),
    }),
    { numRuns: options.runs, seed: options.seed },
  );
  let corruptedAccepted = 0;
  let lrcCollisionsCaughtByLayout = 0;
  let corruptedRejected = 0;
  let lost = 0;
  let intact = 0;
  for (const { payload, damage } of cases) {
    const frame = wrapFrame(payload);
    let wire = frame;
    if (damage.kind === "flip") {
      wire = Buffer.from(frame);
      const at = damage.at % wire.length;
      wire[at] = (wire[at] as number) ^ (1 << damage.bit);
    } else if (damage.kind === "drop") {
      const at = damage.at % frame.length;
      wire = Buffer.concat([frame.subarray(0, at), frame.subarray(at + 1)]);
    }
    const reader = new FrameReader();
    // Bytes arrive one by one, as from a UART, then an EOT closes the exchange.
    const events = [...wire, 0x04].flatMap((byte) => reader.push(Uint8Array.of(byte)));
    const good = events.filter((event) => event.type === "frame" && event.lrcOk);
    const bad = events.filter((event) => event.type === "frame" && !event.lrcOk);
    if (damage.kind === "none") {
      if (good.length === 1) intact++;
      else lost++;
      continue;
    }
    const changed = good.filter(
      (event) => event.type === "frame" && !event.payload.equals(Buffer.from(payload, "latin1")),
    );
    const decodes = (event: (typeof changed)[number]): boolean => {
      try {
        decodeFrame(ConcertRequestFrame.fields, (event as { payload: Buffer }).payload);
        return true;
      } catch {
        return false;
      }
    };
    if (changed.some(decodes)) corruptedAccepted++;
    else if (changed.length > 0) lrcCollisionsCaughtByLayout++;
    else if (bad.length > 0) corruptedRejected++;
    else if (good.length === 0) lost++;
    else intact++; // the damage hit a byte outside the frame's checked content and the frame is still exact
  }
  return { frames: cases.length, corruptedAccepted, lrcCollisionsCaughtByLayout, corruptedRejected, lost, intact };
}
