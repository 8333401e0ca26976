/**
 * Concert frames from a file: either the bare fixed-width payload (as a spec example writes
 * it) or the wire form `STX payload ETX LRC`, whose LRC is checked.
 */
import { CodecError, decodeFrame, ETX, type FrameField, lrc, STX } from "@payspec/runtime";

export interface UnwrappedFrame {
  readonly payload: Uint8Array;
  /** Byte offset of the payload in the input (1 after STX, 0 for a bare payload). */
  readonly offset: number;
}

/**
 * The payload of a wrapped frame, after checking ETX and the LRC (the XOR of every byte after
 * STX up to and including ETX). A bare payload is returned as it is, less one trailing line
 * break (a text editor's, never part of a frame).
 */
export function unwrapFrame(input: Uint8Array): UnwrappedFrame {
  if (input[0] !== STX) {
    let end = input.length;
    if (input[end - 1] === 0x0a) end--;
    if (input[end - 1] === 0x0d) end--;
    return { payload: input.subarray(0, end), offset: 0 };
  }
  const etx = input.indexOf(ETX, 1);
  const stx = input.indexOf(STX, 1);
  if (stx !== -1 && (etx === -1 || stx < etx)) {
    throw new CodecError("STX inside the frame", { codec: "concert", reason: "syntax", offset: stx });
  }
  if (etx === -1)
    throw new CodecError("no ETX after STX", { codec: "concert", reason: "syntax", offset: input.length });
  const lrcOffset = etx + 1;
  const received = input[lrcOffset];
  if (received === undefined) {
    throw new CodecError("no LRC byte after ETX", { codec: "concert", reason: "syntax", offset: lrcOffset });
  }
  const expected = lrc(input.subarray(1, lrcOffset));
  if (received !== expected) {
    throw new CodecError(`LRC is ${hex(received)}, the frame's bytes give ${hex(expected)}`, {
      codec: "concert",
      reason: "invalid_value",
      offset: lrcOffset,
    });
  }
  if (input.length > lrcOffset + 1) {
    throw new CodecError(`${input.length - lrcOffset - 1} bytes after the LRC`, {
      codec: "concert",
      reason: "syntax",
      offset: lrcOffset + 1,
    });
  }
  return { payload: input.subarray(1, etx), offset: 1 };
}

/**
 * Decodes a frame by `fields`. Field values are the field texts as they stand in the frame,
 * padding included, as the spec's frame models say (their patterns have exact lengths).
 */
export function decodeFrameFile(input: Uint8Array, fields: readonly FrameField[]): Record<string, string | number> {
  const { payload, offset } = unwrapFrame(input);
  try {
    return decodeFrame(fields, payload, { keepPadding: true });
  } catch (error) {
    throw error instanceof CodecError && offset > 0 && error.offset !== undefined ? shifted(error, offset) : error;
  }
}

/** The same error with its offset counted from the start of the input, not of the payload. */
function shifted(error: CodecError, by: number): CodecError {
  const where = [
    error.path !== undefined ? `at ${error.path}` : undefined,
    error.offset !== undefined ? `offset ${error.offset}` : undefined,
  ].filter((part) => part !== undefined);
  const suffix = where.length > 0 ? ` (${where.join(", ")})` : "";
  let detail = error.message.startsWith(`${error.codec}: `)
    ? error.message.slice(error.codec.length + 2)
    : error.message;
  if (suffix !== "" && detail.endsWith(suffix)) detail = detail.slice(0, -suffix.length);
  return new CodecError(detail, {
    codec: error.codec,
    reason: error.reason,
    ...(error.path !== undefined ? { path: error.path } : {}),
    offset: (error.offset as number) + by,
    cause: error,
  });
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}
