/**
 * The Concert transaction driver: what the connector (or any POS wired to the terminal's serial
 * port) uses to run one transaction. It sends a ConcertRequest (spec frame `ConcertRequestFrame`)
 * in a link session, then waits for the ConcertAnswer (`ConcertAnswerFrame`) that echoes the
 * request's `private` field, skipping late answers of earlier transactions. `cancel()` sends a
 * cancellation (type `2`) for the transaction in progress.
 *
 * State machine: idle → sending → awaiting-answer → idle; closed from anywhere. A second
 * transaction while one runs is refused (`ConcertBusyError`): the terminal does one at a time.
 */
import type { ConcertAnswer, ConcertRequest } from "@payspec/hipay-ecr-types";
import { ConcertAnswerFrame, ConcertRequestFrame } from "@payspec/hipay-ecr-types";
import { validateConcertAnswer, validateConcertRequest } from "@payspec/hipay-ecr-validators";
import { decodeFrame, encodeFrame } from "@payspec/runtime";
import { type ByteStream, ConcertLink, ConcertLinkError, type ConcertLinkOptions } from "./link.js";

export type ConcertDriverState = "idle" | "sending" | "awaiting-answer" | "closed";

const TRANSITIONS: Readonly<Record<ConcertDriverState, readonly ConcertDriverState[]>> = {
  idle: ["sending", "closed"],
  // idle: the request could not be delivered
  sending: ["awaiting-answer", "idle", "closed"],
  "awaiting-answer": ["idle", "closed"],
  closed: [],
};

export interface ConcertDriverOptions extends ConcertLinkOptions {
  /** How long to wait for the terminal's answer once the request is taken. Default 180000 (the customer is at the terminal). */
  answerTimeoutMs?: number;
  /** Clock for the answer deadline. Default `Date.now`. */
  now?: () => number;
}

export interface TransactOptions {
  /** Overrides the driver's `answerTimeoutMs` for this transaction. */
  answerTimeoutMs?: number;
  /** Stops waiting for the answer (the terminal may still complete: send `cancel()` first). */
  signal?: AbortSignal;
  /** Called once the terminal has taken the request (the frame was ACKed): it now waits for the card. */
  onTaken?: () => void;
}

/** A second transaction while one runs. */
export class ConcertBusyError extends Error {
  override readonly name = "ConcertBusyError";
  constructor() {
    super("a transaction is already in progress on this terminal");
  }
}

/**
 * A transaction that did not end with an answer. `stage` says how far it got:
 * - `send`: the request never got through. With `cause.reason` `no-ack-to-enq` the terminal
 *   provably did not take it (it never answered ENQ); with `frame-not-acknowledged` it may have
 *   (an ACK can be lost), so the outcome is unknown.
 * - `answer`: the terminal took the request and no answer came (timeout, closed, aborted): the
 *   outcome is unknown.
 */
export class ConcertTransactionError extends Error {
  override readonly name = "ConcertTransactionError";
  constructor(
    readonly stage: "send" | "answer",
    override readonly cause: ConcertLinkError,
  ) {
    super(`${stage === "send" ? "request not delivered" : "no answer"} (${cause.reason})`, { cause });
  }

  /** True only when the terminal provably never took the request (nothing can have been charged). */
  get notDelivered(): boolean {
    return this.stage === "send" && this.cause.reason === "no-ack-to-enq";
  }
}

/** Encodes a ConcertRequest as the text between STX and ETX. */
export function encodeConcertRequest(request: ConcertRequest): string {
  return encodeFrame(ConcertRequestFrame.fields, request as unknown as Record<string, string>);
}

