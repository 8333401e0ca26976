/**
 * The French Concert serial protocol (HiPay's unattended terminals): fixed-width ASCII
 * frames between STX and ETX followed by an LRC byte, and the ENQ/ACK/NAK/EOT handshake
 * around them. Sender: ENQ → ACK → STX message ETX LRC → ACK (NAK: resend) → EOT.
 */
import { CodecError } from "../errors.js";
import { latin1Text } from "./input.js";

export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
export const STX = 0x02;
export const ETX = 0x03;
export const EOT = 0x04;

export type ControlByte = typeof ENQ | typeof ACK | typeof NAK | typeof EOT;
export type ControlName = "ENQ" | "ACK" | "NAK" | "EOT";

export const CONTROL_NAMES: Readonly<Record<ControlByte, ControlName>> = {
  [ENQ]: "ENQ",
  [ACK]: "ACK",
  [NAK]: "NAK",
  [EOT]: "EOT",
};

/** One field of a fixed-width frame, in frame order. */
export interface FrameField {
  readonly name: string;
  readonly width: number;
  /** `zeroLeft`: digits, left-padded with `0`. `spaceRight`: text, right-padded with spaces. */
  readonly pad: "zeroLeft" | "spaceRight";
  /**
   * What `decodeFrame` returns for a `zeroLeft` field: `string` (default) keeps the digits as
   * sent (`"00000899"`, `"978"`), `number` parses them (`899`).
   */
  readonly kind?: "string" | "number";
}

export type FrameValue = string | number;
export type FrameValues = Readonly<Record<string, FrameValue | undefined>>;

/**
 * Lays out `value` by `fields`. A `zeroLeft` field must be digits (or a non-negative
 * integer); a `spaceRight` field absent from `value` is all spaces. Throws `CodecError`
 * when a value is too wide, non-numeric where digits are required, or not printable ASCII.
 */
export function encodeFrame(fields: readonly FrameField[], value: FrameValues): string {
  let out = "";
  for (const field of fields) {
    const raw = value[field.name];
    if (field.pad === "zeroLeft") {
      if (raw === undefined) {
        throw new CodecError(`field ${field.name} is required`, {
          codec: "concert",
          reason: "missing_field",
          path: field.name,
        });
      }
      const digits = typeof raw === "number" ? (Number.isSafeInteger(raw) && raw >= 0 ? String(raw) : "") : raw;
      if (!/^\d+$/.test(digits)) {
        throw new CodecError(`field ${field.name} must be digits, got ${JSON.stringify(raw)}`, {
          codec: "concert",
          reason: "invalid_value",
          path: field.name,
        });
      }
      if (digits.length > field.width) throw tooWide(field, digits);
      out += digits.padStart(field.width, "0");
    } else {
      const text = raw === undefined ? "" : String(raw);
      if (!/^[\x20-\x7e]*$/.test(text)) {
        throw new CodecError(`field ${field.name} must be printable ASCII`, {
          codec: "concert",
          reason: "invalid_value",
          path: field.name,
        });
      }
      if (text.length > field.width) throw tooWide(field, text);
      out += text.padEnd(field.width, " ");
    }
  }
  return out;
}

/**
 * Splits a frame payload by `fields`. `spaceRight` values lose their padding (trailing
 * spaces); `zeroLeft` values must be all digits. Throws `CodecError` on a wrong total length.
 */
export interface FrameDecodeOptions {
  /**
   * Keep `spaceRight` padding in the decoded text (the spec's frame models are the field
   * texts as they stand in the frame, padding included). Default false: trailing spaces trimmed.
   */
  keepPadding?: boolean;
}

export function decodeFrame(
  fields: readonly FrameField[],
  input: string | Uint8Array,
  options: FrameDecodeOptions = {},
): Record<string, FrameValue> {
  const text = latin1Text("concert", input);
  const expected = fields.reduce((sum, field) => sum + field.width, 0);
  if (text.length !== expected) {
    throw new CodecError(`frame is ${text.length} characters, layout needs ${expected}`, {
      codec: "concert",
      reason: "invalid_length",
    });
  }
  const out: Record<string, FrameValue> = Object.create(null) as Record<string, FrameValue>;
  let offset = 0;
  for (const field of fields) {
    const slice = text.slice(offset, offset + field.width);
    if (field.pad === "zeroLeft") {
      if (!/^\d+$/.test(slice)) {
        throw new CodecError(`field ${field.name} must be digits, got ${JSON.stringify(slice)}`, {
          codec: "concert",
          reason: "invalid_value",
          path: field.name,
          offset,
        });
      }
      out[field.name] = field.kind === "number" ? Number(slice) : slice;
    } else {
      out[field.name] = options.keepPadding === true ? slice : slice.replace(/ +$/, "");
    }
    offset += field.width;
  }
  return out;
}

function tooWide(field: FrameField, text: string): CodecError {
  return new CodecError(`field ${field.name} is ${text.length} characters, width is ${field.width}`, {
    codec: "concert",
    reason: "invalid_length",
    path: field.name,
  });
}

