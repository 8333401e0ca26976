/**
 * Issue #9: no secret, token or full card number appears in logs. Every conformance scenario of the
 * five protocols runs against its simulator with full-body request logging; every log line is then
 * scanned for Luhn-valid digit runs and for every credential and token of the run. The same scan over
 * the raw (unredacted) traffic of the same run must find them: the scanner can fail.
 */
import http from "node:http";
import { HIPAY_CONFORMANCE_CREDENTIALS, PROTOCOLS, type ProtocolName, runConformance } from "@payspec/conformance";
import { PAYNETEASY_SIMULATOR_CREDENTIALS } from "@payspec/payneteasy-server";
import { luhnValid } from "@payspec/runtime";
import { SIMULATOR_SECRET_KEY } from "@payspec/stripe-terminal-server";
import { WEPAY_SIMULATOR_CREDENTIALS } from "@payspec/wepay-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** Credentials each simulator target accepts (logins and App-Id are identifiers, logged on purpose). */
const CREDENTIALS: Readonly<Record<ProtocolName, readonly string[]>> = {
  wepay: [WEPAY_SIMULATOR_CREDENTIALS.appToken],
  "stripe-terminal": [SIMULATOR_SECRET_KEY],
  payneteasy: [PAYNETEASY_SIMULATOR_CREDENTIALS.merchantControlKey],
  "hipay-ecr": [HIPAY_CONFORMANCE_CREDENTIALS.password],
  nexo: [],
};

/** Credentials in the form they cross the wire (HiPay's Basic header; Payneteasy's key only signs, never travels). */
const WIRE_CREDENTIALS: Readonly<Record<ProtocolName, readonly string[]>> = {
  wepay: [WEPAY_SIMULATOR_CREDENTIALS.appToken],
  "stripe-terminal": [SIMULATOR_SECRET_KEY],
  payneteasy: [],
  "hipay-ecr": [
    Buffer.from(`${HIPAY_CONFORMANCE_CREDENTIALS.login}:${HIPAY_CONFORMANCE_CREDENTIALS.password}`).toString("base64"),
  ],
  nexo: [],
};

/** Paths each protocol's log must show (the logger logged the real traffic). */
const PATHS: Readonly<Record<ProtocolName, readonly string[]>> = {
  wepay: ["/session_tokens", "/payments"],
  "stripe-terminal": ["/v1/terminal/connection_tokens", "/v1/terminal/readers"],
  payneteasy: ["/paynet/api/v2/status/", "/paynet/mapi/v1/sale/"],
  "hipay-ecr": ['"path":"/"', "/refund"],
  nexo: ["/EPASSaleToPOI/3.1"],
};

/** Fields whose values are tokens or secrets the simulators issue or accept, as they appear on the raw wire. */
const TOKEN_PATTERNS: readonly RegExp[] = [
  /"session_token"\s*:\s*"([^"]{6,})"/g,
  /"secret"\s*:\s*"([^"]{6,})"/g,
  /"encoded_payment_method"\s*:\s*"([^"]{6,})"/g,
  /(?:^|[&\n])control=([^&\s]{6,})/g,
  /oauth_signature="([^"]{6,})"/g,
  /"(?:password|token|client_secret)"\s*:\s*"([^"]{6,})"/gi,
];

const PAN_RUN = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;

/** Every Luhn-valid 13–19 digit run in `text` (grouped by spaces or dashes or not). */
function cardNumbers(text: string): string[] {
  return [...text.matchAll(PAN_RUN)].map((m) => m[0].replace(/\D/g, "")).filter(luhnValid);
}

/** The secrets of `secrets` that occur in `text`. */
function leaked(text: string, secrets: Iterable<string>): string[] {
  return [...secrets].filter((secret) => text.includes(secret));
}

interface Captured {
  /** every log line, as a sink writing JSON lines would */
  lines: string[];
  /** the unredacted traffic of the same run: request lines, headers and bodies, response bodies */
  raw: string[];
  scenarios: { passed: number; failed: number; skipped: number };
}

