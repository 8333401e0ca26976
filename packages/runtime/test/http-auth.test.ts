import { describe, expect, it } from "vitest";
import {
  AuthError,
  basicAuth,
  bearerAuth,
  checkBasicAuth,
  parseBasicAuth,
  parseBearerAuth,
  wepayHeaders,
} from "../src/index.js";

describe("Bearer (RFC 6750)", () => {
  it("builds and parses a Stripe secret key header", () => {
    expect(bearerAuth("sk_test_4eC39HqLyjWDarjtT1zdp7dc")).toBe("Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc");
    expect(parseBearerAuth("Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc")).toBe("sk_test_4eC39HqLyjWDarjtT1zdp7dc");
  });

  it.each([undefined, "", "Basic dXNlcjpwdw==", "Bearer", "Bearer a b", "Bearer a\r\nX: y"])(
    "parse(%j) is undefined",
    (given) => {
      expect(parseBearerAuth(given)).toBeUndefined();
    },
  );

  it("refuses a token that would inject a header", () => {
    expect(() => bearerAuth("sk_test\r\nX-Evil: 1")).toThrow(AuthError);
  });
});

describe("Basic (RFC 7617)", () => {
  it.each([
    // RFC 7617 §2 example.
    { user: "Aladdin", password: "open sesame", want: "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==" },
    // HiPay ECR connector config.txt example credentials (seed 003).
    { user: "log", password: "pwd", want: "Basic bG9nOnB3ZA==" },
    // Stripe: the secret key as user, empty password.
    { user: "sk_test_123", password: "", want: "Basic c2tfdGVzdF8xMjM6" },
    // RFC 7617 §2.1 charset UTF-8 example.
    { user: "test", password: "123£", want: "Basic dGVzdDoxMjPCow==" },
  ])("$user:$password → $want, and back", ({ user, password, want }) => {
    expect(basicAuth(user, password)).toBe(want);
    expect(parseBasicAuth(want)).toEqual({ username: user, password });
  });

  it("keeps colons in the password", () => {
    expect(parseBasicAuth(basicAuth("u", "a:b:c"))).toEqual({ username: "u", password: "a:b:c" });
  });

  it.each([undefined, "Bearer x", "Basic", "Basic !!!", "Basic dXNlcg==", "Basic /w=="])(
    "parse(%j) is undefined",
    (given) => {
      expect(parseBasicAuth(given)).toBeUndefined();
    },
  );

  it("refuses a username with ':'", () => {
    expect(() => basicAuth("a:b", "c")).toThrow(AuthError);
  });

  it("checkBasicAuth accepts exactly the expected credentials", () => {
    const expected = { username: "log", password: "pwd" };
    expect(checkBasicAuth("Basic bG9nOnB3ZA==", expected)).toBe(true);
    expect(checkBasicAuth(basicAuth("log", "pwd2"), expected)).toBe(false);
    expect(checkBasicAuth(basicAuth("lo", "pwd"), expected)).toBe(false);
    expect(checkBasicAuth(undefined, expected)).toBe(false);
    expect(checkBasicAuth(undefined, { username: "", password: "" })).toBe(false);
  });
});

describe("WePay API v3 headers", () => {
  it("sets App-Id, App-Token and Api-Version 3.0, plus the optional ones", () => {
    expect(wepayHeaders({ appId: "12345", appToken: "app_token_xyz" })).toEqual({
      "App-Id": "12345",
      "App-Token": "app_token_xyz",
      "Api-Version": "3.0",
    });
    expect(
      wepayHeaders({
        appId: "1",
        appToken: "t",
        uniqueKey: "pay-Order_12345",
        riskToken: "r",
        clientIp: "203.0.113.7",
      }),
    ).toEqual({
      "App-Id": "1",
      "App-Token": "t",
      "Api-Version": "3.0",
      "Unique-Key": "pay-Order_12345",
      "WePay-Risk-Token": "r",
      "Client-IP": "203.0.113.7",
    });
  });

  it("refuses values that would split the header", () => {
    expect(() => wepayHeaders({ appId: "1", appToken: "t\r\nX: y" })).toThrow(AuthError);
    expect(() => wepayHeaders({ appId: "", appToken: "t" })).toThrow(AuthError);
  });
});
