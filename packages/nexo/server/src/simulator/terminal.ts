/**
 * A nexo terminal simulator that behaves like a Swedbank Pay PAX terminal (seed 004, PROTOCOLS.md §5):
 * login sessions, one service request at a time (Abort, Login and TransactionStatus excepted),
 * payments that take time and show their progress on the POS listener in full integration,
 * abort, transaction status recovery, reversal, and the runtime's protocol faults.
 */
import type {
  ErrorConditionType,
  EventNotification,
  MessageHeader,
  NexoRequestMessage,
  NexoResponseMessage,
  PaymentReceipt,
  PaymentRequest,
  PaymentResponse,
  PaymentType,
  SaleToPOIRequest,
  SaleToPOIResponse,
  TransactionIdentification,
} from "@payspec/nexo-types";
import { decodeBody, encodeBody } from "@payspec/runtime";
import type { HandlerContext } from "@payspec/runtime/server";
import type { NexoHandlers, TerminalSendReply } from "../gen/index.gen.js";
import { xmlShapes } from "../gen/index.gen.js";

/** Delays of the payment steps, in milliseconds (short by default, for tests). */
export interface NexoPaymentDelays {
  /** waiting for the card ("Present card") */
  cardMs?: number;
  /** PIN entry ("Enter PIN") */
  pinMs?: number;
  /** authorization by the host ("Authorizing") */
  authorizeMs?: number;
  /** the update after a Logout with MaintenanceAllowed */
  maintenanceMs?: number;
}

export interface NexoTerminalSimulatorOptions {
  /** POIID of the terminal, answered in every MessageHeader. */
  poiId: string;
  /** Base URL of the POS listener (full integration), e.g. `http://127.0.0.1:11001`. */
  posListenerUrl?: string;
  /** Media type of the DisplayRequests sent to the POS listener (default application/xml, as Swedbank Pay). */
  posListenerContentType?: "application/xml" | "application/json";
  delays?: NexoPaymentDelays;
  /** Clock (default: the system clock). */
  now?: () => Date;
  /** First POITransactionID (a decimal counter, default 8778880185). */
  firstTransactionId?: number;
  /** fetch used to call the POS listener (default: global fetch). */
  fetch?: typeof fetch;
}

/** One DisplayRequest the terminal sent to the POS listener. */
export interface SentDisplay {
  /** The first OutputText line, e.g. "Present card". */
  text: string;
  /** HTTP status the POS listener answered (0 when unreachable). */
  status: number;
}

/** One EventNotification the terminal sent to the POS listener. */
export interface SentEvent {
  /** SaleAdmin, BeginMaintenance, EndMaintenance, CardInserted, CardRemoved, ... */
  event: EventNotification["EventToNotify"];
  /** HTTP status the POS listener answered (0 when unreachable). */
  status: number;
}

/** One PrintRequest the terminal sent to the POS listener (the merchant receipt to be signed). */
export interface SentPrint {
  document: "CashierReceipt" | "CustomerReceipt";
  /** RequiredSignatureFlag: the customer signs the printed receipt. */
  signature: boolean;
  /** HTTP status the POS listener answered (0 when unreachable). */
  status: number;
}

/** One InputRequest the terminal sent to the POS listener (the signature confirmation). */
export interface SentInput {
  /** The question shown to the cashier, e.g. "Signature OK?". */
  prompt: string;
  /** The POS's answer: ConfirmedFlag of a Success InputResult, undefined when there was no valid answer. */
  confirmed: boolean | undefined;
  /** HTTP status the POS listener answered (0 when unreachable). */
  status: number;
}

/** A payment the terminal made, by POITransactionID. */
export interface SimulatedTransaction {
  poiTransactionId: TransactionIdentification;
  saleId: string;
  /** The POS's SaleTransactionID.TransactionID of the request (what ties the charge to the POS's order). */
  saleTransactionId: string;
  amount: number;
  currency: string;
  /** Normal (a charge) or Refund. */
  paymentType: PaymentType;
  approved: boolean;
  reversed: boolean;
}

