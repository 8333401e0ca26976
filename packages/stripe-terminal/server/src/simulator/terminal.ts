/**
 * A simulated Stripe Terminal account (test mode), server-driven integration: locations, readers
 * registered with Stripe's documented simulated registration codes, single-use connection tokens
 * and reader actions completed with the `present_payment_method` test helper (PROTOCOLS.md §2).
 * Time comes from an injectable clock: nothing here sleeps.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Handler, HandlerContext, HandlerInput, Reply } from "@payspec/runtime/server";
import type {
  ApiError,
  Configuration,
  DeviceType,
  ErrorResponse,
  Location,
  Metadata,
  PaymentIntent,
  Reader,
  ReaderAction,
} from "@payspec/stripe-terminal-types";
import type { StripeTerminalHandlers } from "../gen/index.gen.js";

/** The secret key the simulator accepts unless told otherwise. */
export const SIMULATOR_SECRET_KEY = "sk_test_payspecSimulator0000000000";

/** Registration codes Stripe documents for simulated readers in test mode, and what they register. */
export const SIMULATED_REGISTRATION_CODES: Readonly<Record<string, { deviceType: DeviceType; serialPrefix: string }>> =
  {
    "simulated-wpe": { deviceType: "bbpos_wisepos_e", serialPrefix: "WSC513" },
    "simulated-s700": { deviceType: "stripe_s700", serialPrefix: "STRS700" },
  };

/** A decline: the `code` and `decline_code` of the card error Stripe reports. */
export interface SimulatedDecline {
  code: string;
  declineCode: string;
  message: string;
}

const DECLINED: SimulatedDecline = {
  code: "card_declined",
  declineCode: "generic_decline",
  message: "Your card was declined.",
};

/** Stripe's test card numbers for card_present and the decline each one produces. */
export const DECLINE_CARDS: Readonly<Record<string, SimulatedDecline>> = {
  "4000000000000002": DECLINED,
  "4000000000009995": {
    code: "card_declined",
    declineCode: "insufficient_funds",
    message: "Your card has insufficient funds.",
  },
  "4000000000009987": { code: "card_declined", declineCode: "lost_card", message: "Your card was declined." },
  "4000000000009979": { code: "card_declined", declineCode: "stolen_card", message: "Your card was declined." },
  "4000000000000069": { code: "expired_card", declineCode: "expired_card", message: "Your card has expired." },
  "4000000000000119": {
    code: "processing_error",
    declineCode: "processing_error",
    message: "An error occurred while processing your card. Try again in a little bit.",
  },
};

/** Stripe's physical test card amounts: the last two digits of the amount (minor units) decide the decline. */
export const DECLINE_AMOUNT_ENDINGS: Readonly<Record<number, SimulatedDecline>> = {
  1: { code: "card_declined", declineCode: "call_issuer", message: "Your card was declined." },
  5: DECLINED,
  55: { code: "incorrect_pin", declineCode: "incorrect_pin", message: "The PIN entered is incorrect." },
  65: {
    code: "card_declined",
    declineCode: "withdrawal_count_limit_exceeded",
    message: "Your card was declined.",
  },
  75: { code: "card_declined", declineCode: "pin_try_exceeded", message: "Your card was declined." },
};

export interface StripeTerminalSimulatorOptions {
  /** The accepted secret key (default `SIMULATOR_SECRET_KEY`). */
  secretKey?: string;
  /** Clock in milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
  /** An action still `in_progress` after this long fails with `terminal_reader_timeout` (default: never). */
  actionTimeoutMs?: number;
  /**
   * Where to POST `terminal.reader.action_succeeded` / `terminal.reader.action_failed` events, signed
   * with `secret` in a `Stripe-Signature` header (`t=…,v1=…`) as Stripe signs webhooks.
   */
  webhook?: { url: string; secret: string };
  /**
   * A simulated customer, for tests of code that polls: when a reader with an action in progress is
   * next read (`GET` reader, reader list, `GET` PaymentIntent), the customer presents the card returned
   * (`{}`: Stripe's default successful test card), or never presents one (`false`: the action waits for
   * `cancel_action` or `actionTimeoutMs`). Without it, only the test helper presents cards.
   */
  customer?: (action: SimulatedAction) => PresentedCard | false | undefined;
}

/** What the simulated customer is shown: the reader, the action type and its PaymentIntent. */
export interface SimulatedAction {
  readonly reader: string;
  readonly type: string;
  readonly paymentIntent?: { readonly id: string; readonly amount: number; readonly currency: string };
}

/** The card a customer presents (the test helper's body). */
export interface PresentedCard {
  card_present?: { number?: string };
  interac_present?: { number?: string };
}

/** The API version the simulator answers in when a request does not pin one. */
export const SIMULATOR_API_VERSION = "2023-08-16";

/**
 * Stripe's webhook signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the
 * endpoint secret>`, what `stripe.webhooks.constructEvent(payload, header, secret)` verifies.
 */
