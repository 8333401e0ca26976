/**
 * The mPOS reader (seed 002, "mPOS API"): a device that reads the card and hands over its data
 * encrypted with a key installed in the device, so the card number never exists in clear outside
 * it. The mobile app only forwards the encrypted blob to the sale or preauth request
 * (`encrypted-data`, `encrypted-type`, `device-serial-number`; wire names unconfirmed, spec
 * transactions.tsp). A real reader is driven through the vendor's SDK; `MposDevice` is the seam.
 */
import { createCipheriv, randomBytes } from "node:crypto";
import { maskPan } from "@payspec/runtime";
import type { PayerDetails } from "./driver.js";

/** What the reader is asked to collect a card for. */
export interface CardReadRequest {
  /** Major units, as shown on the reader (`10.42`). */
  readonly amount: string;
  readonly currency: string;
}

/** What the reader reports while it works. */
export type DeviceEvent =
  | { readonly type: "display"; readonly lines: readonly string[] }
  | { readonly type: "waiting-for-card" }
  | { readonly type: "card-read"; readonly maskedPan: string }
  | { readonly type: "disconnected"; readonly reason: string };

/** The card data as the reader hands it over: encrypted, plus what may be shown. */
export interface EncryptedCardData {
  /** `encrypted-data` of the sale request: opaque outside the device. */
  readonly encryptedData: string;
  /** `encrypted-type` of the sale request. */
  readonly encryptedType: string;
  /** `device-serial-number` of the sale request. */
  readonly deviceSerialNumber: string;
  /** First 6 / last 4 digits at most. */
  readonly maskedPan: string;
}

export interface ReadCardOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DeviceEvent) => void;
}

/** One mPOS reader. `readCard` waits for a card, or rejects when cancelled or disconnected. */
export interface MposDevice {
  readonly serialNumber: string;
  readCard(request: CardReadRequest, options?: ReadCardOptions): Promise<EncryptedCardData>;
}

/** The card read was stopped (abort) before any card data left the device: nothing was sent. */
export class CardReadCancelledError extends Error {
  override readonly name = "CardReadCancelledError";
}

/** The reader dropped its link while reading: nothing was sent. */
export class DeviceDisconnectedError extends Error {
  override readonly name = "DeviceDisconnectedError";
}

export interface SimulatedMposDeviceOptions {
  /** Default `3A0F5C21` (the spec's example). */
  serialNumber?: string;
  /** The test card in the reader (default Visa `4111111111111111`); it never leaves the device in clear. */
  pan?: string;
  /** Expiry `YYMM` (default `3012`). */
  expiry?: string;
  /** The key installed in the reader (32 bytes; default random per device). */
  key?: Uint8Array;
  /**
   * Amounts (major units, `"10.42"`) for which no card is ever presented: the read waits until
   * it is cancelled through its AbortSignal. Lets a test cancel a payment waiting for the card.
   */
  holdAmounts?: readonly string[];
  /** Waits before the card is "presented"; injectable (default: next tick). */
  presentCard?: (signal: AbortSignal | undefined) => Promise<void>;
}

/** `encrypted-type` the simulated reader writes (Payspec's own: AES-256-GCM, iv | ciphertext | tag, hex). */
export const SIMULATED_ENCRYPTED_TYPE = "PAYSPEC-AES256GCM";

/**
 * A simulated mPOS reader: shows the amount, waits for the card, then returns its track data
 * encrypted with the reader's key (AES-256-GCM, a fresh IV per read). Faults for tests:
 * `disconnectNext()` drops the link during the next read; `holdAmounts` never present a card.
 */
export class SimulatedMposDevice implements MposDevice {
  readonly serialNumber: string;
  readonly #pan: string;
  readonly #expiry: string;
  readonly #key: Uint8Array;
  readonly #hold: ReadonlySet<string>;
  readonly #present: (signal: AbortSignal | undefined) => Promise<void>;
  #disconnectNext = false;
  #reads = 0;

  constructor(options: SimulatedMposDeviceOptions = {}) {
    this.serialNumber = options.serialNumber ?? "3A0F5C21";
    this.#pan = options.pan ?? "4111111111111111";
    this.#expiry = options.expiry ?? "3012";
    this.#key = options.key ?? randomBytes(32);
    if (this.#key.length !== 32) throw new RangeError("key must be 32 bytes");
    this.#hold = new Set(options.holdAmounts ?? []);
    this.#present = options.presentCard ?? ((signal) => abortable(new Promise((r) => setImmediate(r)), signal));
  }

  /** Reads started so far. */
  get reads(): number {
    return this.#reads;
  }

  /** The next read loses the reader's link after it starts waiting for the card. */
  disconnectNext(): void {
    this.#disconnectNext = true;
  }

  async readCard(request: CardReadRequest, options: ReadCardOptions = {}): Promise<EncryptedCardData> {
    const { signal, onEvent } = options;
    this.#reads++;
    if (signal?.aborted) throw new CardReadCancelledError("card read cancelled");
    onEvent?.({ type: "display", lines: [`${request.currency} ${request.amount}`, "PRESENT CARD"] });
    onEvent?.({ type: "waiting-for-card" });
    if (this.#disconnectNext) {
      this.#disconnectNext = false;
      onEvent?.({ type: "disconnected", reason: "mPOS reader link lost" });
      throw new DeviceDisconnectedError("the mPOS reader disconnected while waiting for the card");
    }
    try {
      if (this.#hold.has(request.amount)) await abortable(new Promise<void>(() => {}), signal);
      else await this.#present(signal);
    } catch (error) {
      if (signal?.aborted) {
        onEvent?.({ type: "display", lines: ["CANCELLED"] });
        throw new CardReadCancelledError("card read cancelled", { cause: error });
      }
      throw error;
    }
    const masked = maskPan(this.#pan);
    onEvent?.({ type: "card-read", maskedPan: masked });
    onEvent?.({ type: "display", lines: ["CARD READ", "PROCESSING"] });
    return {
      encryptedData: this.#encrypt(`;${this.#pan}=${this.#expiry}101?`),
      encryptedType: SIMULATED_ENCRYPTED_TYPE,
      deviceSerialNumber: this.serialNumber,
      maskedPan: masked,
    };
  }

  #encrypt(track: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const data = Buffer.concat([cipher.update(track, "utf8"), cipher.final()]);
    return Buffer.concat([iv, data, cipher.getAuthTag()]).toString("hex").toUpperCase();
  }
}

/** `promise`, or a rejection as soon as `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A payer for tests and demos against the simulator: the customer data Payneteasy's sale requires (address, email,
 * IP address), fictitious.
 */
export const TEST_PAYER: PayerDetails = Object.freeze({
  address1: "1 Rue de la Paix",
  city: "Paris",
  zip_code: "75002",
  country: "FR",
  email: "till@example.com",
  ipaddress: "127.0.0.1",
});
