/**
 * `payspec demo hipay-ecr`: one kiosk payment end to end on loopback — HiPay's unattended ECR
 * connector (Payspec's, on its local HTTP API with Basic auth), driving a simulated Concert
 * terminal over a serial line (in memory: ENQ/ACK, STX frame ETX LRC, EOT), and the Terminal API
 * with its journal on the kiosk's side. Prints each step, the Concert request the terminal got,
 * its answer, and the customer ticket the connector returned (HiPay's terminal has no display
 * messages for the kiosk); exit 0 on approval.
 */

import { startConnectorSimulator } from "@payspec/hipay-ecr-server";
import { MemoryJournal } from "@payspec/terminal";
import { hipayEcrTerminal } from "@payspec/terminal/hipay-ecr";
import type { CliIo } from "../io.js";

export async function demoHipayEcr(io: CliIo): Promise<number> {
  const sim = await startConnectorSimulator({
    terminal: { delayMs: 300, maskedPan: "497010XXXXXX0014", label: "VISA" },
  });
  try {
    io.out(`HiPay ECR connector ${sim.url} (Basic auth ${sim.login}:***)`);
    io.out("serial line         in memory, Concert E+ (ENQ/ACK/NAK/EOT, LRC, 3 tries, 3 s timers)");
    const journal = new MemoryJournal();
    const terminal = hipayEcrTerminal({
      baseUrl: sim.url,
      login: sim.login,
      password: sim.password,
      journal,
    });
    const receipt: string[] = [];
    terminal.on((event) => {
      switch (event.type) {
        case "status":
          io.out(`  terminal status   ${event.status}`);
          break;
        case "print":
          receipt.push(...event.lines);
          break;
        default:
          break;
      }
    });
    await terminal.connect();
    const reference = `demo-${Date.now().toString(36)}`;
    io.out(`pay 8.99 EUR        reference ${reference}`);
    const outcome = await terminal.pay({ amount: 899, currency: "EUR", reference });
    const entry = journal.get(reference);
    io.out(`journal             orderId ${entry?.ids.orderId ?? "?"} (${entry?.state ?? "?"})`);
    const request = sim.terminal.requests.at(-1);
    if (request)
      io.out(
        `Concert request     type ${request.type} (debit), amount ${request.amount}, currency ${request.currency}, private ${request.private}`,
      );
    io.out(
      `outcome             ${outcome.status}, transaction ${outcome.transactionId ?? "-"}, authorization ${
        outcome.authorizationCode ?? "-"
      }, card ${outcome.maskedPan ?? "-"}${outcome.reason ? `, ${outcome.reason}` : ""}`,
    );
    if (receipt.length > 0) {
      io.out("customer ticket");
      for (const line of receipt) io.out(`  | ${line}`);
    }
    io.out(`terminal            ${sim.charges()} charge(s)`);
    await terminal.close();
    return outcome.status === "approved" ? 0 : 1;
  } finally {
    await sim.close();
  }
}
