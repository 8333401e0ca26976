/**
 * The Concert serial link (PROTOCOLS.md §4, spec `ConcertControl`) over any duplex byte stream: a
 * Node `Duplex`, a `serialport` port, or the in-memory pair of `createMemorySerialPair`.
 *
 * Sender: ENQ → wait ACK (3 tries, EOT between) → STX message ETX LRC → wait ACK (NAK or no
 * answer: send the frame again, 3 tries) → EOT. Receiver: ACK to ENQ, ACK to a frame whose LRC
 * matches, NAK otherwise; the session ends with EOT and the frame is then delivered. Every wait is
 * 3 s (`timeoutMs`). The link is half duplex: a message to send waits while a session is received.
 */
import { ACK, ENQ, EOT, type FrameEvent, FrameReader, NAK, wrapFrame } from "@payspec/runtime";

/** Timer functions the link uses; inject fake ones to test the 3-second timers without waiting. */
export interface LinkTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: LinkTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What the link needs of a serial port: write bytes, get bytes (`serialport` and Node `Duplex` fit). */
export interface ByteStream {
  write(chunk: Uint8Array): unknown;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  removeListener(event: "data", listener: (chunk: Buffer) => void): unknown;
}

export interface ConcertLinkOptions {
  /** How long to wait for ACK/NAK, and the receiver's silence limit within a session. Default 3000 (Concert's 3 s). */
  timeoutMs?: number;
  /** Tries for ENQ and for the frame. Default 3. */
  tries?: number;
  /** Longest frame payload kept. Default 1024. */
  maxPayloadBytes?: number;
  /**
   * What to do when both ends send ENQ at once. `true` (the terminal's side): give way, take the
   * other end's message, then send again (not counted as a try). `false` (default, the
   * connector's side): ignore the other ENQ and keep waiting for ACK. Exactly one end should yield.
   */
  yieldOnCollision?: boolean;
  /** Sees every reader event (control bytes, frames, discarded noise), for diagnostics. */
  onEvent?: (event: FrameEvent, direction: "in") => void;
  /** Timer functions (default: the global ones). */
  timers?: LinkTimers;
}

export interface ReceiveOptions {
  /** Give up after this long (rejects with `ConcertLinkError` reason `timeout`). Default: wait forever. */
  timeoutMs?: number;
  /** Rejects with `ConcertLinkError` reason `aborted` when aborted. */
  signal?: AbortSignal;
}

export type ConcertLinkErrorReason = "no-ack-to-enq" | "frame-not-acknowledged" | "timeout" | "closed" | "aborted";

