/**
 * A WePay v3 simulator: session tokens, terminals and payments held in memory, answering like
 * WePay's stage environment (seed 000, /work/shared/PROTOCOLS.md §1).
 *
 * Rules:
 * - a session token (`stage_…`) lives 5 minutes after creation; once used by a reader session
 *   (`state.useSessionToken`, what the Card Present SDK does) it lives 12 hours from that use;
 *   a deleted or expired token cannot be used;
 * - a terminal's serial number is unique per account among terminals not deleted;
 * - POST /payments is idempotent by `Unique-Key`: the same key with the same body answers the
 *   first payment again, the same key with another body is refused (400 INVALID_PARAMS);
 * - an `encoded_payment_method` (what the Card Present SDK hands the backend after a card read) is
 *   single use: once a payment was created from it (completed or failed), a payment under another
 *   Unique-Key with the same method is refused with 400 INVALID_PARAMS (reason
 *   `PAYMENT_METHOD_ALREADY_USED` on `payment_method.encoded_payment_method`); the same Unique-Key
 *   with the same body is a replay and answers the first payment;
 * - the `disconnect` fault on POST /payments is a reader that dropped before the card
 *   authorization completed: nothing is charged, the encoded method is voided (single use) and the
 *   answer is 400 INVALID_PARAMS (reason `CARD_READER_DISCONNECTED`); the Unique-Key is not kept,
 *   so the platform may use it again with a fresh card read;
 * - GET /payments finds payments by account, `reference_id` and status (newest first, paged);
 * - POST /refunds (Unique-Key idempotent like payments) refunds a completed payment in full or in
 *   part, never more than what is left; GET /refunds/{id} returns it;
 * - an amount whose cents are 51 (e.g. 1051) fails as declined, and so does any payment under the
 *   `decline` fault (Payspec's test values: WePay publishes none for card-present payments);
 * - the `busy` fault answers every operation 503 SERVICE_TEMPORARILY_UNAVAILABLE.
 * Times come from `options.now` (milliseconds, default `Date.now`) so tests never sleep.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { constantTimeEqual } from "@payspec/runtime";
import type { HandlerContext } from "@payspec/runtime/server";
import type {
  ApiError,
  CreatePaymentRequest,
  Payment,
  PaymentStatus,
  Refund,
  ResourceId,
  SessionToken,
  TargetType,
  Terminal,
  TerminalStatus,
} from "@payspec/wepay-types";
import type { WePayHandlers } from "../gen/index.gen.js";

/** Seconds an unused session token lives (seed 000: "The time-to-live (TTL) for a session token is 5 minutes"). */
export const SESSION_TOKEN_UNUSED_TTL = 5 * 60;
/** Seconds a session token lives after its use by the Card Present SDK (seed 000: 12 hours). */
export const SESSION_TOKEN_USED_TTL = 12 * 60 * 60;
/** Amounts (minor units) whose last two digits are these fail as declined. */
export const DECLINE_CENTS = 51;
/** WePay's default page size of list operations. */
const DEFAULT_PAGE_SIZE = 10;
const API_VERSION = "3.0";

export interface WePaySimulatorOptions {
  /** Clock in milliseconds since the epoch (default `Date.now`); inject one so tests never sleep. */
  now?: () => number;
}

/** Why a session token could not be used. */
export type SessionTokenUseFailure = "unknown" | "deleted" | "expired";

export type SessionTokenUse = { ok: true; token: SessionToken } | { ok: false; reason: SessionTokenUseFailure };

/** The simulator's memory, for tests and for the Card Present SDK side. */
export interface WePaySimulatorState {
  readonly sessionTokens: ReadonlyMap<ResourceId, SessionToken>;
  readonly terminals: ReadonlyMap<ResourceId, Terminal>;
  readonly payments: ReadonlyMap<ResourceId, Payment>;
  readonly refunds: ReadonlyMap<ResourceId, Refund>;
  /** Number of charges made (an idempotent replay makes none). */
  readonly charges: number;
  /** Number of completed (approved) payments. */
  readonly approvedCharges: number;
  /** Encoded payment methods already used (single use), each with the Unique-Key that used it. */
  readonly usedPaymentMethods: ReadonlyMap<string, string>;
  /**
   * Uses a session token the way the Card Present SDK does when it starts a reader session: an
   * active, unexpired token then lives 12 hours from now. Takes the `session_token` value (`stage_…`).
   */
  useSessionToken(sessionToken: string): SessionTokenUse;
}

