// A payment over a real serial line: `socat` makes a pair of pseudo-terminals, `serialport` opens
// both ends, the connector drives one and the simulated terminal answers on the other. Skipped
// (with the reason in its name) where socat is missing; CI installs socat (.ci/run) and fails
// here if it is not there.
import { hasSocat, type PtyPair, ptyPair } from "@payspec/hipay-ecr-driver/testing";
import type { PaymentResult } from "@payspec/hipay-ecr-types";
import { basicAuth, callOperation, VendorError } from "@payspec/runtime";
import fastify, { type FastifyInstance } from "fastify";
import { SerialPort } from "serialport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConcertConnector,
  ConcertTerminalSimulator,
  createConcertConnector,
  hipayAuthenticator,
  operations,
  registerHiPayEcr,
  rejectHiPay,
} from "../src/index.js";

const socatHere = hasSocat();
const inCi = process.env.CI === "true";

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port: SerialPort = new SerialPort({ path, baudRate: 9600 }, (error) =>
      error ? reject(error) : resolve(port),
    );
  });
}

function closePort(port: SerialPort | undefined): Promise<void> {
  return new Promise((resolve) => (port?.isOpen ? port.close(() => resolve()) : resolve()));
}

describe("HiPay ECR connector over a pseudo-terminal pair", () => {
  if (!socatHere) {
    if (inCi) {
      it("needs socat in CI (.ci/run installs it)", () => {
        throw new Error("socat is not installed: .ci/run should have installed it (apt-get install socat)");
      });
    } else {
      console.warn(
        "simulator-pty.test.ts: skipped, socat is not installed here (apt-get install -y socat); CI runs it",
      );
      it.skip("SKIPPED: socat is not installed here (apt-get install -y socat); CI runs this test", () => {});
    }
    return;
  }

  let pair: PtyPair | undefined;
  let connectorPort: SerialPort | undefined;
  let terminalPort: SerialPort | undefined;
  let connector: ConcertConnector | undefined;
  let terminal: ConcertTerminalSimulator | undefined;
  let app: FastifyInstance | undefined;
  let baseUrl = "";

  beforeAll(async () => {
    pair = await ptyPair();
    connectorPort = await openPort(pair.paths[0]);
    terminalPort = await openPort(pair.paths[1]);
    terminal = new ConcertTerminalSimulator(terminalPort, { now: () => new Date(2020, 3, 3, 8, 30, 11) });
    connector = createConcertConnector(connectorPort, { answerTimeoutMs: 10_000 });
    app = fastify();
    await registerHiPayEcr(app, connector.handlers, {
      reject: rejectHiPay,
      authenticate: hipayAuthenticator({ login: "log", password: "pwd" }),
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    terminal?.close();
    connector?.close();
    await app?.close();
    await closePort(connectorPort);
    await closePort(terminalPort);
    pair?.close();
  });

  it("takes a payment through the serial line: Concert debit out, Success with receipt back", async () => {
    const config = { baseUrl, headers: { authorization: basicAuth("log", "pwd") } };
    const makeError = (status: number, body: unknown) => new VendorError(status, body);
    const answer = (await callOperation(
      operations.paymentPay,
      { body: { amount: 8.99, orderId: "Order_pty", currency: "EUR" } },
      config,
      makeError,
    )) as PaymentResult[];
    expect(answer).toHaveLength(1);
    expect(answer[0]).toMatchObject({ status: "Success", error: null, amount: 8.99, orderId: "Order_pty" });
    expect(answer[0]?.receipt).toMatchObject({ amount: "00000899", currencyNumCode: "978", localDate: "030420" });
    expect(terminal?.requests).toMatchObject([{ amount: "00000899", currency: "978", type: "0" }]);
  });
});