/** A session that could not be completed, or a wait that ended without a message. */
export class ConcertLinkError extends Error {
  override readonly name = "ConcertLinkError";
  readonly reason: ConcertLinkErrorReason;
  constructor(reason: ConcertLinkErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Where the link is: between sessions, sending one, receiving one, or closed for good. */
export type ConcertLinkState = "idle" | "sending" | "receiving" | "closed";

/** The legal moves of the link's state machine; anything else is a bug and throws. */
const TRANSITIONS: Readonly<Record<ConcertLinkState, readonly ConcertLinkState[]>> = {
  idle: ["sending", "receiving", "closed"],
  // receiving: the other end's ENQ won a collision and this end gives way
  sending: ["idle", "receiving", "closed"],
  // receiving → receiving: a new ENQ restarts the session (our ACK was lost)
  receiving: ["idle", "receiving", "closed"],
  closed: [],
};
type Reply = "ACK" | "NAK" | "ENQ" | "EOT" | "timeout";

interface Waiter {
  resolve(payload: Buffer): void;
  reject(error: ConcertLinkError): void;
}

const INBOX_LIMIT = 16;

/** One end of a Concert link. */
export class ConcertLink {
  readonly #stream: ByteStream;
  readonly #reader: FrameReader;
  readonly #timeoutMs: number;
  readonly #tries: number;
  readonly #onEvent: ConcertLinkOptions["onEvent"];
  readonly #yields: boolean;
  readonly #listener = (chunk: Buffer): void => this.#onData(chunk);
  readonly #timers: LinkTimers;
  #state: ConcertLinkState = "idle";
  /** the sender's pending wait for ACK/NAK */
  #replyWaiter: ((reply: Reply) => void) | undefined;
  /** the frame ACKed in the session being received */
  #sessionFrame: Buffer | undefined;
  #sessionTimer: unknown;
  readonly #inbox: Buffer[] = [];
  readonly #receivers: Waiter[] = [];
  /** sends run one after the other */
  #sendChain: Promise<unknown> = Promise.resolve();
  #idleWaiters: (() => void)[] = [];

  constructor(stream: ByteStream, options: ConcertLinkOptions = {}) {
    this.#stream = stream;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#tries = options.tries ?? 3;
    this.#onEvent = options.onEvent;
    this.#yields = options.yieldOnCollision ?? false;
    this.#timers = options.timers ?? realTimers;
    this.#reader = new FrameReader(
      options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes },
    );
    stream.on("data", this.#listener);
  }

  /** The link's state (`idle`, `sending`, `receiving`, `closed`). */
  get state(): ConcertLinkState {
    return this.#state;
  }

  /**
   * Sends one message (the text between STX and ETX) in a session of its own. Resolves once the
   * receiver has ACKed the frame and EOT is sent; rejects with `ConcertLinkError`
   * (`no-ack-to-enq`, `frame-not-acknowledged`, `closed`).
   */
  send(payload: string | Uint8Array): Promise<void> {
    const frame = wrapFrame(payload); // throws before anything is sent when the payload cannot be framed
    const run = this.#sendChain.then(() => this.#sendFrame(frame));
    this.#sendChain = run.catch(() => undefined);
    return run;
  }

  /** The next message received (oldest first). */
  receive(options: ReceiveOptions = {}): Promise<Buffer> {
    if (this.#state === "closed") return Promise.reject(new ConcertLinkError("closed", "the link is closed"));
    const queued = this.#inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise<Buffer>((resolve, reject) => {
      let timer: unknown;
      const done = (): void => {
        if (timer !== undefined) this.#timers.clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        const i = this.#receivers.indexOf(waiter);
        if (i !== -1) this.#receivers.splice(i, 1);
      };
      const waiter: Waiter = {
        resolve: (payload) => {
          done();
          resolve(payload);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = (): void => waiter.reject(new ConcertLinkError("aborted", "stopped waiting for a message"));
      if (options.signal?.aborted) {
        reject(new ConcertLinkError("aborted", "stopped waiting for a message"));
        return;
      }
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutMs !== undefined) {
        timer = this.#timers.setTimeout(
          () => waiter.reject(new ConcertLinkError("timeout", `no message within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
      }
      this.#receivers.push(waiter);
    });
  }

  /** Stops listening; pending sends and receives reject with reason `closed`. */
  close(): void {
    if (this.#state === "closed") return;
    this.#move("closed");
    this.#stream.removeListener("data", this.#listener);
    if (this.#sessionTimer !== undefined) this.#timers.clearTimeout(this.#sessionTimer);
    this.#replyWaiter?.("timeout");
    for (const waiter of [...this.#receivers]) waiter.reject(new ConcertLinkError("closed", "the link is closed"));
    for (const resume of this.#idleWaiters.splice(0)) resume();
  }

  async #sendFrame(frame: Buffer): Promise<void> {
    await this.#whenIdle();
    if (this.#state === "closed") throw new ConcertLinkError("closed", "the link is closed");
    this.#move("sending");
    try {
      let accepted = false;
      for (let attempt = 1; attempt <= this.#tries && !accepted; attempt++) {
        const reply = this.#waitReply();
        this.#write(Buffer.of(ENQ));
        const answer = await reply;
        if (answer === "ENQ" && this.#yields) {
          // Collision: take the other end's session first, then start again.
          this.#move("receiving");
          this.#sessionFrame = undefined;
          this.#write(Buffer.of(ACK));
          this.#armSessionTimer();
          await this.#whenIdle();
          if (this.state === "closed") throw new ConcertLinkError("closed", "the link is closed");
          this.#move("sending");
          attempt--;
          continue;
        }
        accepted = answer === "ACK";
        if (!accepted) this.#write(Buffer.of(EOT));
      }
      if (!accepted) throw new ConcertLinkError("no-ack-to-enq", `no ACK to ENQ after ${this.#tries} tries`);
      let acked = false;
      for (let attempt = 1; attempt <= this.#tries && !acked; attempt++) {
        const reply = this.#waitReply();
        this.#write(frame);
        acked = (await reply) === "ACK";
      }
      this.#write(Buffer.of(EOT));
      if (!acked)
        throw new ConcertLinkError("frame-not-acknowledged", `frame not acknowledged after ${this.#tries} tries`);
    } finally {
      this.#setIdle();
    }
  }

  #waitReply(): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      if (this.#state === "closed") {
        resolve("timeout");
        return;
      }
      const timer = this.#timers.setTimeout(() => settle("timeout"), this.#timeoutMs);
      const settle = (reply: Reply): void => {
        this.#timers.clearTimeout(timer);
        this.#replyWaiter = undefined;
        resolve(reply);
      };
      this.#replyWaiter = settle;
    });
  }

  #whenIdle(): Promise<void> {
    if (this.#state === "idle" || this.#state === "closed") return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #move(to: ConcertLinkState): void {
    if (!TRANSITIONS[this.#state].includes(to))
      throw new Error(`ConcertLink: illegal transition ${this.#state} → ${to}`);
    this.#state = to;
  }

  #setIdle(): void {
    if (this.#state !== "closed") this.#move("idle");
    if (this.#sessionTimer !== undefined) this.#timers.clearTimeout(this.#sessionTimer);
    this.#sessionTimer = undefined;
    const next = this.#idleWaiters.shift();
    next?.();
  }

  #write(bytes: Buffer): void {
    if (this.#state !== "closed") this.#stream.write(bytes);
  }

  #onData(chunk: Buffer): void {
    for (const event of this.#reader.push(chunk)) {
      this.#onEvent?.(event, "in");
      this.#handle(event);
    }
  }

  #handle(event: FrameEvent): void {
    if (this.#state === "closed") return;
    if (this.#state === "sending") {
      // The sender only listens for the receiver's answer; anything else is not an ACK. The
      // other end's ENQ (a collision) counts only for the end that yields.
      if (event.type === "control" && (event.name !== "ENQ" || this.#yields)) this.#replyWaiter?.(event.name);
      return;
    }
    if (event.type === "control") {
      if (event.name === "ENQ") {
        // A new session, or the sender trying again because our ACK was lost.
        this.#move("receiving");
        this.#sessionFrame = undefined;
        this.#write(Buffer.of(ACK));
        this.#armSessionTimer();
      } else if (event.name === "EOT" && this.#state === "receiving") {
        this.#endSession();
      }
      return;
    }
    if (event.type === "frame" && this.#state === "receiving") {
      if (event.lrcOk) {
        this.#sessionFrame = event.payload;
        this.#write(Buffer.of(ACK));
      } else {
        this.#write(Buffer.of(NAK));
      }
      this.#armSessionTimer();
    }
  }

  /** A sender that goes silent mid-session does not block the link for ever. */
  #armSessionTimer(): void {
    if (this.#sessionTimer !== undefined) this.#timers.clearTimeout(this.#sessionTimer);
    this.#sessionTimer = this.#timers.setTimeout(() => this.#endSession(), this.#timeoutMs);
  }

  #endSession(): void {
    const frame = this.#sessionFrame;
    this.#sessionFrame = undefined;
    this.#setIdle();
    if (frame) this.#deliver(frame);
  }

  #deliver(payload: Buffer): void {
    const waiter = this.#receivers[0];
    if (waiter) {
      waiter.resolve(payload);
      return;
    }
    if (this.#inbox.length === INBOX_LIMIT) this.#inbox.shift();
    this.#inbox.push(payload);
  }
}
