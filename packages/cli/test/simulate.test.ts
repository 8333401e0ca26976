import { describe, expect, it } from "vitest";
import { HIPAY_SIMULATOR_CREDENTIALS, run } from "../src/index.js";
import { controlledIo, payspec } from "./helpers.js";

interface Listed {
  protocol: string;
  url: string;
  credentials: Record<string, string>;
  endpoints: string;
  testValues: string[];
}

const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString("base64")}`;

describe("payspec simulate", () => {
  it("starts all five simulators, serves real requests with the printed credentials until stopped", async () => {
    const { io, out, stop, started } = controlledIo();
    const exit = run(["simulate", "--json"], io);
    await started;
    const listed = JSON.parse(out.join("\n")) as Listed[];
    expect(listed.map((simulator) => simulator.protocol)).toEqual([
      "wepay",
      "stripe-terminal",
      "payneteasy",
      "hipay-ecr",
      "nexo",
    ]);
    const url = (protocol: string) => listed.find((simulator) => simulator.protocol === protocol)?.url as string;
    const credential = (protocol: string, name: string) =>
      listed.find((simulator) => simulator.protocol === protocol)?.credentials[name] as string;

    // Stripe: the printed secret key lists readers; no key is a Stripe error object.
    const readers = await fetch(`${url("stripe-terminal")}/v1/terminal/readers`, {
      headers: { authorization: `Bearer ${credential("stripe-terminal", "secret key (Bearer)")}` },
    });
    expect(readers.status).toBe(200);
    expect(await readers.json()).toMatchObject({ object: "list", data: [] });
    const anonymous = await fetch(`${url("stripe-terminal")}/v1/terminal/readers`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { type: "invalid_request_error" } });

    // WePay: a session token for the printed App-Id/App-Token.
    const token = await fetch(`${url("wepay")}/session_tokens`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "app-id": credential("wepay", "App-Id"),
        "app-token": credential("wepay", "App-Token"),
        "api-version": "3.0",
      },
      body: JSON.stringify({
        type: "mobile_session",
        mobile_session: { account_id: "e5ea0b7b-0b4e-4f7e-9f3c-2a4f6f0f1a11" },
      }),
    });
    expect(token.status).toBeLessThan(300);
    expect(await token.json()).toMatchObject({ id: expect.any(String) });

    // HiPay: the connector's version endpoint behind Basic auth.
    const version = await fetch(`${url("hipay-ecr")}/version`, {
      headers: { authorization: basic(HIPAY_SIMULATOR_CREDENTIALS.login, HIPAY_SIMULATOR_CREDENTIALS.password) },
    });
    expect(version.status).toBe(200);
    expect((await fetch(`${url("hipay-ecr")}/version`)).status).toBe(401);

    // Payneteasy: an unsigned status request is refused the Payneteasy way (HTTP 200, a validation-error body).
    const unsigned = await fetch(`${url("payneteasy")}/paynet/api/v2/status/1234`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "login=TestMerchant&client_orderid=1&orderid=1",
    });
    expect(unsigned.status).toBe(200);
    expect(await unsigned.text()).toMatch(/^type=validation-error\n/);

    // nexo: a LoginRequest answered Success with the printed POIID.
    const login = await fetch(`${url("nexo")}/EPASSaleToPOI/3.1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        SaleToPOIRequest: {
          MessageHeader: {
            ProtocolVersion: "3.1",
            MessageClass: "Service",
            MessageCategory: "Login",
            MessageType: "Request",
            ServiceID: "1",
            SaleID: "POS-1",
            POIID: credential("nexo", "POIID"),
          },
          LoginRequest: {
            DateTime: new Date().toISOString(),
            SaleSoftware: { ProviderIdentification: "Payspec", ApplicationName: "test", SoftwareVersion: "1.0" },
            OperatorLanguage: "en",
          },
        },
      }),
    });
    expect(login.status).toBe(200);
    const loginBody = (await login.json()) as {
      SaleToPOIResponse: { LoginResponse: { Response: { Result: string } } };
    };
    expect(loginBody.SaleToPOIResponse.LoginResponse.Response.Result).toBe("Success");

    stop();
    expect(await exit).toBe(0);
    await expect(fetch(`${url("stripe-terminal")}/v1/terminal/readers`)).rejects.toThrow();
  });

  it("starts only the named protocols on consecutive ports from --port and prints the table", async () => {
    const { io, out } = controlledIo();
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    expect(await run(["simulate", "nexo", "wepay", "--port", String(base), "--exit"], io)).toBe(0);
    expect(out[0]).toBe(`nexo   http://127.0.0.1:${base}`);
    expect(out).toContain(`wepay  http://127.0.0.1:${base + 1}`);
    expect(out.some((line) => line.includes("credential  App-Token: "))).toBe(true);
    expect(out.some((line) => line.includes("test value  amounts ending .51 → Refusal"))).toBe(true);
  });

  it("refuses unknown protocols and bad ports as usage errors, with a suggestion", async () => {
    const result = await payspec(["simulate", "nexxo"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown protocol "nexxo" (did you mean nexo?)');
    const port = await payspec(["simulate", "--port", "70000", "--exit"]);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port must be a port number");
  });
});
