// Unit rules of the driver that need no gateway: the payment state machine, the amount codec and
// the simulated mPOS reader (card data leaves it only encrypted).
import { describe, expect, it } from "vitest";
import {
  CardReadCancelledError,
  DeviceDisconnectedError,
  type DeviceEvent,
  fromDecimalAmount,
  IllegalTransitionError,
  PAYMENT_TRANSITIONS,
  PaymentMachine,
  type PaymentState,
  SIMULATED_ENCRYPTED_TYPE,
  SimulatedMposDevice,
  toDecimalAmount,
} from "../src/index.js";

const PAN = "4111111111111111";

describe("state machine: only the listed transitions, each end final", () => {
  it("walks the happy path and reports each state", () => {
    const seen: PaymentState[] = [];
    const machine = new PaymentMachine((state) => seen.push(state));
    for (const state of ["reading-card", "sending", "processing", "approved"] as const) machine.to(state);
    expect(seen).toEqual(["reading-card", "sending", "processing", "approved"]);
    expect(machine.done).toBe(true);
  });

  it("throws on an illegal transition and keeps its state", () => {
    const machine = new PaymentMachine();
    expect(() => machine.to("processing")).toThrow(IllegalTransitionError);
    expect(machine.state).toBe("idle");
    machine.to("reading-card");
    machine.to("cancelled");
    expect(() => machine.to("sending")).toThrow(/cancelled → sending/);
  });

  it("cannot reach a second final state: a payment ends once", () => {
    const machine = new PaymentMachine();
    for (const state of ["reading-card", "sending", "processing", "declined"] as const) machine.to(state);
    expect(() => machine.to("approved")).toThrow(IllegalTransitionError);
    for (const end of [
      "approved",
      "declined",
      "error",
      "filtered",
      "cancelled",
      "disconnected",
      "refused",
      "unknown",
    ]) {
      expect(PAYMENT_TRANSITIONS[end as PaymentState]).toEqual([]);
    }
  });

  it("cancelling is possible only before the card data is sent", () => {
    expect(PAYMENT_TRANSITIONS["reading-card"]).toContain("cancelled");
    expect(PAYMENT_TRANSITIONS.sending).not.toContain("cancelled");
    expect(PAYMENT_TRANSITIONS.processing).not.toContain("cancelled");
  });
});

describe("amounts: minor units ↔ Payneteasy's decimal major units", () => {
  it("writes two decimals for EUR, none for JPY, three for KWD", () => {
    expect(toDecimalAmount(1042, "EUR")).toBe("10.42");
    expect(toDecimalAmount(5, "EUR")).toBe("0.05");
    expect(toDecimalAmount(500, "JPY")).toBe("500");
    expect(toDecimalAmount(1234, "KWD")).toBe("1.234");
  });

  it("reads them back, including shortened fractions, and refuses extra decimals", () => {
    expect(fromDecimalAmount("10.42", "EUR")).toBe(1042);
    expect(fromDecimalAmount("10.5", "EUR")).toBe(1050);
    expect(fromDecimalAmount("10", "EUR")).toBe(1000);
    expect(fromDecimalAmount("500", "JPY")).toBe(500);
    expect(() => fromDecimalAmount("1.005", "EUR")).toThrow(RangeError);
    expect(() => toDecimalAmount(1.5, "EUR")).toThrow(RangeError);
  });
});

describe("simulated mPOS reader: the card leaves the device only encrypted", () => {
  it("returns encrypted data that never contains the PAN, a masked PAN and its serial", async () => {
    const device = new SimulatedMposDevice({ pan: PAN, serialNumber: "3A0F5C21" });
    const events: DeviceEvent[] = [];
    const card = await device.readCard({ amount: "10.42", currency: "EUR" }, { onEvent: (e) => events.push(e) });
    expect(card.encryptedData).toMatch(/^[0-9A-F]+$/);
    expect(card.encryptedData).not.toContain(PAN);
    expect(Buffer.from(card.encryptedData, "hex").toString("latin1")).not.toContain(PAN);
    expect(card.maskedPan).toBe("411111XXXXXX1111");
    expect(card).toMatchObject({ encryptedType: SIMULATED_ENCRYPTED_TYPE, deviceSerialNumber: "3A0F5C21" });
    expect(JSON.stringify(events)).not.toContain(PAN);
    expect(events.map((e) => e.type)).toEqual(["display", "waiting-for-card", "card-read", "display"]);
  });

  it("encrypts each read with a fresh IV: two reads of one card differ", async () => {
    const device = new SimulatedMposDevice();
    const a = await device.readCard({ amount: "1.00", currency: "EUR" });
    const b = await device.readCard({ amount: "1.00", currency: "EUR" });
    expect(a.encryptedData).not.toBe(b.encryptedData);
  });

  it("holds a card read for a hold amount until it is cancelled", async () => {
    const device = new SimulatedMposDevice({ holdAmounts: ["7.77"] });
    const controller = new AbortController();
    const reading = device.readCard(
      { amount: "7.77", currency: "EUR" },
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === "waiting-for-card") controller.abort();
        },
      },
    );
    await expect(reading).rejects.toBeInstanceOf(CardReadCancelledError);
  });

  it("drops the link during the next read under disconnectNext, then reads normally", async () => {
    const device = new SimulatedMposDevice();
    device.disconnectNext();
    const events: DeviceEvent[] = [];
    await expect(
      device.readCard({ amount: "1.00", currency: "EUR" }, { onEvent: (e) => events.push(e) }),
    ).rejects.toBeInstanceOf(DeviceDisconnectedError);
    expect(events).toContainEqual({ type: "disconnected", reason: expect.any(String) });
    await expect(device.readCard({ amount: "1.00", currency: "EUR" })).resolves.toHaveProperty("maskedPan");
  });
});
