// The transaction driver against the simulated terminal on an in-memory line: a debit and its
// answer, one transaction at a time, cancellation, late answers skipped, and which failures
// prove that nothing was charged.
import { ConcertAnswerFrame, type ConcertRequest } from "@payspec/hipay-ecr-types";
import { encodeFrame } from "@payspec/runtime";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConcertBusyError,
  ConcertDriver,
  type ConcertDriverState,
  ConcertLink,
  ConcertTransactionError,
  encodeConcertRequest,
  parseConcertAnswer,
} from "../src/index.js";
import { type ConcertTerminalOptions, ConcertTerminalSimulator, createMemorySerialPair } from "../src/testing.js";

const closers: { close(): void }[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c.close();
});

function setup(terminalOptions: ConcertTerminalOptions | false = {}) {
  const { a, b } = createMemorySerialPair();
  const driver = new ConcertDriver(a, { timeoutMs: 200, answerTimeoutMs: 2000 });
  closers.push(driver);
  const terminal =
    terminalOptions === false ? undefined : new ConcertTerminalSimulator(b, { timeoutMs: 200, ...terminalOptions });
  if (terminal) closers.push(terminal);
  return { a, b, driver, terminal };
}

const debit = (overrides: Partial<ConcertRequest> = {}): ConcertRequest => ({
  pos: "01",
  amount: "00000899",
  answerFlag: "1",
  mode: "1",
  type: "0",
  currency: "978",
  private: "0000000001",
  delay: "A010",
  auto: "B010",
  ...overrides,
});

describe("ConcertDriver", () => {
  it("runs a debit: the terminal answers status 0 with the request's amount, currency and private data", async () => {
    const { driver, terminal } = setup();
    const states: ConcertDriverState[] = [];
    const answer = await driver.transact(debit(), { onTaken: () => states.push(driver.state) });
    expect(answer).toMatchObject({
      pos: "01",
      status: "0",
      amount: "00000899",
      currency: "978",
      private: "0000000001",
    });
    expect(terminal?.requests).toEqual([debit()]);
    expect(states).toEqual(["awaiting-answer"]);
    expect(driver.state).toBe("idle");
  });

  it("answers status 7 for a refused card (test amount x.07)", async () => {
    const { driver } = setup();
    await expect(driver.transact(debit({ amount: "00000107" }))).resolves.toMatchObject({ status: "7" });
  });

  it("refuses a second transaction while one runs (the terminal does one at a time)", async () => {
    const { driver } = setup({ delayMs: 50 });
    const first = driver.transact(debit());
    await expect(driver.transact(debit({ private: "0000000002" }))).rejects.toBeInstanceOf(ConcertBusyError);
    await expect(first).resolves.toMatchObject({ status: "0" });
  });

  it("cancels the transaction waiting for the card: the answer is status 7", async () => {
    const { driver } = setup();
    let taken!: () => void;
    const waiting = new Promise<void>((resolve) => (taken = resolve));
    const paying = driver.transact(debit({ amount: "00000598" }), { onTaken: () => taken() }); // x.98: never completes
    await waiting;
    await expect(driver.cancel()).resolves.toBe(true);
    await expect(paying).resolves.toMatchObject({ status: "7", private: "0000000001" });
    await expect(driver.cancel()).resolves.toBe(false); // nothing runs any more
  });

  it("skips an answer that does not echo its private data (a late answer of an earlier transaction)", async () => {
    const { b, driver } = setup(false);
    const terminal = new ConcertLink(b, { timeoutMs: 200, yieldOnCollision: true });
    closers.push(terminal);
    const paying = driver.transact(debit({ private: "0000000002" }));
    const request = await terminal.receive();
    const answer = (privateData: string, status: string) =>
      encodeFrame(ConcertAnswerFrame.fields, {
        pos: "01",
        status,
        amount: "00000899",
        mode: "1",
        rep: " ".repeat(55),
        currency: "978",
        private: privateData,
      });
    expect(parseConcertAnswer(Buffer.from(answer("0000000001", "0"), "latin1"))).toBeDefined();
    await terminal.send(answer("0000000001", "0")); // stale
    await terminal.send(answer("0000000002", "7"));
    await expect(paying).resolves.toMatchObject({ status: "7", private: "0000000002" });
    expect(request.toString("latin1")).toBe(encodeConcertRequest(debit({ private: "0000000002" })));
  });

  it("a terminal that never answers ENQ did not take the request: stage send, notDelivered", async () => {
    const { driver } = setup(false);
    const error = await driver.transact(debit()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcertTransactionError);
    expect(error).toMatchObject({ stage: "send", notDelivered: true, cause: { reason: "no-ack-to-enq" } });
    expect(driver.state).toBe("idle");
  });

  it("a terminal that took the request and never answered leaves the outcome unknown: stage answer", async () => {
    const { driver } = setup({ fault: "silent" });
    const error = await driver.transact(debit(), { answerTimeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ stage: "answer", notDelivered: false, cause: { reason: "timeout" } });
  });

  it("a cut serial line after the request was taken leaves the outcome unknown", async () => {
    const { driver, terminal } = setup({ fault: "disconnect" });
    const error = await driver.transact(debit(), { answerTimeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ stage: "answer", notDelivered: false });
    expect(terminal?.unplugged).toBe(true);
    expect(terminal?.charges).toEqual([]);
  });

  it("stops waiting when the caller aborts, and when the driver closes", async () => {
    const { driver } = setup({ fault: "silent" });
    const controller = new AbortController();
    const paying = driver.transact(debit(), { signal: controller.signal, onTaken: () => controller.abort() });
    await expect(paying).rejects.toMatchObject({ stage: "answer", cause: { reason: "aborted" } });
    const again = driver.transact(debit({ private: "0000000002" }), { onTaken: () => driver.close() });
    await expect(again).rejects.toMatchObject({ stage: "answer" });
    expect(driver.state).toBe("closed");
    await expect(driver.transact(debit())).rejects.toBeInstanceOf(ConcertTransactionError);
  });
});
