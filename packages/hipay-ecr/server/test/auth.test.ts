// hipayAuthenticator: the connector's local API accepts exactly the TERMINAL_MANAGER_LOGIN /
// TERMINAL_MANAGER_PWD pair of config.txt over HTTP Basic (RFC 7617), and nothing else.
import type { FastifyRequest } from "fastify";
import { describe, expect, it } from "vitest";
import { hipayAuthenticator, operations } from "../src/index.js";

const basic = (userPass: string) => `Basic ${Buffer.from(userPass, "utf8").toString("base64")}`;
const request = (authorization?: string) =>
  ({ headers: authorization === undefined ? {} : { authorization } }) as unknown as FastifyRequest;
const op = operations.maintenanceCheck;

describe("hipayAuthenticator", () => {
  const check = hipayAuthenticator({ login: "log", password: "pwd" });

  it("accepts the configured login and password", () => {
    expect(check(request(basic("log:pwd")), op, undefined)).toBeUndefined();
  });

  it("refuses a missing header with a message that asks for credentials", () => {
    expect(check(request(), op, undefined)).toEqual({
      kind: "unauthorized",
      message: "HTTP Basic credentials are required.",
    });
  });

  it.each([
    ["wrong password", basic("log:pwd2")],
    ["wrong login", basic("lo:pwd")],
    ["login in another case", basic("LOG:pwd")],
    ["empty password", basic("log:")],
    ["no colon", basic("logpwd")],
    ["not base64", "Basic ***"],
    ["Bearer", "Bearer abc"],
  ])("refuses %s with one message that does not say which part was wrong", (_name, header) => {
    expect(check(request(header), op, undefined)).toEqual({
      kind: "unauthorized",
      message: "The credentials were not accepted.",
    });
  });

  it("splits at the first colon: a password may contain ':' (RFC 7617 §2)", () => {
    const withColon = hipayAuthenticator({ login: "log", password: "p:w:d" });
    expect(withColon(request(basic("log:p:w:d")), op, undefined)).toBeUndefined();
    expect(withColon(request(basic("log:p:w")), op, undefined)).toBeDefined();
  });

  it("compares UTF-8 credentials", () => {
    const utf8 = hipayAuthenticator({ login: "caisse", password: "pässwörd" });
    expect(utf8(request(basic("caisse:pässwörd")), op, undefined)).toBeUndefined();
  });

  it("refuses a configuration that could never match, at start-up", () => {
    expect(() => hipayAuthenticator({ login: "", password: "pwd" })).toThrow(TypeError);
    expect(() => hipayAuthenticator({ login: "log", password: "" })).toThrow(TypeError);
    expect(() => hipayAuthenticator({ login: "lo:g", password: "pwd" })).toThrow(TypeError);
  });
});
