/**
 * `payspec demo stripe-terminal`: one server-driven card-present payment end to end on loopback — the
 * Stripe Terminal simulator (a test-mode account with a simulated BBPOS WisePOS E registered with the
 * `simulated-wpe` code), the driver (discover by location, connect with a fresh connection token and
 * `failIfInUse`, PaymentIntent + `process_payment_intent`, polling) and the Terminal API with its journal.
 * The simulator's customer taps Stripe's default test card when the reader waits. Prints each step and
 * what the reader's screen showed; exit 0 on approval.
 */

import { startStripeTerminalSimulator } from "@payspec/stripe-terminal-server";
import { MemoryJournal } from "@payspec/terminal";
import { stripeTerminalTerminal } from "@payspec/terminal/stripe-terminal";
import type { CliIo } from "../io.js";

export async function demoStripeTerminal(io: CliIo): Promise<number> {
  const sim = await startStripeTerminalSimulator({ host: "127.0.0.1", port: 0, customer: () => ({}) });
  try {
    io.out(`Stripe simulator    ${sim.url} (test mode, API version 2023-08-16)`);
    const post = async (path: string, form: string): Promise<Record<string, unknown>> => {
      const res = await fetch(`${sim.url}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${sim.credentials.secretKey}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: form,
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const location = await post(
      "/v1/terminal/locations",
      "display_name=Boutique%20Rivoli&address[country]=FR&address[city]=Paris&address[line1]=10%20rue%20de%20Rivoli&address[postal_code]=75004",
    );
    io.out(`location            ${String(location.id)} (Boutique Rivoli)`);
    const reader = await post(
      "/v1/terminal/readers",
      `registration_code=simulated-wpe&label=Caisse%201&location=${String(location.id)}`,
    );
    io.out(
      `reader registered   ${String(reader.id)} ${String(reader.device_type)} serial ${String(reader.serial_number)}`,
    );

    const journal = new MemoryJournal();
    const terminal = stripeTerminalTerminal({
      baseUrl: sim.url,
      secretKey: sim.credentials.secretKey,
      location: String(location.id),
      pollIntervalMs: 50,
      journal,
    });
    terminal.on((event) => {
      switch (event.type) {
        case "display":
          io.out(`  reader shows      | ${event.lines.join(" | ")} |`);
          break;
        case "status":
          io.out(`  reader status     ${event.status}`);
          break;
        case "connected":
          io.out("  connected         (discovered by location, fresh connection token, failIfInUse)");
          break;
        case "disconnected":
          io.out(`  disconnected      ${event.reason}`);
          break;
        default:
          break;
      }
    });
    await terminal.connect();
    const reference = `demo-${Date.now().toString(36)}`;
    io.out(`pay 25.00 EUR       reference ${reference}`);
    const outcome = await terminal.pay({ amount: 2500, currency: "EUR", reference });
    const entry = journal.get(reference);
    io.out(`journal             Idempotency-Key ${entry?.ids.idempotencyKey ?? "?"} (${entry?.state ?? "?"})`);
    io.out(
      `outcome             ${outcome.status}, PaymentIntent ${outcome.transactionId ?? "-"}${
        outcome.reason ? `, ${outcome.reason}` : ""
      }`,
    );
    const pi = outcome.transactionId ? sim.state.paymentIntents.get(outcome.transactionId) : undefined;
    io.out(`Stripe              PaymentIntent ${pi?.status ?? "?"}, amount_received ${pi?.amountReceived ?? 0}`);
    await terminal.close();
    return outcome.status === "approved" ? 0 : 1;
  } finally {
    await sim.close();
  }
}
