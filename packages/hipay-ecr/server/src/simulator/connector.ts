/**
 * The connector itself: `HiPayEcrHandlers` for `registerHiPayEcr` that drive a Concert terminal
 * over a `ConcertLink`. A payment becomes a ConcertRequest (amount in minor units, EUR → 978),
 * the answer a seed-shaped PaymentResult. One transaction at a time: a second payment while one
 * runs gets 409. `/cancel` sends a Concert cancellation (type 2) for the transaction in progress.
 * The maintenance calls answer from the connector's state (the seed's shapes).
 */
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
import { ConcertAnswerFrame, ConcertRequestFrame } from "@payspec/hipay-ecr-types";
import { validateConcertAnswer } from "@payspec/hipay-ecr-validators";
import { decodeFrame, encodeFrame } from "@payspec/runtime";
import type { HiPayEcrHandlers } from "../gen/index.gen.js";
import { type ByteStream, ConcertLink, ConcertLinkError, type ConcertLinkOptions } from "./link.js";
import { SIMULATOR_REP_FIELDS } from "./terminal.js";

/** Merchant data printed on the receipt (it is not in the Concert answer). */
export interface MerchantInfo {
  /** name then location, as on the seed's receipt */
  acceptor: string;
  contractNumber: string;
  SIRET: string;
  activity: string;
}

export interface ConcertConnectorOptions extends ConcertLinkOptions {
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
  /** Called by `GET /stop` after its answer is sent. */
  onStop?: () => void;
}

/** A running connector: the handlers to register, its link, and `close()`. */
export interface ConcertConnector {
  readonly handlers: HiPayEcrHandlers;
  readonly link: ConcertLink;
  /** Whether a payment is in progress. */
  readonly busy: boolean;
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

/** Creates the connector on `stream` (the terminal's serial port). */
export function createConcertConnector(stream: ByteStream, options: ConcertConnectorOptions = {}): ConcertConnector {
  const {
    pos = "01",
    answerTimeoutMs = 180_000,
    serialNumber,
    merchant = DEFAULT_MERCHANT,
    onStop,
    ...linkOptions
  } = options;
  const os = process.platform === "win32" ? "windows_64" : `${process.platform}_64`;
  const version: VersionInfo = options.version ?? { version: `0.0.0-tpa-${os}`, type: "tpa", os };
  const applications = options.applications ?? [{ Name: "CB EMV", Status: "0" }];
  const link = new ConcertLink(stream, linkOptions);
  let current: Transaction | undefined;
  let sequence = 0;
  /** the last exchange with the terminal failed */
  let terminalFault = false;
  const stop = new AbortController();

  const busyReply = { status: 409 as const, body: error("A transaction is already in progress") };

  async function pay(
    body: PaymentRequest,
  ): Promise<{ status: 200; body: PaymentResult[] } | { status: 400 | 409 | 503; body: ConnectorError }> {
    if (current) return busyReply;
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
      type: "0",
      currency: CURRENCY_NUMERIC[currency],
      private: String(sequence).padStart(10, "0"),
      delay: "A010",
      auto: "B010",
    };
    const transaction: Transaction = { request, cancelled: false };
    current = transaction;
    try {
      try {
        await link.send(encodeFrame(ConcertRequestFrame.fields, request as unknown as Record<string, string>));
      } catch (cause) {
        terminalFault = true;
        return { status: 503, body: error(`The terminal does not answer (${describe(cause)})`) };
      }
      let answer: ConcertAnswer;
      try {
        answer = await awaitAnswer(request.private);
      } catch (cause) {
        terminalFault = true;
        return { status: 503, body: error(`No answer from the terminal (${describe(cause)})`) };
      }
      terminalFault = false;
      return { status: 200, body: [result(body, answer, transaction.cancelled)] };
    } finally {
      current = undefined;
    }
  }

  /** The answer that echoes `privateData`; stale answers of earlier transactions are skipped. */
  async function awaitAnswer(privateData: string): Promise<ConcertAnswer> {
    const deadline = Date.now() + answerTimeoutMs;
    for (;;) {
      const payload = await link.receive({ timeoutMs: Math.max(0, deadline - Date.now()), signal: stop.signal });
      const answer = parseAnswer(payload);
      if (answer && answer.private === privateData) return answer;
    }
  }

  function result(body: PaymentRequest, answer: ConcertAnswer, cancelled: boolean): PaymentResult {
    const echo = {
      amount: body.amount,
      currency: body.currency ?? "EUR",
      orderId: body.orderId,
      ...(body.basket === undefined ? {} : { basket: body.basket }),
      ...(body.customer === undefined ? {} : { customer: body.customer }),
      ...(body.customData === undefined ? {} : { customData: body.customData }),
      // Payspec's connector does not report to HiPay's servers (workflow step 5).
      notificationHipaySent: false,
    };
    if (answer.status === "0") {
      const receipt = receiptOf(answer, merchant);
      return { status: "Success", error: null, receipt, ticket: receipt ? ticketOf(receipt) : null, ...echo };
    }
    if (cancelled)
      return { status: "Cancelled", error: "The transaction was cancelled", receipt: null, ticket: null, ...echo };
    if (answer.status === "7")
      return { status: "Refused", error: "The terminal refused the transaction", receipt: null, ticket: null, ...echo };
    return {
      status: "Error",
      error: `The terminal answered status ${answer.status}`,
      receipt: null,
      ticket: null,
      ...echo,
    };
  }

  const handlers: HiPayEcrHandlers = {
    paymentPay: ({ body }) => pay(body),
    maintenanceCancel: async () => {
      const transaction = current;
      if (!transaction) return { status: 200 }; // nothing to cancel
      transaction.cancelled = true;
      try {
        await link.send(
          encodeFrame(ConcertRequestFrame.fields, { ...transaction.request, type: "2" } as unknown as Record<
            string,
            string
          >),
        );
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
    link,
    get busy() {
      return current !== undefined;
    },
    close() {
      stop.abort();
      link.close();
    },
  };
}

function describe(cause: unknown): string {
  return cause instanceof ConcertLinkError ? cause.reason : "link error";
}

function parseAnswer(payload: Buffer): ConcertAnswer | undefined {
  try {
    const value = decodeFrame(ConcertAnswerFrame.fields, payload, { keepPadding: true });
    // An unknown status digit passes with a warning (the message is inbound).
    return validateConcertAnswer(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The receipt, from the answer's `rep` (simulator layout) and the merchant data; null when `rep` does not parse. */
function receiptOf(answer: ConcertAnswer, merchant: MerchantInfo): Receipt | null {
  let rep: Record<string, string>;
  try {
    rep = decodeFrame(SIMULATOR_REP_FIELDS, answer.rep, { keepPadding: true }) as Record<string, string>;
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
    transactionType: "01",
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
    "DEBIT",
    "TICKET CLIENT A CONSERVER",
    "",
    "",
  ].join("|");
}
