import fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { basicAuth, bearerAuth, loggingTransport, type RequestLogEntry, redactWireBody } from "../src/index.js";
import { luhnValid } from "../src/redact.js";
import { attachRequestLog } from "../src/server/index.js";

const SECRETS = {
  wepayAppToken: "sim-app-token-9f3c",
  wepaySessionToken: "stage_0123456789abcdef0123456789abcdef",
  wepayEncoded: "epm-secret-abcdef-7788",
  stripeKey: "sk_test_payspecSimulator0000000000",
  stripeConnectionSecret: "pst_test_YWNjdF8xTm90QVJlYWxTZWNyZXQ",
  payneteasyControl: "3f786850e387550fdab836ed7e6dc881de23001b",
  payneteasyConsumerSecret: "B17E2CB2-0F3D-4A43-9B4F-5C12B3D2A1E7",
  payneteasySignature: "tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D",
  hipayPassword: "payspec-connector",
  nexoEncrypted: "MIIBaWJlYWxseXNlY3JldA",
  cvv: "737",
  stripeWebhookMac: "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
};
const PANS = ["4111111111111111", "4242424242424242", "5555555555554444"];

/** Every 13–19 digit run passing Luhn in `text`. */
function luhnRuns(text: string): string[] {
  return [...text.matchAll(/\d{13,19}/g)].map((m) => m[0]).filter(luhnValid);
}

function assertClean(entries: readonly RequestLogEntry[]): string {
  const text = JSON.stringify(entries);
  for (const secret of Object.values(SECRETS)) expect(text, secret).not.toContain(secret);
  expect(luhnRuns(text)).toEqual([]);
  return text;
}

const oauthHeader = `OAuth oauth_consumer_key="merchant-login", oauth_nonce="n1", oauth_signature="${SECRETS.payneteasySignature}", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1700000000", oauth_version="1.0"`;

