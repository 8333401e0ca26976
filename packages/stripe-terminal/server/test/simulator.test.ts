// The Stripe Terminal simulator behaves like a test-mode Stripe account (PROTOCOLS.md §2): each test
// names the rule it enforces and fails when the simulator breaks it. Real loopback HTTP only, through
// the runtime's `callOperation` with the generated operation table (the same path the client takes).
import { callOperation, type OperationDescriptor } from "@payspec/runtime";
import type { ErrorResponse, Location, LocationList, Reader, ReaderList } from "@payspec/stripe-terminal-types";
import { afterEach, describe, expect, it } from "vitest";
import {
  operations,
  type RunningStripeTerminalSimulator,
  type StartStripeTerminalSimulatorOptions,
  startStripeTerminalSimulator,
} from "../src/index.js";

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorResponse,
  ) {
    super(`HTTP ${status}: ${body.error?.message}`);
  }
}

let running: RunningStripeTerminalSimulator | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

type OpId = keyof typeof operations;

async function start(options: StartStripeTerminalSimulatorOptions = {}) {
  running = await startStripeTerminalSimulator({ host: "127.0.0.1", port: 0, ...options });
  const sim = running;
  const call = async <T = unknown>(
    id: OpId,
    input: Record<string, unknown> = {},
    opts: { key?: string; fault?: string } = {},
  ): Promise<T> =>
    (await callOperation(
      operations[id] as OperationDescriptor,
      input,
      {
        baseUrl: sim.url,
        headers: opts.fault ? { "payspec-fault": opts.fault } : {},
        auth: (req) => {
          req.headers.authorization = `Bearer ${opts.key ?? sim.credentials.secretKey}`;
        },
      },
      (status, body) => new Refused(status, body as ErrorResponse),
    )) as T;
  const refused = async (promise: Promise<unknown>): Promise<Refused> => {
    try {
      await promise;
    } catch (e) {
      if (e instanceof Refused) return e;
      throw e;
    }
    throw new Error("expected a refusal");
  };
  return { sim, call, refused };
}

const ADDRESS = { country: "FR", city: "Paris", line1: "1 rue de Rivoli", postal_code: "75001" };

describe("rule 1: bearer secret-key auth", () => {
  it("accepts the simulator's sk_test_ key and refuses a wrong or missing key with a Stripe 401", async () => {
    const { sim, call, refused } = await start();
    expect(sim.credentials.secretKey).toMatch(/^sk_test_/);
    const list = await call<LocationList>("locationsList");
    expect(list.object).toBe("list");

    const wrong = await refused(call("locationsList", {}, { key: "sk_test_wrongwrongwrongwrong1234" }));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.type).toBe("invalid_request_error");
    expect(wrong.body.error.message).toBe("Invalid API Key provided: sk_test_****1234");

    const none = await fetch(`${sim.url}/v1/terminal/locations`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as ErrorResponse).error.message).toMatch(/did not provide an API key/);
  });

  it("uses the configured secret key instead of the default", async () => {
    const { call, refused } = await start({ secretKey: "sk_test_mine000000000000abcd" });
    await call("locationsList");
    const res = await refused(
      call("locationsList", {}, { key: "sk_test_payspecSimulator0000000000" }).then(() => undefined),
    );
    expect(res.status).toBe(401);
  });
});

