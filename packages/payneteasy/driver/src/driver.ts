/**
 * The mPOS payment flow (seed 002, "Mobile App Integration flow"): the reader reads the card and
 * encrypts it; the app sends a Sale or Preauth with the encrypted data (OAuth 1.0 signed, through
 * `@payspec/payneteasy-client`); the gateway answers `async-response` with its order id; the final
 * status comes from status polls every 3-5 s or from the merchant callback, whichever comes
 * first, once.
 *
 * A refund is Payneteasy's return (`/api/v2/return`, `control`-signed) of an approved sale: the
 * gateway answers `async-response` with the return's `serial-number`; its final status comes from
 * status polls with `by-request-sn` (the callback receiver hands on one callback per order, the
 * sale's, so a return is followed by polls only).
 */
import {
  isFinalStatus,
  PayneteasyClient,
  type PayneteasyCredentials,
  payneteasyAuth,
  returnRequest,
  statusRequest,
} from "@payspec/payneteasy-client";
import type { CallbackParameters, SaleRequest, StatusResponse } from "@payspec/payneteasy-types";
import type { Transport } from "@payspec/runtime";
import type { PayneteasyCallbackReceiver } from "./callbacks.js";
import {
  abortable,
  CardReadCancelledError,
  DeviceDisconnectedError,
  type DeviceEvent,
  type EncryptedCardData,
  type MposDevice,
} from "./device.js";
import { PaymentMachine, type PaymentState, RefundMachine, type RefundState } from "./machine.js";

/** The payer fields the mPOS API requires on every order (spec transactions.tsp), set once per shop. */
export type PayerDetails = Pick<SaleRequest, "address1" | "city" | "zip_code" | "country" | "email" | "ipaddress"> &
  Partial<Pick<SaleRequest, "state" | "first_name" | "last_name" | "phone" | "cell_phone" | "merchant_data">>;

export interface PayneteasyDriverOptions {
  /** `https://gate.payneteasy.com` (or the sandbox, or a simulator). */
  readonly baseUrl: string;
  /** The endpoint id Payneteasy assigned. */
  readonly endpointId: string;
  /** Merchant login and control key: OAuth consumer key and secret, and the key of every `control`. */
  readonly credentials: PayneteasyCredentials;
  readonly device: MposDevice;
  readonly payer: PayerDetails;
  /** Receives the callbacks; its URL is sent as `server_callback_url` unless `callbackUrl` is set. */
  readonly receiver?: PayneteasyCallbackReceiver;
  /** The public URL of the receiver, when it differs from `receiver.url` (behind a proxy). */
  readonly callbackUrl?: string;
  /** Wait between two status polls, drawn in [min, max] (default 3000-5000 ms, the vendor's 3-5 s). */
  readonly pollIntervalMs?: { readonly min: number; readonly max: number };
  /** Status polls before the outcome is declared unknown (default 120: about 8 minutes). */
  readonly maxPolls?: number;
  /** Injectable sleep (tests); must reject when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injectable random source for the poll jitter, in [0, 1). */
  readonly random?: () => number;
  /** Injectable clock for the OAuth timestamps. */
  readonly now?: () => number;
  /** HTTP transport of the client (default fetch). */
  readonly transport?: Transport;
  /** Time limit of one HTTP request (default 30 s). */
  readonly timeoutMs?: number;
}

export type PaymentType = "sale" | "preauth";

export interface PaymentRequest {
  /** Default `sale`. */
  readonly type?: PaymentType;
  /** The connecting party's order id: journal it BEFORE calling `pay` (it identifies the order for recovery). */
  readonly client_orderid: string;
  /** Major units, `10.42` (see `toDecimalAmount`). */
  readonly amount: string;
  readonly currency: string;
  /** Default `Payment <client_orderid>`. */
  readonly order_desc?: string;
}

/** Where a payment ended. */
export type PaymentEnd = "approved" | "declined" | "error" | "filtered" | "cancelled" | "disconnected" | "refused";

