import { describe, expect, it } from "vitest";
import { run } from "../src/index.js";
import { startSimulators } from "../src/simulators.js";
import { controlledIo } from "./helpers.js";

describe("payspec simulate --log", () => {
  it("prints one redacted JSON line per request to stderr, credentials and tokens never in clear", async () => {
    const { io, out, err, stop, started } = controlledIo();
    const exit = run(["simulate", "wepay", "stripe-terminal", "--json", "--log-bodies"], io);
    await started;
    const listed = JSON.parse(out.join("\n")) as {
      protocol: string;
      url: string;
      credentials: Record<string, string>;
    }[];
    const [wepay, stripe] = listed as [(typeof listed)[0], (typeof listed)[0]];
    const appToken = wepay.credentials["App-Token"]!;
    const secretKey = stripe.credentials["secret key (Bearer)"]!;

    const token = await fetch(`${wepay.url}/session_tokens`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "app-id": wepay.credentials["App-Id"]!,
        "app-token": appToken,
        "api-version": "3.0",
      },
      body: JSON.stringify({
        type: "mobile_session",
        mobile_session: { account_id: "e5ea0b7b-0b4e-4f7e-9f3c-2a4f6f0f1a11" },
      }),
    });
    const sessionToken = ((await token.json()) as { session_token: string }).session_token;
    expect(sessionToken).toMatch(/^stage_/);
    const connection = await fetch(`${stripe.url}/v1/terminal/connection_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${secretKey}`, "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    const secret = ((await connection.json()) as { secret: string }).secret;
    expect(secret.length).toBeGreaterThan(8);
    const missing = await fetch(`${stripe.url}/v1/nowhere`, { headers: { authorization: `Bearer ${secretKey}` } });
    expect(missing.status).toBe(404);
    stop();
    expect(await exit).toBe(0);

    const lines = err.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      protocol: "wepay",
      method: "POST",
      path: "/session_tokens",
      status: 200,
      requestHeaders: { "app-token": "[REDACTED]" },
      responseBody: { session_token: "[REDACTED]" },
    });
    expect(lines[1]).toMatchObject({
      protocol: "stripe-terminal",
      path: "/v1/terminal/connection_tokens",
      requestHeaders: { authorization: "Bearer [REDACTED]" },
      responseBody: { secret: "[REDACTED]" },
    });
    expect(lines[2]).toMatchObject({ protocol: "stripe-terminal", path: "/v1/nowhere", status: 404 });
    const all = err.join("\n");
    for (const value of [appToken, secretKey, sessionToken, secret]) expect(all).not.toContain(value);
  });

  it("prints no lines without --log, and no bodies with --log alone", async () => {
    for (const flags of [[], ["--log"]]) {
      const { io, err, stop, started, out } = controlledIo();
      const exit = run(["simulate", "stripe-terminal", "--json", ...flags], io);
      await started;
      const [stripe] = JSON.parse(out.join("\n")) as { url: string; credentials: Record<string, string> }[];
      await fetch(`${stripe!.url}/v1/terminal/readers`, {
        headers: { authorization: `Bearer ${stripe!.credentials["secret key (Bearer)"]}` },
      });
      stop();
      expect(await exit).toBe(0);
      if (flags.length === 0) expect(err).toEqual([]);
      else {
        expect(err).toHaveLength(1);
        const entry = JSON.parse(err[0]!) as Record<string, unknown>;
        expect(entry).toMatchObject({ path: "/v1/terminal/readers", status: 200 });
        expect(entry).not.toHaveProperty("responseBody");
        expect(JSON.stringify(entry)).toContain("Bearer [REDACTED]");
      }
    }
  });

  it("startSimulators hands a sink entries tagged with their protocol", async () => {
    const entries: { protocol: string; path: string; requestHeaders: Record<string, unknown> }[] = [];
    const [hipay] = await startSimulators(["hipay-ecr"], { log: (entry) => entries.push(entry) });
    try {
      const answer = await fetch(`${hipay!.url}/version`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${hipay!.credentials["Basic login"]}:${hipay!.credentials["Basic password"]}`).toString("base64")}`,
        },
      });
      expect(answer.status).toBeLessThan(500);
    } finally {
      await hipay!.close();
    }
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ protocol: "hipay-ecr", path: "/version" });
    expect(entries[0]!.requestHeaders.authorization).toBe("Basic [REDACTED]");
  });
});