export interface WePaySimulator {
  readonly handlers: WePayHandlers;
  readonly state: WePaySimulatorState;
}

type Err<S extends number> = { status: S; body: ApiError };

function notFound(what: string, id: string): Err<404> {
  return { status: 404, body: { error_code: "NOT_FOUND", error_message: `The ${what} ${id} does not exist.` } };
}

/** A Unique-Key's first use: the canonical request body and the id of what it created. */
interface UniqueKeyUse {
  readonly body: string;
  readonly id: ResourceId;
}

/**
 * WePay's Unique-Key idempotency for a create: undefined for a new key; the first answer again for the same key and
 * body; INVALID_PARAMS when the key comes back with another body.
 */
function replayUniqueKey<T>(
  seen: UniqueKeyUse | undefined,
  body: string,
  created: ReadonlyMap<ResourceId, T>,
): Err<400> | { status: 200; body: T } | undefined {
  if (seen === undefined) return undefined;
  if (seen.body !== body)
    return invalid(
      "This Unique-Key was already used with a different request body.",
      ["Unique-Key"],
      "HTTP_REQUEST_HEADER",
    );
  return { status: 200, body: structuredClone(created.get(seen.id) as T) };
}

function invalid(message: string, target: string[], targetType: TargetType): Err<400> {
  return {
    status: 400,
    body: {
      error_code: "INVALID_PARAMS",
      error_message: "The request has invalid parameters; see details.",
      details: [{ message, reason_code: "PARAM_INVALID", target, target_type: targetType }],
    },
  };
}

/** A refused encoded payment method (reason codes chosen by Payspec; WePay publishes none for these cases). */
function methodRefused(reasonCode: string, message: string): Err<400> {
  return {
    status: 400,
    body: {
      error_code: "INVALID_PARAMS",
      error_message: "The request has invalid parameters; see details.",
      details: [
        {
          message,
          reason_code: reasonCode,
          target: ["payment_method", "encoded_payment_method"],
          target_type: "HTTP_REQUEST_BODY",
        },
      ],
    },
  };
}

const BUSY: Err<503> = {
  status: 503,
  body: {
    error_code: "SERVICE_TEMPORARILY_UNAVAILABLE",
    error_message: "WePay is temporarily unavailable; retry with the same Unique-Key.",
  },
};

/** JSON with sorted object keys: two bodies are "the same" when their canonical forms are equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

interface Cursor {
  offset: number;
  size: number;
  filters: Record<string, unknown>;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(page: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(page, "base64url").toString("utf8")) as Cursor;
    if (Number.isInteger(c.offset) && c.offset >= 0 && Number.isInteger(c.size) && c.size > 0 && c.filters) return c;
  } catch {
    // an unreadable cursor is refused below
  }
  return undefined;
}

/** One page of `items` and the `next`/`previous` paths (`<base>?page=<cursor>`), or a 400 for a bad cursor. */
function paginate<T>(
  base: string,
  input: { page?: string; page_size?: number },
  filtersOfInput: Record<string, unknown>,
  select: (filters: Record<string, unknown>) => T[],
): { results: T[]; next: string | null; previous: string | null } | Err<400> {
  let cursor: Cursor;
  if (input.page !== undefined) {
    const c = decodeCursor(input.page);
    if (!c) return invalid("The page cursor is not valid.", ["page"], "HTTP_REQUEST_QUERY_STRING");
    cursor = c;
  } else {
    const size = input.page_size ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > 50)
      return invalid("page_size must be 1 to 50.", ["page_size"], "HTTP_REQUEST_QUERY_STRING");
    cursor = { offset: 0, size, filters: filtersOfInput };
  }
  const all = select(cursor.filters);
  const results = all.slice(cursor.offset, cursor.offset + cursor.size);
  const link = (offset: number) => `${base}?page=${encodeCursor({ ...cursor, offset })}`;
  return {
    results,
    next: cursor.offset + cursor.size < all.length ? link(cursor.offset + cursor.size) : null,
    previous: cursor.offset > 0 ? link(Math.max(0, cursor.offset - cursor.size)) : null,
  };
}

