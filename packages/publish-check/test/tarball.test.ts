/**
 * The packages install and work outside the workspace: @payspec/nexo-client and
 * @payspec/stripe-terminal-client (with the workspace packages they need) are packed with
 * `pnpm pack`, installed with npm into a temporary project under os.tmpdir(), and an example
 * script there talks to the workspace's simulators over loopback.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, sep } from "node:path";
import { startNexoTerminalSimulator } from "@payspec/nexo-server";
import { startStripeTerminalSimulator } from "@payspec/stripe-terminal-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packPackage, runCommand } from "../src/pack.js";
import { findWorkspacePackages, workspaceClosure, workspaceRoot } from "../src/workspace.js";

/** Generous: 8 helpers share 2 cores, and npm fetches third-party dependencies from the registry. */
const PACK_TIMEOUT = 300_000;
const INSTALL_TIMEOUT = 900_000;
const EXAMPLE_TIMEOUT = 120_000;

const ROOTS = ["@payspec/nexo-client", "@payspec/nexo-validators", "@payspec/stripe-terminal-client"];

const NEXO_EXAMPLE = `// Login, then a payment, against the terminal at NEXO_URL.
import { NexoClient, NexoSession } from "@payspec/nexo-client";
import { validateNexoResponseMessage } from "@payspec/nexo-validators";

const terminal = new NexoClient({ baseUrl: process.env.NEXO_URL, timeoutMs: 60_000 });
const session = new NexoSession({ SaleID: "POS-1", POIID: process.env.NEXO_POIID });

const login = await terminal.terminalSend({
  body: session.request("LoginRequest", {
    DateTime: new Date().toISOString(),
    SaleSoftware: { ProviderIdentification: "Payspec", ApplicationName: "Tarball check", SoftwareVersion: "1.0" },
    SaleTerminalData: { TerminalEnvironment: "Attended", SaleCapabilities: ["CashierStatus", "CashierError"] },
    OperatorLanguage: "en",
  }),
});
const payment = await terminal.terminalSend({
  body: session.request("PaymentRequest", {
    SaleData: { SaleTransactionID: { TransactionID: "T-1", TimeStamp: new Date().toISOString() } },
    PaymentTransaction: { AmountsReq: { Currency: "SEK", RequestedAmount: 10.0 } },
  }),
});
console.log(JSON.stringify({
  resolved: import.meta.resolve("@payspec/nexo-client"),
  login: login?.SaleToPOIResponse.LoginResponse?.Response.Result,
  payment: payment?.SaleToPOIResponse.PaymentResponse?.Response.Result,
  transactionId: payment?.SaleToPOIResponse.PaymentResponse?.POIData.POITransactionID.TransactionID,
  valid: validateNexoResponseMessage(payment),
}));
`;

const STRIPE_EXAMPLE = `// A location and a simulated reader registered in it, against the API at STRIPE_URL.
import { randomUUID } from "node:crypto";
import { StripeTerminalClient, stripeAuth } from "@payspec/stripe-terminal-client";

const stripe = new StripeTerminalClient({
  baseUrl: process.env.STRIPE_URL,
  auth: stripeAuth({ secretKey: process.env.STRIPE_SECRET_KEY }),
});
const location = await stripe.locationsCreate({
  "Idempotency-Key": randomUUID(),
  body: { display_name: "Shop", address: { line1: "1 Main St", city: "Paris", postal_code: "75004", country: "FR" } },
});
const reader = await stripe.readersCreate({
  "Idempotency-Key": randomUUID(),
  body: { registration_code: "simulated-wpe", label: "Till 1", location: location.id },
});
const page = await stripe.readersList({ location: location.id, limit: 10 });
console.log(JSON.stringify({
  resolved: import.meta.resolve("@payspec/stripe-terminal-client"),
  location: location.id,
  reader: reader.id,
  deviceType: reader.device_type,
  listed: page.data.map((r) => r.id),
}));
`;