describe("rule 2: locations CRUD and list pagination", () => {
  it("creates, retrieves, updates and deletes a location with a tml_ id", async () => {
    const { call, refused } = await start();
    const created = await call<Location>("locationsCreate", {
      body: { display_name: "Rivoli", address: ADDRESS, metadata: { store: "12", keep: "x" } },
    });
    expect(created.id).toMatch(/^tml_/);
    expect(created).toMatchObject({ object: "terminal.location", display_name: "Rivoli", livemode: false });
    expect(created.address.country).toBe("FR");

    const got = await call<Location>("locationsRetrieve", { location: created.id });
    expect(got).toEqual(created);

    const updated = await call<Location>("locationsUpdate", {
      location: created.id,
      body: { display_name: "Rivoli 2", metadata: { store: "" } },
    });
    expect(updated.display_name).toBe("Rivoli 2");
    expect(updated.metadata).toEqual({ keep: "x" });

    const deleted = await call("locationsDelete", { location: created.id });
    expect(deleted).toEqual({ id: created.id, object: "terminal.location", deleted: true });
    expect(await call("locationsRetrieve", { location: created.id })).toMatchObject({ deleted: true });

    const unknown = await refused(call("locationsRetrieve", { location: "tml_nope" }));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("resource_missing");
  });

  it("pages newest first with limit, starting_after, ending_before, has_more and url", async () => {
    const { call, refused } = await start();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const l = await call<Location>("locationsCreate", { body: { display_name: `L${i}`, address: ADDRESS } });
      ids.push(l.id);
    }
    const newest = [...ids].reverse();
    const first = await call<LocationList>("locationsList", { limit: 2 });
    expect(first.url).toBe("/v1/terminal/locations");
    expect(first.data.map((l) => l.id)).toEqual(newest.slice(0, 2));
    expect(first.has_more).toBe(true);

    const second = await call<LocationList>("locationsList", { limit: 2, starting_after: first.data[1]!.id });
    expect(second.data.map((l) => l.id)).toEqual(newest.slice(2, 4));
    expect(second.has_more).toBe(true);

    const last = await call<LocationList>("locationsList", { limit: 2, starting_after: second.data[1]!.id });
    expect(last.data.map((l) => l.id)).toEqual(newest.slice(4));
    expect(last.has_more).toBe(false);

    const back = await call<LocationList>("locationsList", { limit: 2, ending_before: last.data[0]!.id });
    expect(back.data.map((l) => l.id)).toEqual(newest.slice(2, 4));
    expect(back.has_more).toBe(true);

    const all = await call<LocationList>("locationsList");
    expect(all.data).toHaveLength(5);
    expect(all.has_more).toBe(false);

    const bad = await refused(call("locationsList", { starting_after: "tml_unknown" }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "resource_missing", param: "starting_after" });
  });
});

describe("rule 3: readers registered by registration code", () => {
  it("registers simulated-wpe as a WisePOS E and simulated-s700 as an S700", async () => {
    const { call } = await start();
    const loc = await call<Location>("locationsCreate", { body: { display_name: "A", address: ADDRESS } });
    const wpe = await call<Reader>("readersCreate", {
      body: { registration_code: "simulated-wpe", location: loc.id, label: "Till 1" },
    });
    expect(wpe.id).toMatch(/^tmr_/);
    expect(wpe).toMatchObject({
      object: "terminal.reader",
      device_type: "bbpos_wisepos_e",
      label: "Till 1",
      location: loc.id,
      status: "online",
      action: null,
      livemode: false,
    });
    const s700 = await call<Reader>("readersCreate", { body: { registration_code: "simulated-s700" } });
    expect(s700.device_type).toBe("stripe_s700");
    expect(s700.label).toBe("simulated-s700");
    expect(s700.serial_number).not.toBe(wpe.serial_number);
  });

  it("refuses any other registration code with a 400 on registration_code", async () => {
    const { call, refused } = await start();
    const err = await refused(call("readersCreate", { body: { registration_code: "puppies-plug-could" } }));
    expect(err.status).toBe(400);
    expect(err.body.error).toMatchObject({ type: "invalid_request_error", param: "registration_code" });
    const badLoc = await refused(
      call("readersCreate", { body: { registration_code: "simulated-wpe", location: "tml_missing" } }),
    );
    expect(badLoc.body.error).toMatchObject({ code: "resource_missing", param: "location" });
  });

  it("lists readers filtered by location, status, serial_number and device_type, with pagination", async () => {
    const { sim, call } = await start();
    const a = await call<Location>("locationsCreate", { body: { display_name: "A", address: ADDRESS } });
    const b = await call<Location>("locationsCreate", { body: { display_name: "B", address: ADDRESS } });
    const r1 = await call<Reader>("readersCreate", { body: { registration_code: "simulated-wpe", location: a.id } });
    const r2 = await call<Reader>("readersCreate", { body: { registration_code: "simulated-s700", location: a.id } });
    const r3 = await call<Reader>("readersCreate", { body: { registration_code: "simulated-wpe", location: b.id } });
    sim.state.setReaderStatus(r3.id, "offline");

    const ids = async (query: Record<string, unknown>) =>
      (await call<ReaderList>("readersList", query)).data.map((r) => r.id);
    expect(await ids({ location: a.id })).toEqual([r2.id, r1.id]);
    expect(await ids({ status: "offline" })).toEqual([r3.id]);
    expect(await ids({ status: "online" })).toEqual([r2.id, r1.id]);
    expect(await ids({ serial_number: r2.serial_number })).toEqual([r2.id]);
    expect(await ids({ device_type: "bbpos_wisepos_e" })).toEqual([r3.id, r1.id]);
    expect(await ids({ device_type: "bbpos_wisepos_e", location: b.id })).toEqual([r3.id]);

    const page1 = await call<ReaderList>("readersList", { limit: 1, location: a.id });
    expect(page1).toMatchObject({ has_more: true, url: "/v1/terminal/readers" });
    const page2 = await call<ReaderList>("readersList", { limit: 1, location: a.id, starting_after: r2.id });
    expect(page2.data.map((r) => r.id)).toEqual([r1.id]);
    expect(page2.has_more).toBe(false);

    const expanded = await call<ReaderList>("readersList", { location: b.id, "expand[]": ["data.location"] });
    expect(expanded.data[0]!.location).toMatchObject({ id: b.id, object: "terminal.location" });
  });

  it("retrieves, updates and deletes a reader", async () => {
    const { call, refused } = await start();
    const r = await call<Reader>("readersCreate", {
      body: { registration_code: "simulated-wpe", metadata: { lane: "3" } },
    });
    expect(await call<Reader>("readersRetrieve", { reader: r.id })).toMatchObject({ id: r.id, label: "simulated-wpe" });
    const updated = await call<Reader>("readersUpdate", {
      reader: r.id,
      body: { label: "Front", metadata: { till: "A" } },
    });
    expect(updated.label).toBe("Front");
    expect(updated.metadata).toEqual({ lane: "3", till: "A" });
    expect(await call("readersDelete", { reader: r.id })).toEqual({
      id: r.id,
      object: "terminal.reader",
      deleted: true,
    });
    expect(await call("readersRetrieve", { reader: r.id })).toMatchObject({ deleted: true });
    expect((await call<ReaderList>("readersList")).data).toHaveLength(0);
    const gone = await refused(call("readersUpdate", { reader: r.id, body: { label: "x" } }));
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("resource_missing");
  });
});

