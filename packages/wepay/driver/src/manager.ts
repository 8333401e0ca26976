/**
 * `CardReaderManager`: the card-reader side of the Card Present SDK, as a small explicit state machine.
 *
 *   disconnected → searching → selecting → (pairing) → connecting → checking → (configuring) → ready
 *   ready → checking (before each read: a firmware update means configuring again) → ready
 *   ready → waiting-for-card → authorizing → ready      (or back to ready on timeout / stop)
 *   any connected state → disconnected                   (link dropped, close)
 *
 * Statuses are reported with the SDK's exact strings (`CardReaderStatus`). A reader is configured on first
 * use and again after a firmware update (seed: "Set Up a Reader"); the last reader connected is remembered
 * (get / forget), but never reconnected to by itself (seed: "Select a Reader"). Timers are injectable: the
 * 60-second card timeout never needs a real clock in tests.
 */
import type {
  CardAuthorization,
  CardReader,
  CardReaderSelection,
  CardReaderSelectionRequested,
  CardReaderStatus,
  CardReaderStatusChanged,
  PairingConfirmation,
  PairingConfirmationRequested,
  RememberedCardReaderInfo,
} from "@payspec/wepay-types";
import { CARD_TIMEOUT_MS, cardReadStep, INITIAL_CARD_READ } from "./card-read.js";
import { CardReadCancelledError, WePayDriverError } from "./errors.js";
import type { SessionManager } from "./session.js";
import type { CardData, CardReaderTransport, ReaderLink, ReaderSignal } from "./transport.js";

export type ReaderState =
  | "disconnected"
  | "searching"
  | "selecting"
  | "pairing"
  | "connecting"
  | "checking"
  | "configuring"
  | "ready"
  | "waiting-for-card"
  | "authorizing";

const READER_TRANSITIONS: Readonly<Record<ReaderState, readonly ReaderState[]>> = {
  disconnected: ["searching"],
  searching: ["selecting", "disconnected"],
  selecting: ["pairing", "connecting", "disconnected"],
  pairing: ["connecting", "disconnected"],
  connecting: ["checking", "disconnected"],
  checking: ["configuring", "ready", "disconnected"],
  configuring: ["ready", "disconnected"],
  ready: ["checking", "waiting-for-card", "disconnected"],
  "waiting-for-card": ["authorizing", "ready", "disconnected"],
  authorizing: ["ready", "disconnected"],
};

/** Checks a reader-state transition; an illegal one throws. */
export function nextReaderState(from: ReaderState, to: ReaderState): ReaderState {
  if (!READER_TRANSITIONS[from].includes(to)) throw new Error(`illegal reader transition ${from} -> ${to}`);
  return to;
}

/** What the manager remembers across app runs (persist it with your own store). */
export interface ReaderMemory {
  /** The last reader connected successfully. */
  remembered: RememberedCardReaderInfo;
  /** Firmware version each reader was last configured for, by reader name. */
  configured: Record<string, string>;
  /** Names of readers paired with this phone. */
  paired: string[];
}

export interface ReaderStore {
  load(): ReaderMemory;
  save(memory: ReaderMemory): void;
}

/** A `ReaderStore` in memory (an app reinstall is a new store: the reader is configured again). */
export class MemoryReaderStore implements ReaderStore {
  #memory: ReaderMemory = { remembered: { name: null }, configured: {}, paired: [] };
  load(): ReaderMemory {
    return structuredClone(this.#memory);
  }
  save(memory: ReaderMemory): void {
    this.#memory = structuredClone(memory);
  }
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CardReaderManagerOptions {
  /** Bluetooth and/or audio-jack transports (searched in this order). */
  readonly transports: readonly CardReaderTransport[];
  /** Supplies the session token the SDK needs before it reads a card. */
  readonly session: SessionManager;
  readonly store?: ReaderStore;
  /**
   * Picks a reader among those found (iOS `selectCardReader:completion:`, Android `onCardReaderSelection`).
   * Default: the remembered reader when found, else the first one that is not `AUDIOJACK`, else the first.
   */
  readonly selectReader?: (request: CardReaderSelectionRequested) => CardReaderSelection | Promise<CardReaderSelection>;
  /** Asks the merchant to compare a Moby 5500's LED sequence. Default: confirmed. */
  readonly confirmPairing?: (
    request: PairingConfirmationRequested,
  ) => PairingConfirmation | Promise<PairingConfirmation>;
  /** Receives every status change, with its iOS and Android function names. */
  readonly onStatus?: (event: CardReaderStatusChanged) => void;
  /** Injectable timers for the 60 s card timeout. */
  readonly timers?: Timers;
  /** Card timeout in ms (default 60 000). */
  readonly cardTimeoutMs?: number;
}

export interface ReadCardRequest {
  readonly amount: number;
  readonly currency: string;
  readonly accountId: string;
}

export interface CardReadResult {
  readonly authorization: CardAuthorization;
  readonly entry: CardData["entry"];
  readonly maskedPan?: string;
  readonly reader: string;
}

export class CardReaderManager {
  #state: ReaderState = "disconnected";
  #link: ReaderLink | undefined;
  readonly #options: CardReaderManagerOptions;
  readonly #store: ReaderStore;
  readonly #timers: Timers;

  constructor(options: CardReaderManagerOptions) {
    if (options.transports.length === 0) throw new TypeError("at least one card-reader transport is needed");
    this.#options = options;
    this.#store = options.store ?? new MemoryReaderStore();
    this.#timers = options.timers ?? realTimers;
  }

  get state(): ReaderState {
    return this.#state;
  }

  /** The connected reader, if any. */
  get reader(): CardReader | undefined {
    return this.#link?.reader;
  }

  #to(state: ReaderState): void {
    this.#state = nextReaderState(this.#state, state);
  }

  #status(status: CardReaderStatus): void {
    this.#options.onStatus?.({ ios_name: "cardReaderDidChangeStatus:", android_name: "onStatusChange", status });
  }

