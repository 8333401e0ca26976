/**
 * Frame scenarios (HiPay Concert): the suite plays the cash register on one end of an in-memory
 * null-modem cable, byte by byte, against the simulated terminal on the other end.
 */
import { ConcertTerminalSimulator, createMemorySerialPair } from "@payspec/hipay-ecr-server";
import { ACK, CONTROL_NAMES, ENQ, EOT, ETX, NAK, STX, wrapFrame } from "@payspec/runtime";
import type { Target } from "./protocols/types.js";
import type { FrameScenario } from "./scenario.js";

const CONTROLS: Record<string, number> = { ENQ, ACK, NAK, EOT, STX, ETX };

function nameOf(byte: number): string {
  return (CONTROL_NAMES as unknown as Record<number, string>)[byte] ?? `0x${byte.toString(16).padStart(2, "0")}`;
}

export async function runFrames(
  scenario: FrameScenario,
  _target: Target,
  _validate: (m: string, v: unknown, e?: string) => string[],
  waitMs = 3000,
): Promise<string[]> {
  const { a, b } = createMemorySerialPair();
  const terminal = new ConcertTerminalSimulator(b, { timeoutMs: 500 });
  const inbox: number[] = [];
  let wake: (() => void) | undefined;
  a.on("data", (chunk: Buffer) => {
    inbox.push(...chunk);
    wake?.();
  });
  const next = async (): Promise<number | undefined> => {
    const deadline = Date.now() + waitMs;
    while (inbox.length === 0) {
      if (Date.now() > deadline) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    return inbox.shift();
  };
  const failures: string[] = [];
  try {
    for (const [i, f] of scenario.frames.entries()) {
      const where = `frame step ${i + 1}`;
      if (f.send?.enq) a.write(Buffer.from([ENQ]));
      if (f.send?.frame !== undefined || f.send?.raw !== undefined) {
        const payload = f.send.raw ?? Object.values(f.send.frame ?? {}).join("");
        const bytes = Buffer.from(wrapFrame(Buffer.from(payload, "latin1")));
        if (f.send.badLrc) bytes[bytes.length - 1] = (bytes[bytes.length - 1]! ^ 0x5a) & 0x7f;
        a.write(bytes);
      }
      if (f.send?.eot) a.write(Buffer.from([EOT]));
      if (f.expect?.control) {
        const want = CONTROLS[f.expect.control];
        const got = await next();
        if (got !== want) {
          failures.push(`${where}: expected ${f.expect.control}, got ${got === undefined ? "nothing" : nameOf(got)}`);
          break;
        }
      }
      if (f.expect?.frame !== undefined) {
        // the terminal opens its session: ENQ → we ACK → STX payload ETX LRC → we ACK → EOT
        const enq = await next();
        if (enq !== ENQ) {
          failures.push(`${where}: expected the terminal's ENQ, got ${enq === undefined ? "nothing" : nameOf(enq)}`);
          break;
        }
        a.write(Buffer.from([ACK]));
        const stx = await next();
        const payload: number[] = [];
        let byte = await next();
        while (byte !== undefined && byte !== ETX) {
          payload.push(byte);
          byte = await next();
        }
        const lrcByte = await next();
        if (stx !== STX || byte !== ETX || lrcByte === undefined) {
          failures.push(`${where}: expected a frame, got a cut one`);
          break;
        }
        const check = wrapFrame(Buffer.from(payload));
        if (check[check.length - 1] !== lrcByte) failures.push(`${where}: the terminal's frame has a wrong LRC`);
        a.write(Buffer.from([ACK]));
        const text = Buffer.from(payload).toString("latin1");
        if (!new RegExp(f.expect.frame).test(text))
          failures.push(`${where}: frame ${JSON.stringify(text)} does not match /${f.expect.frame}/`);
        const eot = await next();
        if (eot !== EOT)
          failures.push(`${where}: expected EOT after the frame, got ${eot === undefined ? "nothing" : nameOf(eot)}`);
      }
      if (failures.length > 0) break;
    }
  } finally {
    (terminal as unknown as { close?: () => void }).close?.();
  }
  return failures;
}
