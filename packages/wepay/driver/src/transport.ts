/**
 * The card-reader transport seam: Bluetooth (Moby 5500) and audio jack (RP457c) readers behind one
 * interface. A transport finds readers and opens a link; the link reports raw reader signals while it
 * waits for a card. The rules (statuses, dip-after-swipe, 60 s timeout, configuration) live in
 * `CardReaderManager`, not in the transports.
 */
import type { CardAuthorization, CardReader, CardReaderTransport as TransportKind } from "@payspec/wepay-types";

/** What the reader read from a card. Never a full card number: a masked PAN at most. */
export interface CardData {
  /** How the card was read. */
  readonly entry: "dip" | "swipe";
  /** True for a chip (EMV) card, from the chip or the magstripe's service code. */
  readonly chip: boolean;
  /** First 6 / last 4 digits at most. */
  readonly maskedPan?: string;
}

/** Raw events a reader reports while it waits for a card. */
export type ReaderSignal =
  /** A chip card was inserted and its chip read. */
  | { readonly type: "card-inserted"; readonly card: CardData }
  /** A chip card was inserted but the chip could not be read. */
  | { readonly type: "chip-error" }
  /** The card was inserted the wrong way round. */
  | { readonly type: "wrong-orientation" }
  /** A card was swiped and its magstripe read. */
  | { readonly type: "card-swiped"; readonly card: CardData }
  /** A swipe could not be read. */
  | { readonly type: "swipe-error" }
  /** The link to the reader dropped (Bluetooth out of range, jack pulled, battery). */
  | { readonly type: "disconnected" };

/** The amount a card is authorized for. */
export interface TransactionAmount {
  readonly amount: number;
  readonly currency: string;
  readonly accountId: string;
}

/** An open link to one reader. */
export interface ReaderLink {
  readonly reader: CardReader;
  /** The reader's firmware version; a change means the reader must be configured again. */
  firmwareVersion(): string;
  /** Uploads the configuration profile (the Ingenico profile): first use, and after a firmware update. */
  configure(signal?: AbortSignal): Promise<void>;
  /** LED colours the reader shows while pairing (Moby 5500), for the merchant to compare. */
  ledSequence?(): readonly string[];
  /**
   * Starts a transaction for `amount` and waits for a card; the reader reports what happens through
   * `onSignal` until `stopCardWait`.
   */
  startCardWait(amount: TransactionAmount, onSignal: (signal: ReaderSignal) => void): void;
  stopCardWait(): void;
  /**
   * Tokenizes the card data and authorizes it with WePay under the session token: the SDK's
   * `encoded_payment_method`, single use, for POST /payments.
   */
  authorize(
    card: CardData,
    amount: TransactionAmount,
    sessionToken: string,
    signal?: AbortSignal,
  ): Promise<CardAuthorization>;
  close(): Promise<void>;
}

/** How readers are reached: Bluetooth or the audio jack. */
export interface CardReaderTransport {
  readonly kind: TransportKind;
  /** The devices found (an audio-jack transport lists anything plugged in as `AUDIOJACK`, headphones too). */
  discover(signal?: AbortSignal): Promise<readonly CardReader[]>;
  /** Opens a link to one of the devices `discover` returned. */
  open(reader: CardReader, signal?: AbortSignal): Promise<ReaderLink>;
}