/** Taps every HTTP server of this process (the simulators) for the unredacted traffic. */
function tapRawTraffic(into: () => string[]): () => void {
  const emit = http.Server.prototype.emit;
  const push = http.IncomingMessage.prototype.push;
  const write = http.ServerResponse.prototype.write;
  const end = http.ServerResponse.prototype.end;
  const text = (chunk: unknown) =>
    typeof chunk === "string" ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : "";
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      into().push(`${request.method} ${request.url}\n${JSON.stringify(request.headers)}`);
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
  http.IncomingMessage.prototype.push = function (this: http.IncomingMessage, chunk: unknown, ...rest: unknown[]) {
    if (chunk !== null && chunk !== undefined) into().push(text(chunk));
    return (push as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  };
  http.ServerResponse.prototype.write = function (this: http.ServerResponse, chunk: unknown, ...rest: unknown[]) {
    into().push(text(chunk));
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof write;
  http.ServerResponse.prototype.end = function (this: http.ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== "function") into().push(text(chunk));
    return (end as (...a: unknown[]) => http.ServerResponse).call(this, chunk, ...rest);
  } as typeof end;
  return () => {
    http.Server.prototype.emit = emit;
    http.IncomingMessage.prototype.push = push;
    http.ServerResponse.prototype.write = write;
    http.ServerResponse.prototype.end = end;
  };
}

const captured = {} as Record<ProtocolName, Captured>;
let current: Captured | undefined;
let untap: (() => void) | undefined;

beforeAll(async () => {
  untap = tapRawTraffic(() => current?.raw ?? []);
  for (const protocol of PROTOCOLS) {
    const capture: Captured = { lines: [], raw: [], scenarios: { passed: 0, failed: 0, skipped: 0 } };
    current = capture;
    captured[protocol] = capture;
    const run = await runConformance({
      protocol,
      simulator: { log: (entry) => capture.lines.push(JSON.stringify(entry)), logBodies: true },
    });
    for (const result of run.results) {
      if (result.outcome === "passed") capture.scenarios.passed++;
      else if (result.outcome === "skipped") capture.scenarios.skipped++;
      else capture.scenarios.failed++;
    }
  }
  current = undefined;
  untap();
  untap = undefined;
});

afterAll(() => untap?.());

/** Credentials plus every token the simulators issued or accepted during the run, read off the raw wire. */
function secretsOf(protocol: ProtocolName): Set<string> {
  const secrets = new Set([...CREDENTIALS[protocol], ...WIRE_CREDENTIALS[protocol]]);
  const raw = captured[protocol].raw.join("\n");
  for (const pattern of TOKEN_PATTERNS) for (const match of raw.matchAll(pattern)) secrets.add(match[1]!);
  secrets.delete("[REDACTED]");
  return secrets;
}

describe.each(PROTOCOLS)("request logs of the %s simulator under the conformance suite", (protocol) => {
  it("are real: one line per request, the protocol's paths, scenarios that ran", () => {
    const { lines, scenarios } = captured[protocol];
    const text = lines.join("\n");
    expect(scenarios.passed).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const path of PATHS[protocol]) expect(text).toContain(path);
    const entries = lines.map((line) => JSON.parse(line) as { status: number; responseBody?: unknown });
    // refusals are logged too (Payneteasy and nexo answer errors with 200 and an error body)
    if (protocol !== "payneteasy" && protocol !== "nexo")
      expect(entries.some((entry) => entry.status >= 400)).toBe(true);
    expect(entries.some((entry) => entry.responseBody !== undefined)).toBe(true);
  });

  it("hold no full card number: no Luhn-valid 13–19 digit run, and the cards that crossed the wire show masked", () => {
    const logs = captured[protocol].lines.join("\n");
    const raw = captured[protocol].raw.join("\n");
    expect(cardNumbers(logs)).toEqual([]);
    for (const pan of new Set(cardNumbers(raw))) {
      // a card number on the wire shows in the log as first six, X's, last four
      expect(logs).toContain(`${pan.slice(0, 6)}${"X".repeat(pan.length - 10)}${pan.slice(-4)}`);
    }
  });

  it("hold none of the credentials and none of the tokens issued during the run", () => {
    const secrets = secretsOf(protocol);
    expect(leaked(captured[protocol].lines.join("\n"), secrets)).toEqual([]);
  });

  it("negative control: the same scan over the unredacted traffic finds secrets or card numbers", () => {
    const raw = captured[protocol].raw.join("\n");
    const secrets = secretsOf(protocol);
    const onWire = leaked(raw, secrets);
    for (const credential of WIRE_CREDENTIALS[protocol]) expect(onWire).toContain(credential);
    // nexo has no credential and its terminal only ever sends masked card numbers: nothing to find there
    if (protocol !== "nexo") expect(onWire.length + cardNumbers(raw).length).toBeGreaterThan(0);
  });
});

