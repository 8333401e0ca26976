/**
 * Server suite: requests/s and p99 latency of each protocol's simulator (generated fastify plugin,
 * request validation on) vs raw node:http answering the same bytes (the limit) and vs Stoplight
 * Prism mocking the same OpenAPI (what a user would pick instead). Each server runs in a child
 * process; autocannon runs here, so load and server never share an event loop.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { freeLoopbackPort } from "@payspec/runtime/server";
import autocannon from "autocannon";
import { BIN, SPECS_DIR } from "../paths.js";
import type { Plan } from "../plan.js";
import { type BenchResult, result } from "../results.js";
import type { ChildCommand, ChildReply } from "./server-child.js";
import { type LoadRequest, PROTOCOLS } from "./server-targets.js";

interface Contender {
  key: "payspec" | "raw" | "prism";
  name: string;
  url: string;
  stop(): Promise<void>;
}

const CHILD = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "server-child.js");

function startChild(command: ChildCommand): Promise<{ child: ChildProcess; reply: ChildReply & { ready: true } }> {
  const child = fork(CHILD, [], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("message", (reply: ChildReply) => {
      if (reply.ready) resolve({ child, reply });
      else reject(new Error(reply.error));
    });
    child.once("exit", (code) => reject(new Error(`server child exited (${code}): ${stderr.slice(0, 2000)}`)));
    child.send(command);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.removeAllListeners("exit");
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.send("close");
  });
}

/** `prism mock` on 127.0.0.1 as a child process; resolves when it says it is listening. */
export async function startPrism(
  specPath: string,
  timeoutMs = 120_000,
): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freeLoopbackPort();
  const prism = spawn(BIN("prism"), ["mock", "-h", "127.0.0.1", "-p", String(port), specPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const stop = () =>
    new Promise<void>((resolve) => {
      if (prism.exitCode !== null || prism.signalCode !== null) return resolve();
      prism.once("exit", () => resolve());
      prism.kill("SIGTERM");
    });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`prism did not start in ${timeoutMs} ms: ${log.slice(-500)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      if (log.length < 20_000) log += chunk.toString();
      if (log.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    // Prism logs every request: keep reading so its pipe never fills and blocks it.
    prism.stdout?.on("data", onData);
    prism.stderr?.on("data", onData);
    prism.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited (${code}): ${log.slice(-500)}`));
    });
  });
  prism.removeAllListeners("exit");
  return { url: `http://127.0.0.1:${port}`, stop };
}

interface LoadSample {
  rps: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
}

