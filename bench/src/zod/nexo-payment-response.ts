// Zod schemas of nexo's PaymentResponse and what it references, mirroring
// specs/openapi/nexo/nexo.schema.json keyword by keyword (objects keep unknown members,
// as the JSON Schema allows them). Written by scripts/zod-from-schema.mjs; kept as plain source,
// the zod a user would write by hand. Rerun the script when the spec changes.
import { z } from "zod";

export const ResultType = z.enum(["Success", "Failure", "Partial"]);

export const ErrorConditionType = z.enum([
  "Aborted",
  "Busy",
  "Cancel",
  "DeviceOut",
  "InProgress",
  "InsertedCard",
  "InvalidCard",
  "LoggedOut",
  "MessageFormat",
  "NotAllowed",
  "NotFound",
  "PaymentRestriction",
  "Refusal",
  "UnavailableDevice",
  "UnavailableService",
  "UnreachableHost",
  "WrongPIN",
]);

export const Response = z.looseObject({
  Result: ResultType,
  ErrorCondition: ErrorConditionType.optional(),
  AdditionalResponse: z.string().optional(),
});

export const TokenRequestedType = z.enum(["Customer", "Transaction"]);

export const TransactionIdentification = z.looseObject({
  TransactionID: z.string(),
  TimeStamp: z.iso.datetime({ offset: true }),
});

export const TerminalEnvironmentType = z.enum(["Attended", "SemiAttended", "Unattended"]);

export const SaleCapabilitiesType = z.enum([
  "CashierDisplay",
  "CashierError",
  "CashierInput",
  "CashierStatus",
  "CustomerAssistance",
  "CustomerDisplay",
  "CustomerError",
  "CustomerInput",
  "EMVContactless",
  "ICC",
  "MagStripe",
  "POIReplication",
  "PrinterDocument",
  "PrinterReceipt",
  "PrinterVoucher",
]);

export const GenericProfileType = z.enum(["Basic", "Standard", "Extended"]);

export const ServiceProfilesType = z.enum([
  "Synchro",
  "Batch",
  "OneTimeRes",
  "Reservation",
  "Loyalty",
  "StoredValue",
  "PIN",
  "CardReader",
  "Sound",
  "Communication",
]);

export const SaleProfile = z.looseObject({
  GenericProfile: GenericProfileType.optional(),
  ServiceProfiles: z.array(ServiceProfilesType).optional(),
});

export const SaleTerminalData = z.looseObject({
  TerminalEnvironment: TerminalEnvironmentType.optional(),
  TotalsGroupID: z.string().optional(),
  SaleCapabilities: z.array(SaleCapabilitiesType).optional(),
  SaleProfile: SaleProfile.optional(),
});

export const SaleData = z.looseObject({
  OperatorID: z.string().optional(),
  OperatorLanguage: z.string().optional(),
  ShiftNumber: z.string().optional(),
  SaleReferenceID: z.string().optional(),
  TokenRequestedType: TokenRequestedType.optional(),
  CustomerOrderID: z.string().optional(),
  SaleTransactionID: TransactionIdentification,
  SaleTerminalData: SaleTerminalData.optional(),
  SaleToPOIData: z.string().optional(),
  SaleToAcquirerData: z.string().optional(),
});

export const POIData = z.looseObject({
  POIReconciliationID: z.string().optional(),
  POITransactionID: TransactionIdentification,
});

export const PaymentType = z.enum([
  "CashAdvance",
  "CashDeposit",
  "Completion",
  "FirstReservation",
  "Instalment",
  "IssuerInstalment",
  "Normal",
  "OneTimeReservation",
  "PaidOut",
  "Recurring",
  "Refund",
  "UpdateReservation",
]);

export const PaymentInstrumentType = z.enum(["Card", "Cash", "Check", "Mobile", "StoredValue"]);

export const EntryModeType = z.enum([
  "Contactless",
  "File",
  "ICC",
  "Keyed",
  "MagStripe",
  "Manual",
  "Mobile",
  "RFID",
  "Scanned",
  "SynchronousICC",
  "Tapped",
]);

export const PaymentToken = z.looseObject({
  TokenRequestedType: TokenRequestedType,
  TokenValue: z.string(),
  ExpiryDateTime: z.iso.datetime({ offset: true }).optional(),
});

export const CardData = z.looseObject({
  PaymentBrand: z.string().optional(),
  MaskedPAN: z.string().optional(),
  PaymentAccountRef: z.string().optional(),
  EntryMode: z.array(EntryModeType).optional(),
  CardCountryCode: z.string().optional(),
  PaymentToken: PaymentToken.optional(),
});

export const PaymentInstrumentData = z.looseObject({
  PaymentInstrumentType: PaymentInstrumentType,
  CardData: CardData.optional(),
});

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/);

export const NexoAmount = z.number().min(0);

export const AmountsResp = z.looseObject({
  Currency: CurrencyCode.optional(),
  AuthorizedAmount: NexoAmount,
  TotalRebatesAmount: NexoAmount.optional(),
  TotalFeesAmount: NexoAmount.optional(),
  CashBackAmount: NexoAmount.optional(),
  TipAmount: NexoAmount.optional(),
});

export const PaymentAcquirerData = z.looseObject({
  AcquirerID: z.string().optional(),
  MerchantID: z.string().optional(),
  AcquirerPOIID: z.string().optional(),
  AcquirerTransactionID: TransactionIdentification.optional(),
  ApprovalCode: z.string().optional(),
});

export const PaymentResult = z.looseObject({
  PaymentType: PaymentType.optional(),
  MerchantOverrideFlag: z.boolean().optional(),
  CustomerLanguage: z.string().optional(),
  OnlineFlag: z.boolean().optional(),
  PaymentInstrumentData: PaymentInstrumentData.optional(),
  AmountsResp: AmountsResp.optional(),
  PaymentAcquirerData: PaymentAcquirerData.optional(),
});

export const DocumentQualifierType = z.enum([
  "CashierReceipt",
  "CustomerReceipt",
  "Document",
  "Journal",
  "SaleReceipt",
  "Voucher",
]);

export const OutputFormatType = z.enum(["Text", "MessageRef", "XHTML", "BarCode"]);

export const PredefinedContent = z.looseObject({
  ReferenceID: z.string(),
  Language: z.string().optional(),
});

export const OutputText = z.looseObject({
  EndOfLineFlag: z.boolean().optional(),
  Text: z.string(),
});

export const OutputContent = z.looseObject({
  OutputFormat: OutputFormatType,
  PredefinedContent: PredefinedContent.optional(),
  OutputText: z.array(OutputText).optional(),
  OutputXHTML: z.string().optional(),
});

export const PaymentReceipt = z.looseObject({
  DocumentQualifier: DocumentQualifierType,
  IntegratedPrintFlag: z.boolean().optional(),
  RequiredSignatureFlag: z.boolean().optional(),
  OutputContent: OutputContent,
});

export const PaymentResponse = z.looseObject({
  Response: Response,
  SaleData: SaleData,
  POIData: POIData,
  PaymentResult: PaymentResult.optional(),
  PaymentReceipt: z.array(PaymentReceipt).optional(),
});