describe("the whole run", () => {
  it("carried card numbers and issued tokens (so the scans above had something to find)", () => {
    const raw = PROTOCOLS.map((protocol) => captured[protocol].raw.join("\n")).join("\n");
    const logs = PROTOCOLS.map((protocol) => captured[protocol].lines.join("\n")).join("\n");
    expect(cardNumbers(raw).length).toBeGreaterThan(0);
    expect(logs).toMatch(/\d{6}X{3,9}\d{4}/);
    const tokens = PROTOCOLS.flatMap((protocol) => [...secretsOf(protocol)]).filter(
      (secret) => !Object.values(CREDENTIALS).flat().includes(secret),
    );
    expect(tokens.length).toBeGreaterThan(5);
    // figures for the notes
    console.info(
      PROTOCOLS.map(
        (protocol) =>
          `${protocol}: ${captured[protocol].lines.length} log lines, ${secretsOf(protocol).size} secrets, ${new Set(cardNumbers(captured[protocol].raw.join("\n"))).size} card numbers on the wire, scenarios ${JSON.stringify(captured[protocol].scenarios)}`,
      ).join("\n"),
    );
  });
});

/** What a careless or hostile client sends: secrets and card numbers in every place a logger looks. */
const HOSTILE = {
  secrets: ["cs_live_HOSTILE1secret", "tok_HOSTILE2token", "HOSTILE3password", "HOSTILE4oauthsig", "HOSTILE5control"],
  pans: ["4111111111111111", "5555555555554444", "4242424242424242"],
};

const HOSTILE_BODIES = {
  json: JSON.stringify({
    note: "card 4111 1111 1111 1111",
    card_number: HOSTILE.pans[1],
    client_secret: HOSTILE.secrets[0],
    token: HOSTILE.secrets[1],
    amount: 4242424242424242,
  }),
  brokenJson: `{"token":"${HOSTILE.secrets[1]}", "password": "${HOSTILE.secrets[2]}", "pan": ${HOSTILE.pans[0]}`,
  form: `description=${HOSTILE.pans[0]}&metadata[password]=${HOSTILE.secrets[2]}&card_present[number]=${HOSTILE.pans[2]}&control=${HOSTILE.secrets[4]}`,
  xml: `<?xml version="1.0"?><SaleToPOIRequest><PAN>${HOSTILE.pans[1]}</PAN><Password>${HOSTILE.secrets[2]}</Password><Token Value="x" Secret="${HOSTILE.secrets[0]}"/></SaleToPOIRequest>`,
};