describe("attachRequestLog", () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function serve(bodies: boolean) {
    const entries: RequestLogEntry[] = [];
    let clock = 1_700_000_000_000;
    const server = fastify();
    app = server;
    attachRequestLog(server, (entry) => entries.push(entry), {
      bodies,
      maxBodyChars: 4000,
      now: () => (clock += 5),
    });
    server.removeAllContentTypeParsers();
    server.addContentTypeParser("*", { parseAs: "string", bodyLimit: 10_000 }, (_r, body, done) => done(null, body));
    server.post("/session_tokens", async (_req, reply) =>
      reply.code(200).send({ id: "st-1", session_token: SECRETS.wepaySessionToken }),
    );
    server.post("/payments", async (_req, reply) =>
      reply
        .code(201)
        .send({ id: "p1", payment_method: { encoded_payment_method: SECRETS.wepayEncoded, card: { pan: PANS[0] } } }),
    );
    server.post("/v1/terminal/connection_tokens", async (_req, reply) =>
      reply.code(200).send({ object: "terminal.connection_token", secret: SECRETS.stripeConnectionSecret }),
    );
    server.post("/paynet/api/v2/status/7", async (_req, reply) =>
      reply
        .code(200)
        .header("content-type", "text/html; charset=utf-8")
        .send(
          `type=status-response\n&status=approved\n&card-number=${PANS[0]}\n&control=${SECRETS.payneteasyControl}\n`,
        ),
    );
    server.post("/EPASSaleToPOI/3.1", async (_req, reply) =>
      reply
        .code(200)
        .header("content-type", "application/xml")
        .send(
          `<SaleToPOIResponse><PaymentResponse><PAN>${PANS[2]}</PAN><EncryptedData>${SECRETS.nexoEncrypted}</EncryptedData></PaymentResponse></SaleToPOIResponse>`,
        ),
    );
    server.get("/reset", async (req) => {
      req.raw.socket.destroy();
    });
    const url = await server.listen({ host: "127.0.0.1", port: 0 });
    return { url, entries };
  }

  async function traffic(url: string) {
    await fetch(`${url}/session_tokens`, {
      method: "POST",
      headers: { "App-Id": "sim-app-id", "App-Token": SECRETS.wepayAppToken, "content-type": "application/json" },
      body: "{}",
    });
    await fetch(`${url}/payments?session_token=${SECRETS.wepaySessionToken}&card=${PANS[1]}`, {
      method: "POST",
      headers: { "App-Token": SECRETS.wepayAppToken, "content-type": "application/json" },
      body: JSON.stringify({ amount: 1000, payment_method: { encoded_payment_method: SECRETS.wepayEncoded } }),
    });
    await fetch(`${url}/v1/terminal/connection_tokens`, {
      method: "POST",
      headers: { authorization: bearerAuth(SECRETS.stripeKey), "content-type": "application/x-www-form-urlencoded" },
      body: `location=tml_1&card_present[number]=${PANS[1]}&card_present[cvc]=${SECRETS.cvv}`,
    });
    await fetch(`${url}/paynet/api/v2/status/7`, {
      method: "POST",
      headers: { authorization: oauthHeader, "content-type": "application/x-www-form-urlencoded" },
      body: `login=merchant-login&client_orderid=c1&orderid=9&control=${SECRETS.payneteasyControl}&credit_card_number=${PANS[0]}&cvv2=${SECRETS.cvv}`,
    });
    await fetch(`${url}/EPASSaleToPOI/3.1`, {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: `<SaleToPOIRequest><Login Password="${SECRETS.hipayPassword}"/><PAN>${PANS[2]}</PAN><EncryptedData>${SECRETS.nexoEncrypted}</EncryptedData></SaleToPOIRequest>`,
    });
    // 404, with HiPay Basic credentials
    await fetch(`${url}/nowhere?password=${SECRETS.hipayPassword}`, {
      headers: { authorization: basicAuth("payspec", SECRETS.hipayPassword) },
    });
    // 413
    await fetch(`${url}/payments`, {
      method: "POST",
      headers: { "content-type": "application/json", "App-Token": SECRETS.wepayAppToken },
      body: JSON.stringify({ pad: "x".repeat(20_000), pan: PANS[0] }),
    }).catch(() => undefined); // the server may answer 413 before the body is sent
    // a reset: no answer at all
    await fetch(`${url}/reset`, { headers: { "App-Token": SECRETS.wepayAppToken } }).catch(() => undefined);
  }

  it("logs one entry per request, 404s, 413s and resets included, with no secret or full card number", async () => {
    const { url, entries } = await serve(true);
    await traffic(url);
    await expect.poll(() => entries.length, { timeout: 10_000 }).toBe(8);
    const text = assertClean(entries);
    const byPath = (prefix: string) => entries.find((e) => e.path.startsWith(prefix))!;
    expect(entries.map((e) => e.status).sort((a, b) => a - b)).toEqual([0, 200, 200, 200, 200, 201, 404, 413]);
    expect(byPath("/session_tokens").requestHeaders["app-token"]).toBe("[REDACTED]");
    expect(byPath("/session_tokens").requestHeaders["app-id"]).toBe("sim-app-id");
    expect(byPath("/session_tokens").responseBody).toEqual({ id: "st-1", session_token: "[REDACTED]" });
    expect(byPath("/payments?").path).toBe("/payments?session_token=%5BREDACTED%5D&card=424242XXXXXX4242");
    expect(byPath("/payments?").requestBody).toEqual({
      amount: 1000,
      payment_method: { encoded_payment_method: "[REDACTED]" },
    });
    expect(byPath("/v1/terminal").requestHeaders.authorization).toBe("Bearer [REDACTED]");
    expect(byPath("/v1/terminal").requestBody).toEqual({
      location: "tml_1",
      card_present: { number: "424242XXXXXX4242", cvc: "[REDACTED]" },
    });
    expect(byPath("/v1/terminal").responseBody).toEqual({ object: "terminal.connection_token", secret: "[REDACTED]" });
    const paynet = byPath("/paynet");
    expect(paynet.requestHeaders.authorization).toBe("OAuth [REDACTED]");
    expect(paynet.requestBody).toMatchObject({ control: "[REDACTED]", cvv2: "[REDACTED]", login: "merchant-login" });
    expect(paynet.responseBody).toMatchObject({ "card-number": "411111XXXXXX1111", control: "[REDACTED]" });
    const nexo = byPath("/EPASSaleToPOI");
    expect(nexo.requestBody).toContain("<PAN>555555XXXXXX4444</PAN>");
    expect(nexo.requestBody).toContain('Password="[REDACTED]"');
    expect(nexo.responseBody).toContain("<EncryptedData>[REDACTED]</EncryptedData>");
    const missing = byPath("/nowhere");
    expect(missing.path).toBe("/nowhere?password=%5BREDACTED%5D");
    expect(missing.requestHeaders.authorization).toBe("Basic [REDACTED]");
    expect(byPath("/reset").status).toBe(0);
    expect(entries[0]!.ms).toBeGreaterThanOrEqual(0);
    expect(entries[0]!.time).toMatch(/^2023-11-14T/);
    expect(text).toContain("411111XXXXXX1111");
  });

  it("leaves bodies out unless asked", async () => {
    const { url, entries } = await serve(false);
    await traffic(url);
    await expect.poll(() => entries.length, { timeout: 10_000 }).toBe(8);
    assertClean(entries);
    expect(entries.every((e) => !("requestBody" in e) && !("responseBody" in e))).toBe(true);
  });
});

