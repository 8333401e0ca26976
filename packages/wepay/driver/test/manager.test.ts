// The card-reader manager with simulated Moby 5500 / RP457c readers; session tokens from the WePay simulator.
import type { WePayClient } from "@payspec/wepay-client";
import type { RunningWePaySimulator } from "@payspec/wepay-server";
import { validateCardReaderSelectionRequested } from "@payspec/wepay-validators";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CARD_TIMEOUT_MS,
  CardReadCancelledError,
  CardReaderManager,
  type CardReaderManagerOptions,
  MemoryReaderStore,
  SessionManager,
  SimulatedCardReader,
  type SimulatedCardReaderOptions,
  simulatedTransport,
  WePayDriverError,
} from "../src/index.js";
import { ACCOUNT, FakeTimers, startSim, statusLog, tick } from "./helpers.js";

let sim: RunningWePaySimulator;
let client: WePayClient;
beforeEach(async () => {
  ({ sim, client } = await startSim());
});
afterEach(() => sim.close());

const amount = { amount: 2500, currency: "USD", accountId: ACCOUNT };

function setup(readerOptions: SimulatedCardReaderOptions = {}, extra: Partial<CardReaderManagerOptions> = {}) {
  const reader = new SimulatedCardReader({
    ...readerOptions,
    acceptSessionToken: (t) => sim.state.useSessionToken(t).ok,
  });
  const log = statusLog();
  const timers = new FakeTimers();
  const session = new SessionManager({ client, accountId: ACCOUNT, activate: (t) => sim.state.useSessionToken(t).ok });
  const manager = new CardReaderManager({
    transports: [simulatedTransport("bluetooth", [reader]), simulatedTransport("audio_jack", [reader])],
    session,
    timers,
    onStatus: log.onStatus,
    ...extra,
  });
  return { reader, manager, timers, statuses: log.statuses };
}

describe("rule: the reader status sequence", () => {
  it("first connect searches, connects, checks and configures; a read waits, dips, tokenizes and authorizes", async () => {
    const { manager, statuses } = setup();
    await manager.connect();
    expect(statuses).toEqual([
      "searching for reader",
      "card reader connected",
      "checking reader",
      "configuring reader",
    ]);
    expect(manager.state).toBe("ready");
    statuses.length = 0;
    const read = await manager.readCard(amount);
    expect(statuses).toEqual(["checking reader", "waiting for card", "card dipped", "tokenizing", "authorizing"]);
    expect(read.authorization).toMatchObject({ amount: 2500, currency: "USD" });
    expect(read.authorization.encoded_payment_method).toMatch(/^sim_epm_/);
    expect(read.maskedPan).toMatch(/^\d{6}\*+\d{4}$/);
    expect(manager.state).toBe("ready");
  });
});

describe("rule: configuration on first use and after a firmware update", () => {
  it("configures once per firmware version, again after an update, and again after a reinstall (new store)", async () => {
    const store = new MemoryReaderStore();
    const { reader, manager } = setup({}, { store });
    await manager.connect();
    await manager.readCard(amount);
    expect(reader.configurations).toBe(1);
    reader.updateFirmware("1.1.0");
    const log = statusLog();
    const again = new CardReaderManager({
      transports: [simulatedTransport("bluetooth", [reader])],
      session: new SessionManager({ client, accountId: ACCOUNT }),
      store,
      onStatus: log.onStatus,
    });
    await again.connect();
    expect(reader.configurations).toBe(2);
    expect(log.statuses).toContain("configuring reader");
    await again.disconnect();
    // a reinstalled app starts with an empty store: the reader is configured again
    const fresh = new CardReaderManager({
      transports: [simulatedTransport("bluetooth", [reader])],
      session: new SessionManager({ client, accountId: ACCOUNT }),
      store: new MemoryReaderStore(),
    });
    await fresh.connect();
    expect(reader.configurations).toBe(3);
  });

  it("a firmware update between two reads configures the reader before the next card wait", async () => {
    const { reader, manager, statuses } = setup();
    await manager.connect();
    reader.updateFirmware("2.0.0");
    statuses.length = 0;
    await manager.readCard(amount);
    expect(statuses.slice(0, 3)).toEqual(["checking reader", "configuring reader", "waiting for card"]);
    expect(reader.configurations).toBe(2);
  });
});

describe("rule: remembered reader (get / forget) and selection", () => {
  it("remembers the last reader connected, forgets it on request, and prefers it when selecting", async () => {
    const store = new MemoryReaderStore();
    const { manager } = setup({ name: "MOB55-11111111" }, { store });
    expect(manager.getRememberedCardReader()).toEqual({ name: null });
    await manager.connect();
    expect(manager.getRememberedCardReader()).toEqual({ name: "MOB55-11111111", kind: "moby_5500" });
    manager.forgetRememberedCardReader();
    expect(manager.getRememberedCardReader()).toEqual({ name: null });
  });

  it("lists every device found (headphones in the jack too) and by default does not pick AUDIOJACK", async () => {
    const moby = new SimulatedCardReader({ name: "MOB55-22222222" });
    let listed: unknown;
    const manager = new CardReaderManager({
      transports: [simulatedTransport("audio_jack", [], { headphones: true }), simulatedTransport("bluetooth", [moby])],
      session: new SessionManager({ client, accountId: ACCOUNT }),
      selectReader: (request) => {
        listed = request;
        return { selected_index: request.readers.findIndex((r) => r.name !== "AUDIOJACK") };
      },
    });
    await manager.connect();
    expect(validateCardReaderSelectionRequested(listed)).toBe(true);
    expect((listed as { readers: { name: string }[] }).readers.map((r) => r.name)).toEqual([
      "AUDIOJACK",
      "MOB55-22222222",
    ]);
    expect(manager.reader?.name).toBe("MOB55-22222222");
  });

  it("an index outside the list is WPErrorInvalidCardReaderSelection", async () => {
    const { manager } = setup({}, { selectReader: () => ({ selected_index: 5 }) });
    await expect(manager.connect()).rejects.toMatchObject({ iosName: "WPErrorInvalidCardReaderSelection" });
    expect(manager.state).toBe("disconnected");
  });
});

