import { describe, expect, it } from "vitest";
import {
  baseStringUri,
  createOAuth1Verifier,
  MemoryNonceStore,
  normalizeParameters,
  type OAuthParameter,
  parseOAuthHeader,
  percentEncode,
  signatureBaseString,
  signOAuth1,
} from "../src/index.js";

describe("RFC 5849 §3.6 percent encoding", () => {
  it.each([
    { given: "abcABC123-._~", want: "abcABC123-._~" },
    {
      given: "Hello Ladies + Gentlemen, a signed OAuth request!",
      want: "Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
    },
    { given: "*'()", want: "%2A%27%28%29" },
    { given: "é☃", want: "%C3%A9%E2%98%83" },
  ])("$given → $want", ({ given, want }) => {
    expect(percentEncode(given)).toBe(want);
  });
});

describe("RFC 5849 §3.4.1.2 base string URI", () => {
  it.each([
    { given: "HTTP://EXAMPLE.COM:80/r%20v/X?id=123", want: "http://example.com/r%20v/X" },
    { given: "https://www.example.net:8080/?q=1", want: "https://www.example.net:8080/" },
    {
      given: "https://sandbox.payneteasy.com:443/paynet/mapi/v1/sale/1234#x",
      want: "https://sandbox.payneteasy.com/paynet/mapi/v1/sale/1234",
    },
  ])("$given → $want", ({ given, want }) => {
    expect(baseStringUri(given)).toBe(want);
  });
});

describe("RFC 5849 §3.4.1.1 signature base string (the RFC's own example)", () => {
  // POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b, body c2&a3=2+q
  const url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b";
  const params: OAuthParameter[] = [
    ["oauth_consumer_key", "9djdj82h48djs9d2"],
    ["oauth_token", "kkk9d7dh3k39sjv7"],
    ["oauth_signature_method", "HMAC-SHA1"],
    ["oauth_timestamp", "137131201"],
    ["oauth_nonce", "7d8f3e4a"],
    ...new URLSearchParams("c2&a3=2+q").entries(),
  ];

  it("normalises parameters as §3.4.1.3.2 shows", () => {
    const query = [...new URL(url).searchParams.entries()];
    expect(normalizeParameters([...query, ...params])).toBe(
      "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a" +
        "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7",
    );
  });

  it("builds the base string of §3.4.1.1", () => {
    expect(signatureBaseString("post", url, params)).toBe(
      "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D" +
        "%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1" +
        "%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
    );
  });

  it("signs it with HMAC-SHA1 keyed consumerSecret&tokenSecret (checked with openssl dgst -hmac)", () => {
    const signed = signOAuth1({
      method: "POST",
      url,
      consumerKey: "9djdj82h48djs9d2",
      consumerSecret: "j49sk3j29djd",
      token: "kkk9d7dh3k39sjv7",
      tokenSecret: "dh893hdasih9",
      body: "c2&a3=2+q",
      nonce: "7d8f3e4a",
      timestamp: 137131201,
      includeVersion: false,
    });
    expect(signed.signature).toBe("r6/TJjbCOr97/+UU0NsvSne7s5g=");
  });
});

describe("Twitter's documented OAuth 1.0a signing example", () => {
  const twitter = {
    method: "POST",
    url: "https://api.twitter.com/1/statuses/update.json?include_entities=true",
    consumerKey: "xvz1evFS4wEEPTGEFPHBog",
    consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
    body: { status: "Hello Ladies + Gentlemen, a signed OAuth request!" },
    nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
    timestamp: 1318622958,
  };

  it("produces the known signature tnnArxj06cWHq44gCs1OSKk/jLY=", () => {
    const signed = signOAuth1(twitter);
    expect(signed.baseString).toBe(
      "POST&https%3A%2F%2Fapi.twitter.com%2F1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue" +
        "%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg" +
        "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958" +
        "%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0" +
        "%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521",
    );
    expect(signed.signature).toBe("tnnArxj06cWHq44gCs1OSKk/jLY=");
  });

  it("builds the documented Authorization header", () => {
    expect(signOAuth1(twitter).authorization).toBe(
      'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", ' +
        'oauth_signature="tnnArxj06cWHq44gCs1OSKk%2FjLY%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", ' +
        'oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"',
    );
  });

  it("the same request signed from a raw form body or from pairs gives the same signature", () => {
    const fromText = signOAuth1({ ...twitter, body: "status=Hello+Ladies+%2B+Gentlemen%2C+a+signed+OAuth+request%21" });
    const fromPairs = signOAuth1({ ...twitter, body: [["status", twitter.body.status]] });
    expect(fromText.signature).toBe("tnnArxj06cWHq44gCs1OSKk/jLY=");
    expect(fromPairs.signature).toBe("tnnArxj06cWHq44gCs1OSKk/jLY=");
  });
});

