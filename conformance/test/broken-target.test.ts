// The suite can fail: targets that break the spec or a rule make the relevant scenarios fail.
import fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runConformance } from "../src/index.js";

let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  app = fastify();
  // wrong status: GET /version answers 201
  app.get("/version", async (_req, reply) => reply.code(201).send([{ version: "1.0.0", type: "tpa", os: "linux_64" }]));
  // invalid body: GET /tlc answers an object that is not a TelecollectionResponse
  app.get("/tlc", async () => ({ nope: true }));
  // accepts anything without credentials
  app.get("/check", async () => [{ cr: "0", card: "0", call: "0", periph: "0" }]);
  await app.listen({ host: "127.0.0.1", port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(() => app.close());

describe("a deliberately broken HiPay connector", () => {
  it("a wrong status fails the scenario that expects 200, and the run reports the failure", async () => {
    const run = await runConformance({ protocol: "hipay-ecr", target: url, filter: "maintenance-version" });
    expect(run.results[0]?.outcome).toBe("failed");
    expect(run.results[0]?.reason).toMatch(/status 201, expected 200/);
  });

  it("an invalid body fails schema validation", async () => {
    const run = await runConformance({ protocol: "hipay-ecr", target: url, filter: "maintenance-tlc" });
    expect(run.results[0]?.outcome).toBe("failed");
    expect(run.results[0]?.failures.join(" ")).toMatch(/not a valid TelecollectionResponse/);
  });

  it("a server that does not ask for credentials fails the auth scenario", async () => {
    const run = await runConformance({ protocol: "hipay-ecr", target: url, filter: "auth-required" });
    expect(run.results[0]?.outcome).toBe("failed");
  });

  it("scenarios needing the simulator are skipped against a URL, with the reason", async () => {
    const run = await runConformance({ protocol: "hipay-ecr", target: url, filter: "pay-cancel" });
    expect(run.results[0]?.outcome).toBe("skipped");
    expect(run.results[0]?.reason).toMatch(/simulator/);
  });
});

describe("a plain URL target", () => {
  it("skips scenarios built on the simulators' test values, saying so", async () => {
    const run = await runConformance({ protocol: "wepay", target: url, filter: "payments-decline-amount" });
    expect(run.results[0]?.outcome).toBe("skipped");
    expect(run.results[0]?.reason).toMatch(/test values/);
  });
});

describe("a simulator with a rule switched off", () => {
  it("a WePay server that charges twice for the same Unique-Key fails the idempotency scenario", async () => {
    const { createWePaySimulator, registerWePay, rejectWePay, wepayAuthenticator, WEPAY_SIMULATOR_CREDENTIALS } =
      await import("@payspec/wepay-server");
    const sim = createWePaySimulator({});
    const handlers = sim.handlers as unknown as Record<
      string,
      (input: Record<string, unknown>, ctx: unknown) => unknown
    >;
    const original = handlers.paymentsCreate!;
    // the rule switched off: every request gets a fresh key
    let n = 0;
    handlers.paymentsCreate = (input, ctx) =>
      original({ ...input, "Unique-Key": `${String(input["Unique-Key"])}-${n++}` }, ctx);
    const broken = fastify();
    await registerWePay(broken, handlers as never, {
      reject: rejectWePay,
      authenticate: wepayAuthenticator(WEPAY_SIMULATOR_CREDENTIALS),
    });
    await broken.listen({ host: "127.0.0.1", port: 0 });
    try {
      const target = `http://127.0.0.1:${(broken.server.address() as { port: number }).port}`;
      const run = await runConformance({
        protocol: "wepay",
        target,
        filter: "payments-idempotency",
        capabilities: ["test-values"],
      });
      expect(run.results[0]?.outcome).toBe("failed");
      expect(run.results[0]?.reason).toMatch(/step 3/);
    } finally {
      await broken.close();
    }
  });
});
