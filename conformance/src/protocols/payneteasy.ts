import { createServer, type Server } from "node:http";
import {
  examples,
  operations,
  PAYNETEASY_SIMULATOR_CREDENTIALS,
  startPayneteasySimulator,
  verifyCallback,
} from "@payspec/payneteasy-server";
import * as validators from "@payspec/payneteasy-validators";
import {
  type Authenticator,
  type OperationDescriptor,
  payneteasyStatusControl,
  sha1Hex,
  signOAuth1,
} from "@payspec/runtime";
import { manualClock, simulatorCapabilities } from "./common.js";
import type { ProtocolAdapter, SimulatorOptions, Target } from "./types.js";

interface Credentials {
  login: string;
  merchantControlKey: string;
}

const isSigned = (op: OperationDescriptor) =>
  op.params.some((p) => p.in === "header" && p.name.toLowerCase() === "authorization");

function oauth(creds: Credentials, now: () => number): Authenticator {
  return (request, op) => {
    if (!isSigned(op)) return;
    for (const name of Object.keys(request.headers))
      if (name.toLowerCase() === "authorization") delete request.headers[name];
    request.headers.Authorization = signOAuth1({
      method: request.method,
      url: request.url,
      consumerKey: creds.login,
      consumerSecret: creds.merchantControlKey,
      body: request.body ?? "",
      timestamp: Math.floor(now() / 1000),
    }).authorization;
  };
}

interface Received {
  query: Record<string, string>;
}

/** A merchant callback endpoint on loopback: records every callback and answers 200 OK. */
async function startCallbackReceiver(): Promise<{
  url: string;
  received: Received[];
  waiters: (() => void)[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://127.0.0.1");
    received.push({ query: Object.fromEntries(u.searchParams) });
    res.writeHead(200, { "content-type": "text/plain" }).end("OK");
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/callback`,
    received,
    waiters,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function credsOf(target: Target): Credentials {
  return target.context.credentials as Credentials;
}

export const payneteasy: ProtocolAdapter = {
  name: "payneteasy",
  operations,
  validators,
  examples: examples as unknown as ProtocolAdapter["examples"],
  async startSimulator(options: SimulatorOptions = {}): Promise<Target> {
    const clock = manualClock();
    const receiver = await startCallbackReceiver();
    const sim = await startPayneteasySimulator({
      host: "127.0.0.1",
      port: 0,
      now: clock.now,
      callbackUrl: receiver.url,
      callbackRetryDelaysMs: [50, 100],
      backgroundFinalize: false,
      ...options,
    });
    const credentials = { ...sim.credentials };
    return {
      kind: "simulator",
      label: "Payneteasy simulator",
      url: sim.url,
      capabilities: simulatorCapabilities,
      auth: oauth(credentials, clock.now),
      clock,
      context: { sim, receiver, credentials, callbackUrl: receiver.url },
      close: async () => {
        await sim.close();
        await receiver.close();
      },
    };
  },
  sandbox(env) {
    if (!env.PAYNETEASY_URL || !env.PAYNETEASY_LOGIN || !env.PAYNETEASY_CONTROL_KEY)
      return { skip: "PAYNETEASY_URL / PAYNETEASY_LOGIN / PAYNETEASY_CONTROL_KEY not set" };
    const t = payneteasy.urlTarget(env.PAYNETEASY_URL, env);
    return { ...t, kind: "sandbox" };
  },
  urlTarget(url, env) {
    const credentials = {
      login: env.PAYNETEASY_LOGIN ?? PAYNETEASY_SIMULATOR_CREDENTIALS.login,
      merchantControlKey: env.PAYNETEASY_CONTROL_KEY ?? PAYNETEASY_SIMULATOR_CREDENTIALS.merchantControlKey,
    };
    return {
      kind: "url",
      label: url,
      url,
      capabilities: new Set(["semantics"]),
      auth: oauth(credentials, Date.now),
      context: { credentials },
      close: async () => {},
    };
  },
  /** `login: auto` and `control: auto` in a status or return request: the merchant login and SHA1 control. */
  prepare(op, input, target) {
    if (op.id !== "status" && op.id !== "returnOrder") return input;
    const body = { ...(input.body as Record<string, unknown>) };
    const creds = credsOf(target);
    if (body.login === "auto") body.login = creds.login;
    if (body.control === "auto" && op.id === "returnOrder") {
      // SHA1(login + client_orderid + orderid + amount_in_cents + currency + key); absent fields count as ""
      const cents = body.amount === undefined ? "" : String(Math.round(Number(body.amount) * 100));
      body.control = sha1Hex(
        creds.login,
        String(body.client_orderid),
        String(body.orderid),
        cents,
        body.currency === undefined ? "" : String(body.currency),
        creds.merchantControlKey,
      );
    } else if (body.control === "auto")
      body.control = payneteasyStatusControl({
        login: creds.login,
        client_orderid: String(body.client_orderid),
        orderid: String(body.orderid),
        merchant_control_key: creds.merchantControlKey,
      });
    return { ...input, body };
  },
  actions: {
    /** The URL of the suite's callback receiver (for `server_callback_url`). */
    async "payneteasy.callbackUrl"(_args, ctx) {
      const url = ctx.target.context.callbackUrl;
      if (typeof url !== "string") return { skip: "needs a callback URL the target can reach (loopback receiver)" };
      return { body: { url } };
    },
    /**
     * Waits for the gateway's callback about `client_orderid`, checks its `control`
     * (SHA1(status + orderid + client_orderid + key)) and its parameters against CallbackParameters.
     */
    async "payneteasy.awaitCallback"(args, ctx) {
      const receiver = ctx.target.context.receiver as Awaited<ReturnType<typeof startCallbackReceiver>> | undefined;
      if (!receiver) return { skip: "needs the suite's callback receiver" };
      const wanted = String(args.client_orderid);
      const deadline = Date.now() + Number(args.timeoutMs ?? 10_000);
      for (;;) {
        const hit = receiver.received.find((r) => r.query.client_orderid === wanted);
        if (hit) {
          ctx.coverOperation("merchantCallbackNotify");
          const issues = ctx.validate("CallbackParameters", hit.query, "form");
          const controlOk = verifyCallback(hit.query, credsOf(ctx.target).merchantControlKey);
          return { status: 200, body: { ...hit.query, controlValid: controlOk, parameterIssues: issues } };
        }
        if (Date.now() > deadline || ctx.signal.aborted) return { status: 0, body: { received: false } };
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 200);
          receiver.waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
  },
  prism: {
    supported: false,
    reason: "Payneteasy answers key=value text (kv), which Prism cannot generate from the OpenAPI",
  },
};
