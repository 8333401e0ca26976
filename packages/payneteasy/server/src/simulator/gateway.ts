/**
 * A simulated Payneteasy gateway (seed 002; PROTOCOLS.md §3): sale and preauth create an order
 * answered `async-response` / `processing`; the order becomes final after a number of status
 * polls or simulated seconds; status answers with the final result; a final order is reported
 * to the merchant's callback URL until it answers 200; close-day totals the approved sales.
 *
 * Test amounts (the cents of `amount`): `.13` is declined, `.99` ends in `error`, anything else is
 * approved. The `decline` fault (run plan or `Payspec-Fault: decline`) declines any amount, `busy`
 * answers `type=error` without creating an order, `disconnect` (the mPOS reader drops its link
 * mid-transaction) accepts the order, which then ends in `error` with an error-message saying so.
 *
 * Orders become final in the background too: `secondsToFinal` after creation a timer (the
 * injectable `schedule`) finalises the order even when nobody polls, and its callback fires then.
 *
 * Returns (`/api/v2/return`): only of an approved sale, in the order's currency, and never more in
 * total than the sale charged (a second full return is refused). A return is answered
 * `async-response` / `processing` with its own `serial-number` and becomes `approved` like an
 * order (polls or seconds); status with `by-request-sn` = that serial number reports it, status
 * without reports the order's latest stage (`transaction-type=reversal` once returned), and a
 * callback with `type=reversal` reports it. The `decline` fault declines a return, `busy` refuses it.
 */
import { randomUUID } from "node:crypto";
import type {
  AsyncResponse,
  CloseDayResponse,
  ErrorResponse,
  StatusResponse,
  TransactionStatus,
  ValidationError,
} from "@payspec/payneteasy-types";
import { encodeForm, payneteasyCallbackControl } from "@payspec/runtime";
import type { HandlerContext } from "@payspec/runtime/server";
import { PAYNETEASY_ERROR_CODES } from "../errors.js";
import type { PayneteasyHandlers, PreauthInput, ReturnOrderInput, SaleInput } from "../gen/index.gen.js";

/** Cents that decide the outcome of an order (see the module comment). */
export const PAYNETEASY_TEST_AMOUNTS = { declined: ".13", error: ".99" } as const;

/**
 * How an order that lost its mPOS reader mid-transaction ends (the `disconnect` fault). Payneteasy
 * does not publish its codes (unconfirmed): the message and code are Payspec's.
 */
export const PAYNETEASY_DISCONNECT_ERROR = {
  message: "mPOS device disconnected before the transaction completed",
  code: "91",
} as const;

/** The simulator's test merchant (made up; the same as the spec's examples). */
export const PAYNETEASY_SIMULATOR_CREDENTIALS = {
  login: "TestMerchant",
  merchantControlKey: "B17F59B4-A7DC-41B4-8FF9-37D5B41E9ED4",
} as const;

/**
 * Payneteasy's callback schedule: 30 tries over about 14 days (the delays before tries 2..30).
 * The spacing is Payspec's (unconfirmed; the vendor gives only the count and the span):
 * 1 min, 2 min, 4 min, ... doubling up to 16 h, which adds up to about 13.4 days.
 */
export const PAYNETEASY_CALLBACK_RETRY_DELAYS_MS: readonly number[] = Array.from({ length: 29 }, (_, i) =>
  Math.min(60_000 * 2 ** i, 16 * 3_600_000),
);

