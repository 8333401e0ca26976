// Every HiPay ECR operation, client → loopback HTTP → server and back, with the spec's examples.
import { examples, operations, registerHiPayEcr, rejectHiPay } from "@payspec/hipay-ecr-server";
import { describeRoundTrip } from "@payspec/specs/round-trip";
import fastify from "fastify";
import { HiPayEcrClient } from "../src/index.js";

describeRoundTrip("hipay-ecr", {
  examples,
  servers: [{ name: "connector", register: registerHiPayEcr, operations: Object.values(operations) }],
  fastify: () => fastify(),
  serverOptions: { reject: rejectHiPay },
  createClient: (baseUrl) => new HiPayEcrClient({ baseUrl }),
});
