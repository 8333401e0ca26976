// The simulated Concert terminal: takes a ConcertRequest frame, answers a ConcertAnswer frame in a
// session of its own, by the documented test amounts (README table) or a fault.
import {
  type ConcertAnswer,
  ConcertAnswerFrame,
  type ConcertRequest,
  ConcertRequestFrame,
} from "@payspec/hipay-ecr-types";
import { validateConcertAnswer } from "@payspec/hipay-ecr-validators";
import { decodeFrame, encodeFrame } from "@payspec/runtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConcertLink, type ConcertLinkError } from "../src/index.js";
import {
  type ConcertTerminalOptions,
  ConcertTerminalSimulator,
  createMemorySerialPair,
  SIMULATOR_REP_FIELDS,
} from "../src/testing.js";

const closers: { close(): void }[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c.close();
});

function setup(options: ConcertTerminalOptions = {}) {
  const { a, b } = createMemorySerialPair();
  const ecr = new ConcertLink(a, { timeoutMs: 2000 });
  const terminal = new ConcertTerminalSimulator(b, { timeoutMs: 2000, ...options });
  closers.push(ecr, terminal);
  return { ecr, terminal };
}

function request(overrides: Partial<ConcertRequest> = {}): ConcertRequest {
  return {
    pos: "01",
    amount: "00000899",
    answerFlag: "1",
    mode: "1",
    type: "0",
    currency: "978",
    private: "0000000042",
    delay: "A010",
    auto: "B010",
    ...overrides,
  };
}

const encode = (r: ConcertRequest) => encodeFrame(ConcertRequestFrame.fields, r as unknown as Record<string, string>);

async function answerOf(ecr: ConcertLink): Promise<ConcertAnswer> {
  const value = decodeFrame(ConcertAnswerFrame.fields, await ecr.receive({ timeoutMs: 4000 }), { keepPadding: true });
  if (!validateConcertAnswer(value))
    throw new Error(`not a ConcertAnswer: ${JSON.stringify(validateConcertAnswer.errors)}`);
  return value;
}

describe("Concert terminal simulator", () => {
  it("accepts a debit with status 0, echoing pos, amount, mode, currency and private data", async () => {
    const { ecr, terminal } = setup({ now: () => new Date(2020, 3, 3, 8, 30, 11) });
    await ecr.send(encode(request()));
    const answer = await answerOf(ecr);
    expect(answer).toMatchObject({
      pos: "01",
      status: "0",
      amount: "00000899",
      mode: "1",
      currency: "978",
      private: "0000000042",
    });
    expect(answer.rep).toHaveLength(55);
    expect(decodeFrame(SIMULATOR_REP_FIELDS, answer.rep)).toMatchObject({
      localDate: "030420",
      localTime: "083011",
      transactionNumber: "000001",
      primaryAccountNumber: "123456XXXXXX7890",
      readingMode: "C",
      label: "MASTERCARD",
    });
    expect(terminal.requests).toEqual([request()]);
  });

  it("refuses the test amount x.07 with status 7 and a blank rep", async () => {
    const { ecr } = setup();
    await ecr.send(encode(request({ amount: "00000107" })));
    const answer = await answerOf(ecr);
    expect(answer).toMatchObject({ status: "7", amount: "00000107", rep: " ".repeat(55) });
  });

  it("refuses every amount under the decline fault, and accepts again once it is cleared", async () => {
    const { ecr, terminal } = setup({ fault: "decline" });
    await ecr.send(encode(request()));
    expect((await answerOf(ecr)).status).toBe("7");
    terminal.fault = undefined;
    await ecr.send(encode(request({ private: "0000000043" })));
    expect(await answerOf(ecr)).toMatchObject({ status: "0", private: "0000000043" });
  });

  it("answers a cancellation (type 2) of the transaction in progress by refusing that transaction", async () => {
    const { ecr, terminal } = setup();
    await ecr.send(encode(request({ amount: "00000598" }))); // x.98: the customer never completes
    await vi.waitFor(() => expect(terminal.busy).toBe(true));
    await ecr.send(encode(request({ amount: "00000598", type: "2" })));
    expect(await answerOf(ecr)).toMatchObject({ status: "7", amount: "00000598", private: "0000000042" });
    expect(terminal.busy).toBe(false);
    // one answer only
    const more = await ecr.receive({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect((more as ConcertLinkError).reason).toBe("timeout");
  });

  it("accepts a cancellation (type 2) when no transaction is in progress, echoing its amount", async () => {
    const { ecr } = setup();
    await ecr.send(encode(request({ type: "2", amount: "00001500" })));
    expect(await answerOf(ecr)).toMatchObject({ status: "0", amount: "00001500", rep: " ".repeat(55) });
  });

  it("ACKs a frame that is not a ConcertRequest but does not answer it", async () => {
    const { ecr, terminal } = setup();
    await ecr.send("HELLO");
    const none = await ecr.receive({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect((none as ConcertLinkError).reason).toBe("timeout");
    expect(terminal.requests).toEqual([]);
  });

  it("answers only after its delay: the transaction is in progress meanwhile", async () => {
    const { ecr, terminal } = setup({ delayMs: 1000 });
    await ecr.send(encode(request()));
    await vi.waitFor(() => expect(terminal.requests).toHaveLength(1));
    expect(terminal.busy).toBe(true);
    expect((await answerOf(ecr)).status).toBe("0");
    expect(terminal.busy).toBe(false);
  });
});