export function signWebhookPayload(payload: string, secret: string, timestampSeconds: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestampSeconds}.${payload}`, "utf8").digest("hex");
  return `t=${timestampSeconds},v1=${v1}`;
}

/** One webhook delivery attempt: the event and what the endpoint answered (status, or the network error). */
export interface WebhookDelivery {
  readonly event: { id: string; type: string };
  readonly status?: number;
  readonly error?: string;
}

/** An SDK-side connection to a reader (what `connectReader` holds), made with a single-use connection token. */
export type ConnectReaderResult = { ok: true; connectionId: string } | { ok: false; error: ApiError };

/**
 * A PaymentIntent the simulator knows: created with `POST /v1/payment_intents` (or
 * `state.createPaymentIntent`), or first seen in a `process_payment_intent` action.
 */
export interface SimulatedPaymentIntent {
  id: string;
  amount?: number;
  currency?: string;
  captureMethod: "automatic" | "manual";
  status: string;
  created?: number;
  metadata?: Metadata;
  description?: string | null;
  paymentMethodTypes?: string[];
  amountReceived?: number;
  amountCapturable?: number;
  lastPaymentError?: ApiError | null;
  latestCharge?: string | null;
  canceledAt?: number | null;
  cancellationReason?: string | null;
}

export type ConsumeResult = { ok: true; location?: string } | { ok: false; error: ApiError };

export interface StripeTerminalState {
  readonly secretKey: string;
  readonly locations: ReadonlyMap<string, Location>;
  readonly readers: ReadonlyMap<string, Reader>;
  readonly paymentIntents: ReadonlyMap<string, SimulatedPaymentIntent>;
  /** Uses a connection token once, as the SDK does on connect; a second use, or a reader outside its location, fails. */
  consumeConnectionToken(secret: string, readerId?: string): ConsumeResult;
  /** A PaymentIntent with an amount (for the amount-based declines); returns it. */
  createPaymentIntent(input: {
    amount: number;
    currency?: string;
    captureMethod?: "automatic" | "manual";
  }): SimulatedPaymentIntent;
  /** Sets a reader's network status (a reader that is `offline` refuses actions). */
  setReaderStatus(readerId: string, status: "online" | "offline"): void;
  /**
   * What the SDK's `connectReader` does (seed 001, "Connexions multiples"): uses a fresh connection
   * token, then takes the reader over from the SDK connected before, unless `failIfInUse` is set and
   * the reader is in the middle of a payment: then the incoming connect fails and the existing one stays.
   */
  connectReader(readerId: string, secret: string, config?: { failIfInUse?: boolean }): ConnectReaderResult;
  /** Whether the connection is still the reader's (false once another SDK took the reader over, or it went offline). */
  isConnected(connectionId: string): boolean;
  /** Ends an SDK connection (`disconnectReader`). */
  disconnectReader(connectionId: string): void;
  /** Webhook deliveries so far (with `webhook` set). */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /** Resolves once every webhook delivery started so far has been answered (or failed). */
  flushWebhooks(): Promise<void>;
}

export interface StripeTerminalSimulator {
  readonly handlers: StripeTerminalHandlers;
  readonly state: StripeTerminalState;
}

type Fail = { status: number; body: ErrorResponse };

function fail(status: number, error: ApiError): Fail {
  return { status, body: { error } };
}

function missing(kind: string, id: string, param?: string): Fail {
  return fail(param ? 400 : 404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${kind}: '${id}'`,
    ...(param ? { param } : {}),
    doc_url: "https://stripe.com/docs/error-codes/resource-missing",
  });
}

/** Merges Stripe-style metadata: `""` clears all keys, a key set to `""` is removed. */
function mergeMetadata(current: Metadata, update: Metadata | "" | undefined): Metadata {
  if (update === undefined) return current;
  if (update === "") return {};
  const next = { ...current };
  for (const [k, v] of Object.entries(update)) {
    if (v === "") delete next[k];
    else next[k] = v;
  }
  return next;
}

interface Row<T> {
  seq: number;
  value: T;
  deleted: boolean;
}

/** Objects by id, in creation order, with Stripe's cursor pagination (newest first). */
class Table<T extends { id: string }> {
  private readonly rows = new Map<string, Row<T>>();
  private seq = 0;
  readonly live = new Map<string, T>();