export interface PaymentResult {
  readonly state: PaymentEnd;
  readonly client_orderid: string;
  /** Payneteasy's order id, once the gateway created the order. */
  readonly orderid?: string;
  readonly amount: string;
  readonly currency: string;
  readonly approvalCode?: string;
  readonly processorRrn?: string;
  readonly cardType?: string;
  /** First 6 / last 4 at most. */
  readonly maskedPan?: string;
  /** The gateway's (or the reader's) reason when not approved. */
  readonly reason?: string;
  readonly errorCode?: string;
  /** Who told: a status answer, the callback, the reader (nothing sent), or the sale answer. */
  readonly source: "status" | "callback" | "device" | "gateway";
}

export type PaymentEvent = DeviceEvent | { readonly type: "state"; readonly state: PaymentState };

export interface PayOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: PaymentEvent) => void;
}

/** What the gateway knows of an order (`lookup`). */
export type OrderLookup =
  | { readonly kind: "final"; readonly result: PaymentResult }
  | { readonly kind: "processing"; readonly orderid: string }
  /** The gateway answered that it has no such order: the sale never reached it. */
  | { readonly kind: "not-found"; readonly reason: string };

/** A return (refund) of an approved sale. */
export interface RefundRequest {
  /** The sale's `client_orderid`. */
  readonly client_orderid: string;
  /** The sale's Payneteasy order id (`paynet-order-id`). */
  readonly orderid: string;
  /** Major units, `10.42`; left out (with `currency`), the whole amount left is returned. */
  readonly amount?: string;
  readonly currency?: string;
  /** Why (up to 50 characters). Default `Refund`. */
  readonly comment?: string;
}

/** Where a return ended: a final status, or `refused` (the gateway created no return). */
export type RefundEnd = "approved" | "declined" | "error" | "filtered" | "refused";

export interface RefundResult {
  readonly state: RefundEnd;
  readonly client_orderid: string;
  readonly orderid: string;
  /** The return's `serial-number` (status `by-request-sn`), once the gateway accepted it. */
  readonly serialNumber?: string;
  /** Major units, as the gateway reported it (or as asked). */
  readonly amount: string;
  readonly currency: string;
  readonly reason?: string;
  readonly errorCode?: string;
  readonly source: "status" | "gateway";
}

export interface RefundOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: { readonly type: "state"; readonly state: RefundState }) => void;
}

/** What the gateway knows of a return (`lookupReturn`). */
export type ReturnLookup =
  | { readonly kind: "final"; readonly result: RefundResult }
  | { readonly kind: "processing" }
  /** The order's latest stage is not a return (or there is no such order): no return reached the gateway. */
  | { readonly kind: "not-found"; readonly reason: string };

/** How a status answer names a return stage (`transaction-type`). */
const RETURN_STAGE = /^(reversal|return|refund)$/i;

/**
 * The sale or preauth may have reached the gateway and its outcome is not known (answer lost,
 * polling given up, aborted after sending). Look the order up by `client_orderid` (and `orderid`).
 */
export class PayneteasyOutcomeUnknownError extends Error {
  override readonly name = "PayneteasyOutcomeUnknownError";
  constructor(
    message: string,
    readonly client_orderid: string,
    readonly orderid: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * How Payneteasy says it has no such order: a `validation-error` to a status request whose
 * control was right. The exact wording is not published (unconfirmed); these match the
 * simulator's "Order not found" and the usual phrasings.
 */
const NOT_FOUND = /not found|no such order|cannot find|can't find|does not exist|unknown order/i;

const defaultSleep = (ms: number, signal: AbortSignal) =>
  abortable(
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
    }),
    signal,
  );

export class PayneteasyDriver {
  readonly client: PayneteasyClient;
  readonly #options: PayneteasyDriverOptions;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #interval: { readonly min: number; readonly max: number };
  readonly #maxPolls: number;

