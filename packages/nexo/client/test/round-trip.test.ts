// Every nexo example, client → loopback HTTP → server and back, for both roles (the terminal
// the POS calls, the POS listener the terminal calls) and both encodings: XML (Swedbank Pay PAX,
// the generated client's default) and JSON (Adyen Terminal API style).
import { examples, operations, registerNexoPosListener, registerNexoTerminal, rejectNexo } from "@payspec/nexo-server";
import { describeRoundTrip } from "@payspec/specs/round-trip";
import fastify from "fastify";
import { NexoClient, type PosListenerReceiveInput, type TerminalSendInput } from "../src/index.js";

// describeRoundTrip types an input as Record<string, unknown>, which the generated input
// interfaces are not (no index signature): a spread copy is (.notes/nexo.md, item 6).
const roundTripExamples = {
  terminalSend: examples.terminalSend.map((e) => ({ ...e, input: { ...e.input } })),
  posListenerReceive: examples.posListenerReceive.map((e) => ({ ...e, input: { ...e.input } })),
};

const servers = [
  { name: "terminal", register: registerNexoTerminal, operations: [operations.terminalSend] },
  { name: "POS listener", register: registerNexoPosListener, operations: [operations.posListenerReceive] },
];

describeRoundTrip("nexo XML", {
  examples: roundTripExamples,
  servers,
  fastify: () => fastify(),
  serverOptions: { reject: rejectNexo },
  createClient: (baseUrl) => new NexoClient({ baseUrl }),
});

/** The client asked for JSON on every call, as an Adyen-style integration would. */
function jsonClient(client: NexoClient) {
  const json = { "Content-Type": "application/json" } as const;
  return {
    terminalSend: (input: TerminalSendInput) => client.terminalSend({ ...input, ...json }),
    posListenerReceive: (input: PosListenerReceiveInput) => client.posListenerReceive({ ...input, ...json }),
  };
}

describeRoundTrip("nexo JSON", {
  examples: roundTripExamples,
  servers,
  fastify: () => fastify(),
  serverOptions: { reject: rejectNexo },
  createClient: (baseUrl) => jsonClient(new NexoClient({ baseUrl })),
});
