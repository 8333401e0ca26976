/**
 * Testing export (`@payspec/hipay-ecr-driver/testing`). A simulated Concert E+ terminal on the far end of a `ConcertLink`: it takes a ConcertRequest
 * (spec frame `ConcertRequestFrame`), "waits for the customer" (`delayMs`) and answers a
 * ConcertAnswer (`ConcertAnswerFrame`) in a session of its own. Outcomes follow test amounts
 * (`TEST_AMOUNTS`) or a fault set on the simulator. The `rep` field carries the simulator's own
 * layout (`SIMULATOR_REP_FIELDS`): the content of `rep` on real terminals varies by version and
 * is unconfirmed.
 */
import type { ConcertAnswer, ConcertRequest } from "@payspec/hipay-ecr-types";
import { ConcertAnswerFrame } from "@payspec/hipay-ecr-types";
import { encodeFrame, type FrameField } from "@payspec/runtime";
import { parseConcertRequest } from "./driver.js";
import { type ByteStream, ConcertLink, type ConcertLinkOptions } from "./link.js";
import { REP_FIELDS } from "./rep.js";

/** Layout of `rep` in the simulator's answers (Payspec's, unconfirmed): 55 characters. */
export const SIMULATOR_REP_FIELDS: readonly FrameField[] = REP_FIELDS;

/** What the simulator does, by the cents of the amount (minor units modulo 100). */
export const TEST_AMOUNTS = {
  /** `x.07`: refused by the card issuer, status `7`. */
  refused: 7,
  /** `x.98`: the customer never completes; the terminal does not answer. */
  noAnswer: 98,
} as const;

/** A fault set on the simulator (for every following transaction, or the next one with `failNext`). */
export type TerminalFault =
  /** every debit is refused (status `7`) */
  | "decline"
  /** the terminal ACKs requests but never answers */
  | "silent"
  /** the terminal takes the request, then its serial line is cut: it hears nothing until `plug()` */
  | "disconnect";

/** A transaction the simulated terminal approved. */
export interface SimulatedCharge {
  readonly type: ConcertRequest["type"];
  readonly amount: string;
  readonly private: string;
}

export interface ConcertTerminalOptions extends ConcertLinkOptions {
  /** Time the "customer" takes before the answer is sent. Default 0. */
  delayMs?: number;
  /** Fault applied to every transaction until cleared. */
  fault?: TerminalFault;
  /** Masked card number put in `rep`. Default `123456XXXXXX7890`. */
  maskedPan?: string;
  /** Application label put in `rep`. Default `MASTERCARD`. */
  label?: string;
  /** Clock for the date and time in `rep`. */
  now?: () => Date;
}

interface Pending {
  request: ConcertRequest;
  timer: NodeJS.Timeout | undefined;
}

/** The simulated terminal. `requests` logs what it received; `fault` and `delayMs` may be changed at any time. */
export class ConcertTerminalSimulator {
  /** The terminal's end of the link (replaced when the line is plugged back). */
  link: ConcertLink;
  readonly requests: ConcertRequest[] = [];
  /** Approved debits and credits, in order (what the card holder was charged or refunded). */
  readonly charges: SimulatedCharge[] = [];
  fault: TerminalFault | undefined;
  /** time the "customer" takes before the answer is sent */
  delayMs: number;
  readonly #maskedPan: string;
  readonly #label: string;
  readonly #now: () => Date;
  #pending: Pending | undefined;
  #transactionNumber = 0;
  #closed = false;
  #unplugged = false;
  #nextFault: TerminalFault | undefined;
  readonly #stream: ByteStream;
  readonly #linkOptions: ConcertLinkOptions;
  readonly #stop = new AbortController();

