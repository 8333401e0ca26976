/**
 * The five servers under test: each protocol's simulator (generated fastify plugin + handlers,
 * request validation on), the state a representative request needs, and that request. Runs in
 * the server child process (server-child.ts), never in the process that sends the load.
 */
import {
  ConcertTerminalSimulator,
  createConcertConnector,
  createMemorySerialPair,
  hipayAuthenticator,
  registerHiPayEcr,
  rejectHiPay,
} from "@payspec/hipay-ecr-server";
import { examples as nexoExamples, startNexoTerminalSimulator } from "@payspec/nexo-server";
import {
  PAYNETEASY_SIMULATOR_CREDENTIALS,
  examples as payneteasyExamples,
  startPayneteasySimulator,
} from "@payspec/payneteasy-server";
import { basicAuth, encodeForm, payneteasyStatusControl, signOAuth1 } from "@payspec/runtime";
import { startStripeTerminalSimulator } from "@payspec/stripe-terminal-server";
import { startWePaySimulator } from "@payspec/wepay-server";
import fastify from "fastify";

export const PROTOCOLS = ["stripe-terminal", "nexo", "wepay", "payneteasy", "hipay-ecr"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** One HTTP request, replayed by autocannon. */
export interface LoadRequest {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RunningTarget {
  url: string;
  /** what the load sends */
  request: LoadRequest;
  /** in words, for the report */
  operation: string;
  close(): Promise<void>;
}

async function send(url: string, request: LoadRequest): Promise<Response> {
  return fetch(url + request.path, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
}

async function stripe(): Promise<RunningTarget> {
  const sim = await startStripeTerminalSimulator({ host: "127.0.0.1", port: 0 });
  const headers = { authorization: `Bearer ${sim.credentials.secretKey}` };
  const form = { ...headers, "content-type": "application/x-www-form-urlencoded" };
  const location = (await (
    await fetch(`${sim.url}/v1/terminal/locations`, {
      method: "POST",
      headers: form,
      body: encodeForm({
        display_name: "Bench shop",
        address: { line1: "1 Rue de la Paix", city: "Paris", postal_code: "75002", country: "FR" },
      }),
    })
  ).json()) as { id: string };
  for (const code of ["simulated-wpe", "simulated-s700"]) {
    const res = await fetch(`${sim.url}/v1/terminal/readers`, {
      method: "POST",
      headers: form,
      body: encodeForm({ registration_code: code, location: location.id, label: `Till ${code}` }),
    });
    if (res.status !== 200) throw new Error(`stripe setup: reader ${res.status} ${await res.text()}`);
  }
  return {
    url: sim.url,
    operation: "GET /v1/terminal/readers (2 readers, Bearer key)",
    request: { method: "GET", path: "/v1/terminal/readers", headers },
    close: () => sim.close(),
  };
}

async function nexo(): Promise<RunningTarget> {
  const sim = await startNexoTerminalSimulator({ host: "127.0.0.1", port: 0, poiId: "A-POIID" });
  const login = Object.values(nexoExamples)
    .flat()
    .find((e) => e.title.includes("Login"));
  if (!login) throw new Error("nexo: no Login example in the spec");
  // A Login opens a fresh session each time, so the same request can be replayed.
  return {
    url: sim.url,
    operation: "POST /EPASSaleToPOI/3.1 LoginRequest (JSON, the spec's example)",
    request: {
      method: "POST",
      path: "/EPASSaleToPOI/3.1",
      headers: { "content-type": "application/json" },
      body: JSON.stringify((login.input as { body: unknown }).body),
    },
    close: () => sim.close(),
  };
}

async function wepay(): Promise<RunningTarget> {
  const sim = await startWePaySimulator({ host: "127.0.0.1", port: 0 });
  const headers = {
    "app-id": sim.credentials.appId,
    "app-token": sim.credentials.appToken,
    "api-version": "3.0",
  };
  const res = await fetch(`${sim.url}/session_tokens`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({
      type: "mobile_session",
      mobile_session: { account_id: "0ef0dcd6-a2c6-49c4-9051-bbbe5c6c36e2" },
    }),
  });
  const token = (await res.json()) as { id: string };
  if (!token.id) throw new Error(`wepay setup: session token ${res.status}`);
  return {
    url: sim.url,
    operation: "GET /session_tokens/{id} (App-Id/App-Token)",
    request: { method: "GET", path: `/session_tokens/${token.id}`, headers },
    close: () => sim.close(),
  };
}

async function payneteasy(): Promise<RunningTarget> {
  const sim = await startPayneteasySimulator({ host: "127.0.0.1", port: 0 });
  const { login, merchantControlKey } = PAYNETEASY_SIMULATOR_CREDENTIALS;
  const sale = payneteasyExamples.sale.find((e) => e.title === "Sale accepted");
  if (!sale) throw new Error("payneteasy: no 'Sale accepted' example");
  const { server_callback_url: _none, ...saleBody } = (sale.input as unknown as { body: Record<string, string> }).body;
  const body = encodeForm({ ...saleBody, client_orderid: "BENCH1" });
  const path = "/paynet/mapi/v1/sale/1234";
  const { authorization } = signOAuth1({
    method: "POST",
    url: sim.url + path,
    consumerKey: login,
    consumerSecret: merchantControlKey,
    body,
  });
  const answer = await (
    await fetch(sim.url + path, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body,
    })
  ).text();
  const orderid = /paynet-order-id=([^\n&]+)/.exec(answer)?.[1];
  if (!orderid) throw new Error(`payneteasy setup: sale answered ${answer}`);
  const control = payneteasyStatusControl({
    login,
    client_orderid: "BENCH1",
    orderid,
    merchant_control_key: merchantControlKey,
  });
  const request: LoadRequest = {
    method: "POST",
    path: "/paynet/api/v2/status/1234",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: encodeForm({ login, client_orderid: "BENCH1", orderid, control }),
  };
  // Polls until the order is final, so every timed request gets the same `approved` answer.
  for (let i = 0; i < 5; i++) await (await send(sim.url, request)).text();
  return {
    url: sim.url,
    operation: "POST /paynet/api/v2/status/{endpointid} (control checksum, final order)",
    request,
    close: () => sim.close(),
  };
}

interface HiPayStarted {
  url: string;
  close(): Promise<void>;
}

/**
 * HiPay: `startConnectorSimulator` (the connector on loopback HTTP + a simulated Concert terminal
 * on an in-memory serial line) where this build of @payspec/hipay-ecr-server has it; otherwise the
 * same thing assembled as its README shows (createConcertConnector + ConcertTerminalSimulator +
 * registerHiPayEcr).
 */
async function hipay(): Promise<RunningTarget> {
  const mod = (await import("@payspec/hipay-ecr-server")) as Record<string, unknown>;
  const start = mod.startConnectorSimulator as
    | ((o: { login: string; password: string }) => Promise<HiPayStarted>)
    | undefined;
  let started: HiPayStarted;
  if (start) {
    started = await start({ login: "log", password: "pwd" });
  } else {
    const { a, b } = createMemorySerialPair();
    const terminal = new ConcertTerminalSimulator(b);
    const connector = createConcertConnector(a);
    const app = fastify({ exposeHeadRoutes: false });
    await registerHiPayEcr(app, connector.handlers, {
      reject: rejectHiPay,
      authenticate: hipayAuthenticator({ login: "log", password: "pwd" }),
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("hipay: no port");
    started = {
      url: `http://127.0.0.1:${address.port}`,
      close: async () => {
        terminal.close();
        connector.close();
        await app.close();
      },
    };
  }
  return {
    url: started.url,
    operation: `GET /version (Basic auth${start ? ", startConnectorSimulator" : ""})`,
    request: { method: "GET", path: "/version", headers: { authorization: basicAuth("log", "pwd") } },
    close: () => started.close(),
  };
}

export const STARTERS: Record<Protocol, () => Promise<RunningTarget>> = {
  "stripe-terminal": stripe,
  nexo,
  wepay,
  payneteasy,
  "hipay-ecr": hipay,
};