export interface PayneteasySimulatorOptions {
  /** Merchant login (default `TestMerchant`). */
  login?: string;
  /** Merchant control key (default the test key in PAYNETEASY_SIMULATOR_CREDENTIALS). */
  merchantControlKey?: string;
  /** Milliseconds since the epoch; injectable for tests. Default Date.now. */
  now?: () => number;
  /** Status polls after which an order is final (default 2). */
  pollsToFinal?: number;
  /** Simulated seconds after which an order is final, polled or not (default 5). */
  secondsToFinal?: number;
  /** Callback URL used when an order carries no `server_callback_url`. */
  callbackUrl?: string;
  /** Delays before each retry of a callback (default PAYNETEASY_CALLBACK_RETRY_DELAYS_MS). */
  callbackRetryDelaysMs?: readonly number[];
  /**
   * Finalise orders in the background, `secondsToFinal` after creation, even when nobody polls
   * (default true). Off, an order becomes final only when a request or `advance()` looks at it.
   */
  backgroundFinalize?: boolean;
  /**
   * Runs `task` after `delayMs`: the background finalisation and the callback retries.
   * Injectable for tests. Default setTimeout (unref'd).
   */
  schedule?: (task: () => void, delayMs: number) => { cancel(): void };
}

export type OrderType = "sale" | "preauth";

export interface SimulatedOrder {
  readonly orderid: string;
  readonly endpointid: string;
  readonly type: OrderType;
  readonly client_orderid: string;
  readonly amount: string;
  readonly currency: string;
  readonly createdAt: number;
  /** the outcome the order ends in */
  readonly outcome: "approved" | "declined" | "error";
  /** why a declined or error order ended so (error-message) */
  readonly reason?: { readonly message: string; readonly code: string };
  readonly callbackUrl: string | undefined;
  status: TransactionStatus;
  polls: number;
  finalAt?: number;
  approvalCode?: string;
  /** `serial-number` of the sale or preauth request */
  readonly serialNumber: string;
  /** returns of this order, oldest first */
  readonly returns: SimulatedReturn[];
}

/** One `/api/v2/return` of an order. */
export interface SimulatedReturn {
  /** `serial-number` of the return request: status `by-request-sn` names the return with it */
  readonly serialNumber: string;
  readonly amount: string;
  readonly currency: string;
  readonly comment?: string;
  readonly createdAt: number;
  /** the outcome the return ends in */
  readonly outcome: "approved" | "declined";
  status: TransactionStatus;
  polls: number;
  finalAt?: number;
}

export interface CallbackAttempt {
  readonly at: number;
  /** HTTP status answered, or undefined when the request failed */
  readonly httpStatus: number | undefined;
}

export interface CallbackRecord {
  readonly orderid: string;
  readonly url: string;
  /** the query sent (without the control key, which is never recorded) */
  readonly query: Readonly<Record<string, string>>;
  readonly attempts: CallbackAttempt[];
  delivered: boolean;
  /** true once every try failed */
  gaveUp: boolean;
}

export interface DayClose {
  readonly endpointid: string;
  readonly day_close_request_id: string;
  readonly saleApprovedCount: number;
  readonly saleAmount: string;
  readonly reversalApprovedCount: number;
  readonly reversalAmount: string;
  readonly rrn: string;
}

export interface PayneteasySimulatorState {
  /** orders by paynet-order-id */
  readonly orders: Map<string, SimulatedOrder>;
  readonly callbacks: CallbackRecord[];
  readonly dayCloses: DayClose[];
}

export interface PayneteasySimulator {
  readonly handlers: PayneteasyHandlers;
  readonly state: PayneteasySimulatorState;
  readonly credentials: { readonly login: string; readonly merchantControlKey: string };
  /** Makes final every order whose simulated time is up (run on every request too). */
  advance(): void;
  /** Resolves when no callback delivery is in flight or waiting for a retry. */
  settled(): Promise<void>;
  /** Cancels the pending callback retries. */
  stop(): void;
}