/** The simulator's observable state (read-only for tests). */
export interface NexoTerminalState {
  /** The open login session, if any. */
  readonly session: { readonly saleId: string; readonly fullIntegration: boolean } | undefined;
  /** ServiceID of the payment in progress, if any. */
  readonly pendingServiceId: string | undefined;
  /** DisplayRequests sent to the POS listener, in order. */
  readonly displays: readonly SentDisplay[];
  /** EventNotifications sent to the POS listener, in order. */
  readonly events: readonly SentEvent[];
  /** PrintRequests sent to the POS listener, in order. */
  readonly prints: readonly SentPrint[];
  /** InputRequests sent to the POS listener, in order. */
  readonly inputs: readonly SentInput[];
  /** Maintenance: none, required (announced, waiting for a Logout with MaintenanceAllowed) or in progress. */
  readonly maintenance: "none" | "required" | "in-progress";
  /** Payments made, by POITransactionID.TransactionID. */
  readonly transactions: ReadonlyMap<string, SimulatedTransaction>;
}

export interface NexoTerminalSimulator {
  /** Handlers for `registerNexoTerminal`. */
  readonly handlers: Pick<NexoHandlers, "terminalSend">;
  readonly state: NexoTerminalState;
  /** Resolves when the payment in progress (if any) has finished. */
  settled(): Promise<void>;
  /** Ends the waits of the payment or maintenance in progress at once; for tests with long delays. */
  hurry(): void;
  /**
   * Parameters or software wait to be installed: in full integration the terminal sends the POS
   * listener an EventNotification SaleAdmin with MaintenanceRequiredFlag; the update runs after the
   * next Logout with MaintenanceAllowed.
   */
  requireMaintenance(): Promise<void>;
}

/**
 * Test amounts: the cents of RequestedAmount decide the outcome of a payment (any other amount
 * is approved). Exported so the README table and the tests share one source.
 */
export const DECLINE_AMOUNTS: Readonly<Record<string, { condition: ErrorConditionType; text: string }>> = {
  "51": { condition: "Refusal", text: "Declined" },
  "55": { condition: "WrongPIN", text: "Wrong PIN" },
  "57": { condition: "InvalidCard", text: "Card not accepted" },
};

/**
 * Test amounts with a flow of their own, by the cents of RequestedAmount (e.g. 10.70, 10.90):
 * - `signature` (70): the card asks for a signature (CVM Signature). In full integration the terminal
 *   sends the POS listener a PrintRequest (the merchant receipt, RequiredSignatureFlag) and an
 *   InputRequest "Signature OK?" (GetConfirmation); a confirmed signature approves the payment, a
 *   refused one (or no valid answer) voids it: Failure / Refusal "Signature refused". In light
 *   integration the signature is confirmed on the terminal.
 * - `waitForCard` (90): the terminal shows "Present card" and waits until the payment is aborted
 *   (or `hurry()` presents the card).
 */
export const TEST_AMOUNTS = { signature: "70", waitForCard: "90" } as const;

interface Session {
  saleId: string;
  fullIntegration: boolean;
  serviceIds: Set<string>;
}

interface Pending {
  serviceId: string;
  saleId: string;
  abortReason: string | undefined;
  hurried: boolean;
  wake: () => void;
  done: Promise<void>;
}

interface Maintenance {
  hurried: boolean;
  wake: () => void;
  done: Promise<void>;
}

interface LastResult {
  header: MessageHeader;
  body: { PaymentResponse: PaymentResponse };
}

const resultKey = (saleId: string, serviceId: string) => `${saleId}\u0000${serviceId}`;

type Category = Exclude<keyof SaleToPOIRequest, "MessageHeader">;

const DISPLAY_CAPABILITIES = new Set(["CashierDisplay", "CustomerDisplay"]);