/** A ConcertAnswer frame payload, or undefined when it is not one (an unknown status digit passes: the message is inbound). */
export function parseConcertAnswer(payload: Uint8Array): ConcertAnswer | undefined {
  try {
    const value = decodeFrame(ConcertAnswerFrame.fields, payload, { keepPadding: true });
    return validateConcertAnswer(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A ConcertRequest frame payload, or undefined when it is not one. */
export function parseConcertRequest(payload: Uint8Array): ConcertRequest | undefined {
  try {
    const value = decodeFrame(ConcertRequestFrame.fields, payload, { keepPadding: true });
    return validateConcertRequest(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Drives a Concert terminal over a link (the connector's side, the master). */
export class ConcertDriver {
  readonly link: ConcertLink;
  readonly #answerTimeoutMs: number;
  readonly #now: () => number;
  readonly #stop = new AbortController();
  #state: ConcertDriverState = "idle";
  #current: ConcertRequest | undefined;

  /** `port` is a byte stream (a `serialport` port, a Node `Duplex`, a memory end) or a `ConcertLink` to reuse. */
  constructor(port: ByteStream | ConcertLink, options: ConcertDriverOptions = {}) {
    const { answerTimeoutMs, now, ...linkOptions } = options;
    this.link = port instanceof ConcertLink ? port : new ConcertLink(port, linkOptions);
    this.#answerTimeoutMs = answerTimeoutMs ?? 180_000;
    this.#now = now ?? Date.now;
  }

  get state(): ConcertDriverState {
    return this.#state;
  }

  /** The request in progress, if any. */
  get current(): ConcertRequest | undefined {
    return this.#current;
  }

  /**
   * Runs one transaction: resolves the terminal's answer, or rejects with `ConcertTransactionError`
   * (`ConcertBusyError` when one already runs).
   */
  async transact(request: ConcertRequest, options: TransactOptions = {}): Promise<ConcertAnswer> {
    if (this.#state === "closed") throw new ConcertTransactionError("send", new ConcertLinkError("closed", "closed"));
    if (this.#state !== "idle") throw new ConcertBusyError();
    const text = encodeConcertRequest(request); // throws before any state change when it cannot be encoded
    this.#move("sending");
    this.#current = request;
    try {
      try {
        await this.link.send(text);
      } catch (cause) {
        throw new ConcertTransactionError("send", asLinkError(cause));
      }
      this.#move("awaiting-answer");
      options.onTaken?.();
      const timeoutMs = options.answerTimeoutMs ?? this.#answerTimeoutMs;
      const deadline = this.#now() + timeoutMs;
      const signal = options.signal ? AbortSignal.any([options.signal, this.#stop.signal]) : this.#stop.signal;
      for (;;) {
        let payload: Buffer;
        try {
          payload = await this.link.receive({ timeoutMs: Math.max(0, deadline - this.#now()), signal });
        } catch (cause) {
          throw new ConcertTransactionError("answer", asLinkError(cause));
        }
        const answer = parseConcertAnswer(payload);
        if (answer && answer.private === request.private) return answer;
      }
    } finally {
      this.#current = undefined;
      if (this.state !== "closed") this.#move("idle");
    }
  }

  /**
   * Sends a cancellation (type `2`, same amount and `private`) for the transaction in progress;
   * its `transact` then resolves the terminal's answer (status `7` when cancelled in time).
   * Resolves false when nothing runs; rejects with `ConcertLinkError` when the terminal does not take it.
   */
  async cancel(): Promise<boolean> {
    const current = this.#current;
    if (!current || this.#state !== "awaiting-answer") return false;
    await this.link.send(encodeConcertRequest({ ...current, type: "2" }));
    return true;
  }

  /** Stops the transaction in progress (it rejects, stage `answer`) and closes the link. */
  close(): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#stop.abort();
    this.link.close();
  }

  #move(to: ConcertDriverState): void {
    if (!TRANSITIONS[this.#state].includes(to))
      throw new Error(`ConcertDriver: illegal transition ${this.#state} → ${to}`);
    this.#state = to;
  }
}

function asLinkError(cause: unknown): ConcertLinkError {
  return cause instanceof ConcertLinkError ? cause : new ConcertLinkError("closed", String(cause));
}