describe("rule: Moby 5500 pairing is confirmed by the LED sequence", () => {
  it("asks once per reader; a refused confirmation does not connect", async () => {
    const asked: unknown[] = [];
    const refused = setup(
      {},
      {
        confirmPairing: (r) => {
          asked.push(r);
          return { confirmed: false };
        },
      },
    );
    await expect(refused.manager.connect()).rejects.toMatchObject({ iosName: "WPErrorCardReaderUnableToConnect" });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ reader: { pairing_method: "led_sequence" }, led_sequence: expect.any(Array) });
    const store = new MemoryReaderStore();
    const ok = setup(
      {},
      {
        store,
        confirmPairing: (r) => {
          asked.push(r);
          return { confirmed: true };
        },
      },
    );
    await ok.manager.connect();
    await ok.manager.disconnect();
    await ok.manager.connect();
    expect(asked).toHaveLength(2); // paired once, not asked again
  });
});

describe("rule: 60-second card timeout (injectable timers)", () => {
  it("no card within 60 s stops the reader with WPErrorCardReaderTimeout (-10018)", async () => {
    const { manager, timers, statuses } = setup({ customer: () => "wait" });
    await manager.connect();
    const reading = manager.readCard(amount).catch((e: unknown) => e);
    while (!statuses.includes("waiting for card")) await tick();
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([CARD_TIMEOUT_MS]);
    timers.fireAll();
    const error = (await reading) as WePayDriverError;
    expect(error).toBeInstanceOf(WePayDriverError);
    expect(error.sdkError).toMatchObject({ code: -10018, android_name: "CARD_READER_TIME_OUT_ERROR" });
    expect(statuses.at(-1)).toBe("stopped");
    expect(manager.state).toBe("ready");
  });

  it("each new prompt (swipe again) restarts the 60 s", async () => {
    const { reader, manager, timers } = setup({ customer: () => "wait" });
    await manager.connect();
    const reading = manager.readCard(amount);
    while (!reader.waiting) await tick();
    const before = [...timers.pending.keys()];
    reader.present({ type: "swipe-error" });
    const after = [...timers.pending.keys()];
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    reader.present({ type: "card-inserted", card: { entry: "dip", chip: true } });
    await expect(reading).resolves.toMatchObject({ entry: "dip" });
    expect(timers.pending.size).toBe(0);
  });
});

describe("rule: dip after swipe", () => {
  it("a swiped chip card is refused until dipped; three failed dips allow the swipe", async () => {
    const chip = { entry: "swipe" as const, chip: true };
    const { reader, manager, statuses } = setup({ customer: () => "wait" });
    await manager.connect();
    const reading = manager.readCard(amount);
    while (!reader.waiting) await tick();
    reader.present({ type: "card-swiped", card: chip });
    expect(statuses.at(-1)).toBe("should not swipe EMV card");
    for (let i = 0; i < 3; i++) reader.present({ type: "chip-error" });
    expect(statuses.at(-1)).toBe("chip error, swipe card");
    reader.present({ type: "card-swiped", card: chip });
    await expect(reading).resolves.toMatchObject({ entry: "swipe" });
    expect(statuses).toContain("swipe detected");
  });
});

describe("rule: stop and disconnect", () => {
  it("aborting while waiting for the card stops the reader: CardReadCancelledError, nothing authorized", async () => {
    const { reader, manager, statuses } = setup({ customer: () => "wait" });
    await manager.connect();
    const controller = new AbortController();
    const reading = manager.readCard(amount, controller.signal);
    while (!reader.waiting) await tick();
    controller.abort();
    await expect(reading).rejects.toBeInstanceOf(CardReadCancelledError);
    expect(statuses.at(-1)).toBe("stopped");
    expect(reader.authorizations).toHaveLength(0);
    expect(manager.state).toBe("ready");
  });

  it("a reader that drops while waiting ends the read with WPErrorCardReaderNotConnected (-10034)", async () => {
    const { reader, manager, statuses } = setup({ customer: () => "wait" });
    await manager.connect();
    const reading = manager.readCard(amount);
    while (!reader.waiting) await tick();
    reader.disconnect();
    const error = (await reading.catch((e: unknown) => e)) as WePayDriverError;
    expect(error.sdkError).toMatchObject({ code: -10034, ios_name: "WPErrorCardReaderNotConnected" });
    expect(statuses.at(-1)).toBe("card reader not connected");
    expect(manager.state).toBe("disconnected");
    await expect(manager.readCard(amount)).rejects.toMatchObject({ iosName: "WPErrorCardReaderNotConnected" });
  });

  it("refuses a non-USD currency and a bad amount before the reader waits", async () => {
    const { manager } = setup();
    await manager.connect();
    await expect(manager.readCard({ ...amount, currency: "EUR" })).rejects.toMatchObject({
      iosName: "WPErrorInvalidTransactionCurrencyCode",
    });
    await expect(manager.readCard({ ...amount, amount: 0 })).rejects.toMatchObject({
      iosName: "WPErrorInvalidTransactionAmount",
    });
  });
});
