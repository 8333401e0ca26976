/**
 * The connector itself: `HiPayEcrHandlers` for `registerHiPayEcr` that drive a Concert terminal
 * over a `ConcertLink`. A payment becomes a ConcertRequest (amount in minor units, EUR → 978),
 * the answer a seed-shaped PaymentResult. One transaction at a time: a second payment while one
 * runs gets 409. `/cancel` sends a Concert cancellation (type 2) for the transaction in progress.
 * The serial side is the driver's `ConcertDriver` (@payspec/hipay-ecr-driver). `GET /payment/{orderId}`
 * (Payspec extension) answers the result the connector gave for that order.
 * The maintenance calls answer from the connector's state (the seed's shapes).
 */

import {
  type ByteStream,
  ConcertBusyError,
  ConcertDriver,
  type ConcertDriverOptions,
  type ConcertLink,
  ConcertTransactionError,
  REP_FIELDS,
} from "@payspec/hipay-ecr-driver";
import type {
  ConcertAnswer,
  ConcertRequest,
  ConnectorError,
  PaymentRequest,
  PaymentResult,
  Receipt,
  TelecollectionApp,
  VersionInfo,
} from "@payspec/hipay-ecr-types";
import { decodeFrame } from "@payspec/runtime";
import type { HiPayEcrHandlers } from "../gen/index.gen.js";

/** Merchant data printed on the receipt (it is not in the Concert answer). */
export interface MerchantInfo {
  /** name then location, as on the seed's receipt */
  acceptor: string;
  contractNumber: string;
  SIRET: string;
  activity: string;
}

export interface ConcertConnectorOptions extends ConcertDriverOptions {
  /** Cash desk number sent in every request. Default `01`. */
  pos?: string;
  /** How long to wait for the terminal's answer to a payment. Default 180000 (3 min: the customer is at the terminal). */
  answerTimeoutMs?: number;
  /** `GET /version` (and `/config`) answer. Default `0.0.0-tpa-<os>`. */
  version?: VersionInfo;
  /** Serial number reported by `GET /config`. */
  serialNumber?: string;
  /** Applications reported by `GET /tlc`. Default `[{ Name: "CB EMV", Status: "0" }]`. */
  applications?: TelecollectionApp[];
  /** Merchant data for the receipt. */
  merchant?: MerchantInfo;
  /** How many payment results `GET /payment/{orderId}` remembers (oldest forgotten first). Default 1000. */
  maxRecorded?: number;
  /** Called by `GET /stop` after its answer is sent. */
  onStop?: () => void;
}

/** A running connector: the handlers to register, its driver and link, and `close()`. */
export interface ConcertConnector {
  readonly handlers: HiPayEcrHandlers;
  readonly driver: ConcertDriver;
  readonly link: ConcertLink;
  /** Whether a payment is in progress. */
  readonly busy: boolean;
  /**
   * The `orderId` of the HTTP payment that sent the terminal the request with this Concert `private` field (the
   * connector's sequence number), for ledgers that tie a terminal's charge to the POS order. Remembered for the
   * connector's lifetime.
   */
  orderIdOf(privateField: string): string | undefined;
  close(): void;
}

const CURRENCY_NUMERIC = { EUR: "978" } as const;
const CURRENCY_FRACTION = { EUR: 2 } as const;
const MAX_MINOR = 99_999_999; // eight digits

const DEFAULT_MERCHANT: MerchantInfo = {
  acceptor: `${"HIPAY".padEnd(38)}${"92HIPAY".padEnd(20)}`,
  contractNumber: "123456",
  SIRET: "12345678901234",
  activity: "5039",
};

const error = (message: string): ConnectorError => ({ status: "Error", error: message });

interface Transaction {
  request: ConcertRequest;
  cancelled: boolean;
}

/** What the connector remembers of a payment, by `orderId` (for `GET /payment/{orderId}`). */
type Recorded =
  | { readonly state: "running" }
  | { readonly state: "done"; readonly result: PaymentResult }
  /** the terminal took the request (or may have) and never answered */
  | { readonly state: "unknown"; readonly error: string };