  /** iOS/Android `getRememberedCardReader`: the last reader connected, or `{ name: null }`. */
  getRememberedCardReader(): RememberedCardReaderInfo {
    return this.#store.load().remembered;
  }

  /** iOS/Android `forgetRememberedCardReader`. */
  forgetRememberedCardReader(): void {
    const memory = this.#store.load();
    memory.remembered = { name: null };
    this.#store.save(memory);
  }

  #lost(error?: unknown): never {
    this.#status("card reader not connected");
    const link = this.#link;
    this.#link = undefined;
    if (this.#state !== "disconnected") this.#to("disconnected");
    void link?.close().catch(() => undefined);
    if (error instanceof WePayDriverError || error instanceof CardReadCancelledError) throw error;
    throw new WePayDriverError(
      "WPErrorCardReaderNotConnected",
      undefined,
      error === undefined ? undefined : { cause: error },
    );
  }

  /** Searches every transport, lets the app pick a reader, pairs, connects and configures it when needed. */
  async connect(signal?: AbortSignal): Promise<CardReader> {
    if (this.#state !== "disconnected") throw new Error(`connect() in state ${this.#state}`);
    this.#to("searching");
    this.#status("searching for reader");
    const found: { reader: CardReader; transport: CardReaderTransport }[] = [];
    try {
      for (const transport of this.#options.transports) {
        for (const reader of await transport.discover(signal)) found.push({ reader, transport });
      }
    } catch (error) {
      this.#lost(error);
    }
    if (found.length === 0) {
      this.#status("card reader not connected");
      this.#to("disconnected");
      throw new WePayDriverError("WPErrorCardReaderUnableToConnect", "No card reader was found.");
    }
    this.#to("selecting");
    const request: CardReaderSelectionRequested = {
      ios_name: "selectCardReader:completion:",
      android_name: "onCardReaderSelection",
      readers: found.map((f) => f.reader),
    };
    const { selected_index } = await (this.#options.selectReader ?? this.#defaultSelection)(request);
    const choice = found[selected_index];
    if (!Number.isInteger(selected_index) || choice === undefined) {
      this.#to("disconnected");
      throw new WePayDriverError("WPErrorInvalidCardReaderSelection");
    }
    let link: ReaderLink;
    try {
      link = await choice.transport.open(choice.reader, signal);
    } catch (error) {
      this.#to("disconnected");
      throw new WePayDriverError("WPErrorCardReaderUnableToConnect", undefined, { cause: error });
    }
    const memory = this.#store.load();
    if (choice.reader.pairing_method === "led_sequence" && !memory.paired.includes(choice.reader.name)) {
      this.#to("pairing");
      const answer = await (this.#options.confirmPairing ?? (() => ({ confirmed: true })))({
        reader: choice.reader,
        ...(link.ledSequence === undefined ? {} : { led_sequence: [...link.ledSequence()] }),
      });
      if (!answer.confirmed) {
        await link.close().catch(() => undefined);
        this.#to("disconnected");
        throw new WePayDriverError("WPErrorCardReaderUnableToConnect", "Pairing was not confirmed.");
      }
      memory.paired.push(choice.reader.name);
    }
    this.#to("connecting");
    this.#link = link;
    this.#status("card reader connected");
    memory.remembered = {
      name: choice.reader.name,
      ...(choice.reader.kind === undefined ? {} : { kind: choice.reader.kind }),
    };
    this.#store.save(memory);
    await this.#check(signal);
    return choice.reader;
  }

  readonly #defaultSelection = (request: CardReaderSelectionRequested): CardReaderSelection => {
    const remembered = this.#store.load().remembered.name;
    const byName = request.readers.findIndex((r) => r.name === remembered);
    if (byName >= 0) return { selected_index: byName };
    const notJack = request.readers.findIndex((r) => r.name !== "AUDIOJACK");
    return { selected_index: Math.max(0, notJack) };
  };

