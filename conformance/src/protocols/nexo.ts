import { createServer, type Server } from "node:http";
import { examples, operations, startNexoTerminalSimulator, xmlShapes } from "@payspec/nexo-server";
import * as validators from "@payspec/nexo-validators";
import { simulatorCapabilities } from "./common.js";
import type { ProtocolAdapter, SimulatorOptions, Target } from "./types.js";

/** Held long enough that only `nexo.hurry` finishes a payment: no scenario depends on timing. */
const HELD_MS = 60_000;

interface RunningNexo {
  state: { pendingServiceId: string | undefined; displays: readonly unknown[] };
  hurry(): void;
  settled(): Promise<void>;
}

async function startListener(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => {
      text += c;
    });
    req.on("end", () => {
      bodies.push(text);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const nexo: ProtocolAdapter = {
  name: "nexo",
  operations,
  validators,
  xmlShapes,
  examples: examples as unknown as ProtocolAdapter["examples"],
  async startSimulator(options: SimulatorOptions = {}): Promise<Target> {
    const listener = await startListener();
    const sim = await startNexoTerminalSimulator({
      host: "127.0.0.1",
      port: 0,
      poiId: "A-POIID",
      posListenerUrl: listener.url,
      posListenerContentType: "application/json",
      delays: { cardMs: HELD_MS, pinMs: HELD_MS, authorizeMs: HELD_MS, maintenanceMs: HELD_MS },
      ...options,
    });
    return {
      kind: "simulator",
      label: "nexo terminal simulator (Swedbank Pay PAX)",
      url: sim.url,
      capabilities: simulatorCapabilities,
      context: { sim, listener },
      close: async () => {
        sim.hurry();
        await sim.close();
        await listener.close();
      },
    };
  },
  sandbox(env) {
    if (!env.NEXO_TERMINAL_URL) return { skip: "NEXO_TERMINAL_URL not set" };
    return { ...nexo.urlTarget(env.NEXO_TERMINAL_URL, env), kind: "sandbox" };
  },
  urlTarget(url) {
    return { kind: "url", label: url, url, capabilities: new Set(["semantics"]), context: {}, close: async () => {} };
  },
  actions: {
    /**
     * Lets the payment in progress finish now (the simulator holds every step until then). On a real
     * terminal this is the customer presenting a card: the step waits for `pendingServiceId` to clear.
     */
    async "nexo.hurry"(_args, ctx) {
      const sim = ctx.target.context.sim as RunningNexo | undefined;
      if (!sim) return { body: { hurried: false } };
      const deadline = Date.now() + 10_000;
      while (sim.state.pendingServiceId === undefined && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      sim.hurry();
      return { body: { hurried: true } };
    },
    /** Waits until a payment is in progress on the terminal. */
    async "nexo.awaitInProgress"(_args, ctx) {
      const sim = ctx.target.context.sim as RunningNexo | undefined;
      if (!sim) return { skip: "needs the simulator's state to know a payment is in progress" };
      const deadline = Date.now() + 10_000;
      while (sim.state.pendingServiceId === undefined && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
      return { body: { pendingServiceId: sim.state.pendingServiceId } };
    },
    /** The DisplayRequests the terminal POSTed to the suite's POS listener (full integration). */
    async "nexo.displays"(_args, ctx) {
      const listener = ctx.target.context.listener as { bodies: string[] } | undefined;
      if (!listener) return { skip: "needs the suite's POS listener (full integration)" };
      const parsed = listener.bodies.map((b) => JSON.parse(b) as unknown);
      for (const p of parsed) ctx.validate("NexoRequestMessage", p);
      if (parsed.length > 0) ctx.coverOperation("posListenerReceive");
      return { body: { count: parsed.length, requests: parsed } };
    },
  },
  prism: {
    supported: false,
    reason: "nexo bodies are XML (Sale to POI); Prism cannot mock XML request/response bodies",
  },
};