export function createPayneteasySimulator(options: PayneteasySimulatorOptions = {}): PayneteasySimulator {
  const login = options.login ?? PAYNETEASY_SIMULATOR_CREDENTIALS.login;
  const key = options.merchantControlKey ?? PAYNETEASY_SIMULATOR_CREDENTIALS.merchantControlKey;
  const now = options.now ?? Date.now;
  const pollsToFinal = options.pollsToFinal ?? 2;
  const msToFinal = (options.secondsToFinal ?? 5) * 1000;
  const retryDelays = options.callbackRetryDelaysMs ?? PAYNETEASY_CALLBACK_RETRY_DELAYS_MS;
  const schedule = options.schedule ?? defaultSchedule;
  const backgroundFinalize = options.backgroundFinalize ?? true;
  const state: PayneteasySimulatorState = { orders: new Map(), callbacks: [], dayCloses: [] };
  const byClientId = new Map<string, SimulatedOrder>();
  const closeIds = new Set<string>();
  /** approved sales not yet closed, per endpoint */
  const openDay = new Map<string, SimulatedOrder[]>();
  /** approved returns not yet closed, per endpoint */
  const openReturns = new Map<string, SimulatedReturn[]>();
  const pending = new Map<Promise<void>, () => void>();
  const timers = new Set<{ cancel(): void }>();
  let nextOrderId = 5_582_716;
  let nextRrn = 334_518_000_001;
  let stopped = false;

  function create(type: OrderType, input: SaleInput | PreauthInput, ctx: HandlerContext) {
    advance();
    const body = input.body;
    const id = `${input.endpointid}|${body.client_orderid}`;
    if (ctx.faults.busy) return reply(errorBody("Gateway is busy, try again later", PAYNETEASY_ERROR_CODES.internal));
    if (byClientId.has(id))
      return reply(
        validationError(`client_orderid ${body.client_orderid} was already used`, PAYNETEASY_ERROR_CODES.invalid, {
          "merchant-order-id": body.client_orderid,
        }),
      );
    const cents = body.amount.includes(".") ? body.amount.slice(body.amount.indexOf(".")).padEnd(3, "0") : ".00";
    const outcome = ctx.faults.disconnect
      ? "error"
      : ctx.faults.decline
        ? "declined"
        : cents.startsWith(PAYNETEASY_TEST_AMOUNTS.declined)
          ? "declined"
          : cents.startsWith(PAYNETEASY_TEST_AMOUNTS.error)
            ? "error"
            : "approved";
    const order: SimulatedOrder = {
      orderid: String(nextOrderId++),
      endpointid: input.endpointid,
      type,
      client_orderid: body.client_orderid,
      amount: body.amount,
      currency: body.currency,
      createdAt: now(),
      outcome,
      ...(ctx.faults.disconnect ? { reason: PAYNETEASY_DISCONNECT_ERROR } : {}),
      callbackUrl: body.server_callback_url ?? options.callbackUrl,
      status: "processing",
      polls: 0,
      serialNumber: randomUUID(),
      returns: [],
    };
    state.orders.set(order.orderid, order);
    byClientId.set(id, order);
    finalizeLater(() => finalize(order));
    const answer: AsyncResponse = {
      type: "async-response",
      status: "processing",
      "serial-number": order.serialNumber,
      "paynet-order-id": order.orderid,
      "merchant-order-id": order.client_orderid,
    };
    return reply(answer);
  }

  /** Runs `task` `secondsToFinal` from now when background finalisation is on. */
  function finalizeLater(task: () => void): void {
    if (!backgroundFinalize || stopped) return;
    const timer = schedule(() => {
      timers.delete(timer);
      if (!stopped) task();
    }, msToFinal);
    timers.add(timer);
  }

  function returnOrder(input: ReturnOrderInput, ctx: HandlerContext) {
    advance();
    const body = input.body;
    if (ctx.faults.busy) return reply(errorBody("Gateway is busy, try again later", PAYNETEASY_ERROR_CODES.internal));
    const order = state.orders.get(body.orderid);
    const ids = { "merchant-order-id": body.client_orderid };
    if (order === undefined || order.client_orderid !== body.client_orderid || order.endpointid !== input.endpointid)
      return reply(validationError("Order not found", PAYNETEASY_ERROR_CODES.invalid, ids));
    const refuse = (message: string) =>
      reply(validationError(message, PAYNETEASY_ERROR_CODES.invalid, { ...ids, "paynet-order-id": order.orderid }));
    if (order.type !== "sale" || order.status !== "approved")
      return refuse(`Only an approved sale can be returned (order is ${order.type}, ${order.status})`);
    if (body.currency !== undefined && body.currency !== order.currency)
      return refuse(`Currency ${body.currency} does not match the order currency ${order.currency}`);
    if (body.amount !== undefined && body.currency === undefined) return refuse("currency is required with amount");
    const returned = order.returns
      .filter((r) => r.status === "approved" || r.status === "processing")
      .reduce((total, r) => total + thousandths(r.amount), 0);
    const left = thousandths(order.amount) - returned;
    if (left <= 0) return refuse("Order is already fully returned");
    const amount = body.amount === undefined ? left : thousandths(body.amount);
    if (amount <= 0) return refuse("Return amount must be more than zero");
    if (amount > left) return refuse("Return amount exceeds the amount left to return");
    const ret: SimulatedReturn = {
      serialNumber: randomUUID(),
      amount: formatAmount(amount),
      currency: order.currency,
      ...(body.comment === undefined ? {} : { comment: body.comment }),
      createdAt: now(),
      outcome: ctx.faults.decline ? "declined" : "approved",
      status: "processing",
      polls: 0,
    };
    order.returns.push(ret);
    finalizeLater(() => finalizeReturn(order, ret));
    const answer: AsyncResponse = {
      type: "async-response",
      status: "processing",
      "serial-number": ret.serialNumber,
      "paynet-order-id": order.orderid,
      "merchant-order-id": order.client_orderid,
    };
    return reply(answer);
  }

  function finalizeReturn(order: SimulatedOrder, ret: SimulatedReturn): void {
    if (ret.status !== "processing") return;
    ret.status = ret.outcome;
    ret.finalAt = now();
    if (ret.status === "approved") {
      const day = openReturns.get(order.endpointid) ?? [];
      day.push(ret);
      openReturns.set(order.endpointid, day);
    }
    if (order.callbackUrl !== undefined) deliver(order, order.callbackUrl, ret);
  }

  function finalize(order: SimulatedOrder): void {
    if (order.status !== "processing") return;
    order.status = order.outcome;
    order.finalAt = now();
    if (order.outcome === "approved") {
      order.approvalCode = String(100_000 + (Number(order.orderid) % 900_000));
      if (order.type === "sale") {
        const day = openDay.get(order.endpointid) ?? [];
        day.push(order);
        openDay.set(order.endpointid, day);
      }
    }
    if (order.callbackUrl !== undefined) deliver(order, order.callbackUrl);
  }

  function advance(): void {
    const t = now();
    for (const order of state.orders.values()) {
      if (order.status === "processing" && t - order.createdAt >= msToFinal) finalize(order);
      for (const ret of order.returns) {
        if (ret.status === "processing" && t - ret.createdAt >= msToFinal) finalizeReturn(order, ret);
      }
    }
  }

  /** Sends the callback of a final order, or of a final return of it (`ret`). */
  function deliver(order: SimulatedOrder, base: string, ret?: SimulatedReturn): void {
    const status = ret?.status ?? order.status;
    const query: Record<string, string> = {
      orderid: order.orderid,
      merchant_order: order.client_orderid,
      client_orderid: order.client_orderid,
      amount: ret?.amount ?? order.amount,
      status,
      type: ret === undefined ? order.type : "reversal",
    };
    if (ret === undefined && order.approvalCode) query["approval-code"] = order.approvalCode;
    const reason = ret === undefined ? failureReason(order) : returnFailure(ret);
    if (reason !== undefined) {
      query.error_message = reason.message;
      query.error_code = reason.code;
    }
    if (status === "approved") Object.assign(query, cardFields);
    const control = payneteasyCallbackControl({
      status,
      orderid: order.orderid,
      client_orderid: order.client_orderid,
      merchant_control_key: key,
    });
    const record: CallbackRecord = {
      orderid: order.orderid,
      url: base,
      query,
      attempts: [],
      delivered: false,
      gaveUp: false,
    };
    state.callbacks.push(record);
    const url = `${base}${base.includes("?") ? "&" : "?"}${encodeForm({ ...query, control })}`;

    let release: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const finish = () => {
      pending.delete(done);
      release();
    };
    pending.set(done, finish);

    const attempt = async (tryIndex: number): Promise<void> => {
      if (stopped) return finish();
      let httpStatus: number | undefined;
      try {
        const res = await fetch(url, { method: "GET", signal: AbortSignal.timeout(10_000) });
        httpStatus = res.status;
        await res.body?.cancel();
      } catch {
        httpStatus = undefined;
      }
      record.attempts.push({ at: now(), httpStatus });
      if (httpStatus === 200) {
        record.delivered = true;
        return finish();
      }
      const delay = retryDelays[tryIndex];
      if (delay === undefined || stopped) {
        record.gaveUp = !stopped;
        return finish();
      }
      const timer = schedule(() => {
        timers.delete(timer);
        void attempt(tryIndex + 1);
      }, delay);
      timers.add(timer);
    };
    void attempt(0);
  }

  const handlers: PayneteasyHandlers = {
    sale: (input, ctx) => create("sale", input, ctx),
    preauth: (input, ctx) => create("preauth", input, ctx),
    returnOrder: (input, ctx) => returnOrder(input, ctx),
    status: (input) => {
      advance();
      const body = input.body;
      const order =
        body.orderid !== undefined
          ? state.orders.get(body.orderid)
          : byClientId.get(`${input.endpointid}|${body.client_orderid}`);
      if (order === undefined || order.client_orderid !== body.client_orderid || order.endpointid !== input.endpointid)
        return reply(
          validationError("Order not found", PAYNETEASY_ERROR_CODES.invalid, {
            "merchant-order-id": body.client_orderid,
          }),
        );
      const bySn = body["by-request-sn"];
      // by-request-sn names one stage; without it the latest stage is reported (the last return, if any)
      const ret = bySn === undefined ? order.returns.at(-1) : order.returns.find((r) => r.serialNumber === bySn);
      if (ret !== undefined) {
        if (ret.status === "processing") {
          ret.polls++;
          if (ret.polls >= pollsToFinal) finalizeReturn(order, ret);
        }
        return reply(returnStatusAnswer(order, ret, bySn));
      }
      if (order.status === "processing") {
        order.polls++;
        if (order.polls >= pollsToFinal) finalize(order);
      }
      return reply(statusAnswer(order, bySn));
    },
    closeDay: (input) => {
      advance();
      const requestId = input.body.day_close_request_id;
      if (closeIds.has(requestId))
        return reply(
          validationError(`day_close_request_id ${requestId} was already used`, PAYNETEASY_ERROR_CODES.invalid),
        );
      closeIds.add(requestId);
      const sales = openDay.get(input.endpointid) ?? [];
      openDay.set(input.endpointid, []);
      const returns = openReturns.get(input.endpointid) ?? [];
      openReturns.set(input.endpointid, []);
      const sum = formatAmount(sales.reduce((total, o) => total + thousandths(o.amount), 0));
      const close: DayClose = {
        endpointid: input.endpointid,
        day_close_request_id: requestId,
        saleApprovedCount: sales.length,
        saleAmount: sum,
        reversalApprovedCount: returns.length,
        reversalAmount: formatAmount(returns.reduce((total, r) => total + thousandths(r.amount), 0)),
        rrn: String(nextRrn++),
      };
      state.dayCloses.push(close);
      const answer: CloseDayResponse = {
        status: "finished",
        gateId: "3105",
        isDayClosing: "false",
        gateCloseDate: new Date(now()).toISOString().slice(0, 10),
        epntId: input.endpointid,
        saleApprovedCount: String(close.saleApprovedCount),
        saleAmount: close.saleAmount,
        reversalApprovedCount: String(close.reversalApprovedCount),
        reversalAmount: close.reversalAmount,
        code39: "00",
        RRN: close.rrn,
        theRequestSerialNumber: randomUUID(),
      };
      return reply(answer);
    },
    // The simulator is the gateway: it sends callbacks, it does not receive them.
    merchantCallbackNotify: () => ({ status: 403, body: "This server sends callbacks, it does not receive them" }),
  };

  return {
    handlers,
    state,
    credentials: { login, merchantControlKey: key },
    advance,
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending.keys()]);
    },
    stop: () => {
      stopped = true;
      for (const timer of timers) timer.cancel();
      timers.clear();
      // deliveries waiting for a retry will never run: release their waiters
      for (const finish of [...pending.values()]) finish();
    },
  };
}