  add(value: T): T {
    this.rows.set(value.id, { seq: ++this.seq, value, deleted: false });
    this.live.set(value.id, value);
    return value;
  }
  get(id: string): T | undefined {
    return this.live.get(id);
  }
  wasDeleted(id: string): boolean {
    return this.rows.get(id)?.deleted === true;
  }
  remove(id: string): void {
    const row = this.rows.get(id);
    if (row) row.deleted = true;
    this.live.delete(id);
  }
  page(
    query: { limit?: number; starting_after?: string; ending_before?: string },
    url: string,
    kind: string,
    keep: (value: T) => boolean = () => true,
  ): { list: { object: "list"; data: T[]; has_more: boolean; url: string } } | { error: Fail } {
    const limit = Math.min(Math.max(query.limit ?? 10, 1), 100);
    const newestFirst = [...this.rows.values()].filter((r) => !r.deleted && keep(r.value)).reverse();
    const cursor = (id: string, param: string): number | Fail => {
      const row = this.rows.get(id);
      return row && !row.deleted ? row.seq : missing(kind, id, param);
    };
    if (query.starting_after !== undefined) {
      const seq = cursor(query.starting_after, "starting_after");
      if (typeof seq !== "number") return { error: seq };
      const after = newestFirst.filter((r) => r.seq < seq);
      return { list: this.list(after.slice(0, limit), after.length > limit, url) };
    }
    if (query.ending_before !== undefined) {
      const seq = cursor(query.ending_before, "ending_before");
      if (typeof seq !== "number") return { error: seq };
      const before = newestFirst.filter((r) => r.seq > seq);
      return { list: this.list(before.slice(Math.max(0, before.length - limit)), before.length > limit, url) };
    }
    return { list: this.list(newestFirst.slice(0, limit), newestFirst.length > limit, url) };
  }
  private list(rows: Row<T>[], hasMore: boolean, url: string) {
    return { object: "list" as const, data: rows.map((r) => r.value), has_more: hasMore, url };
  }
}

const BUSY_MESSAGE =
  "Reader is currently busy processing another request. Please reference the integration guide for more details: " +
  "https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors";

