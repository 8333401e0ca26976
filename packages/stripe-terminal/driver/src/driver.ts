/**
 * The Stripe Terminal driver for a backend that runs payments on smart readers (server-driven
 * integration): discover readers by location, connect with the `failIfInUse` semantics of the seed's
 * table (a fresh connection token for every connect), report disconnects, reconnect to the remembered
 * serial number, and run a payment as reader actions: create the PaymentIntent, hand it to the reader
 * with `process_payment_intent`, poll until the action ends, re-read the PaymentIntent. An outcome
 * that got lost is recovered by re-reading the PaymentIntent (replaying its create with the same
 * `Idempotency-Key` finds it again), never guessed.
 */
import { type ClientConfig, type Transport, VendorError } from "@payspec/runtime";
import { type StripeTerminalApiError, StripeTerminalClient, stripeAuth } from "@payspec/stripe-terminal-client";
import type {
  ApiError,
  CreatePaymentIntentRequest,
  DisconnectEvent,
  DisconnectReason,
  InternetConnectionConfiguration,
  InternetDiscoveryConfiguration,
  PaymentIntent,
  Reader,
  ReaderAction,
  RememberedReader,
} from "@payspec/stripe-terminal-types";
import {
  DriverError,
  NotConnectedError,
  OutcomeUnknownError,
  ReaderDisconnectedError,
  ReaderNotFoundError,
} from "./errors.js";
import { type ReaderConnection, type ReaderLink, serverDrivenLink } from "./link.js";
import { type ConnectionState, ConnectionStateMachine, PaymentFlow } from "./state.js";

/** Where the driver keeps the last connected reader between runs (Shared Preferences on Android, a file here). */
export interface RememberedReaderStore {
  load(): RememberedReader | undefined | Promise<RememberedReader | undefined>;
  save(reader: RememberedReader): void | Promise<void>;
}

/** A store in memory (lost on restart; give the driver a persistent one in production). */
export class MemoryReaderStore implements RememberedReaderStore {
  private value: RememberedReader | undefined;
  constructor(initial?: RememberedReader) {
    this.value = initial;
  }
  load(): RememberedReader | undefined {
    return this.value;
  }
  save(reader: RememberedReader): void {
    this.value = { ...reader };
  }
}

export interface StripeTerminalDriverOptions {
  /** A generated client, or the base URL and secret key to make one. */
  client?: StripeTerminalClient;
  baseUrl?: string;
  secretKey?: string;
  /** With `baseUrl`: the HTTP transport (default fetch) and the client's retry policy (default: no retries,
   * a lost answer is recovered by re-reading the PaymentIntent). */
  transport?: Transport;
  retry?: ClientConfig["retry"];
  /** Only discover readers of this location (`tml_…`). */
  location?: string;
  /** How a connect reaches the reader (default: `serverDrivenLink`, the reader's state through the API). */
  link?: ReaderLink;
  /** Remembers the connected reader's serial number for auto-reconnect (default in memory). */
  store?: RememberedReaderStore;
  /** Called when the reader disconnects (the seed's `onDisconnect`). */
  onDisconnect?: (event: DisconnectEvent) => void;
  /** Reconnect to the remembered reader when a disconnect is noticed (default true). */
  autoReconnect?: boolean;
  /** Wait between two polls of a reader action (default 1000 ms). */
  pollIntervalMs?: number;
  /** Injectable sleep (tests); must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A card-present payment to collect. */
export interface PaymentRequest {
  /** Minor units. */
  amount: number;
  /** ISO 4217, any case (sent in lower case). */
  currency: string;
  /** The PaymentIntent create's `Idempotency-Key`: keep it to recover the payment (`findPayment`). */
  idempotencyKey: string;
  metadata?: Record<string, string>;
  captureMethod?: "automatic" | "manual";
  description?: string;
  /** A cart to show on the reader before the payment (`set_reader_display`). */
  cart?: { lineItems: { description: string; amount: number; quantity: number }[]; tax?: number };
}

export type PaymentStatus = "approved" | "declined" | "cancelled" | "failed";

export interface PaymentResult {
  status: PaymentStatus;
  /** The PaymentIntent as last read (absent when it could not be created). */
  paymentIntent?: PaymentIntent;
  /** The vendor's reason for a decline, cancel or failure. */
  reason?: string;
  /** The vendor's code (`card_declined`, `canceled`, `terminal_reader_busy`, …). */
  code?: string;
}

export type PaymentRecovery =
  | PaymentResult
  | { status: "in-progress"; paymentIntent: PaymentIntent }
  /** The PaymentIntent never reached a reader; it is now canceled, so nothing can be charged. */
  | { status: "never-processed"; paymentIntent: PaymentIntent };

export interface CollectOptions {
  signal?: AbortSignal;
  /** Progress: `displaying` (cart shown), `waiting-for-card` (the reader waits for the customer). */
  onStatus?: (status: "displaying" | "waiting-for-card" | "processing") => void;
}

export interface RefundRequest {
  paymentIntent: string;
  amount: number;
  /** Written to the refund action's metadata, to find it again. */
  reference: string;
}

const ACTIVE_READER_ERRORS = new Set(["terminal_reader_offline", "terminal_reader_timeout"]);

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

function apiError(error: unknown): ApiError | undefined {
  return error instanceof VendorError ? (error as StripeTerminalApiError).body?.error : undefined;
}

function isReader(value: unknown): value is Reader {
  return typeof value === "object" && value !== null && (value as { deleted?: boolean }).deleted !== true;
}

function actionIntent(action: ReaderAction | null | undefined): string | undefined {
  const ref = action?.process_payment_intent?.payment_intent;
  return ref === undefined ? undefined : typeof ref === "string" ? ref : ref.id;
}

export class StripeTerminalDriver {
  readonly client: StripeTerminalClient;
  private readonly options: StripeTerminalDriverOptions;
  private readonly link: ReaderLink;
  private readonly store: RememberedReaderStore;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly machine = new ConnectionStateMachine();
  private connection: ReaderConnection | undefined;
  private current: Reader | undefined;