/** Creates the connector on `stream` (the terminal's serial port) or on a `ConcertDriver`. */
export function createConcertConnector(
  stream: ByteStream | ConcertDriver,
  options: ConcertConnectorOptions = {},
): ConcertConnector {
  const {
    pos = "01",
    answerTimeoutMs = 180_000,
    serialNumber,
    merchant = DEFAULT_MERCHANT,
    onStop,
    version: _version,
    applications: _applications,
    maxRecorded = 1000,
    ...driverOptions
  } = options;
  const os = process.platform === "win32" ? "windows_64" : `${process.platform}_64`;
  const version: VersionInfo = options.version ?? { version: `0.0.0-tpa-${os}`, type: "tpa", os };
  const applications = options.applications ?? [{ Name: "CB EMV", Status: "0" }];
  const driver =
    stream instanceof ConcertDriver ? stream : new ConcertDriver(stream, { answerTimeoutMs, ...driverOptions });
  let current: Transaction | undefined;
  let sequence = 0;
  /** orderId by the Concert `private` field sent to the terminal */
  const orderIds = new Map<string, string>();
  /** the last exchange with the terminal failed */
  let terminalFault = false;
  /** outcomes by orderId, oldest first (a Map keeps insertion order) */
  const recorded = new Map<string, Recorded>();
  const record = (orderId: string, entry: Recorded): void => {
    recorded.delete(orderId);
    recorded.set(orderId, entry);
    while (recorded.size > maxRecorded) recorded.delete(recorded.keys().next().value as string);
  };

  const busyReply = { status: 409 as const, body: error("A transaction is already in progress") };

  async function pay(
    body: PaymentRequest,
    type: "0" | "1",
  ): Promise<{ status: 200; body: PaymentResult[] } | { status: 400 | 409 | 503; body: ConnectorError }> {
    if (current || driver.state !== "idle") return busyReply;
    const currency = body.currency ?? "EUR";
    const minor = Math.round(body.amount * 10 ** CURRENCY_FRACTION[currency]);
    if (minor < 1 || minor > MAX_MINOR)
      return { status: 400, body: error(`/body/amount: must be between 0.01 and ${MAX_MINOR / 100}`) };
    sequence = (sequence % 9_999_999_999) + 1;
    const request: ConcertRequest = {
      pos,
      amount: String(minor).padStart(8, "0"),
      answerFlag: "1",
      mode: "1",
      type,
      currency: CURRENCY_NUMERIC[currency],
      private: String(sequence).padStart(10, "0"),
      delay: "A010",
      auto: "B010",
    };
    const transaction: Transaction = { request, cancelled: false };
    current = transaction;
    orderIds.set(request.private, body.orderId);
    record(body.orderId, { state: "running" });
    try {
      let answer: ConcertAnswer;
      try {
        answer = await driver.transact(request, { answerTimeoutMs });
      } catch (cause) {
        if (cause instanceof ConcertBusyError) {
          recorded.delete(body.orderId);
          return busyReply;
        }
        terminalFault = true;
        const failure = cause instanceof ConcertTransactionError ? cause : undefined;
        const message =
          failure?.stage === "answer"
            ? `No answer from the terminal (${failure.cause.reason})`
            : `The terminal does not answer (${failure?.cause.reason ?? "link error"})`;
        if (failure?.notDelivered) {
          // The terminal never took the request: nothing was charged, the payment is over.
          record(body.orderId, {
            state: "done",
            result: { ...echo(body), status: "Error", error: message, receipt: null, ticket: null },
          });
        } else {
          record(body.orderId, { state: "unknown", error: message });
        }
        return { status: 503, body: error(message) };
      }
      terminalFault = false;
      const paid = result(body, answer, transaction.cancelled, type);
      record(body.orderId, { state: "done", result: paid });
      return { status: 200, body: [paid] };
    } finally {
      current = undefined;
    }
  }

  function echo(body: PaymentRequest) {
    return {
      amount: body.amount,
      currency: body.currency ?? "EUR",
      orderId: body.orderId,
      ...(body.basket === undefined ? {} : { basket: body.basket }),
      ...(body.customer === undefined ? {} : { customer: body.customer }),
      ...(body.customData === undefined ? {} : { customData: body.customData }),
      // Payspec's connector does not report to HiPay's servers (workflow step 5).
      notificationHipaySent: false,
    };
  }

  function result(body: PaymentRequest, answer: ConcertAnswer, cancelled: boolean, type: "0" | "1"): PaymentResult {
    const echoed = echo(body);
    if (answer.status === "0") {
      const receipt = receiptOf(answer, merchant, type);
      return { status: "Success", error: null, receipt, ticket: receipt ? ticketOf(receipt) : null, ...echoed };
    }
    if (cancelled)
      return { status: "Cancelled", error: "The transaction was cancelled", receipt: null, ticket: null, ...echoed };
    if (answer.status === "7")
      return {
        status: "Refused",
        error: "The terminal refused the transaction",
        receipt: null,
        ticket: null,
        ...echoed,
      };
    return {
      status: "Error",
      error: `The terminal answered status ${answer.status}`,
      receipt: null,
      ticket: null,
      ...echoed,
    };
  }

  const handlers: HiPayEcrHandlers = {
    paymentPay: ({ body }) => pay(body, "0"),
    paymentRefund: ({ body }) => pay(body, "1"),
    paymentStatus: ({ orderId }) => {
      const entry = recorded.get(orderId);
      if (entry === undefined) return { status: 200, body: [] };
      if (entry.state === "running") return { status: 409, body: error("This payment is in progress") };
      if (entry.state === "unknown")
        return { status: 503, body: error(`The terminal never answered this payment: ${entry.error}`) };
      return { status: 200, body: [entry.result] };
    },
    maintenanceCancel: async () => {
      const transaction = current;
      if (!transaction) return { status: 200 }; // nothing to cancel
      transaction.cancelled = true;
      try {
        await driver.cancel();
      } catch (cause) {
        transaction.cancelled = false;
        terminalFault = true;
        return { status: 503, body: error(`The terminal does not answer (${describe(cause)})`) };
      }
      return { status: 200 };
    },
    maintenanceStop: () => {
      if (onStop) setImmediate(onStop);
      return { status: 200 };
    },
    maintenanceReset: () => {
      if (current) return busyReply;
      terminalFault = false;
      return { status: 200 };
    },
    maintenanceVersion: () => ({ status: 200, body: [version] }),
    maintenanceConfig: () =>
      current
        ? busyReply
        : { status: 200, body: [serialNumber === undefined ? { ...version } : { ...version, serialNumber }] },
    maintenanceTlc: () =>
      current ? busyReply : { status: 200, body: [{ NbApp: String(applications.length), App: applications }] },
    maintenanceCheck: () =>
      current
        ? busyReply
        : { status: 200, body: [{ cr: "0", card: "0", call: "0", periph: terminalFault ? "1" : "0" }] },
  };

  return {
    handlers,
    driver,
    link: driver.link,
    get busy() {
      return current !== undefined;
    },
    orderIdOf: (privateField) => orderIds.get(privateField),
    close() {
      driver.close();
    },
  };
}