function owner(accountId: ResourceId) {
  return { id: accountId, path: `/accounts/${accountId}`, resource: "accounts" as const };
}

export function createWePaySimulator(options: WePaySimulatorOptions = {}): WePaySimulator {
  const clock = options.now ?? Date.now;
  const nowSeconds = () => Math.floor(clock() / 1000);

  const sessionTokens = new Map<ResourceId, SessionToken>();
  const terminals = new Map<ResourceId, Terminal>();
  /** creation time of each terminal (WePay's terminal has no create_time field; the list filters on it) */
  const terminalCreated = new Map<ResourceId, number>();
  const payments = new Map<ResourceId, Payment>();
  const byUniqueKey = new Map<string, UniqueKeyUse>();
  const refunds = new Map<ResourceId, Refund>();
  const refundsByUniqueKey = new Map<string, UniqueKeyUse>();
  const usedPaymentMethods = new Map<string, string>();
  let charges = 0;

  const expired = (t: SessionToken) => t.state === "active" && nowSeconds() >= t.expire_time;

  const state: WePaySimulatorState = {
    sessionTokens,
    terminals,
    payments,
    refunds,
    usedPaymentMethods,
    get charges() {
      return charges;
    },
    get approvedCharges() {
      return [...payments.values()].filter((p) => p.status === "completed").length;
    },
    useSessionToken(sessionToken) {
      const token = [...sessionTokens.values()].find((t) => constantTimeEqual(t.session_token, sessionToken));
      if (!token) return { ok: false, reason: "unknown" };
      if (token.state === "deleted") return { ok: false, reason: "deleted" };
      if (expired(token)) return { ok: false, reason: "expired" };
      token.expire_time = nowSeconds() + SESSION_TOKEN_USED_TTL;
      return { ok: true, token: structuredClone(token) };
    },
  };

  const busy = (ctx: HandlerContext) => ctx.faults.busy === true;

  const handlers: WePayHandlers = {
    sessionTokensCreate(input, ctx) {
      if (busy(ctx)) return BUSY;
      const now = nowSeconds();
      const id = randomUUID();
      const accountId = input.body.mobile_session.account_id;
      const token: SessionToken = {
        id,
        session_token: `stage_${randomBytes(24).toString("hex")}`,
        expire_time: now + SESSION_TOKEN_UNUSED_TTL,
        path: `/session_tokens/${id}`,
        resource: "session_tokens",
        owner: owner(accountId),
        create_time: now,
        api_version: API_VERSION,
        state: "active",
        type: "mobile_session",
        mobile_session: { time_to_live: SESSION_TOKEN_USED_TTL, account_id: accountId },
      };
      sessionTokens.set(id, token);
      return { status: 200, body: structuredClone(token) };
    },
    sessionTokensList(input, ctx) {
      if (busy(ctx)) return BUSY;
      const page = paginate(
        "/session_tokens",
        input,
        {
          create_time_start: input.create_time_start,
          create_time_end: input.create_time_end,
          type: input.type,
          account_id: input.account_id,
          state: input.state,
        },
        (f) =>
          [...sessionTokens.values()].filter(
            (t) =>
              (f.create_time_start === undefined || t.create_time >= (f.create_time_start as number)) &&
              (f.create_time_end === undefined || t.create_time <= (f.create_time_end as number)) &&
              (f.type === undefined || t.type === f.type) &&
              (f.account_id === undefined || t.mobile_session?.account_id === f.account_id) &&
              (f.state === undefined || t.state === f.state),
          ),
      );
      if ("status" in page) return page;
      return { status: 200, body: { ...page, results: structuredClone(page.results) } };
    },
    sessionTokensGet(input, ctx) {
      if (busy(ctx)) return BUSY;
      const token = sessionTokens.get(input.id);
      if (!token) return notFound("session token", input.id);
      return { status: 200, body: structuredClone(token) };
    },
    sessionTokensDelete(input, ctx) {
      if (busy(ctx)) return BUSY;
      const token = sessionTokens.get(input.id);
      if (!token) return notFound("session token", input.id);
      token.state = "deleted";
      return { status: 200, body: structuredClone(token) };
    },

    terminalsCreate(input, ctx) {
      if (busy(ctx)) return BUSY;
      const { account_id, serial_number, model, terminal_configuration, reference_id } = input.body;
      const taken = [...terminals.values()].some(
        (t) => t.owner?.id === account_id && t.serial_number === serial_number && t.status !== "deleted",
      );
      if (taken)
        return invalid(
          `A terminal with serial number ${serial_number} already exists for this account.`,
          ["serial_number"],
          "HTTP_REQUEST_BODY",
        );
      const id = randomUUID();
      const terminal: Terminal = {
        id,
        resource: "terminals",
        path: `/terminals/${id}`,
        owner: owner(account_id),
        api_version: API_VERSION,
        status: "active",
        serial_number,
        model,
        reference_id: reference_id ?? null,
        last_call_home: null,
        terminal_configuration: structuredClone(terminal_configuration),
      };
      terminals.set(id, terminal);
      terminalCreated.set(id, nowSeconds());
      return { status: 201, body: structuredClone(terminal) };
    },
    terminalsList(input, ctx) {
      if (busy(ctx)) return BUSY;
      const page = paginate(
        "/terminals",
        input,
        {
          create_time_start: input.create_time_start,
          create_time_end: input.create_time_end,
          account_id: input.account_id,
          reference_id: input.reference_id,
          model: input.model,
          serial_number: input.serial_number,
          status: input.status,
        },
        (f) =>
          [...terminals.values()].filter((t) => {
            const created = terminalCreated.get(t.id) ?? 0;
            const statuses = f.status as TerminalStatus[] | undefined;
            return (
              (f.create_time_start === undefined || created >= (f.create_time_start as number)) &&
              (f.create_time_end === undefined || created <= (f.create_time_end as number)) &&
              (f.account_id === undefined || t.owner?.id === f.account_id) &&
              (f.reference_id === undefined || t.reference_id === f.reference_id) &&
              (f.model === undefined || t.model === f.model) &&
              (f.serial_number === undefined || t.serial_number === f.serial_number) &&
              (statuses === undefined || statuses.length === 0 || statuses.includes(t.status))
            );
          }),
      );
      if ("status" in page) return page;
      return { status: 200, body: { ...page, results: structuredClone(page.results) } };
    },
    terminalsGet(input, ctx) {
      if (busy(ctx)) return BUSY;
      const terminal = terminals.get(input.id);
      if (!terminal) return notFound("terminal", input.id);
      return { status: 200, body: structuredClone(terminal) };
    },
    terminalsUpdate(input, ctx) {
      if (busy(ctx)) return BUSY;
      const terminal = terminals.get(input.id);
      if (!terminal) return notFound("terminal", input.id);
      if (terminal.status === "deleted")
        return invalid("A deleted terminal cannot be updated.", ["id"], "HTTP_REQUEST_PATH");
      if (input.body.reference_id !== undefined) terminal.reference_id = input.body.reference_id;
      if (input.body.terminal_configuration !== undefined)
        terminal.terminal_configuration = {
          ...terminal.terminal_configuration,
          ...structuredClone(input.body.terminal_configuration),
        };
      return { status: 200, body: structuredClone(terminal) };
    },
    terminalsDelete(input, ctx) {
      if (busy(ctx)) return BUSY;
      const terminal = terminals.get(input.id);
      if (!terminal) return notFound("terminal", input.id);
      terminal.status = "deleted";
      return { status: 200, body: structuredClone(terminal) };
    },

    paymentsCreate(input, ctx) {
      if (busy(ctx)) return BUSY;
      const key = input["Unique-Key"];
      const body = canonical(input.body);
      const replay = replayUniqueKey(byUniqueKey.get(key), body, payments);
      if (replay) return replay;
      const method = input.body.payment_method.encoded_payment_method;
      if (usedPaymentMethods.has(method))
        return methodRefused(
          "PAYMENT_METHOD_ALREADY_USED",
          "This encoded payment method was already used; read the card again for a new payment.",
        );
      if (ctx.faults.disconnect === true) {
        usedPaymentMethods.set(method, key);
        return methodRefused(
          "CARD_READER_DISCONNECTED",
          "The card reader disconnected before the card authorization completed; nothing was charged.",
        );
      }
      const payment = charge(input.body, ctx.faults.decline === true);
      usedPaymentMethods.set(method, key);
      byUniqueKey.set(key, { body, id: payment.id });
      return { status: 200, body: structuredClone(payment) };
    },
    paymentsList(input, ctx) {
      if (busy(ctx)) return BUSY;
      const page = paginate(
        "/payments",
        input,
        {
          create_time_start: input.create_time_start,
          create_time_end: input.create_time_end,
          account_id: input.account_id,
          reference_id: input.reference_id,
          status: input.status,
        },
        (f) =>
          [...payments.values()]
            .filter(
              (p) =>
                (f.create_time_start === undefined || p.create_time >= (f.create_time_start as number)) &&
                (f.create_time_end === undefined || p.create_time <= (f.create_time_end as number)) &&
                (f.account_id === undefined || p.owner?.id === f.account_id) &&
                (f.reference_id === undefined || p.reference_id === f.reference_id) &&
                (f.status === undefined || p.status === (f.status as PaymentStatus)),
            )
            .reverse(),
      );
      if ("status" in page) return page;
      return { status: 200, body: { ...page, results: structuredClone(page.results) } };
    },
    paymentsGet(input, ctx) {
      if (busy(ctx)) return BUSY;
      const payment = payments.get(input.id);
      if (!payment) return notFound("payment", input.id);
      return { status: 200, body: structuredClone(payment) };
    },

    refundsCreate(input, ctx) {
      if (busy(ctx)) return BUSY;
      const key = input["Unique-Key"];
      const body = canonical(input.body);
      const replay = replayUniqueKey(refundsByUniqueKey.get(key), body, refunds);
      if (replay) return replay;
      const payment = payments.get(input.body.payment_id);
      if (!payment) return invalid("The payment does not exist.", ["payment_id"], "HTTP_REQUEST_BODY");
      if (payment.status !== "completed")
        return invalid(`A ${payment.status} payment cannot be refunded.`, ["payment_id"], "HTTP_REQUEST_BODY");
      const left = payment.amount - payment.amount_refunded;
      const amount = input.body.amount ?? left;
      if (amount < 1 || amount > left)
        return invalid(`The amount to refund must be 1 to ${left}.`, ["amount"], "HTTP_REQUEST_BODY");
      payment.amount_refunded += amount;
      const id = randomUUID();
      const refund: Refund = {
        id,
        resource: "refunds",
        path: `/refunds/${id}`,
        owner: payment.owner,
        create_time: nowSeconds(),
        api_version: API_VERSION,
        status: "completed",
        amount,
        currency: payment.currency,
        payment: { id: payment.id, path: payment.path, resource: "payments" },
        refund_reason: input.body.refund_reason,
        reference_id: input.body.reference_id ?? null,
        failure_reason: null,
      };
      refunds.set(id, refund);
      refundsByUniqueKey.set(key, { body, id });
      return { status: 200, body: structuredClone(refund) };
    },
    refundsGet(input, ctx) {
      if (busy(ctx)) return BUSY;
      const refund = refunds.get(input.id);
      if (!refund) return notFound("refund", input.id);
      return { status: 200, body: structuredClone(refund) };
    },
  };

  function charge(request: CreatePaymentRequest, declineFault: boolean): Payment {
    charges += 1;
    const id = randomUUID();
    const declined = declineFault || request.amount % 100 === DECLINE_CENTS;
    const payment: Payment = {
      id,
      resource: "payments",
      path: `/payments/${id}`,
      owner: owner(request.account_id),
      create_time: nowSeconds(),
      api_version: API_VERSION,
      status: declined ? "failed" : "completed",
      amount: request.amount,
      amount_refunded: 0,
      amount_disputed: 0,
      currency: request.currency,
      ...(request.fee_amount !== undefined ? { fee_amount: request.fee_amount } : {}),
      payment_method: { type: "credit_card" },
      initiated_by: "merchant",
      reference_id: request.reference_id ?? null,
      capture_at: request.capture_at ?? null,
      authorization_code: declined ? null : randomBytes(3).toString("hex").toUpperCase(),
      auto_capture: request.auto_capture ?? true,
      ...(request.custom_data !== undefined ? { custom_data: structuredClone(request.custom_data) } : {}),
      failure_reason: declined
        ? { reason_code: "CARD_DECLINED_BY_ISSUER", reason_message: "The card issuer declined the payment." }
        : null,
    };
    payments.set(id, payment);
    return payment;
  }

  return { handlers, state };
}