async function load(
  url: string,
  request: LoadRequest,
  plan: Plan,
  seconds: number,
  amount: number,
): Promise<LoadSample> {
  const r = await autocannon({
    url: url + request.path,
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    connections: plan.loadConnections,
    pipelining: 1,
    duration: seconds,
    // Not `amount`: autocannon ignores `duration` when `amount` is set; this caps the count and keeps the time bound.
    maxOverallRequests: amount,
    timeout: 10,
  });
  const total = r["2xx"] + r.non2xx;
  return {
    rps: r.duration > 0 ? total / r.duration : 0,
    p99: r.latency.p99,
    p50: r.latency.p50,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

const TOOL = "autocannon 9 (same machine, loopback, its own process apart from every server)";

export async function runServerSuite(plan: Plan, log: (line: string) => void): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const protocols = PROTOCOLS.filter((p) => !plan.protocols || plan.protocols.includes(p));
  for (const protocol of protocols) {
    const contenders: Contender[] = [];
    let request: LoadRequest | undefined;
    let operation = "";
    let group: string = protocol;
    const failures: Partial<Record<Contender["key"], string>> = {};
    try {
      const payspec = await startChild({ kind: "payspec", protocol });
      request = payspec.reply.request as LoadRequest;
      operation = payspec.reply.operation ?? "";
      group = `${protocol}: ${operation}`;
      contenders.push({
        key: "payspec",
        name: "payspec simulator",
        url: payspec.reply.url,
        stop: () => stopChild(payspec.child),
      });
      const response = payspec.reply.response;
      if (!response) throw new Error("no captured response");
      if (response.status >= 400)
        throw new Error(
          `the simulator refuses the benchmark request: ${response.status} ${Buffer.from(response.body, "base64").toString().slice(0, 200)}`,
        );
      log(
        `server ${protocol}: payspec answers ${response.status} (${Buffer.from(response.body, "base64").length} bytes)`,
      );
      const raw = await startChild({ kind: "raw", response });
      contenders.push({
        key: "raw",
        name: "raw node:http (same bytes)",
        url: raw.reply.url,
        stop: () => stopChild(raw.child),
      });
      const spec = join(SPECS_DIR, "openapi", protocol, "openapi.yaml");
      try {
        if (!existsSync(spec)) throw new Error(`no ${spec}`);
        const prism = await startPrism(spec);
        contenders.push({ key: "prism", name: "Stoplight Prism 5 mock", url: prism.url, stop: prism.stop });
      } catch (error) {
        failures.prism = error instanceof Error ? error.message : String(error);
      }
      // What each contender answers the request (Prism's own request validation may refuse it).
      const answers = new Map<Contender["key"], string>();
      for (const c of [...contenders]) {
        try {
          const res = await fetch(c.url + request.path, {
            method: request.method,
            headers: request.headers,
            ...(request.body === undefined ? {} : { body: request.body }),
            signal: AbortSignal.timeout(20_000),
          });
          const text = await res.text();
          answers.set(c.key, `${res.status}${res.status >= 400 ? ` ${text.slice(0, 160)}` : ""}`);
        } catch (error) {
          if (c.key !== "prism") throw error;
          // Prism that does not answer one request in 20 s is left out of the load.
          failures.prism = `Prism does not answer the request: ${error instanceof Error ? error.message : String(error)}`;
          contenders.splice(contenders.indexOf(c), 1);
          await c.stop();
        }
      }
      const samples = new Map<Contender["key"], LoadSample[]>(contenders.map((c) => [c.key, []]));
      for (const c of contenders) await load(c.url, request, plan, plan.loadWarmupMs / 1000, plan.loadAmount);
      for (let run = 0; run < plan.runs; run++) {
        for (const c of contenders) {
          const sample = await load(c.url, request, plan, plan.loadSeconds, plan.loadAmount);
          samples.get(c.key)?.push(sample);
          log(
            `server ${protocol} ${c.key} run ${run + 1}: ${sample.rps.toFixed(0)} req/s, p99 ${sample.p99} ms, non-2xx ${sample.non2xx}`,
          );
        }
      }
      const method = {
        tool: TOOL,
        payload: `${operation}; ${plan.loadConnections} connections, no pipelining`,
        warmup: `${plan.loadWarmupMs} ms of load per contender`,
        run: `${plan.loadSeconds} s or ${plan.loadAmount} requests, whichever ends first`,
      };
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
      for (const c of contenders) {
        const s = samples.get(c.key) ?? [];
        const p99 = median(s.map((x) => x.p99));
        out.push(
          result({
            suite: "server",
            id: `${protocol}/${c.key}`,
            group,
            name: c.name,
            unit: "req/s",
            higherIsBetter: true,
            method,
            samples: s.map((x) => x.rps),
            extra: {
              status: answers.get(c.key) ?? "",
              "p99 ms": p99,
              "p50 ms": median(s.map((x) => x.p50)),
              "non-2xx": s.reduce((a, x) => a + x.non2xx, 0),
              errors: s.reduce((a, x) => a + x.errors, 0),
            },
            ...(c.key === "prism" && (answers.get(c.key) ?? "").match(/^[45]/)
              ? { note: `Prism refuses this request (${answers.get(c.key)}): its figure is for an error answer` }
              : {}),
            ...(c.key === "payspec"
              ? {
                  targets: [
                    { op: ">=" as const, value: 0.7, against: "raw node:http", reference: { id: `${protocol}/raw` } },
                    { op: ">=" as const, value: 10, against: "Prism", reference: { id: `${protocol}/prism` } },
                  ],
                }
              : {}),
          }),
        );
      }
    } catch (error) {
      failures.payspec = error instanceof Error ? error.message : String(error);
    } finally {
      for (const c of contenders) await c.stop().catch(() => undefined);
    }
    for (const [key, message] of Object.entries(failures)) {
      out.push(
        result({
          suite: "server",
          id: `${protocol}/${key}`,
          group,
          name: key === "prism" ? "Stoplight Prism 5 mock" : key,
          unit: "req/s",
          higherIsBetter: true,
          method: { tool: TOOL, payload: operation, warmup: "", run: "" },
          samples: [],
          error: message.split("\n")[0]?.slice(0, 300) ?? message,
        }),
      );
    }
  }
  return out;
}
