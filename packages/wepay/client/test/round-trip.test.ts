// Every WePay operation, client → loopback HTTP → server and back, with the spec's examples.
// The server checks App-Id/App-Token and the client sends them, so the auth pair is exercised on every call.
import { describeRoundTrip } from "@payspec/specs/round-trip";
import { examples, operations, registerWePay, rejectWePay, wepayAuthenticator } from "@payspec/wepay-server";
import fastify from "fastify";
import { WePayClient, wepayAuth } from "../src/index.js";

const credentials = { appId: "123456", appToken: "stage_app_token_secret" };

describeRoundTrip("wepay", {
  examples,
  servers: [{ name: "WePay API v3", register: registerWePay, operations: Object.values(operations) }],
  fastify: () => fastify(),
  serverOptions: { reject: rejectWePay, authenticate: wepayAuthenticator(credentials) },
  createClient: (baseUrl) => new WePayClient({ baseUrl, auth: wepayAuth(credentials) }),
});
