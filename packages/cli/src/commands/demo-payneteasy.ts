/**
 * `payspec demo payneteasy`: one card-present payment end to end on loopback — the Payneteasy
 * gateway simulator, a simulated mPOS reader, a callback receiver, and the Terminal API with its
 * journal. Prints each step and what the reader's display showed; exit 0 on an approved payment.
 * Polls are 0.3-0.5 s apart here instead of the vendor's 3-5 s, so the demo takes a second.
 */
import { PayneteasyCallbackReceiver, SimulatedMposDevice, TEST_PAYER } from "@payspec/payneteasy-driver";
import { startPayneteasySimulator } from "@payspec/payneteasy-server";
import { MemoryJournal } from "@payspec/terminal";
import { payneteasyTerminal } from "@payspec/terminal/payneteasy";
import type { CliIo } from "../io.js";

export async function demoPayneteasy(io: CliIo): Promise<number> {
  const sim = await startPayneteasySimulator({ host: "127.0.0.1", port: 0, pollsToFinal: 2 });
  const receiver = new PayneteasyCallbackReceiver({ merchantControlKey: sim.credentials.merchantControlKey });
  try {
    const callbackUrl = await receiver.listen({ host: "127.0.0.1", port: 0 });
    io.out(`gateway simulator   ${sim.url} (merchant ${sim.credentials.login}, endpoint 1234)`);
    io.out(`callback receiver   ${callbackUrl}`);
    const journal = new MemoryJournal();
    const terminal = payneteasyTerminal({
      baseUrl: sim.url,
      endpointId: "1234",
      credentials: sim.credentials,
      device: new SimulatedMposDevice({ serialNumber: "3A0F5C21" }),
      payer: TEST_PAYER,
      receiver,
      pollIntervalMs: { min: 300, max: 500 },
      journal,
    });
    terminal.on((event) => {
      switch (event.type) {
        case "display":
          io.out(`  reader display    | ${event.lines.join(" | ")} |`);
          break;
        case "status":
          io.out(`  status            ${event.status}`);
          break;
        case "disconnected":
          io.out(`  reader            disconnected: ${event.reason}`);
          break;
        default:
          break;
      }
    });
    await terminal.connect();
    const reference = `demo-${Date.now().toString(36)}`;
    io.out(`pay 10.42 EUR       reference ${reference}`);
    const outcome = await terminal.pay({ amount: 1042, currency: "EUR", reference });
    const entry = journal.get(reference);
    io.out(`journal             client_orderid ${entry?.ids.client_orderid ?? "?"} (${entry?.state ?? "?"})`);
    io.out(
      `outcome             ${outcome.status}, order ${outcome.transactionId ?? "-"}, approval ${
        outcome.authorizationCode ?? "-"
      }, card ${outcome.maskedPan ?? "-"}${outcome.reason ? `, ${outcome.reason}` : ""}`,
    );
    await sim.settled();
    io.out(`callbacks           ${receiver.stats.accepted} accepted, ${receiver.stats.duplicates} duplicate`);
    await terminal.close();
    return outcome.status === "approved" ? 0 : 1;
  } finally {
    await receiver.close();
    await sim.close();
  }
}