/** Creates the terminal's handlers and state; mount them with `registerNexoTerminal`. */
export function createNexoTerminalSimulator(options: NexoTerminalSimulatorOptions): NexoTerminalSimulator {
  const now = options.now ?? (() => new Date());
  const delays = { cardMs: 10, pinMs: 10, authorizeMs: 10, maintenanceMs: 10, ...options.delays };
  const doFetch = options.fetch ?? fetch;
  const listenerType = options.posListenerContentType ?? "application/xml";
  let nextTransaction = options.firstTransactionId ?? 8778880185;
  let nextDevice = 1;

  let session: Session | undefined;
  let pending: Pending | undefined;
  let last: LastResult | undefined;
  let maintenance: Maintenance | undefined;
  let maintenanceRequired = false;
  const displays: SentDisplay[] = [];
  const events: SentEvent[] = [];
  const prints: SentPrint[] = [];
  const inputs: SentInput[] = [];
  /** Final payment answers by SaleID and ServiceID, for TransactionStatus with a MessageReference. */
  const results = new Map<string, LastResult>();
  const transactions = new Map<string, SimulatedTransaction>();

  const state: NexoTerminalState = {
    get session() {
      return session && { saleId: session.saleId, fullIntegration: session.fullIntegration };
    },
    get pendingServiceId() {
      return pending?.serviceId;
    },
    get maintenance() {
      return maintenance !== undefined ? "in-progress" : maintenanceRequired ? "required" : "none";
    },
    displays,
    events,
    prints,
    inputs,
    transactions,
  };

  const timestamp = () => now().toISOString();
  const newTransactionId = (): TransactionIdentification => ({
    TransactionID: String(nextTransaction++),
    TimeStamp: timestamp(),
  });

  function responseHeader(request: MessageHeader): MessageHeader {
    return {
      MessageClass: request.MessageClass,
      MessageCategory: request.MessageCategory,
      MessageType: "Response",
      ServiceID: request.ServiceID,
      ...(request.DeviceID === undefined ? {} : { DeviceID: request.DeviceID }),
      SaleID: request.SaleID,
      POIID: options.poiId,
    };
  }

  function reply(header: MessageHeader, body: Omit<SaleToPOIResponse, "MessageHeader">): TerminalSendReply {
    const message: NexoResponseMessage = { SaleToPOIResponse: { MessageHeader: responseHeader(header), ...body } };
    return { status: 200, body: message };
  }

  /** A Failure answer of the request's own category (what nexo answers a request it refuses). */
  function failure(
    request: SaleToPOIRequest,
    category: Category,
    condition: ErrorConditionType,
    text: string,
  ): TerminalSendReply {
    const Response = { Result: "Failure" as const, ErrorCondition: condition, AdditionalResponse: text };
    const header = request.MessageHeader;
    switch (category) {
      case "LoginRequest":
        return reply(header, { LoginResponse: { Response } });
      case "LogoutRequest":
        return reply(header, { LogoutResponse: { Response } });
      case "TransactionStatusRequest":
        return reply(header, { TransactionStatusResponse: { Response } });
      case "ReversalRequest":
        return reply(header, { ReversalResponse: { Response } });
      case "PaymentRequest": {
        const payment = request.PaymentRequest as PaymentRequest;
        return reply(header, {
          PaymentResponse: { Response, SaleData: payment.SaleData, POIData: { POITransactionID: newTransactionId() } },
        });
      }
      default:
        // Abort has no response; Device and Event messages are the POS listener's to receive.
        return { status: 400, body: { Response } };
    }
  }

  async function display(header: MessageHeader, text: string): Promise<void> {
    if (!session?.fullIntegration || options.posListenerUrl === undefined) return;
    const message: NexoRequestMessage = {
      SaleToPOIRequest: {
        MessageHeader: {
          ProtocolVersion: "3.1",
          MessageClass: "Device",
          MessageCategory: "Display",
          MessageType: "Request",
          ServiceID: header.ServiceID,
          DeviceID: String(nextDevice++),
          SaleID: header.SaleID,
          POIID: options.poiId,
        },
        DisplayRequest: {
          DisplayOutput: [
            {
              ResponseRequiredFlag: false,
              Device: "CashierDisplay",
              InfoQualify: "Status",
              OutputContent: { OutputFormat: "Text", OutputText: [{ Text: text }] },
            },
          ],
        },
      },
    };
    displays.push({ text, status: (await notify(message)).status });
  }

  /**
   * POSTs a request to the POS listener: its HTTP status (0 when unreachable) and, for a 200, the
   * decoded SaleToPOIResponse (undefined when it cannot be decoded).
   */
  async function notify(message: NexoRequestMessage): Promise<{ status: number; body?: SaleToPOIResponse }> {
    if (options.posListenerUrl === undefined) return { status: 0 };
    const encoding = listenerType === "application/xml" ? "xml" : "json";
    const url = new URL("/EPASSaleToPOI/3.1", options.posListenerUrl);
    let status = 0;
    let text = "";
    try {
      const res = await doFetch(url, {
        method: "POST",
        headers: { "content-type": listenerType },
        body: encodeBody(encoding, message, xmlShapes, "NexoRequestMessage", "SaleToPOIRequest"),
      });
      status = res.status;
      text = await res.text();
    } catch {
      // The terminal goes on when the POS listener is unreachable, as the real one does.
      return { status };
    }
    if (status !== 200) return { status };
    try {
      const answerEncoding = text.trimStart().startsWith("<") ? "xml" : "json";
      const decoded = decodeBody(answerEncoding, text, xmlShapes, "NexoResponseMessage", "SaleToPOIResponse") as
        | NexoResponseMessage
        | undefined;
      return decoded?.SaleToPOIResponse === undefined ? { status } : { status, body: decoded.SaleToPOIResponse };
    } catch {
      return { status };
    }
  }

  /** A Device request of the payment to the POS listener (Print, Input), with its own DeviceID. */
  function deviceRequest(
    header: MessageHeader,
    category: "Print" | "Input",
    body: Pick<SaleToPOIRequest, "PrintRequest" | "InputRequest">,
  ): NexoRequestMessage {
    return {
      SaleToPOIRequest: {
        MessageHeader: {
          ProtocolVersion: "3.1",
          MessageClass: "Device",
          MessageCategory: category,
          MessageType: "Request",
          ServiceID: header.ServiceID,
          DeviceID: String(nextDevice++),
          SaleID: header.SaleID,
          POIID: options.poiId,
        },
        ...body,
      },
    };
  }

  /**
   * CVM Signature in full integration: the merchant receipt goes to the POS printer (PrintRequest
   * with RequiredSignatureFlag, ResponseMode PrintEnd), then the cashier confirms the signature
   * (InputRequest GetConfirmation). True only for a Success InputResult with ConfirmedFlag true.
   */
  async function askSignature(header: MessageHeader, receipt: string): Promise<boolean> {
    if (!session?.fullIntegration || options.posListenerUrl === undefined) return true;
    const printed = await notify(
      deviceRequest(header, "Print", {
        PrintRequest: {
          PrintOutput: {
            DocumentQualifier: "CashierReceipt",
            ResponseMode: "PrintEnd",
            RequiredSignatureFlag: true,
            OutputContent: { OutputFormat: "Text", OutputText: [{ Text: receipt }] },
          },
        },
      }),
    );
    prints.push({ document: "CashierReceipt", signature: true, status: printed.status });
    const prompt = "Signature OK?";
    const asked = await notify(
      deviceRequest(header, "Input", {
        InputRequest: {
          DisplayOutput: {
            Device: "CashierDisplay",
            InfoQualify: "Display",
            OutputContent: { OutputFormat: "Text", OutputText: [{ Text: prompt }] },
          },
          InputData: { Device: "CashierInput", InfoQualify: "Input", InputCommand: "GetConfirmation" },
        },
      }),
    );
    const result = asked.body?.InputResponse?.InputResult;
    const confirmed =
      result?.Response.Result === "Success" && typeof result.Input?.ConfirmedFlag === "boolean"
        ? result.Input.ConfirmedFlag
        : undefined;
    inputs.push({ prompt, confirmed, status: asked.status });
    return confirmed === true;
  }

  /** Sends an EventNotification to the POS listener (full integration only). */
  async function event(
    saleId: string,
    full: boolean,
    what: EventNotification["EventToNotify"],
    details: string,
  ): Promise<void> {
    if (!full || options.posListenerUrl === undefined) return;
    const message: NexoRequestMessage = {
      SaleToPOIRequest: {
        MessageHeader: {
          ProtocolVersion: "3.1",
          MessageClass: "Event",
          MessageCategory: "Event",
          MessageType: "Notification",
          ServiceID: String(nextDevice++),
          SaleID: saleId,
          POIID: options.poiId,
        },
        EventNotification: {
          TimeStamp: timestamp(),
          EventToNotify: what,
          ...(what === "SaleAdmin" ? { MaintenanceRequiredFlag: true } : {}),
          EventDetails: details,
        },
      },
    };
    events.push({ event: what, status: (await notify(message)).status });
  }

  /** Maintenance after a Logout with MaintenanceAllowed: BeginMaintenance, the update, EndMaintenance. */
  function startMaintenance(saleId: string, full: boolean): void {
    let settle!: () => void;
    const m: Maintenance = { wake: () => {}, hurried: false, done: new Promise<void>((r) => (settle = r)) };
    maintenance = m;
    void (async () => {
      try {
        await event(saleId, full, "BeginMaintenance", "Maintenance started");
        if (!m.hurried) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delays.maintenanceMs);
            m.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        maintenanceRequired = false;
        await event(saleId, full, "EndMaintenance", "Maintenance completed");
      } finally {
        maintenance = undefined;
        settle();
      }
    })();
  }

  /** Waits `ms` (forever when undefined), or less when the payment is aborted or hurried. */
  function step(p: Pending, ms: number | undefined): Promise<void> {
    if (p.abortReason !== undefined || p.hurried) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      p.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** The receipts of a payment; the cashier's copy carries RequiredSignatureFlag when the customer signed. */
  function receipts(text: Record<string, unknown>, signed = false): PaymentReceipt[] {
    const data = Buffer.from(JSON.stringify(text)).toString("base64");
    return (["CashierReceipt", "CustomerReceipt"] as const).map((DocumentQualifier) => ({
      DocumentQualifier,
      ...(signed && DocumentQualifier === "CashierReceipt" ? { RequiredSignatureFlag: true } : {}),
      OutputContent: { OutputFormat: "Text" as const, OutputText: [{ Text: data }] },
    }));
  }

  async function runPayment(
    header: MessageHeader,
    payment: PaymentRequest,
    p: Pending,
    decline: boolean,
  ): Promise<LastResult> {
    const poiTransactionId = newTransactionId();
    const amounts = payment.PaymentTransaction.AmountsReq;
    const paymentType = payment.PaymentData?.PaymentType ?? "Normal";
    const base = { SaleData: payment.SaleData, POIData: { POITransactionID: poiTransactionId } };
    const finish = (body: PaymentResponse): LastResult => ({
      header: responseHeader(header),
      body: { PaymentResponse: body },
    });
    const aborted = () =>
      finish({
        Response: { Result: "Failure", ErrorCondition: "Aborted", AdditionalResponse: p.abortReason ?? "Aborted" },
        ...base,
      });

    const cents = String(Math.round(amounts.RequestedAmount * 100) % 100).padStart(2, "0");
    const signature = cents === TEST_AMOUNTS.signature;
    const full = session?.fullIntegration === true;
    await display(header, "Present card");
    await step(p, cents === TEST_AMOUNTS.waitForCard ? undefined : delays.cardMs);
    if (p.abortReason !== undefined) return aborted();
    // The card is in the reader from here to the end of the payment (EventNotifications in full integration).
    await event(header.SaleID, full, "CardInserted", "Card inserted");
    try {
      return await authorize();
    } finally {
      await event(header.SaleID, full, "CardRemoved", "Card removed");
    }

    async function authorize(): Promise<LastResult> {
      if (!signature) {
        await display(header, "Enter PIN");
        await step(p, delays.pinMs);
        if (p.abortReason !== undefined) return aborted();
      }
      await display(header, "Authorizing");
      await step(p, delays.authorizeMs);
      if (p.abortReason !== undefined) return aborted();

      const test = DECLINE_AMOUNTS[cents];
      const refused = decline ? { condition: "Refusal" as const, text: "Declined" } : test;
      const tx: SimulatedTransaction = {
        poiTransactionId,
        saleId: header.SaleID,
        saleTransactionId: payment.SaleData.SaleTransactionID.TransactionID,
        amount: amounts.RequestedAmount,
        currency: amounts.Currency,
        paymentType,
        approved: refused === undefined,
        reversed: false,
      };
      transactions.set(poiTransactionId.TransactionID, tx);
      if (refused !== undefined) {
        await display(header, "Declined");
        return finish({
          Response: { Result: "Failure", ErrorCondition: refused.condition, AdditionalResponse: refused.text },
          ...base,
        });
      }
      if (signature) {
        await display(header, "Sign the receipt");
        const merchantReceipt = Buffer.from(
          JSON.stringify({
            Merchant: {
              Mandatory: {
                Payment: {
                  Currency: amounts.Currency,
                  PaymentAmount: amounts.RequestedAmount.toFixed(2),
                  SignatureBlock: true,
                  TotalAmount: amounts.RequestedAmount.toFixed(2),
                },
              },
            },
          }),
        ).toString("base64");
        if (!(await askSignature(header, merchantReceipt))) {
          // A refused signature voids the authorisation: nothing is charged.
          tx.approved = false;
          await display(header, "Signature refused");
          return finish({
            Response: { Result: "Failure", ErrorCondition: "Refusal", AdditionalResponse: "Signature refused" },
            ...base,
          });
        }
      }
      return approve(signature);
    }

    async function approve(signed: boolean): Promise<LastResult> {
      await display(header, "Approved");
      const approvalCode = poiTransactionId.TransactionID.slice(-6);
      return finish({
        Response: { Result: "Success" },
        ...base,
        PaymentResult: {
          PaymentType: paymentType,
          PaymentInstrumentData: {
            PaymentInstrumentType: "Card",
            CardData: {
              PaymentBrand: "01,Mastercard Debit",
              MaskedPAN: "516815******9659",
              EntryMode: ["Contactless"],
            },
          },
          AmountsResp: { Currency: amounts.Currency, AuthorizedAmount: amounts.RequestedAmount },
          PaymentAcquirerData: {
            MerchantID: "10020001",
            AcquirerPOIID: options.poiId.slice(0, 10),
            ApprovalCode: approvalCode,
          },
        },
        PaymentReceipt: receipts(
          {
            Cardholder: {
              Mandatory: {
                Outcome: { ApprovalCode: approvalCode, AuthorisationResponseCode: "00" },
                Payment: {
                  Currency: amounts.Currency,
                  PaymentAmount: amounts.RequestedAmount.toFixed(2),
                  TotalAmount: amounts.RequestedAmount.toFixed(2),
                },
              },
            },
          },
          signed,
        ),
      });
    }
  }

  async function payment(request: SaleToPOIRequest, ctx: HandlerContext): Promise<TerminalSendReply> {
    const header = request.MessageHeader;
    const body = request.PaymentRequest as PaymentRequest;
    let settle!: () => void;
    const p: Pending = {
      serviceId: header.ServiceID,
      saleId: header.SaleID,
      abortReason: undefined,
      hurried: false,
      wake: () => {},
      done: new Promise<void>((resolve) => {
        settle = resolve;
      }),
    };
    pending = p;
    if (ctx.faults.disconnect) {
      // The connection drops mid-payment; the terminal completes it anyway (recover with TransactionStatus).
      ctx.request.raw.socket.destroy();
    }
    try {
      const result = await runPayment(header, body, p, ctx.faults.decline === true);
      last = result;
      results.set(resultKey(header.SaleID, header.ServiceID), result);
      return { status: 200, body: { SaleToPOIResponse: { MessageHeader: result.header, ...result.body } } };
    } finally {
      pending = undefined;
      settle();
    }
  }

  function reversal(request: SaleToPOIRequest): TerminalSendReply {
    const header = request.MessageHeader;
    const original = request.ReversalRequest!.OriginalPOITransaction;
    const tx = transactions.get(original.POITransactionID.TransactionID);
    if (tx === undefined || !tx.approved) {
      return failure(request, "ReversalRequest", "NotFound", "No approved transaction with this POITransactionID");
    }
    if (tx.reversed) return failure(request, "ReversalRequest", "NotAllowed", "Transaction already reversed");
    tx.reversed = true;
    return reply(header, {
      ReversalResponse: {
        ReversedAmount: tx.amount,
        Response: { Result: "Success" },
        POIData: { POITransactionID: tx.poiTransactionId },
        OriginalPOITransaction: { SaleID: tx.saleId, POIID: options.poiId, POITransactionID: tx.poiTransactionId },
        PaymentReceipt: receipts({
          Cardholder: { Mandatory: { Payment: { Currency: tx.currency, ReversedAmount: tx.amount.toFixed(2) } } },
        }),
      },
    });
  }

  /**
   * TransactionStatus: without a MessageReference, the last payment; with one, the payment sent with
   * that ServiceID (and SaleID, default the requester's): InProgress while it runs, NotFound when the
   * terminal never received it.
   */
  function transactionStatus(request: SaleToPOIRequest): TerminalSendReply {
    const header = request.MessageHeader;
    const ref = request.TransactionStatusRequest?.MessageReference;
    const saleId = ref?.SaleID ?? header.SaleID;
    const wanted = (serviceId: string, sale: string) =>
      ref?.ServiceID === undefined || (ref.ServiceID === serviceId && saleId === sale);
    if (pending !== undefined && wanted(pending.serviceId, pending.saleId)) {
      return failure(request, "TransactionStatusRequest", "InProgress", "Transaction in progress");
    }
    const found = ref?.ServiceID === undefined ? last : results.get(resultKey(saleId, ref.ServiceID));
    if (found === undefined) {
      return failure(request, "TransactionStatusRequest", "NotFound", "No transaction found");
    }
    return reply(header, {
      TransactionStatusResponse: {
        Response: { Result: "Success" },
        RepeatedMessageResponse: { MessageHeader: found.header, RepeatedResponseMessageBody: found.body },
      },
    });
  }

  async function terminalSend(input: { body: NexoRequestMessage }, ctx: HandlerContext): Promise<TerminalSendReply> {
    const request = input.body.SaleToPOIRequest;
    const header = request.MessageHeader;
    const category = (Object.keys(request) as (keyof SaleToPOIRequest)[]).find(
      (k) => k !== "MessageHeader",
    ) as Category;

    if (category === "LoginRequest") {
      if (ctx.faults.busy) return failure(request, category, "Busy", "Terminal busy");
      if (maintenance !== undefined) return failure(request, category, "Busy", "Maintenance in progress");
      const capabilities = request.LoginRequest!.SaleTerminalData?.SaleCapabilities ?? [];
      session = {
        saleId: header.SaleID,
        fullIntegration: options.posListenerUrl !== undefined && capabilities.some((c) => DISPLAY_CAPABILITIES.has(c)),
        serviceIds: new Set([header.ServiceID]),
      };
      return reply(header, {
        LoginResponse: {
          Response: { Result: "Success" },
          POISystemData: {
            DateTime: timestamp(),
            POISoftware: {
              ProviderIdentification: "Optomany",
              ApplicationName: "axept PRO",
              SoftwareVersion: "1.2.17.0",
            },
            POITerminalData: { TerminalEnvironment: "Attended", POISerialNumber: "1710000520" },
            POIStatus: { GlobalStatus: "OK" },
          },
        },
      });
    }

    if (category === "AbortRequest") {
      // nexo has no AbortResponse: 204 in every case; an abort of nothing pending is ignored.
      const ref = request.AbortRequest!.MessageReference;
      if (session?.saleId === header.SaleID && pending !== undefined && ref.ServiceID === pending.serviceId) {
        pending.abortReason = request.AbortRequest!.AbortReason;
        pending.wake();
      }
      return { status: 204 };
    }

    if (session === undefined || session.saleId !== header.SaleID) {
      return failure(request, category, "LoggedOut", "No login session for this SaleID");
    }
    if (session.serviceIds.has(header.ServiceID)) {
      return failure(
        request,
        category,
        "MessageFormat",
        `ServiceID ${header.ServiceID} already used in this login session`,
      );
    }
    session.serviceIds.add(header.ServiceID);

    if (category === "TransactionStatusRequest") return transactionStatus(request);
    if (ctx.faults.busy) return failure(request, category, "Busy", "Terminal busy");
    if (pending !== undefined) return failure(request, category, "Busy", "Another request is in progress");

    switch (category) {
      case "LogoutRequest":
        if (request.LogoutRequest?.MaintenanceAllowed === true && maintenanceRequired) {
          startMaintenance(session.saleId, session.fullIntegration);
        }
        session = undefined;
        return reply(header, { LogoutResponse: { Response: { Result: "Success" } } });
      case "PaymentRequest":
        return payment(request, ctx);
      case "ReversalRequest":
        return reversal(request);
      default:
        return failure(request, category, "NotAllowed", `${category} is not a request the terminal receives`);
    }
  }

  return {
    handlers: { terminalSend },
    state,
    hurry: () => {
      for (const running of [pending, maintenance]) {
        if (running === undefined) continue;
        running.hurried = true;
        running.wake();
      }
    },
    settled: async () => {
      while (pending !== undefined || maintenance !== undefined) await (pending ?? maintenance)?.done;
    },
    requireMaintenance: async () => {
      maintenanceRequired = true;
      if (session !== undefined)
        await event(session.saleId, session.fullIntegration, "SaleAdmin", "Maintenance Required");
    },
  };
}
