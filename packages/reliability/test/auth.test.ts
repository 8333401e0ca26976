// Every protected endpoint of every protocol refuses missing and wrong credentials in the vendor's shape, and
// Payneteasy's OAuth 1.0 check refuses a stale timestamp and a replayed nonce.
import { payneteasyAuth, statusControl } from "@payspec/payneteasy-client";
import { PAYNETEASY_SIMULATOR_CREDENTIALS } from "@payspec/payneteasy-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attack, buildRequest, type Case, type Verdict } from "../src/fuzz.js";
import { type RunningTarget, startTarget } from "../src/targets.js";

const exampleCase = (op: number, auth: Case["auth"]): Case => ({
  op,
  body: { kind: "mutated-example", example: 0, mutations: [] },
  contentType: "declared",
  pathValue: undefined,
  auth,
});

/** The verdict, and the answer's text (sent a second time: the requests are idempotent examples or refused). */
async function attackWithText(target: RunningTarget, c: Case): Promise<{ verdict: Verdict; text: string }> {
  const verdict = await attack(target, c);
  const request = await buildRequest(target, c);
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
  });
  return { verdict, text: await response.text() };
}

describe.each(["wepay", "stripe-terminal", "hipay-ecr", "payneteasy"] as const)("%s credentials", (protocol) => {
  let target: RunningTarget;
  beforeAll(async () => {
    target = await startTarget(protocol);
  });
  afterAll(async () => {
    await target?.close();
  });

  // Payneteasy's status is authenticated by the control checksum in its body (tested below), the rest by OAuth.
  const protectedOps = () =>
    [...target.operations.entries()].filter(
      ([, op]) => protocol !== "payneteasy" || op.params.some((p) => p.name === "Authorization"),
    );

  /** Refused for its credentials: 401/403, or Payneteasy's HTTP 200 validation-error naming the signature. */
  function refusedForCredentials(verdict: Verdict, text: string): boolean {
    if (!verdict.ok) return false;
    if (protocol === "payneteasy")
      return verdict.status === 200 && /^type=validation-error\n[\s\S]*(Authorization|signature)/.test(text);
    return verdict.status === 401 || verdict.status === 403;
  }

  it("refuses every protected operation without credentials and with wrong ones, in the vendor's error shape", async () => {
    const problems: string[] = [];
    for (const [index, op] of protectedOps()) {
      for (const auth of ["none", "wrong"] as const) {
        const { verdict, text } = await attackWithText(target, exampleCase(index, auth));
        if (!refusedForCredentials(verdict, text))
          problems.push(`${op.id} (${auth}): ${JSON.stringify(verdict)} ${text.slice(0, 120)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("accepts the same example requests with the right credentials (so the refusals above are about credentials)", async () => {
    const problems: string[] = [];
    for (const [index, op] of protectedOps()) {
      const { verdict, text } = await attackWithText(target, exampleCase(index, "valid"));
      if (!verdict.ok || refusedForCredentials(verdict, text))
        problems.push(`${op.id}: ${JSON.stringify(verdict)} ${text.slice(0, 120)}`);
    }
    expect(problems).toEqual([]);
  });
});

describe("payneteasy OAuth 1.0 freshness", () => {
  let target: RunningTarget;
  beforeAll(async () => {
    target = await startTarget("payneteasy");
  });
  afterAll(async () => {
    await target?.close();
  });

  const saleOp = () => target.operations.findIndex((op) => op.id === "sale");

  async function bodyOf(auth: RunningTarget["auth"]): Promise<string> {
    const signed: RunningTarget = { ...target, auth };
    const request = await buildRequest(signed, exampleCase(saleOp(), "valid"));
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body ?? null,
    });
    expect(response.status).toBe(200);
    return response.text();
  }

  it("refuses a signature with a timestamp older than the allowed skew", async () => {
    const stale = payneteasyAuth({ ...PAYNETEASY_SIMULATOR_CREDENTIALS, now: () => Date.now() - 60 * 60 * 1000 });
    expect(await bodyOf(stale)).toMatch(/^type=validation-error\n[\s\S]*timestamp/i);
  });

  it("refuses a replayed nonce, after accepting its first use", async () => {
    // RFC 5849 §3.3: a nonce is unique per timestamp, so the replay repeats both (a fresh second would be a new pair).
    const at = Date.now();
    const nonce = `replay${at}`;
    const replaying = payneteasyAuth({ ...PAYNETEASY_SIMULATOR_CREDENTIALS, nonce: () => nonce, now: () => at });
    expect(await bodyOf(replaying)).toMatch(/^type=async-response\n/);
    expect(await bodyOf(replaying)).toMatch(/^type=validation-error\n[\s\S]*nonce/i);
  });
});

describe("payneteasy status control checksum", () => {
  let target: RunningTarget;
  beforeAll(async () => {
    target = await startTarget("payneteasy");
  });
  afterAll(async () => {
    await target?.close();
  });

  async function status(orderid: string, clientOrderId: string, control: string): Promise<string> {
    const form = new URLSearchParams({
      login: PAYNETEASY_SIMULATOR_CREDENTIALS.login,
      client_orderid: clientOrderId,
      orderid,
      control,
    });
    const response = await fetch(`${target.url}/paynet/api/v2/status/1234`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    return response.text();
  }

  it("answers the status of an order only for the right control, and refuses a wrong one", async () => {
    const sale = await buildRequest(
      target,
      exampleCase(
        target.operations.findIndex((op) => op.id === "sale"),
        "valid",
      ),
    );
    const created = await (
      await fetch(sale.url, { method: sale.method, headers: sale.headers, body: sale.body ?? null })
    ).text();
    const orderid = /paynet-order-id=(\d+)/.exec(created)?.[1] as string;
    const clientOrderId = /merchant-order-id=([^\n&]+)/.exec(created)?.[1] as string;
    expect(orderid).toMatch(/^\d+$/);
    const right = statusControl({
      login: PAYNETEASY_SIMULATOR_CREDENTIALS.login,
      client_orderid: clientOrderId,
      orderid,
      merchantControlKey: PAYNETEASY_SIMULATOR_CREDENTIALS.merchantControlKey,
    });
    expect(await status(orderid, clientOrderId, right)).toMatch(/^type=status-response\n/);
    const wrong = right.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    expect(await status(orderid, clientOrderId, wrong)).toMatch(/^type=validation-error\n[\s\S]*control/i);
  });
});
