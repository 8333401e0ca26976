/**
 * `payspec demo nexo`: one payment end to end on loopback — the nexo terminal simulator (a Swedbank
 * Pay PAX terminal, XML over HTTP), the driver's POS listener (full integration: the terminal shows
 * its progress there), and the Terminal API with its journal. Prints each step and the
 * DisplayRequest lines the customer saw; exit 0 on an approved payment.
 */
import { startNexoTerminalSimulator } from "@payspec/nexo-server";
import { freeLoopbackPort } from "@payspec/runtime/server";
import { MemoryJournal } from "@payspec/terminal";
import { nexoTerminal } from "@payspec/terminal/nexo";
import type { CliIo } from "../io.js";

export async function demoNexo(io: CliIo): Promise<number> {
  const listenerPort = await freeLoopbackPort();
  const posListenerUrl = `http://127.0.0.1:${listenerPort}`;
  const sim = await startNexoTerminalSimulator({
    host: "127.0.0.1",
    port: 0,
    poiId: "A-POIID",
    posListenerUrl,
    delays: { cardMs: 300, pinMs: 300, authorizeMs: 300 },
  });
  try {
    io.out(`terminal simulator  ${sim.url}/EPASSaleToPOI/3.1 (POIID A-POIID, XML)`);
    io.out(`POS listener        ${posListenerUrl}/EPASSaleToPOI/3.1 (full integration)`);
    const journal = new MemoryJournal();
    const terminal = nexoTerminal({
      terminalUrl: sim.url,
      poiId: "A-POIID",
      saleId: "DEMO-POS",
      listener: { host: "127.0.0.1", port: listenerPort },
      journal,
    });
    const shown: string[] = [];
    terminal.on((event) => {
      switch (event.type) {
        case "display":
          shown.push(...event.lines);
          io.out(`  customer display  | ${event.lines.join(" | ")} |`);
          break;
        case "status":
          io.out(`  status            ${event.status}`);
          break;
        case "print":
          io.out(`  print             ${event.lines.length} receipt line(s)`);
          break;
        case "input":
          io.out(`  input             ${event.prompt} → ${event.answer ?? "-"}`);
          break;
        default:
          break;
      }
    });
    await terminal.connect();
    io.out("login               Success (LoginRequest, SaleCapabilities CashierDisplay …)");
    const reference = `demo-${Date.now().toString(36)}`;
    io.out(`pay 10.42 SEK       reference ${reference}`);
    const outcome = await terminal.pay({ amount: 1042, currency: "SEK", reference });
    const entry = journal.get(reference);
    io.out(
      `journal             ServiceID ${entry?.ids.serviceId ?? "?"}, SaleTransactionID ${
        entry?.ids.saleTransactionId ?? "?"
      } (${entry?.state ?? "?"})`,
    );
    io.out(
      `outcome             ${outcome.status}, POITransactionID ${outcome.transactionId ?? "-"}, approval ${
        outcome.authorizationCode ?? "-"
      }, card ${outcome.maskedPan ?? "-"}${outcome.reason ? `, ${outcome.reason}` : ""}`,
    );
    io.out(`the customer saw    ${shown.join(" → ") || "(nothing)"}`);
    await terminal.close();
    return outcome.status === "approved" ? 0 : 1;
  } finally {
    await sim.close();
  }
}