/** The made-up card of the simulated reader. */
const cardFields = { "card-type": "VISA", "last-four-digits": "1111", bin: "411111" } as const;

function statusAnswer(order: SimulatedOrder, bySn: string | undefined): StatusResponse {
  const answer: StatusResponse = {
    type: "status-response",
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    "serial-number": randomUUID(),
    "paynet-order-id": order.orderid,
    "merchant-order-id": order.client_orderid,
    "transaction-type": order.type,
  };
  if (bySn !== undefined) answer["by-request-sn"] = bySn;
  if (order.status === "approved") {
    answer["approval-code"] = order.approvalCode ?? "";
    answer["processor-rrn"] = order.orderid.padStart(12, "0");
    answer["terminal-id"] = "T0000001";
    Object.assign(answer, cardFields);
  } else {
    const reason = failureReason(order);
    if (reason !== undefined) {
      answer["error-message"] = reason.message;
      answer["error-code"] = reason.code;
    }
  }
  return answer;
}

/** Status of one return of an order (`transaction-type=reversal`). */
function returnStatusAnswer(order: SimulatedOrder, ret: SimulatedReturn, bySn: string | undefined): StatusResponse {
  const answer: StatusResponse = {
    type: "status-response",
    status: ret.status,
    amount: ret.amount,
    currency: ret.currency,
    "serial-number": randomUUID(),
    "paynet-order-id": order.orderid,
    "merchant-order-id": order.client_orderid,
    "transaction-type": "reversal",
  };
  if (bySn !== undefined) answer["by-request-sn"] = bySn;
  const reason = returnFailure(ret);
  if (reason !== undefined) {
    answer["error-message"] = reason.message;
    answer["error-code"] = reason.code;
  }
  return answer;
}

