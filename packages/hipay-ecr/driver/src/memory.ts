/**
 * Two connected in-memory serial ends, like a null-modem cable: bytes written to one end arrive
 * on the other, asynchronously, in the chunks they were written in. `tamper` lets a test corrupt,
 * split or drop bytes on the way (a noisy line).
 */
import { EventEmitter } from "node:events";
import type { ByteStream } from "./link.js";

/** Changes a chunk on the wire: return the bytes to deliver (empty to drop them). */
export type Tamper = (chunk: Buffer) => Uint8Array;

export interface MemorySerialEnd extends ByteStream {
  /** Bytes this end wrote, in order (for assertions). */
  readonly written: Buffer[];
  /** Applied to what this end writes before the other end gets it. */
  tamper: Tamper | undefined;
}

class End extends EventEmitter implements MemorySerialEnd {
  readonly written: Buffer[] = [];
  tamper: Tamper | undefined;
  peer: End | undefined;

  write(chunk: Uint8Array): boolean {
    const bytes = Buffer.from(chunk);
    this.written.push(bytes);
    const delivered = this.tamper ? Buffer.from(this.tamper(bytes)) : bytes;
    const peer = this.peer;
    if (delivered.length > 0 && peer) setImmediate(() => peer.emit("data", delivered));
    return true;
  }
}

/** A connected pair: `a` is usually the connector's port, `b` the terminal's. */
export function createMemorySerialPair(): { a: MemorySerialEnd; b: MemorySerialEnd } {
  const a = new End();
  const b = new End();
  a.peer = b;
  b.peer = a;
  return { a, b };
}