describe("rule 4: connection tokens", () => {
  it("returns a fresh pst_test_ secret on every POST, each usable once", async () => {
    const { sim, call } = await start();
    const t1 = await call<{ secret: string; object: string }>("connectionTokensCreate", { body: {} });
    const t2 = await call<{ secret: string }>("connectionTokensCreate", { body: {} });
    expect(t1.object).toBe("terminal.connection_token");
    expect(t1.secret).toMatch(/^pst_test_/);
    expect(t2.secret).not.toBe(t1.secret);

    expect(sim.state.consumeConnectionToken(t1.secret)).toEqual({ ok: true });
    const again = sim.state.consumeConnectionToken(t1.secret);
    expect(again.ok).toBe(false);
    expect(sim.state.consumeConnectionToken(t2.secret).ok).toBe(true);
    expect(sim.state.consumeConnectionToken("pst_test_made_up").ok).toBe(false);
  });

  it("scopes a token to a location: it only connects readers of that location", async () => {
    const { sim, call, refused } = await start();
    const a = await call<Location>("locationsCreate", { body: { display_name: "A", address: ADDRESS } });
    const inA = await call<Reader>("readersCreate", { body: { registration_code: "simulated-wpe", location: a.id } });
    const elsewhere = await call<Reader>("readersCreate", { body: { registration_code: "simulated-wpe" } });
    const scoped = await call<{ secret: string; location?: string }>("connectionTokensCreate", {
      body: { location: a.id },
    });
    expect(scoped.location).toBe(a.id);
    expect(sim.state.consumeConnectionToken(scoped.secret, elsewhere.id).ok).toBe(false);
    expect(sim.state.consumeConnectionToken(scoped.secret, inA.id)).toEqual({ ok: true, location: a.id });

    const bad = await refused(call("connectionTokensCreate", { body: { location: "tml_missing" } }));
    expect(bad.body.error).toMatchObject({ code: "resource_missing", param: "location" });
  });
});