/** Builds the simulator: handlers for `registerStripeTerminal` and the state behind them. */
export function createStripeTerminalSimulator(options: StripeTerminalSimulatorOptions = {}): StripeTerminalSimulator {
  const secretKey = options.secretKey ?? SIMULATOR_SECRET_KEY;
  const now = options.now ?? Date.now;
  const locations = new Table<Location>();
  const readers = new Table<Reader>();
  const configurations = new Table<Configuration>();
  const paymentIntents = new Map<string, SimulatedPaymentIntent>();
  /** Connection token secret → the location it is scoped to (`null`: any) and whether it was used. */
  const tokens = new Map<string, { location: string | null; used: boolean }>();
  /** When each reader's current action started (clock ms). */
  const actionStartedAt = new Map<string, number>();
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}_sim${(++counter).toString(36).padStart(14, "0")}`;
  /** Reader id → the SDK connection that holds it. */
  const connections = new Map<string, string>();
  const deliveries: WebhookDelivery[] = [];
  const pendingDeliveries = new Set<Promise<void>>();

  /** POSTs a `terminal.reader.action_*` event to the webhook endpoint, signed as Stripe signs. */
  function emitActionEvent(reader: Reader): void {
    const hook = options.webhook;
    const status = reader.action?.status;
    if (!hook || (status !== "succeeded" && status !== "failed")) return;
    const created = Math.floor(now() / 1000);
    const event = {
      id: nextId("evt"),
      object: "event",
      api_version: SIMULATOR_API_VERSION,
      created,
      data: { object: view(reader, undefined) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: `terminal.reader.action_${status}`,
    };
    const payload = JSON.stringify(event);
    const delivery = fetch(hook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "stripe-signature": signWebhookPayload(payload, hook.secret, created),
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      },
      body: payload,
    })
      .then(async (res) => {
        await res.arrayBuffer().catch(() => undefined);
        deliveries.push({ event: { id: event.id, type: event.type }, status: res.status });
      })
      .catch((err: unknown) => {
        deliveries.push({ event: { id: event.id, type: event.type }, error: String(err) });
      })
      .finally(() => pendingDeliveries.delete(delivery));
    pendingDeliveries.add(delivery);
  }
  const randomPart = () => randomBytes(18).toString("base64url");

  /** Fails an action that outlived `actionTimeoutMs`, when the reader is next looked at. */
  function expire(reader: Reader): void {
    if (options.actionTimeoutMs === undefined || reader.action?.status !== "in_progress") return;
    const started = actionStartedAt.get(reader.id) ?? now();
    if (now() - started < options.actionTimeoutMs) return;
    reader.action = {
      ...reader.action,
      status: "failed",
      failure_code: "terminal_reader_timeout",
      failure_message: "The reader timed out waiting for a payment method.",
    };
    emitActionEvent(reader);
  }

  function findReader(id: string): Reader | Fail {
    const reader = readers.get(id);
    if (!reader) return missing("terminal.reader", id);
    expire(reader);
    return reader;
  }

  function view(reader: Reader, expand: readonly string[] | undefined, prefix = ""): Reader {
    if (expand?.includes(`${prefix}location`) && typeof reader.location === "string") {
      const location = locations.get(reader.location);
      if (location) return { ...reader, location };
    }
    return { ...reader };
  }

  /** Starts an action on a reader: refused while another runs (409) or the reader is offline. */
  function startAction(
    id: string,
    ctx: HandlerContext,
    action: Omit<ReaderAction, "status">,
    expand: readonly string[] | undefined,
  ): { status: 200; body: Reader } | Fail {
    const reader = findReader(id);
    if ("body" in reader) return reader;
    // A cart on the screen gives way to the next action, as the real display does; anything else is busy.
    const busy = reader.action?.status === "in_progress" && reader.action.type !== "set_reader_display";
    if (ctx.faults.busy || busy) {
      return fail(409, {
        type: "invalid_request_error",
        code: "terminal_reader_busy",
        message: BUSY_MESSAGE,
        doc_url: "https://stripe.com/docs/error-codes/terminal-reader-busy",
      });
    }
    if (reader.status === "offline" || ctx.faults.disconnect) {
      if (ctx.faults.disconnect) connections.delete(reader.id);
      return fail(400, {
        type: "invalid_request_error",
        code: "terminal_reader_offline",
        message: "Reader is currently offline, please ensure the reader is powered on and connected to the internet.",
        doc_url: "https://stripe.com/docs/error-codes/terminal-reader-offline",
      });
    }
    reader.action = { ...action, status: "in_progress" } as ReaderAction;
    actionStartedAt.set(reader.id, now());
    reader.last_seen_at = now();
    return { status: 200, body: view(reader, expand) };
  }

  function paymentIntent(id: string): SimulatedPaymentIntent {
    let pi = paymentIntents.get(id);
    if (!pi) {
      pi = { id, captureMethod: "automatic", status: "requires_payment_method" };
      paymentIntents.set(id, pi);
    }
    return pi;
  }

  /** The `payment_intent` object Stripe answers with. */
  function renderPaymentIntent(pi: SimulatedPaymentIntent): PaymentIntent {
    return {
      id: pi.id,
      object: "payment_intent",
      amount: pi.amount ?? 0,
      amount_capturable: pi.amountCapturable ?? 0,
      amount_received: pi.amountReceived ?? 0,
      capture_method: pi.captureMethod,
      created: pi.created ?? Math.floor(now() / 1000),
      currency: pi.currency ?? "usd",
      livemode: false,
      metadata: { ...(pi.metadata ?? {}) },
      last_payment_error: pi.lastPaymentError ?? null,
      latest_charge: pi.latestCharge ?? null,
      canceled_at: pi.canceledAt ?? null,
      cancellation_reason: pi.cancellationReason ?? null,
      description: pi.description ?? null,
      payment_method_types: [...(pi.paymentMethodTypes ?? ["card_present"])],
      status: pi.status,
    };
  }

  function unexpectedState(pi: SimulatedPaymentIntent, action: string, allowed: readonly string[]): Fail {
    return fail(400, {
      type: "invalid_request_error",
      code: "payment_intent_unexpected_state",
      message: `You cannot ${action} this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be ${action === "cancel" ? "canceled" : "captured"}: ${allowed.join(", ")}.`,
      doc_url: "https://stripe.com/docs/error-codes/payment-intent-unexpected-state",
      payment_intent: { id: pi.id, object: "payment_intent", status: pi.status },
    });
  }

  /** The customer presents a card on the reader's in-progress action (the test helper, or the simulated customer). */
  function present(reader: Reader, card: PresentedCard | undefined, forceDecline: boolean): void {
    const action = reader.action;
    if (!action) return;
    const number = card?.card_present?.number ?? card?.interac_present?.number ?? "4242424242424242";
    if (action.type === "process_payment_intent" && action.process_payment_intent) {
      const piId = action.process_payment_intent.payment_intent;
      const pi = paymentIntent(typeof piId === "string" ? piId : piId.id);
      const byAmount = pi.amount === undefined ? undefined : DECLINE_AMOUNT_ENDINGS[pi.amount % 100];
      const decline = forceDecline ? DECLINED : (DECLINE_CARDS[number] ?? byAmount);
      if (decline) {
        pi.lastPaymentError = {
          type: "card_error",
          code: decline.code,
          decline_code: decline.declineCode,
          message: decline.message,
        };
        reader.action = {
          ...action,
          status: "failed",
          failure_code: decline.code,
          failure_message: decline.message,
          api_error: {
            type: "card_error",
            code: decline.code,
            decline_code: decline.declineCode,
            message: decline.message,
            payment_intent: {
              id: pi.id,
              object: "payment_intent",
              status: pi.status,
              ...(pi.amount !== undefined ? { amount: pi.amount } : {}),
            },
          },
        };
      } else {
        pi.status = pi.captureMethod === "manual" ? "requires_capture" : "succeeded";
        pi.lastPaymentError = null;
        pi.latestCharge = nextId("ch");
        if (pi.captureMethod === "manual") pi.amountCapturable = pi.amount ?? 0;
        else pi.amountReceived = pi.amount ?? 0;
        reader.action = { ...action, status: "succeeded" };
      }
    } else if (action.type === "process_setup_intent" && action.process_setup_intent) {
      reader.action = {
        ...action,
        status: "succeeded",
        process_setup_intent: { ...action.process_setup_intent, generated_card: nextId("pm") },
      };
    } else if (action.type === "refund_payment") {
      reader.action = {
        ...action,
        status: "succeeded",
        refund_payment: { ...action.refund_payment, refund: nextId("re") },
      };
    }
    reader.last_seen_at = now();
    emitActionEvent(reader);
  }

  /** The simulated customer (option `customer`) acts on an action in progress when the reader is next looked at. */
  function simulateCustomer(reader: Reader): void {
    const action = reader.action;
    if (!options.customer || action?.status !== "in_progress" || action.type === "set_reader_display") return;
    const piRef = action.process_payment_intent?.payment_intent;
    const piId = piRef === undefined ? undefined : typeof piRef === "string" ? piRef : piRef.id;
    const pi = piId === undefined ? undefined : paymentIntents.get(piId);
    const card = options.customer({
      reader: reader.id,
      type: action.type,
      ...(pi ? { paymentIntent: { id: pi.id, amount: pi.amount ?? 0, currency: pi.currency ?? "usd" } } : {}),
    });
    if (card === false) return;
    present(reader, card ?? undefined, false);
  }

  const invalid = (message: string, param: string, code?: string): Fail =>
    fail(400, { type: "invalid_request_error", message, param, ...(code ? { code } : {}) });

  const handlers: StripeTerminalHandlers = {
    // ---- locations ----
    locationsCreate: ({ body }) => {
      const location: Location = {
        id: nextId("tml"),
        object: "terminal.location",
        address: { ...body.address },
        display_name: body.display_name,
        livemode: false,
        metadata: mergeMetadata({}, body.metadata),
        ...(body.configuration_overrides ? { configuration_overrides: body.configuration_overrides } : {}),
      };
      return { status: 200, body: { ...locations.add(location) } };
    },
    locationsRetrieve: ({ location: id }) => {
      const location = locations.get(id);
      if (location) return { status: 200, body: { ...location } };
      if (locations.wasDeleted(id)) return { status: 200, body: { id, object: "terminal.location", deleted: true } };
      return missing("terminal.location", id);
    },
    locationsUpdate: ({ location: id, body }) => {
      const location = locations.get(id);
      if (!location) return missing("terminal.location", id);
      if (body?.display_name !== undefined) location.display_name = body.display_name;
      if (body?.address !== undefined) location.address = { ...location.address, ...body.address };
      if (body?.configuration_overrides !== undefined) {
        if (body.configuration_overrides === "") delete location.configuration_overrides;
        else location.configuration_overrides = body.configuration_overrides;
      }
      location.metadata = mergeMetadata(location.metadata, body?.metadata);
      return { status: 200, body: { ...location } };
    },
    locationsDelete: ({ location: id }) => {
      if (!locations.get(id)) return missing("terminal.location", id);
      locations.remove(id);
      return { status: 200, body: { id, object: "terminal.location", deleted: true } };
    },
    locationsList: (query) => {
      const page = locations.page(query, "/v1/terminal/locations", "terminal.location");
      return "error" in page ? page.error : { status: 200, body: page.list };
    },

    // ---- readers ----
    readersCreate: ({ body }) => {
      const simulated = SIMULATED_REGISTRATION_CODES[body.registration_code];
      if (!simulated) {
        return invalid(
          "The registration code provided is invalid. In test mode, use `simulated-wpe` (or `simulated-s700`) to register a simulated reader.",
          "registration_code",
          "invalid_registration_code",
        );
      }
      if (body.location !== undefined && !locations.get(body.location))
        return missing("terminal.location", body.location, "location");
      const n = ++counter;
      const reader: Reader = {
        id: nextId("tmr"),
        object: "terminal.reader",
        action: null,
        device_sw_version: "2.37.2.0",
        device_type: simulated.deviceType,
        ip_address: "0.0.0.0",
        label: body.label ?? body.registration_code,
        last_seen_at: now(),
        livemode: false,
        location: body.location ?? null,
        metadata: mergeMetadata({}, body.metadata),
        serial_number: `${simulated.serialPrefix}${String(n).padStart(9, "0")}`,
        status: "online",
      };
      readers.add(reader);
      return { status: 200, body: view(reader, body.expand) };
    },
    readersRetrieve: ({ reader: id, "expand[]": expand }) => {
      if (readers.wasDeleted(id)) return { status: 200, body: { id, object: "terminal.reader", deleted: true } };
      const reader = findReader(id);
      if ("body" in reader) return reader;
      simulateCustomer(reader);
      return { status: 200, body: view(reader, expand) };
    },
    readersUpdate: ({ reader: id, body }) => {
      const reader = findReader(id);
      if ("body" in reader) return reader;
      if (body?.label !== undefined) reader.label = body.label;
      reader.metadata = mergeMetadata(reader.metadata, body?.metadata);
      return { status: 200, body: view(reader, body?.expand) };
    },
    readersDelete: ({ reader: id }) => {
      if (!readers.get(id)) return missing("terminal.reader", id);
      readers.remove(id);
      actionStartedAt.delete(id);
      return { status: 200, body: { id, object: "terminal.reader", deleted: true } };
    },
    readersList: (query) => {
      const page = readers.page(
        query,
        "/v1/terminal/readers",
        "terminal.reader",
        (r) =>
          (query.location === undefined || r.location === query.location) &&
          (query.status === undefined || r.status === query.status) &&
          (query.serial_number === undefined || r.serial_number === query.serial_number) &&
          (query.device_type === undefined || r.device_type === query.device_type),
      );
      if ("error" in page) return page.error;
      for (const r of page.list.data) {
        expire(r);
        simulateCustomer(r);
      }
      return {
        status: 200,
        body: { ...page.list, data: page.list.data.map((r) => view(r, query["expand[]"], "data.")) },
      };
    },

    // ---- reader actions ----
    readersProcessPaymentIntent: ({ reader, body }, ctx) => {
      if (!body.payment_intent.startsWith("pi_"))
        return missing("payment_intent", body.payment_intent, "payment_intent");
      const pi = paymentIntent(body.payment_intent);
      if (pi.status !== "requires_payment_method") {
        return invalid(
          `This PaymentIntent's status is ${pi.status}; it cannot be processed on a reader.`,
          "payment_intent",
          "intent_invalid_state",
        );
      }
      return startAction(
        reader,
        ctx,
        {
          type: "process_payment_intent",
          process_payment_intent: {
            payment_intent: pi.id,
            ...(body.process_config ? { process_config: body.process_config } : {}),
          },
        },
        body.expand,
      );
    },
    readersProcessSetupIntent: (input, ctx) => {
      const { reader, body } = input;
      if (body.customer_consent_collected === undefined && body.allow_redisplay === undefined) {
        // 2023-08-16 requires customer_consent_collected; later versions replaced it with allow_redisplay.
        const version = input["Stripe-Version"] ?? SIMULATOR_API_VERSION;
        const param = version <= SIMULATOR_API_VERSION ? "customer_consent_collected" : "allow_redisplay";
        return fail(400, {
          type: "invalid_request_error",
          code: "parameter_missing",
          message: `Missing required param: ${param}.`,
          param,
          doc_url: "https://stripe.com/docs/error-codes/parameter-missing",
        });
      }
      if (!body.setup_intent.startsWith("seti_")) return missing("setup_intent", body.setup_intent, "setup_intent");
      return startAction(
        reader,
        ctx,
        { type: "process_setup_intent", process_setup_intent: { setup_intent: body.setup_intent } },
        body.expand,
      );
    },
    readersRefundPayment: ({ reader, body }, ctx) => {
      if (!body?.charge && !body?.payment_intent)
        return invalid("You must provide either `charge` or `payment_intent`.", "payment_intent", "parameter_missing");
      return startAction(
        reader,
        ctx,
        {
          type: "refund_payment",
          refund_payment: {
            ...(body.amount !== undefined ? { amount: body.amount } : {}),
            ...(body.charge ? { charge: body.charge } : {}),
            ...(body.payment_intent ? { payment_intent: body.payment_intent } : {}),
            ...(body.metadata ? { metadata: body.metadata } : {}),
          },
        },
        body.expand,
      );
    },
    readersSetReaderDisplay: ({ reader, body }, ctx) =>
      startAction(
        reader,
        ctx,
        {
          type: "set_reader_display",
          set_reader_display: {
            type: "cart",
            cart: body.cart
              ? {
                  currency: body.cart.currency,
                  line_items: body.cart.line_items,
                  tax: body.cart.tax ?? null,
                  total: body.cart.total,
                }
              : null,
          },
        },
        body.expand,
      ),
    readersCancelAction: ({ reader: id, body }) => {
      const reader = findReader(id);
      if ("body" in reader) return reader;
      if (reader.action?.status !== "in_progress")
        return fail(400, {
          type: "invalid_request_error",
          message: "This reader has no action in progress to cancel.",
        });
      reader.action = {
        ...reader.action,
        status: "failed",
        failure_code: "canceled",
        failure_message: "The action was canceled.",
      };
      emitActionEvent(reader);
      return { status: 200, body: view(reader, body?.expand) };
    },

    // ---- test helper ----
    testHelpersPresentPaymentMethod: ({ reader: id, body }, ctx) => {
      const reader = findReader(id);
      if ("body" in reader) return reader;
      const action = reader.action;
      if (action?.status !== "in_progress" || action.type === "set_reader_display") {
        return fail(400, {
          type: "invalid_request_error",
          message:
            "This reader has no in-progress process_payment_intent, process_setup_intent or refund_payment action.",
        });
      }
      present(reader, body, ctx.faults.decline === true);
      return { status: 200, body: view(reader, body?.expand) };
    },

    // ---- payment intents (the subset terminal flows use) ----
    paymentIntentsCreate: ({ body }) => {
      const pi: SimulatedPaymentIntent = {
        id: `pi_${randomPart()}`,
        amount: body.amount,
        currency: body.currency.toLowerCase(),
        captureMethod: body.capture_method === "manual" ? "manual" : "automatic",
        status: "requires_payment_method",
        created: Math.floor(now() / 1000),
        metadata: mergeMetadata({}, body.metadata),
        description: body.description ?? null,
        paymentMethodTypes: body.payment_method_types ?? ["card_present"],
      };
      paymentIntents.set(pi.id, pi);
      return { status: 200, body: renderPaymentIntent(pi) };
    },
    paymentIntentsRetrieve: ({ intent }) => {
      for (const reader of readers.live.values()) {
        const ref = reader.action?.process_payment_intent?.payment_intent;
        if ((typeof ref === "string" ? ref : ref?.id) === intent) {
          expire(reader);
          simulateCustomer(reader);
        }
      }
      const pi = paymentIntents.get(intent);
      return pi ? { status: 200, body: renderPaymentIntent(pi) } : missing("payment_intent", intent);
    },
    paymentIntentsCancel: ({ intent, body }) => {
      const pi = paymentIntents.get(intent);
      if (!pi) return missing("payment_intent", intent);
      const cancellable = [
        "requires_payment_method",
        "requires_capture",
        "requires_confirmation",
        "requires_action",
        "processing",
      ];
      if (!cancellable.includes(pi.status)) return unexpectedState(pi, "cancel", cancellable);
      pi.status = "canceled";
      pi.amountCapturable = 0;
      pi.canceledAt = Math.floor(now() / 1000);
      pi.cancellationReason = body?.cancellation_reason ?? null;
      return { status: 200, body: renderPaymentIntent(pi) };
    },
    paymentIntentsCapture: ({ intent, body }) => {
      const pi = paymentIntents.get(intent);
      if (!pi) return missing("payment_intent", intent);
      if (pi.status !== "requires_capture") return unexpectedState(pi, "capture", ["requires_capture"]);
      const capturable = pi.amountCapturable ?? pi.amount ?? 0;
      const amount = body?.amount_to_capture ?? capturable;
      if (amount > capturable) {
        return invalid(
          `The amount to capture (${amount}) exceeds the amount capturable (${capturable}).`,
          "amount_to_capture",
          "amount_too_large",
        );
      }
      pi.status = "succeeded";
      pi.amountReceived = amount;
      pi.amountCapturable = 0;
      return { status: 200, body: renderPaymentIntent(pi) };
    },

    // ---- connection tokens ----
    connectionTokensCreate: ({ body }) => {
      if (body?.location !== undefined && !locations.get(body.location))
        return missing("terminal.location", body.location, "location");
      const secret = `pst_test_${randomPart()}`;
      tokens.set(secret, { location: body?.location ?? null, used: false });
      return {
        status: 200,
        body: {
          object: "terminal.connection_token",
          secret,
          ...(body?.location !== undefined ? { location: body.location } : {}),
        },
      };
    },

    // ---- configurations (kept, not simulated in depth) ----
    configurationsCreate: ({ body }) => {
      const configuration: Configuration = {
        id: nextId("tmc"),
        object: "terminal.configuration",
        is_account_default: false,
        livemode: false,
        ...(body?.bbpos_wisepos_e ? { bbpos_wisepos_e: { ...body.bbpos_wisepos_e } } : {}),
        ...(body?.verifone_p400 ? { verifone_p400: { ...body.verifone_p400 } } : {}),
      };
      return { status: 200, body: { ...configurations.add(configuration) } };
    },
    configurationsRetrieve: ({ configuration: id }) => {
      if (configurations.wasDeleted(id))
        return { status: 200, body: { id, object: "terminal.configuration", deleted: true } };
      const configuration = configurations.get(id);
      return configuration ? { status: 200, body: { ...configuration } } : missing("terminal.configuration", id);
    },
    configurationsUpdate: ({ configuration: id, body }) => {
      const configuration = configurations.get(id);
      if (!configuration) return missing("terminal.configuration", id);
      if (body?.bbpos_wisepos_e === "") delete configuration.bbpos_wisepos_e;
      else if (body?.bbpos_wisepos_e) configuration.bbpos_wisepos_e = { ...body.bbpos_wisepos_e };
      if (body?.verifone_p400 === "") delete configuration.verifone_p400;
      else if (body?.verifone_p400) configuration.verifone_p400 = { ...body.verifone_p400 };
      return { status: 200, body: { ...configuration } };
    },
    configurationsDelete: ({ configuration: id }) => {
      if (!configurations.get(id)) return missing("terminal.configuration", id);
      configurations.remove(id);
      return { status: 200, body: { id, object: "terminal.configuration", deleted: true } };
    },
    configurationsList: (query) => {
      const page = configurations.page(query, "/v1/terminal/configurations", "terminal.configuration");
      return "error" in page ? page.error : { status: 200, body: page.list };
    },
  };

  const state: StripeTerminalState = {
    secretKey,
    locations: locations.live,
    readers: readers.live,
    paymentIntents,
    consumeConnectionToken(secret, readerId) {
      const token = tokens.get(secret);
      if (!token) return { ok: false, error: { type: "invalid_request_error", message: "Invalid connection token." } };
      if (token.used) {
        return {
          ok: false,
          error: {
            type: "invalid_request_error",
            message: "This connection token has already been used. Fetch a new connection token for every connect.",
          },
        };
      }
      if (readerId !== undefined && token.location !== null) {
        const reader = readers.get(readerId);
        if (reader?.location !== token.location) {
          return {
            ok: false,
            error: {
              type: "invalid_request_error",
              message: `This connection token is scoped to location ${token.location}; the reader is not in it.`,
            },
          };
        }
      }
      token.used = true;
      return token.location === null ? { ok: true } : { ok: true, location: token.location };
    },
    createPaymentIntent({ amount, currency = "usd", captureMethod = "automatic" }) {
      const pi: SimulatedPaymentIntent = {
        id: `pi_${randomPart()}`,
        amount,
        currency,
        captureMethod,
        status: "requires_payment_method",
        created: Math.floor(now() / 1000),
      };
      paymentIntents.set(pi.id, pi);
      return pi;
    },
    setReaderStatus(readerId, status) {
      const reader = readers.get(readerId);
      if (!reader) throw new Error(`no such reader: ${readerId}`);
      reader.status = status;
      if (status === "offline") connections.delete(readerId);
    },
    connectReader(readerId, secret, config = {}) {
      const reader = readers.get(readerId);
      if (!reader) return { ok: false, error: missing("terminal.reader", readerId).body.error };
      expire(reader);
      if (reader.status === "offline") {
        return {
          ok: false,
          error: {
            type: "invalid_request_error",
            code: "terminal_reader_offline",
            message:
              "Reader is currently offline, please ensure the reader is powered on and connected to the internet.",
          },
        };
      }
      // failIfInUse only refuses while a payment is being collected; an idle reader is taken over either way.
      const collecting = reader.action?.status === "in_progress" && reader.action.type !== "set_reader_display";
      if (config.failIfInUse === true && collecting && connections.has(readerId)) {
        return {
          ok: false,
          error: { type: "invalid_request_error", code: "terminal_reader_busy", message: BUSY_MESSAGE },
        };
      }
      const token = state.consumeConnectionToken(secret, readerId);
      if (!token.ok) return token;
      const connectionId = nextId("conn");
      connections.set(readerId, connectionId);
      return { ok: true, connectionId };
    },
    isConnected(connectionId) {
      for (const [readerId, id] of connections) {
        if (id === connectionId) return readers.get(readerId)?.status !== "offline";
      }
      return false;
    },
    disconnectReader(connectionId) {
      for (const [readerId, id] of connections) if (id === connectionId) connections.delete(readerId);
    },
    webhookDeliveries: deliveries,
    async flushWebhooks() {
      while (pendingDeliveries.size > 0) await Promise.all([...pendingDeliveries]);
    },
  };

  return {
    handlers: withIdempotency(handlers as unknown as Record<string, Handler>) as unknown as StripeTerminalHandlers,
    state,
  };
}

