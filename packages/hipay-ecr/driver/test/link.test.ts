// The Concert link layer (PROTOCOLS.md §4): ENQ/ACK handshake, STX frame ETX LRC, NAK and resend,
// EOT, 3 tries, resynchronisation on line noise. Timers are shortened (timeoutMs) so the
// failure paths run fast; no assertion depends on timing.
import { ACK, ENQ, EOT, ETX, NAK, STX, wrapFrame } from "@payspec/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { ConcertLink, ConcertLinkError } from "../src/index.js";
import { createMemorySerialPair } from "../src/testing.js";

const links: ConcertLink[] = [];
function link(...args: ConstructorParameters<typeof ConcertLink>): ConcertLink {
  const l = new ConcertLink(...args);
  links.push(l);
  return l;
}
afterEach(() => {
  for (const l of links.splice(0)) l.close();
});

const MESSAGE = "0100000899110978          A010B010";
const bytes = (chunks: Buffer[]) => [...Buffer.concat(chunks)];

describe("Concert link", () => {
  it("sends ENQ, then STX message ETX LRC once ACKed, then EOT; the receiver ACKs both and delivers the message", async () => {
    const { a, b } = createMemorySerialPair();
    const sender = link(a, { timeoutMs: 2000 });
    const receiver = link(b, { timeoutMs: 2000 });
    const received = receiver.receive();
    await sender.send(MESSAGE);
    expect((await received).toString("latin1")).toBe(MESSAGE);
    expect(bytes(a.written)).toEqual([ENQ, ...wrapFrame(MESSAGE), EOT]);
    expect(bytes(b.written)).toEqual([ACK, ACK]);
    const frame = wrapFrame(MESSAGE);
    expect(frame[0]).toBe(STX);
    expect(frame[frame.length - 2]).toBe(ETX);
    // LRC: XOR of every byte after STX up to and including ETX.
    expect(frame[frame.length - 1]).toBe([...Buffer.from(MESSAGE, "latin1"), ETX].reduce((x, y) => x ^ y, 0));
  });

  it("answers NAK to a frame with a bad LRC, and the sender sends the frame again", async () => {
    const { a, b } = createMemorySerialPair();
    const sender = link(a, { timeoutMs: 2000 });
    const receiver = link(b, { timeoutMs: 2000 });
    let corrupted = false;
    a.tamper = (chunk) => {
      if (!corrupted && chunk[0] === STX) {
        corrupted = true;
        const bad = Buffer.from(chunk);
        bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
        return bad;
      }
      return chunk;
    };
    const received = receiver.receive();
    await sender.send(MESSAGE);
    expect((await received).toString("latin1")).toBe(MESSAGE);
    expect(bytes(b.written)).toEqual([ACK, NAK, ACK]);
    expect(bytes(a.written)).toEqual([ENQ, ...wrapFrame(MESSAGE), ...wrapFrame(MESSAGE), EOT]);
  });

  it("gives up after 3 ENQ without ACK, with EOT after each", async () => {
    const { a } = createMemorySerialPair(); // nobody listens on b
    const sender = link(a, { timeoutMs: 20 });
    const error = await sender.send(MESSAGE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcertLinkError);
    expect((error as ConcertLinkError).reason).toBe("no-ack-to-enq");
    expect(bytes(a.written)).toEqual([ENQ, EOT, ENQ, EOT, ENQ, EOT]);
  });

  it("gives up after 3 NAKed frames, closes the session with EOT and delivers nothing", async () => {
    const { a, b } = createMemorySerialPair();
    const sender = link(a, { timeoutMs: 50 });
    const receiver = link(b, { timeoutMs: 50 });
    a.tamper = (chunk) =>
      chunk[0] === STX ? Buffer.concat([chunk.subarray(0, -1), Buffer.of((chunk.at(-1) as number) ^ 1)]) : chunk;
    const error = await sender.send(MESSAGE).catch((e: unknown) => e);
    expect((error as ConcertLinkError).reason).toBe("frame-not-acknowledged");
    expect(bytes(b.written)).toEqual([ACK, NAK, NAK, NAK]);
    expect(a.written.at(-1)?.[0]).toBe(EOT);
    const nothing = await receiver.receive({ timeoutMs: 30 }).catch((e: unknown) => e);
    expect((nothing as ConcertLinkError).reason).toBe("timeout");
  });

  it("skips line noise and a cut frame before the real frame (resynchronises on STX)", async () => {
    const { a, b } = createMemorySerialPair();
    const sender = link(a, { timeoutMs: 2000 });
    const events: string[] = [];
    const receiver = link(b, {
      timeoutMs: 2000,
      onEvent: (e) => events.push(e.type === "discarded" ? `discarded:${e.reason}` : e.type),
    });
    let noisy = false;
    a.tamper = (chunk) => {
      if (!noisy && chunk[0] === STX) {
        noisy = true;
        // garbage, then a frame cut short by a new STX, then the real frame
        return Buffer.concat([
          Buffer.from("\xff\x7fzz", "latin1"),
          Buffer.of(STX),
          Buffer.from("0100", "latin1"),
          chunk,
        ]);
      }
      return chunk;
    };
    const received = receiver.receive();
    await sender.send(MESSAGE);
    expect((await received).toString("latin1")).toBe(MESSAGE);
    expect(events).toContain("discarded:noise");
    expect(events).toContain("discarded:interrupted");
    expect(bytes(b.written)).toEqual([ACK, ACK]);
  });

  it("reads a frame split across many chunks", async () => {
    const { a, b } = createMemorySerialPair();
    const receiver = link(b, { timeoutMs: 2000 });
    const sender = link(a, { timeoutMs: 2000 });
    a.tamper = (chunk) => {
      if (chunk[0] !== STX) return chunk;
      // deliver the frame one byte at a time, after its STX
      const rest = [...chunk.subarray(1)];
      const next = (): void => {
        const byte = rest.shift();
        if (byte === undefined) return;
        (b as unknown as NodeJS.EventEmitter).emit("data", Buffer.of(byte));
        setImmediate(next);
      };
      setImmediate(() => setImmediate(next));
      return chunk.subarray(0, 1);
    };
    const received = receiver.receive();
    await sender.send(MESSAGE);
    expect((await received).toString("latin1")).toBe(MESSAGE);
  });

  it("sends messages one session at a time, in order, both ways", async () => {
    const { a, b } = createMemorySerialPair();
    const left = link(a, { timeoutMs: 2000 });
    const right = link(b, { timeoutMs: 2000 });
    await Promise.all([left.send("one"), left.send("two")]);
    await right.send("three");
    expect((await right.receive()).toString()).toBe("one");
    expect((await right.receive()).toString()).toBe("two");
    expect((await left.receive()).toString()).toBe("three");
  });

  it("resolves a collision (both ends send ENQ at once): the yielding end takes the other's message first, then sends its own", async () => {
    const { a, b } = createMemorySerialPair();
    const connector = link(a, { timeoutMs: 2000 });
    const terminal = link(b, { timeoutMs: 2000, yieldOnCollision: true });
    await Promise.all([connector.send("request"), terminal.send("answer")]);
    expect((await terminal.receive()).toString()).toBe("request");
    expect((await connector.receive()).toString()).toBe("answer");
    expect(a.written[0]?.[0]).toBe(ENQ);
    expect(b.written[0]?.[0]).toBe(ENQ); // both opened at once
  });

  it("refuses a payload that cannot be framed before writing anything", async () => {
    const { a } = createMemorySerialPair();
    const sender = link(a);
    expect(() => sender.send("a\x03b")).toThrow(/STX or ETX/);
    expect(a.written).toEqual([]);
  });
});
