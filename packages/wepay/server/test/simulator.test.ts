// The WePay v3 simulator (seed 000, PROTOCOLS.md §1): each test names the rule it enforces and
// fails when the simulator breaks it. Real loopback HTTP only; an injected clock, never a sleep.
import type {
  ApiError,
  Payment,
  PaymentList,
  Refund,
  SessionToken,
  SessionTokenList,
  Terminal,
  TerminalList,
} from "@payspec/wepay-types";
import {
  validateApiError,
  validatePayment,
  validatePaymentList,
  validateRefund,
  validateSessionToken,
  validateSessionTokenList,
  validateTerminal,
  validateTerminalList,
} from "@payspec/wepay-validators";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DECLINE_CENTS,
  type RunningWePaySimulator,
  SESSION_TOKEN_UNUSED_TTL,
  SESSION_TOKEN_USED_TTL,
  startWePaySimulator,
  WEPAY_SIMULATOR_CREDENTIALS,
} from "../src/index.js";

const ACCOUNT = "0ef0dcd6-a2c6-49c4-9051-bbbe5c6c36e2";
const OTHER_ACCOUNT = "9a7c1e52-1b7e-4c55-9d0a-2f1e6a3b4c5d";
const START_MS = 1_700_000_000_000;

let clock = START_MS;
let sim: RunningWePaySimulator;

beforeEach(async () => {
  clock = START_MS;
  sim = await startWePaySimulator({ host: "127.0.0.1", port: 0, now: () => clock });
});
afterEach(async () => {
  await sim.close();
});

interface Answer<T> {
  status: number;
  body: T;
}