function returnFailure(ret: SimulatedReturn): { message: string; code: string } | undefined {
  return ret.status === "declined" ? { message: "Return declined by the processor", code: "05" } : undefined;
}

/** The error-message and error-code of a final order that did not approve. */
function failureReason(order: SimulatedOrder): { message: string; code: string } | undefined {
  if (order.status === "declined") return order.reason ?? { message: "Declined by issuer", code: "05" };
  if (order.status === "error") return order.reason ?? { message: "Processor error", code: "96" };
  return undefined;
}

function reply<B>(body: B): { status: 200; body: B } {
  return { status: 200, body };
}

function validationError(message: string, code: string, extra: Partial<ValidationError> = {}): ValidationError {
  return {
    type: "validation-error",
    "serial-number": randomUUID(),
    ...extra,
    "error-message": message,
    "error-code": code,
  };
}

function errorBody(message: string, code: string): ErrorResponse {
  return { type: "error", "serial-number": randomUUID(), "error-message": message, "error-code": code };
}

/** `10.42` → 10420: amounts have up to 3 decimals. */
function thousandths(amount: string): number {
  const [whole = "0", fraction = ""] = amount.split(".");
  return Number(whole) * 1000 + Number(fraction.padEnd(3, "0"));
}

function formatAmount(value: number): string {
  const whole = Math.floor(value / 1000);
  const fraction = String(value % 1000).padStart(3, "0");
  return `${whole}.${fraction.endsWith("0") ? fraction.slice(0, 2) : fraction}`;
}

function defaultSchedule(task: () => void, delayMs: number): { cancel(): void } {
  const timer = setTimeout(task, delayMs);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}