describe("packed tarballs install and run outside the workspace", () => {
  let project: string;
  const tarballs = new Map<string, string>();

  beforeAll(
    async () => {
      project = await realpath(await mkdtemp(join(tmpdir(), "payspec-tarballs-")));
      const root = await realpath(workspaceRoot());
      expect(project.startsWith(root + sep)).toBe(false);
      const packed = join(project, "tarballs");
      await mkdir(packed);
      const packages = await findWorkspacePackages();
      const needed = new Map(ROOTS.flatMap((name) => workspaceClosure(packages, name)).map((pkg) => [pkg.name, pkg]));
      for (const pkg of needed.values()) {
        expect(pkg.private, `${pkg.name} is published`).toBe(false);
        tarballs.set(pkg.name, await packPackage(pkg.dir, packed, PACK_TIMEOUT));
      }
      const dependencies = Object.fromEntries(
        [...tarballs].map(([name, file]) => [name, `file:./tarballs/${basename(file)}`]),
      );
      await writeFile(
        join(project, "package.json"),
        `${JSON.stringify({ name: "payspec-tarball-check", private: true, type: "module", dependencies }, null, 2)}\n`,
      );
      await writeFile(join(project, "nexo-example.mjs"), NEXO_EXAMPLE);
      await writeFile(join(project, "stripe-example.mjs"), STRIPE_EXAMPLE);
      await runCommand("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], {
        cwd: project,
        timeoutMs: INSTALL_TIMEOUT,
      });
    },
    PACK_TIMEOUT * 6 + INSTALL_TIMEOUT,
  );

  afterAll(async () => {
    if (project !== undefined) await rm(project, { recursive: true, force: true });
  });

  it("packs the clients with the workspace packages they depend on", () => {
    expect([...tarballs.keys()].sort()).toEqual(
      expect.arrayContaining([
        "@payspec/nexo-client",
        "@payspec/nexo-types",
        "@payspec/nexo-validators",
        "@payspec/runtime",
        "@payspec/stripe-terminal-client",
        "@payspec/stripe-terminal-types",
      ]),
    );
  });

  it(
    "@payspec/nexo-client from its tarball logs in and takes a payment on the nexo simulator",
    async () => {
      const poiId = "TARBALL-POI";
      const simulator = await startNexoTerminalSimulator({
        host: "127.0.0.1",
        port: 0,
        poiId,
        delays: { cardMs: 0, pinMs: 0, authorizeMs: 0 },
      });
      try {
        const { stdout } = await runCommand("node", ["nexo-example.mjs"], {
          cwd: project,
          timeoutMs: EXAMPLE_TIMEOUT,
          env: { ...process.env, NODE_OPTIONS: "", NEXO_URL: simulator.url, NEXO_POIID: poiId },
        });
        const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
        expect(String(result.resolved)).toContain(`${project}/node_modules/@payspec/nexo-client/`);
        expect(result.login).toBe("Success");
        expect(result.payment).toBe("Success");
        expect(result.transactionId).toMatch(/\S/);
        expect(result.valid).toBe(true);
      } finally {
        await simulator.close();
      }
    },
    EXAMPLE_TIMEOUT + 30_000,
  );

  it(
    "@payspec/stripe-terminal-client from its tarball registers a reader on the Stripe simulator",
    async () => {
      const simulator = await startStripeTerminalSimulator({ host: "127.0.0.1", port: 0 });
      try {
        const { stdout } = await runCommand("node", ["stripe-example.mjs"], {
          cwd: project,
          timeoutMs: EXAMPLE_TIMEOUT,
          env: {
            ...process.env,
            NODE_OPTIONS: "",
            STRIPE_URL: simulator.url,
            STRIPE_SECRET_KEY: simulator.credentials.secretKey,
          },
        });
        const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, unknown>;
        expect(String(result.resolved)).toContain(`${project}/node_modules/@payspec/stripe-terminal-client/`);
        expect(result.location).toMatch(/^tml_/);
        expect(result.reader).toMatch(/^tmr_/);
        expect(result.deviceType).toBe("bbpos_wisepos_e");
        expect(result.listed).toEqual([result.reader]);
      } finally {
        await simulator.close();
      }
    },
    EXAMPLE_TIMEOUT + 30_000,
  );
});
