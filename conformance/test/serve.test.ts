// Serve mode: a client under test talks to the mock; the scenarios it exercised are recorded.
import { HiPayEcrClient } from "@payspec/hipay-ecr-client";
import { basicAuth } from "@payspec/runtime";
import { WePayClient } from "@payspec/wepay-client";
import { WEPAY_SIMULATOR_CREDENTIALS } from "@payspec/wepay-server";
import { describe, expect, it } from "vitest";
import { HIPAY_CONFORMANCE_CREDENTIALS, main, serveConformance } from "../src/index.js";

describe("serve mode", () => {
  it("records the WePay scenarios the generated WePayClient exercised, and only those", async () => {
    const mock = await serveConformance({ protocol: "wepay" });
    try {
      const client = new WePayClient({
        baseUrl: mock.url,
        headers: { "App-Id": WEPAY_SIMULATOR_CREDENTIALS.appId, "App-Token": WEPAY_SIMULATOR_CREDENTIALS.appToken },
      });
      await client.sessionTokensCreate({ body: { type: "mobile_session", mobile_session: { account_id: "acct-1" } } });
      await expect(client.paymentsGet({ id: "6f4f06d2-0000-0000-0000-000000000000" })).rejects.toMatchObject({
        status: 404,
      });
      const exercised = new Map(mock.exercised().map((e) => [e.id, e.exercised]));
      expect(exercised.get("wepay/session-token-create")).toBe(true);
      expect(exercised.get("wepay/not-found")).toBe(true);
      expect(exercised.get("wepay/payments-idempotency")).toBe(false);
      expect(exercised.get("wepay/terminals-lifecycle")).toBe(false);
      expect(mock.operations().sort()).toEqual(["paymentsGet", "sessionTokensCreate"]);
      expect(mock.exchanges.map((e) => e.status)).toEqual([200, 404]);
    } finally {
      await mock.close();
    }
  });

  it("records a HiPay client's payment and maintenance calls through the generated HiPayEcrClient", async () => {
    const mock = await serveConformance({ protocol: "hipay-ecr" });
    try {
      const client = new HiPayEcrClient({
        baseUrl: mock.url,
        headers: {
          authorization: basicAuth(HIPAY_CONFORMANCE_CREDENTIALS.login, HIPAY_CONFORMANCE_CREDENTIALS.password),
        },
      });
      const paid = await client.paymentPay({ body: { amount: 8.99, orderId: "Order-serve-1" } });
      expect(paid[0]?.status).toBe("Success");
      await client.maintenanceVersion({});
      const exercised = new Map(mock.exercised().map((e) => [e.id, e.exercised]));
      expect(exercised.get("hipay-ecr/pay-success")).toBe(true);
      expect(exercised.get("hipay-ecr/maintenance-version")).toBe(true);
      expect(exercised.get("hipay-ecr/pay-refused-amount")).toBe(false);
    } finally {
      await mock.close();
    }
  });

  it("the CLI's serve prints the URL, then on stop the exercised scenarios", async () => {
    const out: string[] = [];
    let stop!: () => void;
    let url = "";
    const stopped = new Promise<void>((r) => {
      stop = r;
    });
    const done = main(["serve", "--protocol", "hipay-ecr"], {
      out: (l) => {
        out.push(l);
        const m = /listening on (\S+)/.exec(l);
        if (m) {
          url = m[1]!;
          void fetch(`${url}/version`, {
            headers: {
              authorization: basicAuth(HIPAY_CONFORMANCE_CREDENTIALS.login, HIPAY_CONFORMANCE_CREDENTIALS.password),
            },
          }).then(() => stop());
        }
      },
      err: () => {},
      waitForStop: () => stopped,
    });
    expect(await done).toBe(0);
    expect(out.join("\n")).toMatch(/EXERCISED +hipay-ecr\/maintenance-version/);
    expect(out.join("\n")).toContain("operations called: maintenanceVersion");
  });
});