/** Longitudinal redundancy check: XOR of `bytes`. For a frame, pass every byte after STX up to and including ETX. */
export function lrc(bytes: Uint8Array): number {
  let value = 0;
  for (const byte of bytes) value ^= byte;
  return value;
}

/** `STX payload ETX LRC`. The payload must not contain STX or ETX. */
export function wrapFrame(payload: string | Uint8Array): Buffer {
  if (typeof payload === "string" && [...payload].some((char) => (char.codePointAt(0) as number) > 0xff)) {
    throw new CodecError("payload is not Latin-1", { codec: "concert", reason: "invalid_value" });
  }
  const body = typeof payload === "string" ? Buffer.from(payload, "latin1") : payload;
  const frame = Buffer.alloc(body.length + 3);
  frame[0] = STX;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i] as number;
    if (byte === STX || byte === ETX) {
      throw new CodecError("payload contains STX or ETX", { codec: "concert", reason: "invalid_value", offset: i });
    }
    frame[i + 1] = byte;
  }
  frame[body.length + 1] = ETX;
  frame[body.length + 2] = lrc(frame.subarray(1, body.length + 2));
  return frame;
}

/** What a `FrameReader` found in the byte stream. */
export type FrameEvent =
  | { readonly type: "control"; readonly byte: ControlByte; readonly name: ControlName }
  | { readonly type: "frame"; readonly payload: Buffer; readonly lrc: number; readonly lrcOk: boolean }
  | {
      readonly type: "discarded";
      readonly bytes: number;
      /** `noise`: bytes outside any frame; `interrupted`: a partial frame cut by STX or a control byte; `overflow`: a frame over the size limit. */
      readonly reason: "noise" | "interrupted" | "overflow";
    };

export interface FrameReaderOptions {
  /** Longest payload kept (bytes between STX and ETX). Default 1024: Concert messages are well under 512. */
  maxPayloadBytes?: number;
}

/** Reader states: between frames, inside STX…ETX, and waiting for the LRC byte after ETX. */
const IDLE = 0;
const IN_FRAME = 1;
const AWAIT_LRC = 2;
type ReaderState = typeof IDLE | typeof IN_FRAME | typeof AWAIT_LRC;

/**
 * Incremental Concert reader: push bytes as the serial port delivers them, in any
 * chunking, and get control bytes and complete frames back. A frame with a bad LRC is
 * still reported (with `lrcOk: false`) so the caller can NAK it. Noise is skipped, a
 * partial frame cut by a new STX or a control byte is dropped, and memory stays bounded.
 */
export class FrameReader {
  readonly #maxPayloadBytes: number;
  #state: ReaderState = IDLE;
  #buffer: Buffer;
  #length = 0;
  #check = 0;
  #noise = 0;

  constructor(options: FrameReaderOptions = {}) {
    this.#maxPayloadBytes = options.maxPayloadBytes ?? 1024;
    this.#buffer = Buffer.alloc(this.#maxPayloadBytes);
  }

  /** Feeds bytes; returns what they completed, in stream order. */
  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    for (const byte of chunk) this.#step(byte, events);
    return events;
  }

  /** Drops any partial frame and pending noise (e.g. after a port reopen). */
  reset(): void {
    this.#state = IDLE;
    this.#length = 0;
    this.#check = 0;
    this.#noise = 0;
  }

  #step(byte: number, events: FrameEvent[]): void {
    switch (this.#state) {
      case AWAIT_LRC: {
        // Whatever follows ETX is the LRC, even if it has a control byte's value.
        const payload = Buffer.from(this.#buffer.subarray(0, this.#length));
        events.push({ type: "frame", payload, lrc: byte, lrcOk: byte === this.#check });
        this.#state = IDLE;
        return;
      }
      case IN_FRAME:
        if (byte === ETX) {
          this.#check ^= ETX;
          this.#state = AWAIT_LRC;
          return;
        }
        if (byte === STX || isControl(byte)) {
          events.push({ type: "discarded", bytes: this.#length + 1, reason: "interrupted" });
          this.#state = IDLE;
          this.#step(byte, events);
          return;
        }
        if (this.#length === this.#maxPayloadBytes) {
          events.push({ type: "discarded", bytes: this.#length + 2, reason: "overflow" });
          this.#state = IDLE;
          return;
        }
        this.#buffer[this.#length++] = byte;
        this.#check ^= byte;
        return;
      case IDLE:
        if (byte === STX) {
          this.#flushNoise(events);
          this.#state = IN_FRAME;
          this.#length = 0;
          this.#check = 0;
          return;
        }
        if (isControl(byte)) {
          this.#flushNoise(events);
          events.push({ type: "control", byte, name: CONTROL_NAMES[byte] });
          return;
        }
        this.#noise++;
        return;
    }
  }

  /** Noise is reported once, when the run ends, so the events do not depend on chunking. */
  #flushNoise(events: FrameEvent[]): void {
    if (this.#noise > 0) {
      events.push({ type: "discarded", bytes: this.#noise, reason: "noise" });
      this.#noise = 0;
    }
  }
}

function isControl(byte: number): byte is ControlByte {
  return byte === ENQ || byte === ACK || byte === NAK || byte === EOT;
}