describe("rule 5: reader actions", () => {
  async function withReader(options: StartStripeTerminalSimulatorOptions = {}) {
    const s = await start(options);
    const reader = await s.call<Reader>("readersCreate", { body: { registration_code: "simulated-wpe" } });
    return { ...s, reader };
  }

  it("puts each action in_progress on the reader", async () => {
    const { call, reader } = await withReader();
    const cases: [OpId, Record<string, unknown>, string][] = [
      ["readersProcessPaymentIntent", { payment_intent: "pi_123" }, "process_payment_intent"],
      [
        "readersProcessSetupIntent",
        { setup_intent: "seti_1", customer_consent_collected: true },
        "process_setup_intent",
      ],
      ["readersRefundPayment", { payment_intent: "pi_123", amount: 100 }, "refund_payment"],
      [
        "readersSetReaderDisplay",
        {
          type: "cart",
          cart: { currency: "eur", total: 500, line_items: [{ amount: 500, description: "Tea", quantity: 1 }] },
        },
        "set_reader_display",
      ],
    ];
    for (const [op, body, type] of cases) {
      const r = await call<Reader>(op, { reader: reader.id, body });
      expect(r.action).toMatchObject({ type, status: "in_progress" });
      expect(r.action?.[type as "refund_payment"]).toBeDefined();
      await call("readersCancelAction", { reader: reader.id, body: {} });
    }
  });

  it("answers a new action on a busy reader with 409 terminal_reader_busy (also on the busy fault)", async () => {
    const { call, refused, reader } = await withReader();
    await call("readersProcessPaymentIntent", { reader: reader.id, body: { payment_intent: "pi_a" } });
    const busy = await refused(
      call("readersSetReaderDisplay", {
        reader: reader.id,
        body: {
          type: "cart",
          cart: { currency: "eur", total: 1, line_items: [{ amount: 1, description: "Gum", quantity: 1 }] },
        },
      }),
    );
    expect(busy.status).toBe(409);
    expect(busy.body.error).toMatchObject({ type: "invalid_request_error", code: "terminal_reader_busy" });

    await call("readersCancelAction", { reader: reader.id, body: {} });
    const fault = await refused(
      call("readersProcessPaymentIntent", { reader: reader.id, body: { payment_intent: "pi_b" } }, { fault: "busy" }),
    );
    expect(fault.status).toBe(409);
    expect(fault.body.error.code).toBe("terminal_reader_busy");
  });

  it("cancel_action fails the action as canceled and frees the reader", async () => {
    const { call, refused, reader } = await withReader();
    await call("readersProcessPaymentIntent", { reader: reader.id, body: { payment_intent: "pi_c" } });
    const canceled = await call<Reader>("readersCancelAction", { reader: reader.id, body: {} });
    expect(canceled.action).toMatchObject({
      type: "process_payment_intent",
      status: "failed",
      failure_code: "canceled",
    });
    const next = await call<Reader>("readersProcessPaymentIntent", {
      reader: reader.id,
      body: { payment_intent: "pi_c" },
    });
    expect(next.action?.status).toBe("in_progress");
    const nothing = await refused(
      call("readersCancelAction", {
        reader: (await call<Reader>("readersCreate", { body: { registration_code: "simulated-wpe" } })).id,
        body: {},
      }),
    );
    expect(nothing.status).toBe(400);
  });

  it("present_payment_method completes the payment: succeeded, and the PaymentIntent is paid", async () => {
    const { sim, call, refused, reader } = await withReader();
    const pi = sim.state.createPaymentIntent({ amount: 1000, currency: "eur" });
    await call("readersProcessPaymentIntent", { reader: reader.id, body: { payment_intent: pi.id } });
    const done = await call<Reader>("testHelpersPresentPaymentMethod", {
      reader: reader.id,
      body: { card_present: { number: "4242424242424242" } },
    });
    expect(done.action).toMatchObject({
      type: "process_payment_intent",
      status: "succeeded",
      process_payment_intent: { payment_intent: pi.id },
    });
    expect(sim.state.paymentIntents.get(pi.id)?.status).toBe("succeeded");
    // A paid PaymentIntent cannot be processed again; a reader without an action has nothing to present to.
    const again = await refused(
      call("readersProcessPaymentIntent", { reader: reader.id, body: { payment_intent: pi.id } }),
    );
    expect(again.body.error.code).toBe("intent_invalid_state");
    const idle = await refused(call("testHelpersPresentPaymentMethod", { reader: reader.id, body: {} }));
    expect(idle.status).toBe(400);
  });

  it("declines for the documented test cards, amounts and the decline fault", async () => {
    const { sim, call, reader } = await withReader();
    const attempt = async (opts: { amount?: number; number?: string; fault?: string }) => {
      const pi = sim.state.createPaymentIntent({ amount: opts.amount ?? 1000 });
      await call("readersProcessPaymentIntent", { reader: reader.id, body: { payment_intent: pi.id } });
      const r = await call<Reader>(
        "testHelpersPresentPaymentMethod",
        { reader: reader.id, body: opts.number ? { card_present: { number: opts.number } } : {} },
        { fault: opts.fault },
      );
      expect(sim.state.paymentIntents.get(pi.id)?.status).toBe(
        r.action?.status === "succeeded" ? "succeeded" : "requires_payment_method",
      );
      return r.action;
    };
    expect(await attempt({ number: "4000000000000002" })).toMatchObject({
      status: "failed",
      failure_code: "card_declined",
      api_error: { type: "card_error", decline_code: "generic_decline" },
    });
    expect((await attempt({ number: "4000000000009995" }))?.api_error?.decline_code).toBe("insufficient_funds");
    expect((await attempt({ amount: 1055 }))?.api_error?.decline_code).toBe("incorrect_pin");
    expect((await attempt({ amount: 1005 }))?.api_error?.decline_code).toBe("generic_decline");
    expect((await attempt({ fault: "decline" }))?.api_error?.decline_code).toBe("generic_decline");
    expect((await attempt({ amount: 1000 }))?.status).toBe("succeeded");
  });

  it("completes setup and refund actions with a generated card and a refund id", async () => {
    const { call, reader } = await withReader();
    await call("readersProcessSetupIntent", {
      reader: reader.id,
      body: { setup_intent: "seti_1", customer_consent_collected: true },
    });
    const setup = await call<Reader>("testHelpersPresentPaymentMethod", { reader: reader.id, body: {} });
    expect(setup.action).toMatchObject({ status: "succeeded", process_setup_intent: { setup_intent: "seti_1" } });
    expect(setup.action?.process_setup_intent?.generated_card).toMatch(/^pm_/);

    await call("readersRefundPayment", { reader: reader.id, body: { payment_intent: "pi_x", amount: 300 } });
    const refund = await call<Reader>("testHelpersPresentPaymentMethod", { reader: reader.id, body: {} });
    expect(refund.action).toMatchObject({ status: "succeeded", refund_payment: { amount: 300 } });
    expect(refund.action?.refund_payment?.refund).toMatch(/^re_/);
  });

  it("fails an action left in_progress past actionTimeoutMs (injected clock, no sleeping)", async () => {
    let clock = 1_700_000_000_000;
    const { call, reader } = await withReader({ now: () => clock, actionTimeoutMs: 60_000 });
    await call("readersProcessPaymentIntent", { reader: reader.id, body: { payment_intent: "pi_t" } });
    clock += 59_999;
    expect((await call<Reader>("readersRetrieve", { reader: reader.id })).action?.status).toBe("in_progress");
    clock += 1;
    const timedOut = await call<Reader>("readersRetrieve", { reader: reader.id });
    expect(timedOut.action).toMatchObject({ status: "failed", failure_code: "terminal_reader_timeout" });
    expect(timedOut.last_seen_at).toBe(1_700_000_000_000);
  });

  it("refuses actions on an offline reader (or on the disconnect fault) and on an unknown reader", async () => {
    const { sim, call, refused, reader } = await withReader();
    sim.state.setReaderStatus(reader.id, "offline");
    const offline = await refused(
      call("readersProcessPaymentIntent", { reader: reader.id, body: { payment_intent: "pi_o" } }),
    );
    expect(offline.body.error.code).toBe("terminal_reader_offline");
    sim.state.setReaderStatus(reader.id, "online");
    const dropped = await refused(
      call(
        "readersProcessPaymentIntent",
        { reader: reader.id, body: { payment_intent: "pi_o" } },
        { fault: "disconnect" },
      ),
    );
    expect(dropped.body.error.code).toBe("terminal_reader_offline");
    const fine = await call<Reader>("readersProcessPaymentIntent", {
      reader: reader.id,
      body: { payment_intent: "pi_o" },
    });
    expect(fine.action?.status).toBe("in_progress");
    const unknown = await refused(
      call("readersProcessPaymentIntent", { reader: "tmr_nope", body: { payment_intent: "pi_o" } }),
    );
    expect(unknown.status).toBe(404);
  });
});