  constructor(options: StripeTerminalDriverOptions) {
    this.options = options;
    if (options.client) this.client = options.client;
    else if (options.baseUrl && options.secretKey) {
      this.client = new StripeTerminalClient({
        baseUrl: options.baseUrl,
        auth: stripeAuth({ secretKey: options.secretKey }),
        retry: options.retry ?? { maxAttempts: 1 },
        ...(options.transport ? { transport: options.transport } : {}),
      });
    } else throw new TypeError("StripeTerminalDriver: give a client, or baseUrl and secretKey");
    this.link = options.link ?? serverDrivenLink(this.client);
    this.store = options.store ?? new MemoryReaderStore();
    this.sleep = options.sleep ?? defaultSleep;
  }

  get state(): ConnectionState {
    return this.machine.state;
  }

  /** The connected reader. */
  get reader(): Reader | undefined {
    return this.current;
  }

  /** `discoverReaders` with an internet configuration: the readers registered to the location. */
  async discoverReaders(
    config: InternetDiscoveryConfiguration = { discoveryMethod: "internet" },
    signal?: AbortSignal,
  ): Promise<Reader[]> {
    const location = config.location ?? this.options.location;
    const found: Reader[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.client.readersList(
        { limit: 100, ...(location ? { location } : {}), ...(after ? { starting_after: after } : {}) },
        signal ? { signal } : {},
      );
      found.push(...page.data);
      if (!page.has_more || page.data.length === 0) return found;
      after = page.data[page.data.length - 1]?.id;
    }
  }

  /**
   * `connectReader`: a fresh connection token (scoped to the reader's location) for this connect, then
   * the link. With `failIfInUse: true` a reader in the middle of a payment refuses (`ReaderInUseError`)
   * and its current connection stays; otherwise the connect takes the reader over.
   */
  async connectReader(reader: Reader, config: InternetConnectionConfiguration = {}): Promise<Reader> {
    this.machine.to("connecting");
    try {
      const location = typeof reader.location === "string" ? reader.location : reader.location?.id;
      const token = await this.client.connectionTokensCreate({
        body: location ? { location } : {},
      });
      const connection = await this.link.connect(reader, token.secret, {
        failIfInUse: config.failIfInUse ?? false,
      });
      await this.dropConnection();
      this.connection = connection;
      this.current = reader;
      await this.store.save({ serial_number: reader.serial_number, ...(location ? { location } : {}) });
      this.machine.to("connected");
      return reader;
    } catch (error) {
      this.machine.to(this.connection ? "connected" : "disconnected");
      throw error;
    }
  }