/**
 * Stripe's idempotent requests: a POST with an `Idempotency-Key` the account saw before, on the same
 * endpoint with the same parameters, answers the first result again (with `Idempotent-Replayed: true`);
 * other parameters or another endpoint answer 400 `idempotency_error`. A 409 (the reader was busy) or
 * a 5xx is not saved, so the client may retry it.
 */
function withIdempotency(handlers: Record<string, Handler>): Record<string, Handler> {
  const saved = new Map<string, { fingerprint: string; reply: Reply }>();
  const wrapped: Record<string, Handler> = {};
  for (const [id, handler] of Object.entries(handlers)) {
    wrapped[id] = async (input: HandlerInput, ctx: HandlerContext) => {
      const key = input["Idempotency-Key"];
      if (ctx.op.method !== "POST" || typeof key !== "string" || key === "") return handler(input, ctx);
      const { "Idempotency-Key": _key, "Stripe-Version": _version, ...params } = input;
      const fingerprint = `${ctx.op.id} ${JSON.stringify(params)}`;
      const previous = saved.get(key);
      if (previous) {
        if (previous.fingerprint !== fingerprint) {
          return {
            status: 400,
            body: {
              error: {
                type: "idempotency_error",
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
              },
            },
          };
        }
        return {
          ...previous.reply,
          headers: { ...previous.reply.headers, "idempotent-replayed": "true", "idempotency-key": key },
        };
      }
      const reply = await handler(input, ctx);
      if (reply.status !== 409 && reply.status < 500) saved.set(key, { fingerprint, reply });
      return { ...reply, headers: { ...reply.headers, "idempotency-key": key } };
    };
  }
  return wrapped;
}
