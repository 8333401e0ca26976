// Every runtime decoder under random and hostile input (bounded for CI; the full run uses 100,000 per codec), and
// serial line noise on the Concert frame reader.
import { describe, expect, it } from "vitest";
import { CODECS, fuzzCodec, lineNoise } from "../src/codecs.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

describe.each(CODECS)("%s decoder", (codec) => {
  it(`answers ${RUNS} random and hostile inputs with a value or a CodecError, never another exception`, () => {
    const report = fuzzCodec(codec, { runs: RUNS, seed: SEED });
    expect(report.escaped.slice(0, 5), `seed ${SEED}`).toEqual([]);
    expect(report.decoded + report.refused).toBe(RUNS);
    // The campaign exercised both paths (otherwise the generator is not reaching the decoder).
    expect(report.refused).toBeGreaterThan(0);
  });
});

describe("Concert frames under line noise", () => {
  it("never delivers a frame with a flipped or dropped byte as good: the LRC catches it and the link NAKs", () => {
    const report = lineNoise({ runs: RUNS * 2, seed: SEED });
    expect(report.corruptedAccepted).toBe(0);
    expect(report.corruptedRejected).toBeGreaterThan(RUNS / 2);
    expect(report.intact).toBeGreaterThan(0);
  });
});