  constructor(stream: ByteStream, options: ConcertTerminalOptions = {}) {
    const { delayMs, fault, maskedPan, label, now, ...linkOptions } = options;
    // The terminal gives way when both ends open a session at once (the connector is the master).
    this.#stream = stream;
    this.#linkOptions = { yieldOnCollision: true, ...linkOptions };
    this.link = new ConcertLink(stream, this.#linkOptions);
    this.delayMs = delayMs ?? 0;
    this.fault = fault;
    this.#maskedPan = maskedPan ?? "123456XXXXXX7890";
    this.#label = label ?? "MASTERCARD";
    this.#now = now ?? (() => new Date());
    void this.#serve();
  }

  /** Applies `fault` to the next transaction only. */
  failNext(fault: TerminalFault): void {
    this.#nextFault = fault;
  }

  /** Whether the serial line is cut (after a `disconnect` fault). */
  get unplugged(): boolean {
    return this.#unplugged;
  }

  /** Reconnects the serial line after a `disconnect` fault; the interrupted transaction is lost. */
  plug(): void {
    if (!this.#unplugged || this.#closed) return;
    this.#unplugged = false;
    this.link = new ConcertLink(this.#stream, this.#linkOptions);
    void this.#serve();
  }

  /** Whether a transaction waits for its "customer". */
  get busy(): boolean {
    return this.#pending !== undefined;
  }

  close(): void {
    this.#closed = true;
    this.#stop.abort();
    if (this.#pending?.timer) clearTimeout(this.#pending.timer);
    this.#pending = undefined;
    this.link.close();
  }

  async #serve(): Promise<void> {
    const link = this.link;
    while (!this.#closed && link === this.link) {
      let payload: Buffer;
      try {
        payload = await link.receive({ signal: this.#stop.signal });
      } catch {
        return; // closed
      }
      const request = parseConcertRequest(payload);
      if (request) this.#handle(request);
      // A frame that is not a ConcertRequest gets no answer (it was ACKed: its LRC was good).
    }
  }

  #handle(request: ConcertRequest): void {
    this.requests.push(request);
    if (request.type === "2") {
      // Cancellation: aborts the transaction in progress (answered refused), else is accepted.
      const pending = this.#pending;
      if (pending) {
        if (pending.timer) clearTimeout(pending.timer);
        this.#pending = undefined;
        this.#answer(pending.request, "7");
        return;
      }
      this.#answer(request, "0");
      return;
    }
    if (this.#pending) return; // busy: a real terminal ignores a second request mid-transaction
    const fault = this.#nextFault ?? this.fault;
    this.#nextFault = undefined;
    if (fault === "disconnect") {
      // The request was taken (ACKed); the line goes dead before anything else happens.
      this.#unplugged = true;
      this.link.close();
      return;
    }
    const cents = Number(request.amount) % 100;
    const silent = fault === "silent" || cents === TEST_AMOUNTS.noAnswer;
    const status = fault === "decline" || cents === TEST_AMOUNTS.refused ? "7" : "0";
    const pending: Pending = { request, timer: undefined };
    this.#pending = pending;
    if (silent) return; // waits for a cancel that may never come
    pending.timer = setTimeout(() => {
      if (this.#pending !== pending) return;
      this.#pending = undefined;
      this.#answer(request, status);
    }, this.delayMs);
  }

  #answer(request: ConcertRequest, status: "0" | "7"): void {
    if (this.#closed || this.#unplugged) return;
    if (status === "0" && request.type !== "2")
      this.charges.push({ type: request.type, amount: request.amount, private: request.private });
    const answer: ConcertAnswer = {
      pos: request.pos,
      status,
      amount: request.amount,
      mode: request.mode,
      rep: status === "0" && request.type !== "2" ? this.#rep() : " ".repeat(55),
      currency: request.currency,
      private: request.private,
    };
    const text = encodeFrame(ConcertAnswerFrame.fields, answer as unknown as Record<string, string>);
    // A lost answer is the connector's timeout to handle, as with a real terminal.
    this.link.send(text).catch(() => undefined);
  }

  #rep(): string {
    const now = this.#now();
    const two = (n: number) => String(n).padStart(2, "0");
    this.#transactionNumber = (this.#transactionNumber % 999999) + 1;
    return encodeFrame(SIMULATOR_REP_FIELDS, {
      authorizationNumber: String(100000 + ((this.#transactionNumber * 7919) % 900000)),
      localDate: `${two(now.getDate())}${two(now.getMonth() + 1)}${two(now.getFullYear() % 100)}`,
      localTime: `${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`,
      transactionNumber: String(this.#transactionNumber).padStart(6, "0"),
      primaryAccountNumber: this.#maskedPan,
      readingMode: "C",
      label: this.#label.slice(0, 11),
    });
  }
}
