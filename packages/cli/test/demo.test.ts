import { maskPansInText } from "@payspec/runtime";
import { describe, expect, it } from "vitest";
import { type CliIo, PROTOCOLS, run } from "../src/index.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readInput: async () => new Uint8Array(),
  };
  return { io, out, err };
}

describe("payspec demo", () => {
  it.each(PROTOCOLS)(
    "%s: one payment end to end on the simulator, approved, journalled, with what the customer saw",
    async (protocol) => {
      const { io, out, err } = capture();
      const code = await run(["demo", protocol], io);
      expect(err).toEqual([]);
      expect(code).toBe(0);
      const text = out.join("\n");
      expect(text).toMatch(/^outcome\s+approved/m);
      expect(text).toMatch(/^journal\s.*\(closed\)/m);
      // No full card number reaches the output (a Luhn-valid 13-19 digit run): at most first six and last four digits.
      expect(maskPansInText(text)).toBe(text);
    },
  );

  it("refuses an unknown protocol with a suggestion", async () => {
    const { io, err } = capture();
    expect(await run(["demo", "strip-terminal"], io)).toBe(2);
    expect(err.join("\n")).toContain("did you mean stripe-terminal?");
  });
});