describe("request logs under hostile input (payspec simulate's simulators)", () => {
  it("redact secrets and card numbers put in queries, unknown fields, broken bodies, 404s, 413s and faults", async () => {
    const { startSimulators } = await import("@payspec/cli");
    const lines: { protocol: string; text: string }[] = [];
    const simulators = await startSimulators(PROTOCOLS, {
      log: (entry) => lines.push({ protocol: entry.protocol, text: JSON.stringify(entry) }),
      logBodies: true,
    });
    const posts: Record<ProtocolName, { path: string; type: string; body: string }> = {
      wepay: { path: "/payments", type: "application/json", body: HOSTILE_BODIES.json },
      "stripe-terminal": {
        path: "/v1/terminal/readers",
        type: "application/x-www-form-urlencoded",
        body: HOSTILE_BODIES.form,
      },
      payneteasy: {
        path: "/paynet/mapi/v1/sale/1234",
        type: "application/x-www-form-urlencoded",
        body: HOSTILE_BODIES.form,
      },
      "hipay-ecr": { path: "/", type: "application/json", body: HOSTILE_BODIES.json },
      nexo: { path: "/EPASSaleToPOI/3.1", type: "application/xml", body: HOSTILE_BODIES.xml },
    };
    try {
      for (const simulator of simulators) {
        const values = Object.values(simulator.credentials);
        const auth: Record<ProtocolName, Record<string, string>> = {
          wepay: { "app-id": values[0]!, "app-token": values[1]!, "api-version": "3.0" },
          "stripe-terminal": { authorization: `Bearer ${values[0]}` },
          payneteasy: {
            authorization: `OAuth oauth_consumer_key="${values[0]}", oauth_signature="${HOSTILE.secrets[3]}"`,
          },
          "hipay-ecr": { authorization: `Basic ${Buffer.from(`${values[0]}:${values[1]}`).toString("base64")}` },
          nexo: {},
        };
        const headers = auth[simulator.protocol];
        const post = posts[simulator.protocol];
        const send = (path: string, init: RequestInit) =>
          fetch(`${simulator.url}${path}`, init).then(
            (answer) => answer.arrayBuffer(),
            () => undefined,
          );
        await send(post.path, { method: "POST", headers: { ...headers, "content-type": post.type }, body: post.body });
        await send(
          `${post.path}?password=${HOSTILE.secrets[2]}&pan=${HOSTILE.pans[0]}&access_token=${HOSTILE.secrets[1]}`,
          {
            method: "POST",
            headers: { ...headers, "content-type": post.type, "payspec-fault": "busy" },
            body: post.body,
          },
        );
        await send(post.path, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: HOSTILE_BODIES.brokenJson,
        });
        await send(`/nowhere/${HOSTILE.pans[2]}?client_secret=${HOSTILE.secrets[0]}`, { headers });
        await send(post.path, {
          method: "POST",
          headers: { ...headers, "content-type": "text/plain" },
          body: `control=${HOSTILE.secrets[4]} ${HOSTILE.pans[1]}`,
        });
        await send(post.path, {
          method: "POST",
          headers: { ...headers, "content-type": post.type },
          body: `${post.body}${" ".repeat(1_100_000)}`,
        });
      }
    } finally {
      await Promise.allSettled(simulators.map((simulator) => simulator.close()));
    }
    // the secret-bearing credentials of `payspec simulate`, in clear and as they travel
    const credentials = simulators.flatMap((simulator) => {
      const values = Object.values(simulator.credentials);
      if (simulator.protocol === "wepay") return [values[1]!];
      if (simulator.protocol === "stripe-terminal") return [values[0]!];
      if (simulator.protocol === "payneteasy") return [values[1]!];
      if (simulator.protocol === "hipay-ecr")
        return [values[1]!, Buffer.from(`${values[0]}:${values[1]}`).toString("base64")];
      return [];
    });
    for (const protocol of PROTOCOLS) {
      const text = lines
        .filter((line) => line.protocol === protocol)
        .map((line) => line.text)
        .join("\n");
      expect(lines.filter((line) => line.protocol === protocol).length, protocol).toBeGreaterThanOrEqual(5);
      expect(cardNumbers(text), protocol).toEqual([]);
      expect(leaked(text, [...HOSTILE.secrets, ...credentials]), protocol).toEqual([]);
      expect(text, protocol).toMatch(/(411111|555555|424242)X{6}\d{4}/);
      expect(text, protocol).toContain("[REDACTED]");
    }
    // negative control: the same scan over what was sent finds them
    const sent = Object.values(HOSTILE_BODIES).join("\n");
    expect(cardNumbers(sent).length).toBeGreaterThan(0);
    expect(leaked(sent, HOSTILE.secrets).length).toBeGreaterThan(0);
  });
});