  /** "checking reader", then "configuring reader" when the reader was never configured for its firmware. */
  async #check(signal?: AbortSignal): Promise<void> {
    const link = this.#link as ReaderLink;
    this.#to("checking");
    this.#status("checking reader");
    const memory = this.#store.load();
    const firmware = link.firmwareVersion();
    if (memory.configured[link.reader.name] !== firmware) {
      this.#to("configuring");
      this.#status("configuring reader");
      try {
        await link.configure(signal);
      } catch (error) {
        this.#lost(new WePayDriverError("WPErrorCardReaderInitialization", undefined, { cause: error }));
      }
      memory.configured[link.reader.name] = firmware;
      this.#store.save(memory);
    }
    this.#to("ready");
  }

  /**
   * Reads one card for `request` and has it authorized: the single-use `encoded_payment_method`.
   * Rejects with `WePayDriverError` (WPErrorCardReaderTimeout after 60 s without a card,
   * WPErrorCardReaderNotConnected when the link drops, invalid amount/currency), or
   * `CardReadCancelledError` when `signal` aborts while waiting for the card.
   */
  async readCard(request: ReadCardRequest, signal?: AbortSignal): Promise<CardReadResult> {
    if (this.#state !== "ready" || this.#link === undefined)
      throw new WePayDriverError("WPErrorCardReaderNotConnected", `The card reader is ${this.#state}.`);
    if (!Number.isSafeInteger(request.amount) || request.amount <= 0)
      throw new WePayDriverError("WPErrorInvalidTransactionAmount");
    if (request.currency !== "USD")
      throw new WePayDriverError("WPErrorInvalidTransactionCurrencyCode", "Card present supports USD only.");
    if (request.accountId === "") throw new WePayDriverError("WPErrorInvalidTransactionAccountID");
    if (signal?.aborted) throw new CardReadCancelledError("the card read was stopped before it started");
    const sessionToken = await this.#options.session.sessionToken(signal);
    await this.#check(signal);
    const link = this.#link;
    const card = await this.#waitForCard(link, request, signal);
    this.#to("authorizing");
    this.#status("tokenizing");
    this.#status("authorizing");
    try {
      const authorization = await link.authorize(card, request, sessionToken, signal);
      this.#to("ready");
      return {
        authorization,
        entry: card.entry,
        ...(card.maskedPan === undefined ? {} : { maskedPan: card.maskedPan }),
        reader: link.reader.name,
      };
    } catch (error) {
      if (error instanceof WePayDriverError && error.iosName !== "WPErrorCardReaderNotConnected") {
        this.#to("ready");
        throw error;
      }
      this.#lost(error);
    }
  }

  #waitForCard(link: ReaderLink, request: ReadCardRequest, signal?: AbortSignal): Promise<CardData> {
    this.#to("waiting-for-card");
    this.#status("waiting for card");
    const timeoutMs = this.#options.cardTimeoutMs ?? CARD_TIMEOUT_MS;
    return new Promise<CardData>((resolve, reject) => {
      let state = INITIAL_CARD_READ;
      let timer: unknown;
      let done = false;
      const finish = (action: () => void) => {
        if (done) return;
        done = true;
        this.#timers.clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        link.stopCardWait();
        action();
      };
      const arm = () => {
        this.#timers.clearTimeout(timer);
        timer = this.#timers.setTimeout(onTimeout, timeoutMs);
      };
      const stopped = (error: Error) =>
        finish(() => {
          this.#status("stopped");
          this.#to("ready");
          reject(error);
        });
      const onTimeout = () => stopped(new WePayDriverError("WPErrorCardReaderTimeout"));
      const onAbort = () => stopped(new CardReadCancelledError("the card read was stopped"));
      const onSignal = (readerSignal: ReaderSignal) => {
        if (done) return;
        const step = cardReadStep(state, readerSignal);
        state = step.state;
        if (step.kind === "wait") {
          this.#status(step.status);
          arm(); // every new prompt gives the customer another 60 s
        } else if (step.kind === "read") {
          finish(() => {
            this.#status(step.status);
            resolve(step.card);
          });
        } else {
          finish(() => {
            try {
              this.#lost();
            } catch (error) {
              reject(error);
            }
          });
        }
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      arm();
      link.startCardWait(request, onSignal);
    });
  }

  /** Closes the link to the reader. */
  async disconnect(): Promise<void> {
    const link = this.#link;
    this.#link = undefined;
    if (this.#state !== "disconnected") {
      this.#state = "disconnected"; // close is legal from every state
      this.#status("card reader not connected");
    }
    await link?.close();
  }
}