function describe(cause: unknown): string {
  return cause instanceof Error && "reason" in cause ? String(cause.reason) : "link error";
}

/** The receipt, from the answer's `rep` (simulator layout) and the merchant data; null when `rep` does not parse. */
function receiptOf(answer: ConcertAnswer, merchant: MerchantInfo, type: "0" | "1"): Receipt | null {
  let rep: Record<string, string>;
  try {
    rep = decodeFrame(REP_FIELDS, answer.rep, { keepPadding: true }) as Record<string, string>;
  } catch {
    return null;
  }
  const field = (name: string): string => rep[name] ?? "";
  if (!/^[0-9]{6}$/.test(field("localDate")) || !/^[0-9]{6}$/.test(field("localTime"))) return null;
  return {
    ticketHeader: " ".repeat(20),
    localDate: field("localDate"),
    localTime: field("localTime"),
    acceptor: merchant.acceptor,
    // 01 debit; 02 for a credit is Payspec's choice (unconfirmed)
    transactionType: type === "1" ? "02" : "01",
    contractNumber: merchant.contractNumber,
    SIRET: merchant.SIRET,
    activity: merchant.activity,
    paymentType: "46",
    siteType: " ".repeat(8),
    primaryAccountNumber: field("primaryAccountNumber").trimEnd(),
    TASA: "2046",
    cardAppExpiry: "000000",
    serviceCode: "   ",
    crypto: " ".repeat(16),
    currencyNumCode: answer.currency,
    acceptationSystemNum: "001",
    transactionNumber: field("transactionNumber"),
    transactionFileNumber: "000001",
    readingMode: field("readingMode"),
    authorizationNumber: field("authorizationNumber"),
    forceCode: " ",
    amount: answer.amount,
    currencyAlphaCode: answer.currency === "978" ? "EUR" : "   ",
    currencyFractionPart: "2",
    counterValueAmount: " ".repeat(8),
    counterValueCurrencyAlphaCode: "   ",
    counterValueCurrencyFractionPart: " ",
    inclusiveAmount: answer.amount,
    ticketFooter: " ".repeat(39),
    AID: " ".repeat(16),
    label: field("label").padEnd(16),
  };
}

/** The customer ticket, `|`-separated lines as in the seed. */
function ticketOf(r: Receipt): string {
  const d = r.localDate;
  const t = r.localTime;
  const amount = `${Number(r.amount.slice(0, -2))},${r.amount.slice(-2)} ${r.currencyAlphaCode}`;
  return [
    "CARTE BANCAIRE",
    r.label.trim(),
    `LE ${d.slice(0, 2)}/${d.slice(2, 4)}/${d.slice(4, 6)} A ${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}`,
    r.acceptor.trim().replace(/ {2,}/g, "|"),
    `${r.contractNumber} ${r.SIRET}`,
    r.primaryAccountNumber.replace(/[0-9](?=.{4})/g, "X"),
    `${r.acceptationSystemNum} ${r.transactionNumber} ${r.transactionType} ${r.readingMode}`,
    `NO AUTO:${r.authorizationNumber.trim()}`,
    `MONTANT:${amount}`,
    r.transactionType === "02" ? "CREDIT" : "DEBIT",
    "TICKET CLIENT A CONSERVER",
    "",
    "",
  ].join("|");
}
