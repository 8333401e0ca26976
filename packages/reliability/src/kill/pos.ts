/**
 * The POS side of the SIGKILL campaign: a terminal per protocol built from a `PosConfig`, with the journal and the
 * HTTP transport handed in (the POS process wraps both to stop at the moments that matter).
 */

import { PayneteasyCallbackReceiver, SimulatedMposDevice, TEST_PAYER } from "@payspec/payneteasy-driver";
import { createFetchTransport, type Transport } from "@payspec/runtime";
import type { Journal, Terminal } from "@payspec/terminal";
import { hipayEcrTerminal } from "@payspec/terminal/hipay-ecr";
import { nexoTerminal } from "@payspec/terminal/nexo";
import { payneteasyTerminal } from "@payspec/terminal/payneteasy";
import { stripeTerminalTerminal } from "@payspec/terminal/stripe-terminal";
import { wepayTerminal } from "@payspec/terminal/wepay";
import { SimulatedCardReader, simulatedTransport } from "@payspec/wepay-driver";
import type { PosConfig } from "./config.js";

export interface PosTerminal {
  readonly terminal: Terminal;
  close(): Promise<void>;
}

/** Short recovery waits: the simulators answer in milliseconds. */
const recovery = { intervalMs: 20 };

/** Status polls wait one macrotask, not real seconds (the gateway simulator finalises by poll count). */
const tick = (_ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    setImmediate(resolve);
  });

export async function posTerminal(
  config: PosConfig,
  journal: Journal,
  wrap: (transport: Transport) => Transport,
): Promise<PosTerminal> {
  const transport = wrap(createFetchTransport({ timeoutMs: 30_000 }));
  switch (config.protocol) {
    case "wepay": {
      const terminal = wepayTerminal({
        baseUrl: config.baseUrl,
        credentials: config.credentials,
        accountId: config.accountId,
        httpTransport: transport,
        transports: [
          simulatedTransport("bluetooth", [
            new SimulatedCardReader({
              customer: () => [
                { type: "card-inserted", card: { entry: "dip", chip: true, maskedPan: "476173******0119" } },
              ],
            }),
          ]),
        ],
        journal,
        recovery,
      });
      return { terminal, close: () => terminal.close() };
    }
    case "stripe-terminal": {
      const terminal = stripeTerminalTerminal({
        baseUrl: config.baseUrl,
        secretKey: config.secretKey,
        transport,
        location: config.location,
        pollIntervalMs: 5,
        journal,
        recovery,
      });
      return { terminal, close: () => terminal.close() };
    }
    case "payneteasy": {
      const receiver = new PayneteasyCallbackReceiver({ merchantControlKey: config.credentials.merchantControlKey });
      await receiver.listen();
      const terminal = payneteasyTerminal({
        baseUrl: config.baseUrl,
        endpointId: config.endpointId,
        credentials: config.credentials,
        device: new SimulatedMposDevice({ pan: config.pan }),
        payer: TEST_PAYER,
        receiver,
        sleep: tick,
        transport,
        journal,
        recovery,
      });
      return {
        terminal,
        close: async () => {
          await terminal.close();
          await receiver.close();
        },
      };
    }
    case "hipay-ecr": {
      const terminal = hipayEcrTerminal({
        baseUrl: config.baseUrl,
        login: config.login,
        password: config.password,
        pollMs: 10,
        transport,
        journal,
        recovery,
      });
      return { terminal, close: () => terminal.close() };
    }
    case "nexo": {
      const terminal = nexoTerminal({
        terminalUrl: config.terminalUrl,
        poiId: config.poiId,
        saleId: config.saleId,
        listener: { port: config.listenerPort },
        transport,
        journal,
        recovery,
      });
      return { terminal, close: () => terminal.close() };
    }
  }
}