describe("redactWireBody", () => {
  it("cuts huge bodies and masks what the cut leaves", () => {
    const body = redactWireBody(`${"a ".repeat(10_000)}${PANS[0]}`, "text/plain", 100) as string;
    expect(body.length).toBeLessThan(200);
    expect(body).toContain("[truncated");
    const cut = redactWireBody(JSON.stringify({ n: `${"1".repeat(40)}` }), "application/json", 10);
    expect(luhnRuns(String(cut))).toEqual([]);
  });

  it("masks a card number sent as a JSON number", () => {
    expect(redactWireBody(JSON.stringify({ n: Number(PANS[0]), t: 1700000000001 }), "application/json")).toEqual({
      n: "411111XXXXXX1111",
      t: 1700000000001,
    });
  });

  it("redacts key=value and quoted pairs in text it cannot decode", () => {
    const text = redactWireBody(
      `oops control=${SECRETS.payneteasyControl} "password": "${SECRETS.hipayPassword}" ${PANS[0]}`,
      "text/plain",
    );
    expect(text).toBe(`oops control=[REDACTED] "password": "[REDACTED]" 411111XXXXXX1111`);
  });
});

describe("loggingTransport", () => {
  it("logs requests and answers with the same redaction, and failures with status 0", async () => {
    const entries: RequestLogEntry[] = [];
    let fail = false;
    const transport = loggingTransport(
      async () => {
        if (fail) throw new Error("connection refused");
        return {
          status: 200,
          headers: { "content-type": "application/json" },
          body: new TextEncoder().encode(JSON.stringify({ secret: SECRETS.stripeConnectionSecret, card: PANS[1] })),
        };
      },
      (entry) => entries.push(entry),
      { bodies: true },
    );
    const response = await transport({
      method: "POST",
      url: `https://user:pw@api.example.test/v1/terminal/connection_tokens?token=${SECRETS.wepaySessionToken}`,
      headers: {
        Authorization: bearerAuth(SECRETS.stripeKey),
        "Content-Type": "application/x-www-form-urlencoded",
        "Stripe-Signature": `t=1700000000,v1=${SECRETS.stripeWebhookMac}`,
      },
      body: `card_present[number]=${PANS[0]}&cvc=${SECRETS.cvv}`,
    });
    // the caller still gets the real answer
    expect(JSON.parse(new TextDecoder().decode(response.body as Uint8Array)).secret).toBe(
      SECRETS.stripeConnectionSecret,
    );
    fail = true;
    await expect(
      transport({ method: "GET", url: "https://api.example.test/x", headers: { "App-Token": SECRETS.wepayAppToken } }),
    ).rejects.toThrow("connection refused");
    assertClean(entries);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      method: "POST",
      path: "/v1/terminal/connection_tokens?token=%5BREDACTED%5D",
      status: 200,
      requestHeaders: { Authorization: "Bearer [REDACTED]", "Stripe-Signature": "[REDACTED]" },
      requestBody: { card_present: { number: "411111XXXXXX1111" }, cvc: "[REDACTED]" },
      responseBody: { secret: "[REDACTED]", card: "424242XXXXXX4242" },
    });
    expect(JSON.stringify(entries[0])).not.toContain("user:pw");
    expect(redactWireBody("", "text/plain")).toBeUndefined();
    expect(entries[1]).toMatchObject({ status: 0, requestHeaders: { "App-Token": "[REDACTED]" } });
  });
});