describe("RFC 5849 §3.5.1 Authorization header parsing", () => {
  it("parses the RFC's example header, decoding values", () => {
    const header =
      'OAuth realm="Example",\n oauth_consumer_key="9djdj82h48djs9d2",\n oauth_token="kkk9d7dh3k39sjv7",\n' +
      ' oauth_signature_method="HMAC-SHA1",\n oauth_timestamp="137131201",\n oauth_nonce="7d8f3e4a",\n' +
      ' oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"';
    expect({ ...parseOAuthHeader(header) }).toEqual({
      realm: "Example",
      oauth_consumer_key: "9djdj82h48djs9d2",
      oauth_token: "kkk9d7dh3k39sjv7",
      oauth_signature_method: "HMAC-SHA1",
      oauth_timestamp: "137131201",
      oauth_nonce: "7d8f3e4a",
      oauth_signature: "djosJKDKJSD8743243/jdk33klY=",
    });
  });

  it.each(["Bearer x", 'OAuth a="1" b="2"', 'OAuth a="1", a="2"', 'OAuth a="%zz"', "OAuth a=1", 'OAuth a="1",, b="2"'])(
    "%s is not a valid OAuth header",
    (header) => {
      expect(parseOAuthHeader(header)).toBeUndefined();
    },
  );
});

describe("OAuth 1.0 verifier (Payneteasy MAPI style, two-legged)", () => {
  const consumers: Record<string, string> = { "merchant-login": "merchant-secret" };
  const url = "https://gate.example.test/paynet/mapi/v1/sale/1234";
  const body = "client_orderid=Order_12345&amount=8.99&currency=EUR&order_desc=Kiosk+sale";
  const nowSeconds = 1_700_000_000;
  const sign = (overrides: Partial<Parameters<typeof signOAuth1>[0]> = {}) =>
    signOAuth1({
      method: "POST",
      url,
      consumerKey: "merchant-login",
      consumerSecret: "merchant-secret",
      body,
      nonce: "n-1",
      timestamp: nowSeconds,
      ...overrides,
    }).authorization;
  const verifier = () =>
    createOAuth1Verifier({
      consumerSecret: (key) => consumers[key],
      nonceStore: new MemoryNonceStore(),
      now: () => nowSeconds * 1000,
    });

  it("accepts a correctly signed request once, then reports the replayed nonce", async () => {
    const verify = verifier();
    const request = { method: "POST", url, authorization: sign(), body };
    expect(await verify(request)).toMatchObject({ ok: true, consumerKey: "merchant-login", token: undefined });
    expect(await verify(request)).toEqual({ ok: false, reason: "replayed_nonce" });
  });

  it.each([
    { name: "no header", authorization: undefined, want: "missing_credentials" },
    { name: "another scheme", authorization: "Basic bG9nOnB3ZA==", want: "malformed_header" },
    { name: "a missing nonce", authorization: sign().replace(/oauth_nonce="[^"]*", /, ""), want: "malformed_header" },
    {
      name: "another signature method",
      authorization: sign().replace("HMAC-SHA1", "PLAINTEXT"),
      want: "unsupported_signature_method",
    },
    {
      name: "another version",
      authorization: sign().replace('oauth_version="1.0"', 'oauth_version="2.0"'),
      want: "unsupported_version",
    },
    { name: "a timestamp 301 s old", authorization: sign({ timestamp: nowSeconds - 301 }), want: "stale_timestamp" },
    { name: "a timestamp 301 s ahead", authorization: sign({ timestamp: nowSeconds + 301 }), want: "stale_timestamp" },
    { name: "an unknown consumer", authorization: sign({ consumerKey: "someone-else" }), want: "unknown_consumer" },
    { name: "a token with no token store", authorization: sign({ token: "tok" }), want: "unknown_token" },
    { name: "a wrong secret", authorization: sign({ consumerSecret: "guess" }), want: "bad_signature" },
  ])("refuses $name: $want", async ({ authorization, want }) => {
    expect(await verifier()({ method: "POST", url, authorization, body })).toEqual({ ok: false, reason: want });
  });

  it.each([
    { name: "a changed amount", request: { method: "POST", url, body: body.replace("8.99", "0.01") } },
    { name: "another endpoint", request: { method: "POST", url: url.replace("1234", "9999"), body } },
    { name: "another method", request: { method: "PUT", url, body } },
    { name: "an added query parameter", request: { method: "POST", url: `${url}?x=1`, body } },
  ])("reports bad_signature for $name", async ({ request }) => {
    expect(await verifier()({ ...request, authorization: sign() })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("does not burn a nonce on a forged request", async () => {
    const verify = verifier();
    expect(await verify({ method: "POST", url, body, authorization: sign({ consumerSecret: "guess" }) })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(await verify({ method: "POST", url, body, authorization: sign() })).toMatchObject({ ok: true });
  });

  it("accepts three-legged requests when a token store is given", async () => {
    const verify = createOAuth1Verifier({
      consumerSecret: () => "cs",
      tokenSecret: (token) => (token === "tok" ? "ts" : undefined),
      now: () => nowSeconds * 1000,
    });
    const authorization = sign({ consumerSecret: "cs", token: "tok", tokenSecret: "ts" });
    expect(await verify({ method: "POST", url, body, authorization })).toMatchObject({ ok: true, token: "tok" });
  });
});

describe("MemoryNonceStore", () => {
  it("forgets a nonce after its TTL, and stays within maxEntries", () => {
    const store = new MemoryNonceStore({ maxEntries: 3 });
    expect(store.remember("a", 10, 100)).toBe(true);
    expect(store.remember("a", 10, 105)).toBe(false);
    expect(store.remember("a", 10, 111)).toBe(true);
    for (const key of ["b", "c", "d", "e"]) store.remember(key, 10, 112);
    expect(store.size).toBe(3);
  });
});
