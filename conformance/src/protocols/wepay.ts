import type { Authenticator } from "@payspec/runtime";
import { examples, operations, startWePaySimulator, WEPAY_SIMULATOR_CREDENTIALS } from "@payspec/wepay-server";
import * as validators from "@payspec/wepay-validators";
import { manualClock, simulatorCapabilities } from "./common.js";
import type { ProtocolAdapter, SimulatorOptions, Target } from "./types.js";

function appAuth(appId: string, appToken: string): Authenticator {
  return (request) => {
    request.headers["App-Id"] = appId;
    request.headers["App-Token"] = appToken;
  };
}

export const wepay: ProtocolAdapter = {
  name: "wepay",
  operations,
  validators,
  examples: examples as unknown as ProtocolAdapter["examples"],
  async startSimulator(options: SimulatorOptions = {}): Promise<Target> {
    const clock = manualClock();
    const sim = await startWePaySimulator({ host: "127.0.0.1", port: 0, now: clock.now, ...options });
    return {
      kind: "simulator",
      label: "WePay simulator",
      url: sim.url,
      capabilities: simulatorCapabilities,
      auth: appAuth(sim.credentials.appId, sim.credentials.appToken),
      clock,
      context: { sim },
      close: () => sim.close(),
    };
  },
  sandbox(env) {
    if (!env.WEPAY_APP_ID || !env.WEPAY_APP_TOKEN) return { skip: "WEPAY_APP_ID / WEPAY_APP_TOKEN not set" };
    return wepay.urlTarget(env.WEPAY_API_URL ?? "https://stage-api.wepay.com", env);
  },
  urlTarget(url, env) {
    return {
      kind: url.includes("wepay.com") ? "sandbox" : "url",
      label: url,
      url,
      capabilities: new Set(["semantics"]),
      auth: appAuth(
        env.WEPAY_APP_ID ?? WEPAY_SIMULATOR_CREDENTIALS.appId,
        env.WEPAY_APP_TOKEN ?? WEPAY_SIMULATOR_CREDENTIALS.appToken,
      ),
      context: {},
      close: async () => {},
    };
  },
  actions: {
    /** what the Card Present SDK does with a session token: starts a reader session */
    async "wepay.useSessionToken"(args, ctx) {
      const sim = ctx.target.context.sim as { state: { useSessionToken(t: string): unknown } } | undefined;
      if (!sim) return { skip: "needs the simulator's state (a reader session is an SDK call, not HTTP)" };
      return { body: sim.state.useSessionToken(String(args.token)) };
    },
  },
  prism: { supported: true },
};