  constructor(options: PayneteasyDriverOptions) {
    this.#options = options;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#interval = options.pollIntervalMs ?? { min: 3_000, max: 5_000 };
    if (this.#interval.min < 0 || this.#interval.max < this.#interval.min) throw new RangeError("bad pollIntervalMs");
    this.#maxPolls = options.maxPolls ?? 120;
    this.client = new PayneteasyClient({
      baseUrl: options.baseUrl,
      auth: payneteasyAuth({ ...options.credentials, ...(options.now ? { now: options.now } : {}) }),
      ...(options.transport ? { transport: options.transport } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  /** The next wait between two polls: uniform in [min, max] (jitter, so tills do not poll in step). */
  pollDelay(): number {
    const { min, max } = this.#interval;
    return Math.round(min + this.#random() * (max - min));
  }

  /**
   * Runs one payment: card read, sale or preauth, then the final status by poll or callback.
   * Resolves where it ended; throws `PayneteasyOutcomeUnknownError` when the order may exist and
   * its status is not known.
   */
  async pay(request: PaymentRequest, options: PayOptions = {}): Promise<PaymentResult> {
    const { signal, onEvent } = options;
    const machine = new PaymentMachine((state) => onEvent?.({ type: "state", state }));
    const base = { client_orderid: request.client_orderid, amount: request.amount, currency: request.currency };

    machine.to("reading-card");
    let card: EncryptedCardData;
    try {
      card = await this.#options.device.readCard(
        { amount: request.amount, currency: request.currency },
        { ...(signal ? { signal } : {}), ...(onEvent ? { onEvent } : {}) },
      );
    } catch (error) {
      if (error instanceof CardReadCancelledError || signal?.aborted) {
        machine.to("cancelled");
        return { ...base, state: "cancelled", reason: "cancelled while waiting for the card", source: "device" };
      }
      if (error instanceof DeviceDisconnectedError) {
        machine.to("disconnected");
        return { ...base, state: "disconnected", reason: error.message, source: "device" };
      }
      throw error;
    }
    if (signal?.aborted) {
      // cancelled as the card was read: its data is dropped, nothing is sent
      machine.to("cancelled");
      return { ...base, state: "cancelled", reason: "cancelled before the card data was sent", source: "device" };
    }

    machine.to("sending");
    const callbackUrl = this.#options.callbackUrl ?? this.#options.receiver?.url;
    const body: SaleRequest = {
      ...this.#options.payer,
      client_orderid: request.client_orderid,
      order_desc: request.order_desc ?? `Payment ${request.client_orderid}`,
      amount: request.amount,
      currency: request.currency,
      "encrypted-data": card.encryptedData,
      "encrypted-type": card.encryptedType,
      "device-serial-number": card.deviceSerialNumber,
      ...(callbackUrl ? { server_callback_url: callbackUrl } : {}),
    };
    let answer: Awaited<ReturnType<PayneteasyClient["sale"]>>;
    try {
      const input = { endpointid: this.#options.endpointId, body };
      answer =
        request.type === "preauth"
          ? await this.client.preauth(input, signal ? { signal } : {})
          : await this.client.sale(input, signal ? { signal } : {});
    } catch (error) {
      machine.to("unknown");
      throw new PayneteasyOutcomeUnknownError(
        `the ${request.type ?? "sale"} answer was lost: ${String(error)}`,
        request.client_orderid,
        undefined,
        { cause: error },
      );
    }
    if (answer.type !== "async-response") {
      machine.to("refused");
      return {
        ...base,
        state: "refused",
        maskedPan: card.maskedPan,
        reason: answer["error-message"] ?? answer.type,
        ...(answer["error-code"] ? { errorCode: answer["error-code"] } : {}),
        source: "gateway",
      };
    }
    machine.to("processing");
    const orderid = answer["paynet-order-id"];
    try {
      const result = await this.#finalStatus(request.client_orderid, orderid, signal);
      machine.to(result.state);
      return {
        ...result,
        amount: result.amount || request.amount,
        currency: result.currency || request.currency,
        maskedPan: card.maskedPan,
      };
    } catch (error) {
      machine.to("unknown");
      if (error instanceof PayneteasyOutcomeUnknownError) throw error;
      throw new PayneteasyOutcomeUnknownError(
        `order ${orderid} is still processing: ${String(error)}`,
        request.client_orderid,
        orderid,
        { cause: error },
      );
    }
  }

  /** Asks the gateway about an order once (status request with its control). */
  async lookup(order: { client_orderid: string; orderid?: string }, signal?: AbortSignal): Promise<OrderLookup> {
    const answer = await this.client.status(
      { endpointid: this.#options.endpointId, body: statusRequest(this.#options.credentials, order) },
      signal ? { signal } : {},
    );
    if (answer.type === "status-response") {
      if (isFinalStatus(answer.status)) return { kind: "final", result: fromStatus(order.client_orderid, answer) };
      return { kind: "processing", orderid: answer["paynet-order-id"] };
    }
    const message = answer["error-message"] ?? "";
    if (answer.type === "validation-error" && NOT_FOUND.test(message)) return { kind: "not-found", reason: message };
    throw new Error(`status of ${order.client_orderid} refused: ${answer.type} ${message}`.trim());
  }

  /**
   * Returns (refunds) all or part of an approved sale, then polls the return's status
   * (`by-request-sn`) until final. Resolves where it ended; throws `PayneteasyOutcomeUnknownError`
   * when the return may have reached the gateway and its status is not known.
   */
  async refund(request: RefundRequest, options: RefundOptions = {}): Promise<RefundResult> {
    const { signal, onEvent } = options;
    const machine = new RefundMachine((state) => onEvent?.({ type: "state", state }));
    const { client_orderid, orderid } = request;
    const base = { client_orderid, orderid, amount: request.amount ?? "", currency: request.currency ?? "" };
    machine.to("sending");
    let answer: Awaited<ReturnType<PayneteasyClient["returnOrder"]>>;
    try {
      const body = returnRequest(this.#options.credentials, {
        client_orderid,
        orderid,
        ...(request.amount === undefined ? {} : { amount: request.amount }),
        ...(request.currency === undefined ? {} : { currency: request.currency }),
        comment: request.comment ?? "Refund",
      });
      answer = await this.client.returnOrder({ endpointid: this.#options.endpointId, body }, signal ? { signal } : {});
    } catch (error) {
      machine.to("unknown");
      throw new PayneteasyOutcomeUnknownError(`the return answer was lost: ${String(error)}`, client_orderid, orderid, {
        cause: error,
      });
    }
    if (answer.type !== "async-response") {
      machine.to("refused");
      return {
        ...base,
        state: "refused",
        reason: answer["error-message"] ?? answer.type,
        ...(answer["error-code"] ? { errorCode: answer["error-code"] } : {}),
        source: "gateway",
      };
    }
    machine.to("processing");
    const serialNumber = answer["serial-number"];
    let lastError: unknown;
    for (let poll = 0; poll < this.#maxPolls; poll++) {
      try {
        await this.#sleep(this.pollDelay(), signal ?? new AbortController().signal);
        const found = await this.lookupReturn({ client_orderid, orderid, serialNumber }, signal);
        if (found.kind === "final") {
          machine.to(found.result.state as RefundState);
          return {
            ...found.result,
            amount: found.result.amount || base.amount,
            currency: found.result.currency || base.currency,
          };
        }
      } catch (error) {
        if (signal?.aborted) {
          lastError = error;
          break;
        }
        lastError = error; // a failed poll is asked again after the next wait
      }
    }
    machine.to("unknown");
    throw new PayneteasyOutcomeUnknownError(
      `return ${serialNumber} of order ${orderid} is not final`,
      client_orderid,
      orderid,
      lastError === undefined ? undefined : { cause: lastError },
    );
  }

  /**
   * Asks the gateway about a return once: by its serial number when known, else the order's
   * latest stage (a return made after this one would hide it: one return per refund reference).
   */
  async lookupReturn(
    order: { client_orderid: string; orderid: string; serialNumber?: string },
    signal?: AbortSignal,
  ): Promise<ReturnLookup> {
    const { client_orderid, orderid, serialNumber } = order;
    const body = statusRequest(this.#options.credentials, {
      client_orderid,
      orderid,
      ...(serialNumber === undefined ? {} : { "by-request-sn": serialNumber }),
    });
    const answer = await this.client.status({ endpointid: this.#options.endpointId, body }, signal ? { signal } : {});
    if (answer.type === "status-response") {
      const stage = answer["transaction-type"] ?? "";
      if (!RETURN_STAGE.test(stage))
        return { kind: "not-found", reason: `the latest stage of order ${orderid} is ${stage || "not a return"}` };
      if (!isFinalStatus(answer.status)) return { kind: "processing" };
      return {
        kind: "final",
        result: {
          state: answer.status,
          client_orderid,
          orderid,
          ...(serialNumber === undefined ? {} : { serialNumber }),
          amount: answer.amount ?? "",
          currency: answer.currency ?? "",
          ...(answer["error-message"] ? { reason: answer["error-message"] } : {}),
          ...(answer["error-code"] ? { errorCode: answer["error-code"] } : {}),
          source: "status",
        },
      };
    }
    const message = answer["error-message"] ?? "";
    if (answer.type === "validation-error" && NOT_FOUND.test(message)) return { kind: "not-found", reason: message };
    throw new Error(`status of return of ${client_orderid} refused: ${answer.type} ${message}`.trim());
  }

  /** Polls and listens for the callback at once; the first final status wins, the other is stopped. */
  async #finalStatus(client_orderid: string, orderid: string, signal: AbortSignal | undefined): Promise<PaymentResult> {
    const race = new AbortController();
    const stop = () => race.abort(signal?.reason);
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop, { once: true });
    try {
      const contenders = [this.#poll(client_orderid, orderid, race.signal)];
      const receiver = this.#options.receiver;
      if (receiver !== undefined) {
        contenders.push(
          receiver.waitFor(orderid, race.signal).then((callback) => {
            if (callback.client_orderid !== client_orderid)
              throw new Error(`callback of order ${orderid} names client_orderid ${callback.client_orderid}`);
            return fromCallback(callback);
          }),
        );
      }
      return await Promise.race(contenders);
    } finally {
      signal?.removeEventListener("abort", stop);
      race.abort();
    }
  }

  async #poll(client_orderid: string, orderid: string, signal: AbortSignal): Promise<PaymentResult> {
    let lastError: unknown;
    for (let poll = 0; poll < this.#maxPolls; poll++) {
      await this.#sleep(this.pollDelay(), signal);
      try {
        const found = await this.lookup({ client_orderid, orderid }, signal);
        if (found.kind === "final") return found.result;
      } catch (error) {
        if (signal.aborted) throw error;
        lastError = error; // a failed poll is asked again after the next wait
      }
    }
    throw new PayneteasyOutcomeUnknownError(
      `order ${orderid} was not final after ${this.#maxPolls} status polls`,
      client_orderid,
      orderid,
      lastError === undefined ? undefined : { cause: lastError },
    );
  }
}

function masked(bin: string | undefined, lastFour: string | undefined): string | undefined {
  if (lastFour === undefined) return undefined;
  return `${bin ?? ""}${"X".repeat(bin === undefined ? 4 : 6)}${lastFour}`;
}

function fromStatus(client_orderid: string, answer: StatusResponse): PaymentResult {
  const pan = masked(answer.bin, answer["last-four-digits"]);
  return {
    state: answer.status as PaymentEnd,
    client_orderid,
    orderid: answer["paynet-order-id"],
    amount: answer.amount ?? "",
    currency: answer.currency ?? "",
    ...(answer["approval-code"] ? { approvalCode: answer["approval-code"] } : {}),
    ...(answer["processor-rrn"] ? { processorRrn: answer["processor-rrn"] } : {}),
    ...(answer["card-type"] ? { cardType: answer["card-type"] } : {}),
    ...(pan ? { maskedPan: pan } : {}),
    ...(answer["error-message"] ? { reason: answer["error-message"] } : {}),
    ...(answer["error-code"] ? { errorCode: answer["error-code"] } : {}),
    source: "status",
  };
}

function fromCallback(callback: CallbackParameters): PaymentResult {
  const pan = masked(callback.bin, callback["last-four-digits"]);
  return {
    state: callback.status as PaymentEnd,
    client_orderid: callback.client_orderid,
    orderid: callback.orderid,
    amount: callback.amount,
    currency: "",
    ...(callback["approval-code"] ? { approvalCode: callback["approval-code"] } : {}),
    ...(callback["processor-rrn"] ? { processorRrn: callback["processor-rrn"] } : {}),
    ...(callback["card-type"] ? { cardType: callback["card-type"] } : {}),
    ...(pan ? { maskedPan: pan } : {}),
    ...(callback.error_message ? { reason: callback.error_message } : {}),
    ...(callback.error_code ? { errorCode: callback.error_code } : {}),
    source: "callback",
  };
}
