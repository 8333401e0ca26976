// Every Payneteasy operation, client → loopback HTTP → server and back, with the spec's examples.
// The real credentials sit on both sides: the client signs Sale, Preauth and Close Day with
// payneteasyAuth and the server verifies the signature (and the status and callback `control`)
// with payneteasyAuthenticator, end to end. The examples' own `Authorization` values were signed
// in 2023 against the sandbox URL, so they are left out: the signer makes a fresh one per request.
import {
  examples,
  operations,
  payneteasyAuthenticator,
  payneteasyErrorEncoding,
  registerPayneteasy,
  rejectPayneteasy,
} from "@payspec/payneteasy-server";
import { describeRoundTrip } from "@payspec/specs/round-trip";
import fastify from "fastify";
import { PayneteasyClient, payneteasyAuth } from "../src/index.js";

/** The made-up credentials the spec's examples are signed with (specs/payneteasy/main.tsp). */
const login = "TestMerchant";
const merchantControlKey = "B17F59B4-A7DC-41B4-8FF9-37D5B41E9ED4";

/** The examples with the stale `Authorization` left out: the client's signer provides it. */
const freshlySigned = Object.fromEntries(
  Object.entries(examples).map(([id, list]) => [
    id,
    list.map((ex) => {
      const input: Record<string, unknown> = { ...ex.input };
      delete input.Authorization;
      return { ...ex, input };
    }),
  ]),
);

describeRoundTrip("payneteasy", {
  examples: freshlySigned,
  servers: [
    { name: "gateway and callback receiver", register: registerPayneteasy, operations: Object.values(operations) },
  ],
  fastify: () => fastify(),
  serverOptions: {
    reject: rejectPayneteasy,
    errorEncoding: payneteasyErrorEncoding,
    authenticate: payneteasyAuthenticator({
      merchants: { [login]: merchantControlKey },
      callbackControlKey: merchantControlKey,
    }),
  },
  createClient: (baseUrl) => new PayneteasyClient({ baseUrl, auth: payneteasyAuth({ login, merchantControlKey }) }),
});