  /**
   * Auto-reconnect (seed, "Reconnexion automatique"): discover the readers of the remembered location
   * and connect to the one whose serial number was remembered; none: stop (`ReaderNotFoundError`).
   */
  async reconnect(config: InternetConnectionConfiguration = { failIfInUse: true }): Promise<Reader> {
    const remembered = await this.store.load();
    if (!remembered) throw new ReaderNotFoundError("no reader remembered: connect one first");
    const readers = await this.discoverReaders({
      discoveryMethod: "internet",
      ...(remembered.location ? { location: remembered.location } : {}),
    });
    const match = readers.find((r) => r.serial_number === remembered.serial_number);
    if (!match) {
      throw new ReaderNotFoundError(`the remembered reader ${remembered.serial_number} was not discovered`);
    }
    return this.connectReader(match, config);
  }

  /** `disconnectReader`: ends the connection (`onDisconnect` with `disconnectRequested`). */
  async disconnectReader(): Promise<void> {
    if (!this.connection) return;
    await this.dropConnection();
    this.current = undefined;
    this.machine.to("disconnected");
    this.options.onDisconnect?.({ reason: "disconnectRequested" });
  }

  /** Closes the driver; nothing may be called afterwards. */
  async close(): Promise<void> {
    await this.dropConnection();
    this.current = undefined;
    this.machine.to("closed");
  }

  private async dropConnection(): Promise<void> {
    const previous = this.connection;
    this.connection = undefined;
    if (previous) await previous.disconnect();
  }

  /** Notices a lost connection: `onDisconnect`, then the auto-reconnect to the remembered serial number. */
  private async disconnected(reason: DisconnectReason): Promise<void> {
    if (this.machine.state !== "connected") return;
    this.connection = undefined;
    this.machine.to("disconnected");
    this.options.onDisconnect?.({ reason });
    if (this.options.autoReconnect === false) return;
    try {
      await this.reconnect({ failIfInUse: true });
    } catch {
      // Stays disconnected: the next command fails with NotConnectedError.
    }
  }

  /** The connected reader's id, after checking the connection still holds (reconnecting if it dropped). */
  private async connectedReader(): Promise<string> {
    if (this.connection && !(await this.connection.isConnected())) await this.disconnected("unknown");
    else if (this.machine.state === "disconnected" && this.current && this.options.autoReconnect !== false) {
      // Dropped earlier and the reconnect failed then: try the remembered reader again.
      await this.reconnect({ failIfInUse: true }).catch(() => undefined);
    }
    if (this.machine.state !== "connected" || !this.current) throw new NotConnectedError("no reader connected");
    return this.current.id;
  }

  /**
   * A server-driven payment: create the PaymentIntent (with the idempotency key), optionally show the
   * cart, `process_payment_intent`, poll the reader until the action ends, re-read the PaymentIntent.
   * Resolves approved/declined/cancelled, or failed when the reader refused before any charge (busy,
   * offline). Throws `OutcomeUnknownError` when an answer was lost after the PaymentIntent was created:
   * then `findPayment` with the same key tells what happened.
   */
  async collectPayment(request: PaymentRequest, options: CollectOptions = {}): Promise<PaymentResult> {
    const readerId = await this.connectedReader();
    const flow = new PaymentFlow();
    const call = options.signal ? { signal: options.signal } : {};
    const intent = await this.client.paymentIntentsCreate(
      { "Idempotency-Key": request.idempotencyKey, body: createBody(request) },
      call,
    );
    flow.to("created");
    try {
      if (request.cart) {
        await this.client.readersSetReaderDisplay({
          reader: readerId,
          body: {
            type: "cart",
            cart: {
              currency: request.currency.toLowerCase(),
              line_items: request.cart.lineItems,
              total: request.amount,
              ...(request.cart.tax !== undefined ? { tax: request.cart.tax } : {}),
            },
          },
        });
        options.onStatus?.("displaying");
      }
      try {
        await this.client.readersProcessPaymentIntent({
          reader: readerId,
          "Idempotency-Key": `${request.idempotencyKey}:process`,
          body: { payment_intent: intent.id },
        });
      } catch (error) {
        const refused = apiError(error);
        if (!refused) throw error;
        // The reader refused the action: nothing was charged. Cancel the PaymentIntent so nothing can be.
        if (refused.code === "terminal_reader_offline") await this.disconnected("unknown");
        const canceled = await this.cancelIntent(intent.id);
        flow.to("failed");
        return {
          status: "failed",
          paymentIntent: canceled ?? intent,
          reason: refused.message ?? "the reader refused the payment",
          ...(refused.code ? { code: String(refused.code) } : {}),
        };
      }
      flow.to("waiting-for-card");
      options.onStatus?.("waiting-for-card");
      const action = await this.waitForAction(readerId, intent.id, options.signal);
      flow.to("processing");
      return await this.finish(flow, intent.id, action);
    } catch (error) {
      if (error instanceof DriverError) throw error;
      throw new OutcomeUnknownError(
        `the outcome of PaymentIntent ${intent.id} is unknown: ${error instanceof Error ? error.message : String(error)}`,
        intent.id,
        { cause: error },
      );
    }
  }

