/**
 * Client suite: per-request time of the generated client (Stripe Terminal `readersList`) vs raw
 * fetch (Node's global fetch, i.e. undici — what the client's default transport is built on),
 * raw undici.request, and openapi-fetch, all against the same local server (raw node:http in a
 * child process answering the same ReaderList bytes). Requests are sequential (one in flight),
 * each reads and parses the JSON answer.
 */
import { fork } from "node:child_process";
import { join } from "node:path";
import { bearerAuth } from "@payspec/runtime";
import { StripeTerminalClient } from "@payspec/stripe-terminal-client";
import createClient from "openapi-fetch";
import type { Plan } from "../plan.js";
import { type BenchResult, result } from "../results.js";
import type { ChildReply } from "./server-child.js";

const SECRET = "sk_test_bench000000000000abcd";

/** A ReaderList with two readers, as the Stripe simulator answers it (fixed bytes). */
export const READER_LIST = JSON.stringify({
  object: "list",
  url: "/v1/terminal/readers",
  has_more: false,
  data: [
    {
      id: "tmr_FDOt2wlRZEdpd7",
      object: "terminal.reader",
      action: null,
      device_sw_version: "2.37.2.0",
      device_type: "simulated_wisepos_e",
      ip_address: "0.0.0.0",
      label: "Caisse 1",
      livemode: false,
      location: "tml_FDOtHwxAAdIJOh",
      metadata: {},
      serial_number: "WSC513105011295",
      status: "online",
    },
    {
      id: "tmr_FDOt2wlRZEdpd8",
      object: "terminal.reader",
      action: null,
      device_sw_version: "2.37.2.0",
      device_type: "stripe_s700",
      ip_address: "0.0.0.0",
      label: "Caisse 2",
      livemode: false,
      location: "tml_FDOtHwxAAdIJOh",
      metadata: {},
      serial_number: "STRS7001050112",
      status: "online",
    },
  ],
});

const CHILD = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "server-child.js");

async function startServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = fork(CHILD, [], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const reply = await new Promise<ChildReply>((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`server child exited (${code})`)));
    child.send({
      kind: "raw",
      response: { status: 200, contentType: "application/json", body: Buffer.from(READER_LIST).toString("base64") },
    });
  });
  if (!reply.ready) throw new Error(reply.error);
  child.removeAllListeners("exit");
  return {
    url: reply.url,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.send("close");
      }),
  };
}

type Call = () => Promise<unknown>;

type Undici = typeof import("undici");

/** undici 8 needs Node ≥ 22 (it loads zlib's zstd at import): on older Node it is left out, with the reason. */
export async function loadUndici(): Promise<Undici | Error> {
  try {
    return await import("undici");
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function contenders(url: string, undici?: Undici): Record<string, Call> {
  const headers = { authorization: bearerAuth(SECRET) };
  const stripe = new StripeTerminalClient({
    baseUrl: url,
    auth: (request) => {
      request.headers.authorization = bearerAuth(SECRET);
    },
  });
  const openapi = createClient({ baseUrl: url });
  const agent = undici ? new undici.Agent({ keepAliveTimeout: 30_000 }) : undefined;
  return {
    fetch: async () => (await fetch(`${url}/v1/terminal/readers`, { headers })).json(),
    ...(undici && agent
      ? {
          undici: async () =>
            (await undici.request(`${url}/v1/terminal/readers`, { headers, dispatcher: agent })).body.json(),
        }
      : {}),
    payspec: () => stripe.readersList({}),
    "openapi-fetch": async () => {
      // biome-ignore lint/suspicious/noExplicitAny: no generated `paths` type here: openapi-fetch's run time is the same
      const { data } = await (openapi as any).GET("/v1/terminal/readers", { headers });
      return data;
    },
  };
}

export async function runClientSuite(plan: Plan, log: (line: string) => void): Promise<BenchResult[]> {
  const server = await startServer();
  try {
    const undici = await loadUndici();
    const calls = contenders(server.url, undici instanceof Error ? undefined : undici);
    // Each must get the readers, or the comparison means nothing.
    for (const [name, call] of Object.entries(calls)) {
      const answer = (await call()) as { data?: unknown[] };
      if (answer?.data?.length !== 2) throw new Error(`client ${name}: unexpected answer ${JSON.stringify(answer)}`);
    }
    const samples = new Map<string, number[]>(Object.keys(calls).map((k) => [k, []]));
    for (const call of Object.values(calls)) for (let i = 0; i < plan.clientWarmup; i++) await call();
    for (let run = 0; run < plan.runs; run++) {
      for (const [name, call] of Object.entries(calls)) {
        const start = performance.now();
        for (let i = 0; i < plan.clientRequests; i++) await call();
        const us = ((performance.now() - start) * 1000) / plan.clientRequests;
        samples.get(name)?.push(us);
        log(`client ${name} run ${run + 1}: ${us.toFixed(1)} µs/request`);
      }
    }
    const method = {
      tool: "wall clock (performance.now) around sequential requests, one in flight, keep-alive",
      payload: `GET /v1/terminal/readers answered by raw node:http in a child process (ReaderList, ${READER_LIST.length} bytes of JSON), body read and parsed`,
      warmup: `${plan.clientWarmup} requests per contender`,
      run: `${plan.clientRequests} requests per contender`,
    };
    const names: Record<string, string> = {
      fetch: "raw fetch (Node global, undici)",
      undici: "raw undici.request",
      payspec: "payspec generated client",
      "openapi-fetch": "openapi-fetch 0.17",
    };
    const results = [...samples].map(([key, s]) =>
      result({
        suite: "client",
        id: key,
        group: "Stripe Terminal readersList",
        name: names[key] ?? key,
        unit: "µs/request",
        higherIsBetter: false,
        method,
        samples: s,
        ...(key === "payspec"
          ? {
              targets: [
                { op: "<=" as const, value: 1.15, against: "raw fetch", reference: { id: "fetch" } },
                {
                  op: "<=" as const,
                  value: 1,
                  against: "openapi-fetch",
                  reference: { id: "openapi-fetch" },
                  info: true,
                },
              ],
            }
          : {}),
      }),
    );
    if (undici instanceof Error) {
      results.push(
        result({
          suite: "client",
          id: "undici",
          group: "Stripe Terminal readersList",
          name: names.undici as string,
          unit: "µs/request",
          higherIsBetter: false,
          method,
          samples: [],
          error: `undici 8 does not load on Node ${process.version} (${undici.message.split("\n")[0]}); it needs Node ≥ 22`,
        }),
      );
    }
    return results;
  } finally {
    await server.stop();
  }
}
