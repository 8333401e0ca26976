/**
 * A POS as its own OS process, for the SIGKILL campaign. The first stdin line is a `PosStart`; then one `PosCommand`
 * per line. It opens its journal file, connects (which reconciles what a killed predecessor left open), reports
 * `ready`, and pays what it is told. A `hold` makes it stop dead at a chosen moment so the parent's SIGKILL lands
 * exactly there; without one, the parent may still kill it at any moment. An `inject` puts a transport fault on the
 * n-th HTTP request of the payment (`Payspec-Fault`: reset, drop-after-commit, busy, disconnect; `timeout` = the
 * server answers late and this client gives up first).
 */
import { createInterface } from "node:readline";
import { createFetchTransport, type Transport } from "@payspec/runtime";
import { FileJournal, type Journal, type Outcome, type TerminalEvent } from "@payspec/terminal";
import type { Hold, Injection, PosCommand, PosEvent, PosStart } from "./config.js";
import { posTerminal } from "./pos.js";

const send = (event: PosEvent): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};
/** Stops here until the parent kills the process. */
const holdForever = (reference: string, at: Hold["at"]): Promise<never> => {
  send({ event: "held", reference, at });
  return new Promise<never>(() => {});
};

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) return;
  const start = JSON.parse(first.value) as PosStart;

  let current: { reference: string; hold?: Hold; inject?: Injection; exchanges: number } | undefined;
  /** A client that gives up after 150 ms, for the `timeout` fault (the server answers 400 ms late, after committing). */
  const impatient = createFetchTransport({ timeoutMs: 150 });
  const file = await FileJournal.open(start.journalPath);
  const journal: Journal = Object.assign(Object.create(file) as Journal, {
    async open(entry: Parameters<Journal["open"]>[0]) {
      await file.open(entry);
      if (current?.hold?.at === "journalled" && entry.reference === current.reference)
        await holdForever(entry.reference, "journalled");
    },
  });
  const wrap =
    (base: Transport): Transport =>
    async (request) => {
      if (current === undefined) return base(request);
      const payment = current;
      const n = ++payment.exchanges;
      let response: Awaited<ReturnType<Transport>>;
      if (payment.inject?.n === n) {
        const fault = payment.inject.fault;
        const header = fault === "timeout" ? "latency=400" : fault;
        response = await (fault === "timeout" ? impatient : base)({
          ...request,
          headers: { ...request.headers, "payspec-fault": header },
        });
      } else response = await base(request);
      if (payment.hold?.at === "answered" && payment.hold.n === n) await holdForever(payment.reference, "answered");
      return response;
    };
  const pos = await posTerminal(start.config, journal, wrap);
  const reconciled: Outcome[] = [];
  pos.terminal.on((event: TerminalEvent) => {
    if (event.type === "reconciled") reconciled.push(event.outcome);
  });
  await pos.terminal.connect();
  send({ event: "ready", reconciled, open: file.openEntries().length });

  for (let line = await lines.next(); !line.done; line = await lines.next()) {
    const command = JSON.parse(line.value) as PosCommand;
    if (command.op === "exit") break;
    const { amount, currency, reference } = command;
    current = {
      reference,
      exchanges: 0,
      ...(command.hold === undefined ? {} : { hold: command.hold }),
      ...(command.inject === undefined ? {} : { inject: command.inject }),
    };
    try {
      const outcome = await pos.terminal.pay({ amount, currency, reference });
      send({ event: "outcome", reference, outcome, exchanges: current.exchanges });
    } catch (error) {
      send({ event: "error", reference, message: error instanceof Error ? error.message : String(error) });
    } finally {
      current = undefined;
    }
  }
  await pos.close();
  await file.dispose();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    send({ event: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