  /** Polls the reader until its action on `intentId` is no longer in progress; an abort cancels the action. */
  private async waitForAction(readerId: string, intentId: string, signal?: AbortSignal): Promise<ReaderAction> {
    let cancelSent = false;
    for (;;) {
      if (signal?.aborted && !cancelSent) {
        cancelSent = true;
        await this.cancelAction(readerId);
      }
      const reader = await this.client.readersRetrieve({ reader: readerId });
      if (!isReader(reader)) throw new ReaderDisconnectedError("the reader was deleted");
      const action = reader.action;
      if (actionIntent(action) !== intentId) {
        // Another integration took the reader over: this payment's fate is read from the PaymentIntent.
        await this.disconnected("unknown");
        throw new ReaderDisconnectedError("the reader is no longer processing this payment");
      }
      if (action && action.status !== "in_progress") return action;
      if (reader.status === "offline") {
        await this.disconnected("unknown");
        throw new ReaderDisconnectedError("the reader went offline during the payment");
      }
      await this.sleep(this.options.pollIntervalMs ?? 1000, cancelSent ? undefined : signal).catch(() => undefined);
    }
  }

  private async finish(flow: PaymentFlow, intentId: string, action: ReaderAction): Promise<PaymentResult> {
    const intent = await this.client.paymentIntentsRetrieve({ intent: intentId });
    if (intent.status === "succeeded" || intent.status === "requires_capture") {
      flow.to("approved");
      return { status: "approved", paymentIntent: intent };
    }
    const code = action.failure_code ?? intent.last_payment_error?.code;
    if (code === "canceled" || intent.status === "canceled") {
      const canceled = intent.status === "canceled" ? intent : await this.cancelIntent(intentId);
      flow.to("cancelled");
      return {
        status: "cancelled",
        paymentIntent: canceled ?? intent,
        reason: action.failure_message ?? "the payment was cancelled",
        code: "canceled",
      };
    }
    // A decline leaves the PaymentIntent in requires_payment_method: cancel it so it cannot be charged later.
    const canceled = await this.cancelIntent(intentId);
    const error = intent.last_payment_error ?? action.api_error ?? undefined;
    if (error?.type === "card_error" || intent.last_payment_error) {
      flow.to("declined");
      return {
        status: "declined",
        paymentIntent: canceled ?? intent,
        reason: String(error?.decline_code ?? error?.code ?? action.failure_code ?? "declined"),
        ...(error?.code ? { code: String(error.code) } : {}),
      };
    }
    flow.to("failed");
    if (action.failure_code && ACTIVE_READER_ERRORS.has(action.failure_code)) await this.disconnected("unknown");
    return {
      status: "failed",
      paymentIntent: canceled ?? intent,
      reason: action.failure_message ?? action.failure_code ?? "the reader action failed",
      ...(action.failure_code ? { code: action.failure_code } : {}),
    };
  }

  /** Cancels a PaymentIntent that was not charged; answers undefined when it is already final. */
  private async cancelIntent(intentId: string): Promise<PaymentIntent | undefined> {
    try {
      return await this.client.paymentIntentsCancel({ intent: intentId, body: {} });
    } catch (error) {
      if (apiError(error)?.code === "payment_intent_unexpected_state") return undefined;
      throw error;
    }
  }

  private async cancelAction(readerId: string): Promise<void> {
    try {
      await this.client.readersCancelAction({ reader: readerId, body: {} });
    } catch (error) {
      if (!apiError(error)) throw error; // no action in progress: it already ended
    }
  }

  /** Cancels the connected reader's action in progress (`cancel_action`): a waiting payment ends `cancelled`. */
  async cancelCollect(): Promise<void> {
    if (!this.current) throw new NotConnectedError("no reader connected");
    await this.cancelAction(this.current.id);
  }