/** One request with the simulator's app credentials (unless `headers` override them). */
async function call<T = unknown>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const res = await fetch(sim.url + path, {
    method,
    headers: {
      "App-Id": sim.credentials.appId,
      "App-Token": sim.credentials.appToken,
      "Api-Version": "3.0",
      ...(options.body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

function expectError(answer: Answer<unknown>, status: number, code: string): ApiError {
  expect(answer.status).toBe(status);
  expect(validateApiError(answer.body), JSON.stringify(validateApiError.errors)).toBe(true);
  const body = answer.body as ApiError;
  expect(body.error_code).toBe(code);
  return body;
}

const createToken = async (account = ACCOUNT) => {
  const a = await call<SessionToken>("POST", "/session_tokens", {
    body: { type: "mobile_session", mobile_session: { account_id: account } },
  });
  expect(a.status).toBe(200);
  expect(validateSessionToken(a.body), JSON.stringify(validateSessionToken.errors)).toBe(true);
  return a.body;
};

const terminalBody = (serial: string, account = ACCOUNT) => ({
  account_id: account,
  serial_number: serial,
  model: "verifone_p400",
  reference_id: "abc12345",
  terminal_configuration: { currency: "USD", signature_required: false, name: "Front desk" },
});

let methods = 0;
/** A fresh encoded payment method, as after a new card read (they are single use). */
const freshMethod = () => `epm-${++methods}`;

const paymentBody = (amount = 2500, method = "{value-from-CP-SDK}", reference = "order-1042") => ({
  account_id: ACCOUNT,
  amount,
  currency: "USD",
  fee_amount: 103,
  payment_method: { encoded_payment_method: method },
  reference_id: reference,
});

describe("rule 1: App-Id/App-Token authentication", () => {
  it("accepts the simulator's test credentials", async () => {
    expect(sim.credentials).toEqual(WEPAY_SIMULATOR_CREDENTIALS);
    const a = await call("GET", "/session_tokens");
    expect(a.status).toBe(200);
  });

  it("refuses a wrong App-Token, a wrong App-Id and missing headers with 401 NOT_AUTHORIZED", async () => {
    expectError(await call("GET", "/session_tokens", { headers: { "App-Token": "wrong" } }), 401, "NOT_AUTHORIZED");
    expectError(await call("GET", "/session_tokens", { headers: { "App-Id": "wrong" } }), 401, "NOT_AUTHORIZED");
    const res = await fetch(`${sim.url}/session_tokens`, { headers: { "Api-Version": "3.0" } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ApiError).error_code).toBe("NOT_AUTHORIZED");
    // a refused request changes nothing
    const refused = await call("POST", "/session_tokens", {
      body: { type: "mobile_session", mobile_session: { account_id: ACCOUNT } },
      headers: { "App-Token": "wrong" },
    });
    expect(refused.status).toBe(401);
    expect(sim.state.sessionTokens.size).toBe(0);
  });

  it("accepts other credentials when started with them", async () => {
    const other = await startWePaySimulator({ credentials: { appId: "123", appToken: "s3cret" } });
    try {
      const ok = await fetch(`${other.url}/session_tokens`, {
        headers: { "App-Id": "123", "App-Token": "s3cret", "Api-Version": "3.0" },
      });
      expect(ok.status).toBe(200);
      const no = await fetch(`${other.url}/session_tokens`, {
        headers: { ...WEPAY_SIMULATOR_CREDENTIALS, "Api-Version": "3.0" },
      });
      expect(no.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe("rule 2: session tokens", () => {
  it("creates a stage_ token that expires 5 minutes after creation (Unix seconds)", async () => {
    const t = await createToken();
    expect(t.session_token).toMatch(/^stage_[0-9a-f]+$/);
    expect(t.create_time).toBe(START_MS / 1000);
    expect(t.expire_time).toBe(t.create_time + SESSION_TOKEN_UNUSED_TTL);
    expect(SESSION_TOKEN_UNUSED_TTL).toBe(300);
    expect(t.state).toBe("active");
    expect(t.resource).toBe("session_tokens");
    expect(t.path).toBe(`/session_tokens/${t.id}`);
    expect(t.owner).toEqual({ id: ACCOUNT, path: `/accounts/${ACCOUNT}`, resource: "accounts" });
    expect(t.mobile_session?.account_id).toBe(ACCOUNT);
  });

  it("an unused token cannot be used after 5 minutes", async () => {
    const t = await createToken();
    clock += SESSION_TOKEN_UNUSED_TTL * 1000 - 1000;
    const before = await createToken();
    clock += 1000;
    expect(sim.state.useSessionToken(t.session_token)).toEqual({ ok: false, reason: "expired" });
    expect(sim.state.useSessionToken(before.session_token).ok).toBe(true);
  });

  it("a token used by a reader session lives 12 hours from its use", async () => {
    const t = await createToken();
    clock += 4 * 60 * 1000;
    const use = sim.state.useSessionToken(t.session_token);
    expect(use.ok).toBe(true);
    const usedAt = (START_MS + 4 * 60 * 1000) / 1000;
    const got = await call<SessionToken>("GET", `/session_tokens/${t.id}`);
    expect(got.status).toBe(200);
    expect(got.body.expire_time).toBe(usedAt + SESSION_TOKEN_USED_TTL);
    expect(SESSION_TOKEN_USED_TTL).toBe(12 * 3600);
    // still usable well after 5 minutes, not after 12 hours
    clock += (SESSION_TOKEN_USED_TTL - 1) * 1000;
    expect(sim.state.useSessionToken(t.session_token).ok).toBe(true);
    clock += SESSION_TOKEN_USED_TTL * 1000;
    expect(sim.state.useSessionToken(t.session_token)).toEqual({ ok: false, reason: "expired" });
  });

  it("GET one returns the token; an unknown id is 404 NOT_FOUND", async () => {
    const t = await createToken();
    const got = await call<SessionToken>("GET", `/session_tokens/${t.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(t);
    expectError(await call("GET", "/session_tokens/00000000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
  });

  it("DELETE marks the token deleted, GET then shows deleted, and it can no longer be used", async () => {
    const t = await createToken();
    const del = await call<SessionToken>("DELETE", `/session_tokens/${t.id}`);
    expect(del.status).toBe(200);
    expect(validateSessionToken(del.body)).toBe(true);
    expect(del.body.state).toBe("deleted");
    const got = await call<SessionToken>("GET", `/session_tokens/${t.id}`);
    expect(got.body.state).toBe("deleted");
    expect(sim.state.useSessionToken(t.session_token)).toEqual({ ok: false, reason: "deleted" });
    expect(sim.state.useSessionToken("stage_nope")).toEqual({ ok: false, reason: "unknown" });
    expectError(await call("DELETE", "/session_tokens/00000000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
  });

  it("the list pages by page_size and walks next/previous", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createToken()).id);
    const first = await call<SessionTokenList>("GET", "/session_tokens?page_size=2");
    expect(first.status).toBe(200);
    expect(validateSessionTokenList(first.body), JSON.stringify(validateSessionTokenList.errors)).toBe(true);
    expect(first.body.results.map((t) => t.id)).toEqual(ids.slice(0, 2));
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toMatch(/^\/session_tokens\?page=/);
    const second = await call<SessionTokenList>("GET", first.body.next as string);
    expect(second.body.results.map((t) => t.id)).toEqual(ids.slice(2, 4));
    const third = await call<SessionTokenList>("GET", second.body.next as string);
    expect(third.body.results.map((t) => t.id)).toEqual(ids.slice(4));
    expect(third.body.next).toBeNull();
    const back = await call<SessionTokenList>("GET", third.body.previous as string);
    expect(back.body.results.map((t) => t.id)).toEqual(ids.slice(2, 4));
    expectError(await call("GET", "/session_tokens?page=garbage"), 400, "INVALID_PARAMS");
  });

  it("the list filters by account_id and state", async () => {
    const a = await createToken(ACCOUNT);
    const b = await createToken(OTHER_ACCOUNT);
    await call("DELETE", `/session_tokens/${a.id}`);
    const other = await call<SessionTokenList>("GET", `/session_tokens?account_id=${OTHER_ACCOUNT}`);
    expect(other.body.results.map((t) => t.id)).toEqual([b.id]);
    const deleted = await call<SessionTokenList>("GET", "/session_tokens?state=deleted");
    expect(deleted.body.results.map((t) => t.id)).toEqual([a.id]);
  });
});

describe("rule 3: terminals", () => {
  it("POST onboards an active terminal; GET returns it; unknown id is 404", async () => {
    const created = await call<Terminal>("POST", "/terminals", { body: terminalBody("FA00332-1000138") });
    expect(created.status).toBe(201);
    expect(validateTerminal(created.body), JSON.stringify(validateTerminal.errors)).toBe(true);
    expect(created.body.status).toBe("active");
    expect(created.body.serial_number).toBe("FA00332-1000138");
    expect(created.body.owner?.id).toBe(ACCOUNT);
    const got = await call<Terminal>("GET", `/terminals/${created.body.id}`);
    expect(got.body).toEqual(created.body);
    expectError(await call("GET", "/terminals/00000000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
  });

  it("a serial number already onboarded for the account is refused with 400 INVALID_PARAMS", async () => {
    expect((await call("POST", "/terminals", { body: terminalBody("SN-1") })).status).toBe(201);
    const dup = expectError(await call("POST", "/terminals", { body: terminalBody("SN-1") }), 400, "INVALID_PARAMS");
    expect(dup.details?.[0]?.target).toEqual(["serial_number"]);
    expect(dup.details?.[0]?.target_type).toBe("HTTP_REQUEST_BODY");
    // another account may use the same serial number
    expect((await call("POST", "/terminals", { body: terminalBody("SN-1", OTHER_ACCOUNT) })).status).toBe(201);
    expect(sim.state.terminals.size).toBe(2);
  });

  it("an invalid serial number is refused by the spec's validation", async () => {
    expectError(await call("POST", "/terminals", { body: terminalBody("bad serial!") }), 400, "INVALID_PARAMS");
  });

  it("the list filters by account, serial number, model and status and pages", async () => {
    const t1 = (await call<Terminal>("POST", "/terminals", { body: terminalBody("SN-1") })).body;
    const t2 = (await call<Terminal>("POST", "/terminals", { body: terminalBody("SN-2") })).body;
    const t3 = (await call<Terminal>("POST", "/terminals", { body: terminalBody("SN-3", OTHER_ACCOUNT) })).body;
    await call("DELETE", `/terminals/${t2.id}`);
    const mine = await call<TerminalList>("GET", `/terminals?account_id=${ACCOUNT}`);
    expect(validateTerminalList(mine.body), JSON.stringify(validateTerminalList.errors)).toBe(true);
    expect(mine.body.results.map((t) => t.id)).toEqual([t1.id, t2.id]);
    const bySerial = await call<TerminalList>("GET", "/terminals?serial_number=SN-3");
    expect(bySerial.body.results.map((t) => t.id)).toEqual([t3.id]);
    const active = await call<TerminalList>("GET", "/terminals?status=active");
    expect(active.body.results.map((t) => t.id)).toEqual([t1.id, t3.id]);
    const both = await call<TerminalList>("GET", "/terminals?status=active&status=deleted");
    expect(both.body.results).toHaveLength(3);
    const model = await call<TerminalList>("GET", "/terminals?model=xac_at170r");
    expect(model.body.results).toEqual([]);
    const paged = await call<TerminalList>("GET", "/terminals?page_size=2");
    expect(paged.body.results).toHaveLength(2);
    const rest = await call<TerminalList>("GET", paged.body.next as string);
    expect(rest.body.results.map((t) => t.id)).toEqual([t3.id]);
  });

  it("update changes the reference id and merges the configuration", async () => {
    const t = (await call<Terminal>("POST", "/terminals", { body: terminalBody("SN-1") })).body;
    const up = await call<Terminal>("POST", `/terminals/${t.id}`, {
      body: { reference_id: "lane-7", terminal_configuration: { signature_required: true } },
    });
    expect(up.status).toBe(200);
    expect(up.body.reference_id).toBe("lane-7");
    expect(up.body.terminal_configuration).toEqual({ currency: "USD", signature_required: true, name: "Front desk" });
    expect((await call<Terminal>("GET", `/terminals/${t.id}`)).body.reference_id).toBe("lane-7");
    expectError(
      await call("POST", "/terminals/00000000-0000-4000-8000-000000000000", { body: { reference_id: "x" } }),
      404,
      "NOT_FOUND",
    );
  });

  it("DELETE marks the terminal deleted and frees its serial number", async () => {
    const t = (await call<Terminal>("POST", "/terminals", { body: terminalBody("SN-1") })).body;
    const del = await call<Terminal>("DELETE", `/terminals/${t.id}`);
    expect(del.status).toBe(200);
    expect(del.body.status).toBe("deleted");
    expect((await call<Terminal>("GET", `/terminals/${t.id}`)).body.status).toBe("deleted");
    expectError(await call("POST", `/terminals/${t.id}`, { body: { reference_id: "x" } }), 400, "INVALID_PARAMS");
    expect((await call("POST", "/terminals", { body: terminalBody("SN-1") })).status).toBe(201);
  });
});

describe("rule 4: payments with Unique-Key idempotency", () => {
  const pay = (key: string, body: unknown, headers: Record<string, string> = {}) =>
    call<Payment>("POST", "/payments", { body, headers: { "Unique-Key": key, ...headers } });

  it("creates a completed payment and GET returns it; an unknown id is 404 NOT_FOUND", async () => {
    const a = await pay("key-1", paymentBody());
    expect(a.status).toBe(200);
    expect(validatePayment(a.body), JSON.stringify(validatePayment.errors)).toBe(true);
    expect(a.body.status).toBe("completed");
    expect(a.body.amount).toBe(2500);
    expect(a.body.failure_reason ?? null).toBeNull();
    const got = await call<Payment>("GET", `/payments/${a.body.id}`);
    expect(got.body).toEqual(a.body);
    expectError(await call("GET", "/payments/00000000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
  });

  it("the same Unique-Key with the same body answers the same payment without a second charge", async () => {
    const first = await pay("key-1", paymentBody());
    // same body, keys in another order
    const { reference_id, ...rest } = paymentBody();
    const again = await pay("key-1", { reference_id, ...rest });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(sim.state.charges).toBe(1);
    expect(sim.state.payments.size).toBe(1);
    // another key is another payment
    const other = await pay("key-2", paymentBody(2500, freshMethod()));
    expect(other.body.id).not.toBe(first.body.id);
    expect(sim.state.charges).toBe(2);
  });

  it("the same Unique-Key with another body is refused with 400 INVALID_PARAMS on the Unique-Key header", async () => {
    await pay("key-1", paymentBody(2500));
    const e = expectError(await pay("key-1", paymentBody(2600)), 400, "INVALID_PARAMS");
    expect(e.details?.[0]?.target).toEqual(["Unique-Key"]);
    expect(e.details?.[0]?.target_type).toBe("HTTP_REQUEST_HEADER");
    expect(sim.state.charges).toBe(1);
  });

  it("a missing Unique-Key is refused with 400 INVALID_PARAMS", async () => {
    expectError(await call("POST", "/payments", { body: paymentBody() }), 400, "INVALID_PARAMS");
    expect(sim.state.charges).toBe(0);
  });

  it(`an amount ending in ${DECLINE_CENTS} cents fails with a failure reason`, async () => {
    const a = await pay("key-d", paymentBody(1051));
    expect(a.status).toBe(200);
    expect(validatePayment(a.body)).toBe(true);
    expect(a.body.status).toBe("failed");
    expect(a.body.failure_reason).toMatchObject({ reason_code: expect.any(String) });
    expect(a.body.authorization_code).toBeNull();
    expect((await call<Payment>("GET", `/payments/${a.body.id}`)).body.status).toBe("failed");
  });

  it("the decline fault fails any amount", async () => {
    const a = await pay("key-f", paymentBody(2500), { "Payspec-Fault": "decline" });
    expect(a.body.status).toBe("failed");
    expect(a.body.failure_reason).not.toBeNull();
  });

  it("the busy fault answers 503 SERVICE_TEMPORARILY_UNAVAILABLE and charges nothing; a retry with the key then succeeds", async () => {
    expectError(await pay("key-b", paymentBody(), { "Payspec-Fault": "busy" }), 503, "SERVICE_TEMPORARILY_UNAVAILABLE");
    expect(sim.state.charges).toBe(0);
    const retry = await pay("key-b", paymentBody());
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe("completed");
    expect(sim.state.charges).toBe(1);
  });

  it("a payment whose answer was lost (drop-after-commit) is recovered by retrying its Unique-Key", async () => {
    await expect(pay("key-lost", paymentBody(), { "Payspec-Fault": "drop-after-commit" })).rejects.toThrow();
    expect(sim.state.charges).toBe(1);
    const retry = await pay("key-lost", paymentBody());
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe([...sim.state.payments.keys()][0]);
    expect(sim.state.charges).toBe(1);
  });

  it("a run-wide busy plan answers 503 on every operation", async () => {
    const busy = await startWePaySimulator({ faults: { busy: true } });
    try {
      const res = await fetch(`${busy.url}/session_tokens`, {
        headers: { "App-Id": busy.credentials.appId, "App-Token": busy.credentials.appToken, "Api-Version": "3.0" },
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as ApiError).error_code).toBe("SERVICE_TEMPORARILY_UNAVAILABLE");
    } finally {
      await busy.close();
    }
  });
});

describe("rule 5: an encoded_payment_method is single use", () => {
  const pay = (key: string, body: unknown, headers: Record<string, string> = {}) =>
    call<Payment>("POST", "/payments", { body, headers: { "Unique-Key": key, ...headers } });

  it("a second payment from the same method under another Unique-Key is refused with 400, nothing charged", async () => {
    const method = freshMethod();
    expect((await pay("k-1", paymentBody(2500, method))).body.status).toBe("completed");
    const e = expectError(await pay("k-2", paymentBody(2500, method)), 400, "INVALID_PARAMS");
    expect(e.details?.[0]).toMatchObject({
      reason_code: "PAYMENT_METHOD_ALREADY_USED",
      target: ["payment_method", "encoded_payment_method"],
      target_type: "HTTP_REQUEST_BODY",
    });
    expect(sim.state.charges).toBe(1);
    expect(sim.state.usedPaymentMethods.get(method)).toBe("k-1");
  });

  it("the same Unique-Key with the same body is a replay, not a second use", async () => {
    const method = freshMethod();
    const first = await pay("k-r", paymentBody(2500, method));
    const replay = await pay("k-r", paymentBody(2500, method));
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);
    expect(sim.state.charges).toBe(1);
  });

  it("a declined payment uses the method up too", async () => {
    const method = freshMethod();
    expect((await pay("k-d", paymentBody(1051, method))).body.status).toBe("failed");
    expectError(await pay("k-d2", paymentBody(2500, method)), 400, "INVALID_PARAMS");
    expect(sim.state.charges).toBe(1);
  });

  it("a refused request (busy) does not use the method up", async () => {
    const method = freshMethod();
    expectError(
      await pay("k-b", paymentBody(2500, method), { "Payspec-Fault": "busy" }),
      503,
      "SERVICE_TEMPORARILY_UNAVAILABLE",
    );
    expect(sim.state.usedPaymentMethods.has(method)).toBe(false);
    expect((await pay("k-b2", paymentBody(2500, method))).body.status).toBe("completed");
  });
});

describe("rule 6: the disconnect fault (reader dropped before the authorization completed)", () => {
  const pay = (key: string, body: unknown, headers: Record<string, string> = {}) =>
    call<Payment>("POST", "/payments", { body, headers: { "Unique-Key": key, ...headers } });

  it("answers 400 INVALID_PARAMS CARD_READER_DISCONNECTED, charges nothing and voids the method", async () => {
    const method = freshMethod();
    const e = expectError(
      await pay("k-x", paymentBody(2500, method), { "Payspec-Fault": "disconnect" }),
      400,
      "INVALID_PARAMS",
    );
    expect(e.details?.[0]).toMatchObject({
      reason_code: "CARD_READER_DISCONNECTED",
      target: ["payment_method", "encoded_payment_method"],
    });
    expect(sim.state.charges).toBe(0);
    expect(sim.state.payments.size).toBe(0);
    // the voided method cannot be used again
    const again = expectError(await pay("k-y", paymentBody(2500, method)), 400, "INVALID_PARAMS");
    expect(again.details?.[0]?.reason_code).toBe("PAYMENT_METHOD_ALREADY_USED");
  });

  it("the Unique-Key is not kept: the platform may use it with a fresh card read", async () => {
    await pay("k-z", paymentBody(2500, freshMethod()), { "Payspec-Fault": "disconnect" });
    const retry = await pay("k-z", paymentBody(2500, freshMethod()));
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe("completed");
    expect(sim.state.charges).toBe(1);
  });
});

describe("rule 7: GET /payments finds payments by reference_id", () => {
  it("returns the payment with the reference, newest first, and an empty page for an unknown reference", async () => {
    const pay = (key: string, body: unknown) =>
      call<Payment>("POST", "/payments", { body, headers: { "Unique-Key": key } });
    const a = await pay("f-1", paymentBody(2500, freshMethod(), "ref-a"));
    await pay("f-2", paymentBody(2600, freshMethod(), "ref-b"));
    const found = await call<PaymentList>("GET", "/payments?reference_id=ref-a");
    expect(found.status).toBe(200);
    expect(validatePaymentList(found.body), JSON.stringify(validatePaymentList.errors)).toBe(true);
    expect(found.body.results.map((p) => p.id)).toEqual([a.body.id]);
    const none = await call<PaymentList>(`GET`, `/payments?reference_id=never&account_id=${ACCOUNT}`);
    expect(none.body.results).toEqual([]);
    const all = await call<PaymentList>("GET", `/payments?account_id=${ACCOUNT}&status=completed`);
    expect(all.body.results.map((p) => p.reference_id)).toEqual(["ref-b", "ref-a"]);
  });
});

describe("rule 8: refunds", () => {
  const pay = async (amount = 2500) =>
    (
      await call<Payment>("POST", "/payments", {
        body: paymentBody(amount, freshMethod()),
        headers: { "Unique-Key": `p-${methods}` },
      })
    ).body;
  const refund = (key: string, body: unknown) =>
    call<Refund>("POST", "/refunds", { body, headers: { "Unique-Key": key } });

  it("refunds a completed payment in part then in full; more than what is left is refused", async () => {
    const p = await pay();
    const r1 = await refund("r-1", { payment_id: p.id, refund_reason: "partial", amount: 1000 });
    expect(r1.status).toBe(200);
    expect(validateRefund(r1.body), JSON.stringify(validateRefund.errors)).toBe(true);
    expect(r1.body).toMatchObject({ status: "completed", amount: 1000, payment: { id: p.id } });
    expectError(
      await refund("r-2", { payment_id: p.id, refund_reason: "too much", amount: 1501 }),
      400,
      "INVALID_PARAMS",
    );
    const r3 = await refund("r-3", { payment_id: p.id, refund_reason: "rest" });
    expect(r3.body.amount).toBe(1500);
    expect((await call<Payment>("GET", `/payments/${p.id}`)).body.amount_refunded).toBe(2500);
    expect((await call<Refund>("GET", `/refunds/${r1.body.id}`)).body).toEqual(r1.body);
    expectError(await call("GET", "/refunds/00000000-0000-4000-8000-000000000000"), 404, "NOT_FOUND");
  });

  it("is idempotent by Unique-Key: the same key and body answer the first refund, another body is refused", async () => {
    const p = await pay();
    const body = { payment_id: p.id, refund_reason: "returned", amount: 500 };
    const first = await refund("r-k", body);
    const again = await refund("r-k", body);
    expect(again.body).toEqual(first.body);
    expect(sim.state.refunds.size).toBe(1);
    const e = expectError(await refund("r-k", { ...body, amount: 600 }), 400, "INVALID_PARAMS");
    expect(e.details?.[0]?.target).toEqual(["Unique-Key"]);
  });

  it("a failed payment or an unknown payment cannot be refunded", async () => {
    const failed = await pay(1051);
    expectError(await refund("r-f", { payment_id: failed.id, refund_reason: "x" }), 400, "INVALID_PARAMS");
    expectError(
      await refund("r-u", { payment_id: "00000000-0000-4000-8000-000000000000", refund_reason: "x" }),
      400,
      "INVALID_PARAMS",
    );
    expect(sim.state.refunds.size).toBe(0);
  });
});
