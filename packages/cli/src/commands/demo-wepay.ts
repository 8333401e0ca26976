/**
 * `payspec demo wepay`: one card-present payment end to end on loopback — the WePay v3 simulator, a
 * simulated Moby 5500 reader paired over (simulated) Bluetooth, and the Terminal API with its journal.
 * The session token comes from POST /session_tokens, the reader is configured on first use, the card read
 * yields a single-use encoded payment method, and the backend creates the payment with a Unique-Key.
 * Prints each step and what the phone showed the customer (the reader has no display); exit 0 on approval.
 */

import { MemoryJournal } from "@payspec/terminal";
import { wepayTerminal } from "@payspec/terminal/wepay";
import { SimulatedCardReader, simulatedTransport } from "@payspec/wepay-driver";
import { startWePaySimulator } from "@payspec/wepay-server";
import type { CliIo } from "../io.js";

const ACCOUNT = "0ef0dcd6-a2c6-49c4-9051-bbbe5c6c36e2";

export async function demoWepay(io: CliIo): Promise<number> {
  const sim = await startWePaySimulator({ host: "127.0.0.1", port: 0 });
  try {
    io.out(`WePay simulator     ${sim.url} (App-Id ${sim.credentials.appId}, account ${ACCOUNT})`);
    const reader = new SimulatedCardReader({
      name: "MOB55-12345678",
      acceptSessionToken: (token) => sim.state.useSessionToken(token).ok,
    });
    const journal = new MemoryJournal();
    const terminal = wepayTerminal({
      baseUrl: sim.url,
      credentials: sim.credentials,
      accountId: ACCOUNT,
      transports: [simulatedTransport("bluetooth", [reader])],
      activate: (token) => sim.state.useSessionToken(token).ok,
      onSessionEvent: (event) => io.out(`  session           ${event.ios_name} / ${event.android_name}`),
      confirmPairing: (request) => {
        io.out(
          `  pairing           ${request.reader.name}: LED sequence ${request.led_sequence?.join("-") ?? "?"} confirmed`,
        );
        return { confirmed: true };
      },
      journal,
    });
    terminal.on((event) => {
      switch (event.type) {
        case "display":
          io.out(`  phone shows       | ${event.lines.join(" | ")} |`);
          break;
        case "status":
          io.out(`  reader status     ${event.status}`);
          break;
        default:
          break;
      }
    });
    await terminal.connect();
    io.out(
      `reader              ${reader.name} connected, configured ${reader.configurations}x (firmware ${reader.firmwareVersion})`,
    );
    const reference = `demo-${Date.now().toString(36)}`;
    io.out(`pay 25.00 USD       reference ${reference}`);
    const outcome = await terminal.pay({ amount: 2500, currency: "USD", reference });
    const entry = journal.get(reference);
    io.out(`journal             Unique-Key ${entry?.ids.uniqueKey ?? "?"} (${entry?.state ?? "?"})`);
    io.out(
      `outcome             ${outcome.status}, payment ${outcome.transactionId ?? "-"}, approval ${
        outcome.authorizationCode ?? "-"
      }, card ${outcome.maskedPan ?? "-"}${outcome.reason ? `, ${outcome.reason}` : ""}`,
    );
    io.out(
      `WePay               ${sim.state.charges} charge(s), ${sim.state.usedPaymentMethods.size} encoded payment method(s) used`,
    );
    await terminal.close();
    return outcome.status === "approved" ? 0 : 1;
  } finally {
    await sim.close();
  }
}