  /**
   * What became of a payment, from its idempotency key and the parameters it was created with: the
   * create is replayed (same key, same parameters → the same PaymentIntent), the reader is looked at
   * and the PaymentIntent re-read. A PaymentIntent no reader is processing and nothing charged is
   * canceled and reported `never-processed`: it can no longer be charged.
   */
  async findPayment(request: PaymentRequest, readerId?: string): Promise<PaymentRecovery> {
    const replayed = await this.client.paymentIntentsCreate({
      "Idempotency-Key": request.idempotencyKey,
      body: createBody(request),
    });
    if (readerId) {
      const reader = await this.client.readersRetrieve({ reader: readerId }).catch(() => undefined);
      if (isReader(reader) && actionIntent(reader.action) === replayed.id && reader.action?.status === "in_progress") {
        return { status: "in-progress", paymentIntent: replayed };
      }
    }
    const intent = await this.client.paymentIntentsRetrieve({ intent: replayed.id });
    switch (intent.status) {
      case "succeeded":
      case "requires_capture":
        return { status: "approved", paymentIntent: intent };
      case "processing":
        return { status: "in-progress", paymentIntent: intent };
      case "canceled":
        return intent.last_payment_error
          ? {
              status: "declined",
              paymentIntent: intent,
              reason: String(intent.last_payment_error.decline_code ?? intent.last_payment_error.code ?? "declined"),
            }
          : { status: "cancelled", paymentIntent: intent, reason: intent.cancellation_reason ?? "canceled" };
      default: {
        const canceled = (await this.cancelIntent(intent.id)) ?? intent;
        if (canceled.status === "succeeded" || canceled.status === "requires_capture") {
          return { status: "approved", paymentIntent: canceled };
        }
        if (intent.last_payment_error) {
          return {
            status: "declined",
            paymentIntent: canceled,
            reason: String(intent.last_payment_error.decline_code ?? intent.last_payment_error.code ?? "declined"),
          };
        }
        return { status: "never-processed", paymentIntent: canceled };
      }
    }
  }

  /**
   * An in-person refund on the connected reader (`refund_payment`), with the reference in the action's
   * metadata; polls until the action ends.
   */
  async refundPayment(request: RefundRequest, options: CollectOptions = {}): Promise<PaymentResult> {
    const readerId = await this.connectedReader();
    try {
      await this.client.readersRefundPayment({
        reader: readerId,
        body: {
          payment_intent: request.paymentIntent,
          amount: request.amount,
          metadata: { payspec_reference: request.reference },
        },
      });
    } catch (error) {
      const refused = apiError(error);
      if (!refused) throw error;
      return {
        status: "failed",
        reason: refused.message ?? "refused",
        ...(refused.code ? { code: String(refused.code) } : {}),
      };
    }
    options.onStatus?.("waiting-for-card");
    for (;;) {
      const found = await this.findRefund(readerId, request.reference);
      if (found.status !== "in-progress") return found;
      await this.sleep(this.options.pollIntervalMs ?? 1000).catch(() => undefined);
    }
  }

  /** What the reader's refund action with this reference became; unknown (throws) once the reader moved on. */
  async findRefund(readerId: string, reference: string): Promise<PaymentResult | { status: "in-progress" }> {
    const reader = await this.client.readersRetrieve({ reader: readerId });
    const action = isReader(reader) ? reader.action : undefined;
    if (action?.type !== "refund_payment" || action.refund_payment?.metadata?.payspec_reference !== reference) {
      throw new OutcomeUnknownError(`the reader no longer shows the refund ${reference}`, undefined);
    }
    if (action.status === "in_progress") return { status: "in-progress" };
    if (action.status === "succeeded") return { status: "approved" };
    if (action.failure_code === "canceled") return { status: "cancelled", reason: "canceled", code: "canceled" };
    return {
      status: "declined",
      reason: action.failure_message ?? action.failure_code ?? "declined",
      ...(action.failure_code ? { code: action.failure_code } : {}),
    };
  }
}

/** The create body; the same request always gives the same body, so a replay matches the first create. */
function createBody(request: PaymentRequest): CreatePaymentIntentRequest {
  return {
    amount: request.amount,
    currency: request.currency.toLowerCase(),
    payment_method_types: ["card_present"],
    capture_method: request.captureMethod ?? "automatic",
    ...(request.description ? { description: request.description } : {}),
    ...(request.metadata ? { metadata: request.metadata } : {}),
  };
}
