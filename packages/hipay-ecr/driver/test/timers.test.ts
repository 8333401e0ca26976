// The Concert 3-second timers and the link's state machine, on a manual clock: nothing here
// waits for real time, the test moves the clock.
import { ACK, ENQ, EOT, wrapFrame } from "@payspec/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { ConcertLink, ConcertLinkError } from "../src/index.js";
import { createMemorySerialPair } from "../src/testing.js";
import { flush, manualTimers } from "./timers.js";

const MESSAGE = "0100000899110978          A010B010";
const bytes = (chunks: Buffer[]) => [...Buffer.concat(chunks)];
const links: ConcertLink[] = [];
afterEach(() => {
  for (const l of links.splice(0)) l.close();
});

describe("Concert link timers (3 s, injectable clock)", () => {
  it("waits 3 s for ACK to ENQ before it sends EOT and tries again, 3 tries, then fails", async () => {
    const clock = manualTimers();
    const { a } = createMemorySerialPair(); // nobody answers on b
    const sender = new ConcertLink(a, { timers: clock.timers });
    links.push(sender);
    let settled: unknown;
    sender.send(MESSAGE).then(
      () => (settled = "sent"),
      (e: unknown) => (settled = e),
    );
    await flush();
    expect(bytes(a.written)).toEqual([ENQ]);
    clock.advance(2999);
    await flush();
    expect(bytes(a.written)).toEqual([ENQ]); // not yet: the wait is 3 s
    clock.advance(1);
    await flush();
    expect(bytes(a.written)).toEqual([ENQ, EOT, ENQ]);
    clock.advance(3000);
    await flush();
    expect(settled).toBeUndefined();
    clock.advance(3000);
    await flush();
    expect(bytes(a.written)).toEqual([ENQ, EOT, ENQ, EOT, ENQ, EOT]);
    expect(settled).toBeInstanceOf(ConcertLinkError);
    expect((settled as ConcertLinkError).reason).toBe("no-ack-to-enq");
    expect(sender.state).toBe("idle");
  });

  it("sends the frame again when no ACK comes within 3 s, and fails after 3 unanswered frames", async () => {
    const clock = manualTimers();
    const { a, b } = createMemorySerialPair();
    // b ACKs the ENQ only (a receiver that hears ENQ but loses every frame).
    b.tamper = undefined;
    (b as unknown as NodeJS.EventEmitter).on("data", (chunk: Buffer) => {
      if (chunk.includes(ENQ)) b.write(Buffer.of(ACK));
    });
    const sender = new ConcertLink(a, { timers: clock.timers });
    links.push(sender);
    let settled: unknown;
    sender.send(MESSAGE).catch((e: unknown) => (settled = e));
    await flush();
    const frame = [...wrapFrame(MESSAGE)];
    expect(bytes(a.written)).toEqual([ENQ, ...frame]);
    clock.advance(3000);
    await flush();
    expect(bytes(a.written)).toEqual([ENQ, ...frame, ...frame]);
    clock.advance(3000);
    await flush();
    clock.advance(3000);
    await flush();
    expect(bytes(a.written)).toEqual([ENQ, ...frame, ...frame, ...frame, EOT]);
    expect((settled as ConcertLinkError).reason).toBe("frame-not-acknowledged");
  });

  it("ends a received session after 3 s of silence and delivers the ACKed frame (a sender that lost EOT)", async () => {
    const clock = manualTimers();
    const { a, b } = createMemorySerialPair();
    const receiver = new ConcertLink(b, { timers: clock.timers });
    links.push(receiver);
    let got: Buffer | undefined;
    receiver.receive().then((payload) => (got = payload));
    a.write(Buffer.of(ENQ));
    await flush();
    a.write(wrapFrame(MESSAGE));
    await flush();
    expect(bytes(b.written)).toEqual([ACK, ACK]);
    expect(receiver.state).toBe("receiving");
    clock.advance(2999);
    await flush();
    expect(got).toBeUndefined();
    clock.advance(1);
    await flush();
    expect(got?.toString("latin1")).toBe(MESSAGE);
    expect(receiver.state).toBe("idle");
  });

  it("receive({ timeoutMs }) gives up on the clock's time, not before", async () => {
    const clock = manualTimers();
    const { b } = createMemorySerialPair();
    const receiver = new ConcertLink(b, { timers: clock.timers });
    links.push(receiver);
    let settled: unknown;
    receiver.receive({ timeoutMs: 5000 }).catch((e: unknown) => (settled = e));
    clock.advance(4999);
    await flush();
    expect(settled).toBeUndefined();
    clock.advance(1);
    await flush();
    expect((settled as ConcertLinkError).reason).toBe("timeout");
  });
});

describe("Concert link state machine", () => {
  it("goes idle → sending → idle for a send, idle → receiving → idle for a received session, and closed for good", async () => {
    const { a, b } = createMemorySerialPair();
    const sender = new ConcertLink(a, { timeoutMs: 1000 });
    const receiver = new ConcertLink(b, { timeoutMs: 1000 });
    links.push(sender, receiver);
    const seen: string[] = [];
    const sending = sender.send(MESSAGE);
    await flush(1);
    seen.push(`${sender.state}/${receiver.state}`);
    await flush(1);
    seen.push(`${sender.state}/${receiver.state}`);
    await sending;
    const message = await receiver.receive();
    seen.push(`${sender.state}/${receiver.state}`);
    expect(seen).toEqual(["sending/idle", "sending/receiving", "idle/idle"]);
    expect(message.toString("latin1")).toBe(MESSAGE);
    sender.close();
    expect(sender.state).toBe("closed");
    await expect(sender.send(MESSAGE)).rejects.toMatchObject({ reason: "closed" });
    await expect(sender.receive()).rejects.toMatchObject({ reason: "closed" });
  });

  it("rejects a pending receive with reason closed when the link closes", async () => {
    const { b } = createMemorySerialPair();
    const receiver = new ConcertLink(b);
    const waiting = receiver.receive();
    receiver.close();
    await expect(waiting).rejects.toMatchObject({ reason: "closed" });
  });
});
