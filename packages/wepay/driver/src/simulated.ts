/**
 * A simulated Moby 5500 (Bluetooth) / RP457c (audio jack) card reader and its transports, for tests,
 * demos and development without hardware. The customer's behaviour is a script per card wait (default:
 * dip a chip card); `"wait"` leaves the reader waiting until the read is stopped, timed out or cancelled.
 * Tests drive it with `present(signal)`, `updateFirmware(version)` and `disconnect()`.
 */
import { randomBytes } from "node:crypto";
import type { CardAuthorization, CardReader, CardReaderKind } from "@payspec/wepay-types";
import type { CardData, CardReaderTransport, ReaderLink, ReaderSignal, TransactionAmount } from "./transport.js";

/** What the simulated customer does when the reader waits for a card. */
export type CustomerScript = (amount: TransactionAmount) => readonly ReaderSignal[] | "wait";

/** A chip card dipped: the default customer. */
export const DIP_CHIP_CARD: readonly ReaderSignal[] = Object.freeze([
  { type: "card-inserted", card: { entry: "dip", chip: true, maskedPan: "476173******0119" } },
]);

export interface SimulatedCardReaderOptions {
  /** Default `moby_5500`. */
  readonly kind?: "moby_5500" | "rp457c";
  /** Device name; default `MOB55-00000001` (Moby) or `AUDIOJACK` (RP457c). */
  readonly name?: string;
  readonly firmwareVersion?: string;
  readonly batteryLevel?: number;
  readonly serialNumber?: string;
  readonly customer?: CustomerScript;
  /**
   * Checks the session token when authorizing (what WePay does for the SDK). With the WePay simulator:
   * `(t) => sim.state.useSessionToken(t).ok`. Default: accepted.
   */
  readonly acceptSessionToken?: (sessionToken: string) => boolean;
}

/** One simulated reader. */
export class SimulatedCardReader {
  readonly kind: "moby_5500" | "rp457c";
  readonly name: string;
  #firmware: string;
  #connected = false;
  #onSignal: ((signal: ReaderSignal) => void) | undefined;
  readonly #options: SimulatedCardReaderOptions;
  /** How many times the configuration profile was uploaded. */
  configurations = 0;
  /** Encoded payment methods this reader produced, in order. */
  readonly authorizations: CardAuthorization[] = [];

  constructor(options: SimulatedCardReaderOptions = {}) {
    this.#options = options;
    this.kind = options.kind ?? "moby_5500";
    this.name = options.name ?? (this.kind === "moby_5500" ? "MOB55-00000001" : "AUDIOJACK");
    this.#firmware = options.firmwareVersion ?? "1.0.0";
  }

  /** The reader as the SDK lists it. */
  get info(): CardReader {
    return this.kind === "moby_5500"
      ? {
          name: this.name,
          kind: "moby_5500" satisfies CardReaderKind,
          transport: "bluetooth",
          pairing_method: "led_sequence",
          battery_level: this.#options.batteryLevel ?? 80,
          ...(this.#options.serialNumber === undefined ? {} : { serial_number: this.#options.serialNumber }),
        }
      : { name: this.name, transport: "audio_jack", pairing_method: "bluetooth_settings" };
  }

  get firmwareVersion(): string {
    return this.#firmware;
  }

  /** True while the reader waits for a card. */
  get waiting(): boolean {
    return this.#onSignal !== undefined;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** Installs new firmware: the next check configures the reader again. */
  updateFirmware(version: string): void {
    this.#firmware = version;
  }

  /** Delivers a raw signal as if the customer did something (only while waiting for a card). */
  present(signal: ReaderSignal): void {
    if (this.#onSignal === undefined) throw new Error("the simulated reader is not waiting for a card");
    this.#onSignal(signal);
  }

  /** Drops the link (out of range, jack pulled). */
  disconnect(): void {
    const listener = this.#onSignal;
    this.#connected = false;
    this.#onSignal = undefined;
    listener?.({ type: "disconnected" });
  }

  /** @internal the link a transport opens */
  link(): ReaderLink {
    this.#connected = true;
    const reader = this;
    return {
      reader: reader.info,
      firmwareVersion: () => reader.#firmware,
      async configure() {
        if (!reader.#connected) throw new Error("reader not connected");
        reader.configurations += 1;
      },
      ledSequence: () => ["blue", "green", "blue", "red"],
      startCardWait(amount, onSignal) {
        if (!reader.#connected) {
          queueMicrotask(() => onSignal({ type: "disconnected" }));
          return;
        }
        reader.#onSignal = onSignal;
        const script = reader.#options.customer?.(amount) ?? DIP_CHIP_CARD;
        if (script === "wait") return;
        const signals = [...script];
        const next = () => {
          const signal = signals.shift();
          if (signal === undefined || reader.#onSignal !== onSignal) return;
          onSignal(signal);
          setImmediate(next);
        };
        setImmediate(next);
      },
      stopCardWait() {
        reader.#onSignal = undefined;
      },
      async authorize(card: CardData, amount: TransactionAmount, sessionToken: string): Promise<CardAuthorization> {
        if (!reader.#connected) throw new Error("reader not connected");
        if (reader.#options.acceptSessionToken !== undefined && !reader.#options.acceptSessionToken(sessionToken))
          throw new Error("WePay refused the session token");
        void card;
        const authorization: CardAuthorization = {
          encoded_payment_method: `sim_epm_${randomBytes(16).toString("hex")}`,
          amount: amount.amount,
          currency: amount.currency,
        };
        reader.authorizations.push(authorization);
        return authorization;
      },
      async close() {
        reader.#connected = false;
        reader.#onSignal = undefined;
      },
    };
  }
}

/**
 * A simulated transport: Bluetooth lists Moby 5500 readers; the audio jack lists `AUDIOJACK` for an
 * RP457c or for headphones (`headphones: true`), which cannot be opened as a reader.
 */
export function simulatedTransport(
  kind: "bluetooth" | "audio_jack",
  readers: readonly SimulatedCardReader[],
  options: { headphones?: boolean } = {},
): CardReaderTransport {
  return {
    kind,
    async discover() {
      const list: CardReader[] = readers
        .filter((r) => (kind === "bluetooth" ? r.kind === "moby_5500" : r.kind === "rp457c"))
        .map((r) => r.info);
      if (kind === "audio_jack" && options.headphones === true)
        list.push({ name: "AUDIOJACK", transport: "audio_jack" });
      return list;
    },
    async open(info) {
      const reader = readers.find((r) => r.name === info.name && r.info.transport === kind);
      if (reader === undefined) throw new Error(`${info.name} is not a card reader (headphones?)`);
      return reader.link();
    },
  };
}
