/**
 * The vendor side of the SIGKILL campaign: each protocol's simulator in the campaign's own process (it outlives every
 * POS process it kills), the config a POS needs to reach it, and the vendor's ledger of approved charges, each under
 * the key that ties it to the POS's request.
 */

import { startConnectorSimulator } from "@payspec/hipay-ecr-server";
import { startNexoTerminalSimulator } from "@payspec/nexo-server";
import { startPayneteasySimulator } from "@payspec/payneteasy-server";
import { freeLoopbackPort } from "@payspec/runtime/server";
import { startStripeTerminalSimulator } from "@payspec/stripe-terminal-server";
import type { JournalEntry, ProtocolName, VendorCharge } from "@payspec/terminal";
import { startWePaySimulator } from "@payspec/wepay-server";
import type { InjectedFault, PosConfig } from "./config.js";

export interface KillVendor {
  readonly config: PosConfig;
  readonly currency: string;
  readonly approvedAmount: number;
  readonly declinedAmount: number;
  /** Faults not drawn for this vendor, each with why. */
  readonly excluded?: Partial<Record<InjectedFault, string>>;
  /** The vendor's approved charges (payments only), each under its key. */
  ledger(): readonly VendorCharge[];
  /** The key of a journal entry in `ledger()`. */
  ledgerKey(entry: JournalEntry): string | undefined;
  close(): Promise<void>;
}

export async function startKillVendor(protocol: ProtocolName): Promise<KillVendor> {
  switch (protocol) {
    case "wepay": {
      const sim = await startWePaySimulator({ host: "127.0.0.1", port: 0 });
      return {
        config: {
          protocol,
          baseUrl: sim.url,
          credentials: sim.credentials,
          accountId: "0ef0dcd6-a2c6-49c4-9051-bbbe5c6c36e2",
        },
        currency: "USD",
        approvedAmount: 2500,
        declinedAmount: 1051,
        ledger: () => sim.settlement(),
        ledgerKey: (entry) => entry.ids.referenceId,
        close: () => sim.close(),
      };
    }
    case "stripe-terminal": {
      // The customer presents the default test card whenever the reader waits for one.
      const sim = await startStripeTerminalSimulator({ host: "127.0.0.1", port: 0, customer: () => ({}) });
      const { location } = await sim.addReader();
      return {
        config: { protocol, baseUrl: sim.url, secretKey: sim.credentials.secretKey, location },
        currency: "EUR",
        approvedAmount: 1000,
        declinedAmount: 1005,
        ledger: () => sim.settlement(),
        ledgerKey: (entry) => entry.reference,
        close: () => sim.close(),
      };
    }
    case "payneteasy": {
      const sim = await startPayneteasySimulator({ host: "127.0.0.1", port: 0, pollsToFinal: 2 });
      return {
        config: {
          protocol,
          baseUrl: sim.url,
          endpointId: "1234",
          credentials: sim.credentials,
          pan: "4111111111111111",
        },
        currency: "EUR",
        approvedAmount: 1042,
        declinedAmount: 1013,
        ledger: () => sim.settlement(),
        ledgerKey: (entry) => entry.ids.client_orderid,
        close: () => sim.close(),
      };
    }
    case "hipay-ecr": {
      const sim = await startConnectorSimulator({ host: "127.0.0.1", port: 0 });
      return {
        config: { protocol, baseUrl: sim.url, login: sim.login, password: sim.password },
        excluded: {
          disconnect:
            "a serial line cut after the terminal took the payment leaves the outcome unknown to the connector itself " +
            "(Concert has no lookup): the entry rightly stays open for a manual check; @payspec/terminal's hipay-ecr test covers it",
        },
        currency: "EUR",
        approvedAmount: 899,
        declinedAmount: 107,
        ledger: () => sim.settlement(),
        ledgerKey: (entry) => entry.ids.orderId,
        close: () => sim.close(),
      };
    }
    case "nexo": {
      const listenerPort = await freeLoopbackPort();
      const sim = await startNexoTerminalSimulator({
        poiId: "A-POIID",
        posListenerUrl: `http://127.0.0.1:${listenerPort}`,
      });
      return {
        config: { protocol, terminalUrl: sim.url, poiId: "A-POIID", saleId: "POS-1", listenerPort },
        currency: "SEK",
        approvedAmount: 1000,
        declinedAmount: 1051,
        ledger: () => sim.settlement(),
        ledgerKey: (entry) => entry.ids.saleTransactionId,
        close: async () => {
          sim.hurry();
          await sim.close();
        },
      };
    }
  }
}
