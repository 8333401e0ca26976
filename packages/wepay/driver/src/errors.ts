/**
 * Card Present SDK errors with their iOS and Android names (specs/wepay/sdk.tsp `WPErrorCode`,
 * `IosSdkErrorName`, `AndroidSdkErrorName`; public v2 SDK WPError.h / ErrorCode.java).
 */
import type { SdkError } from "@payspec/wepay-types";
import { WPErrorCode } from "@payspec/wepay-types";

/** iOS error names the driver raises (a subset of `WPErrorCode`, plus the secure-session error). */
export type DriverErrorName = keyof typeof WPErrorCode | "WPErrorSecureSessionNotActive";

interface ErrorInfo {
  readonly android: string;
  readonly message: string;
}

const INFO: Readonly<Record<DriverErrorName, ErrorInfo>> = {
  WPErrorUnknown: { android: "UNKNOWN_ERROR", message: "An unknown error occurred." },
  WPErrorNoDataReturned: { android: "NO_DATA_RETURNED_ERROR", message: "No data was returned." },
  WPErrorSecureSessionNotActive: {
    android: "SECURE_SESSION_NOT_ACTIVE",
    message: "A session could not be initialized.",
  },
  WPErrorCardReaderGeneralError: { android: "CARD_READER_GENERAL_ERROR", message: "Card reader error." },
  WPErrorCardReaderInitialization: {
    android: "CARD_READER_INITIALIZATION_ERROR",
    message: "The card reader could not be initialized.",
  },
  WPErrorCardReaderTimeout: { android: "CARD_READER_TIME_OUT_ERROR", message: "Card reader timed out." },
  WPErrorCardReaderStatusError: { android: "CARD_READER_STATUS_ERROR", message: "Card reader status error." },
  WPErrorInvalidSignatureImage: { android: "INVALID_SIGNATURE_IMAGE_ERROR", message: "Invalid signature image." },
  WPErrorNameNotFound: { android: "NAME_NOT_FOUND_ERROR", message: "Name not found." },
  WPErrorInvalidCardData: { android: "INVALID_CARD_DATA", message: "Invalid card data." },
  WPErrorCardNotSupported: { android: "CARD_NOT_SUPPORTED", message: "Card not supported." },
  WPErrorEMVTransactionError: { android: "EMV_TRANSACTION_ERROR", message: "EMV transaction error." },
  WPErrorInvalidApplicationId: { android: "INVALID_APPLICATION_ID", message: "Invalid application ID selected." },
  WPErrorDeclinedByCard: { android: "DECLINED_BY_CARD", message: "Declined by the card." },
  WPErrorCardBlocked: { android: "CARD_BLOCKED", message: "Card blocked." },
  WPErrorDeclinedByIssuer: { android: "CARD_DECLINED_BY_ISSUER", message: "Declined by the issuer." },
  WPErrorIssuerUnreachable: { android: "ISSUER_UNREACHABLE", message: "The issuing bank could not be reached." },
  WPErrorInvalidAuthInfo: { android: "INVALID_TRANSACTION_INFO", message: "Invalid auth info." },
  WPErrorAuthInfoNotProvided: { android: "TRANSACTION_INFO_NOT_PROVIDED", message: "Auth info not provided." },
  WPErrorPaymentMethodCannotBeTokenized: {
    android: "PAYMENT_METHOD_CANNOT_BE_TOKENIZED",
    message: "The payment method cannot be tokenized.",
  },
  WPErrorFailedToGetBatteryLevel: {
    android: "FAILED_TO_GET_BATTERY_LEVEL",
    message: "Battery level could not be read.",
  },
  WPErrorCardReaderNotConnected: { android: "CARD_READER_NOT_CONNECTED_ERROR", message: "Card reader not connected." },
  WPErrorCardReaderModelNotSupported: {
    android: "CARD_READER_MODEL_NOT_SUPPORTED",
    message: "Card reader model not supported.",
  },
  WPErrorInvalidTransactionAmount: { android: "INVALID_TRANSACTION_AMOUNT", message: "Invalid transaction amount." },
  WPErrorInvalidTransactionCurrencyCode: {
    android: "INVALID_TRANSACTION_CURRENCY_CODE",
    message: "Invalid transaction currency code.",
  },
  WPErrorInvalidTransactionAccountID: {
    android: "INVALID_TRANSACTION_ACCOUNT_ID",
    message: "Invalid transaction account ID.",
  },
  WPErrorInvalidCardReaderSelection: {
    android: "INVALID_CARD_READER_SELECTION",
    message: "Invalid card reader selection.",
  },
  WPErrorCardReaderBatteryTooLow: { android: "CARD_READER_BATTERY_TOO_LOW", message: "Card reader battery too low." },
  WPErrorCardReaderUnableToConnect: {
    android: "CARD_READER_UNABLE_TO_CONNECT",
    message: "Unable to connect to the card reader.",
  },
};

/** The `SdkError` for an iOS error name: numeric code (when documented), iOS and Android names, message. */
export function sdkError(name: DriverErrorName, message?: string): SdkError {
  const info = INFO[name];
  const code = name === "WPErrorSecureSessionNotActive" ? undefined : WPErrorCode[name];
  return {
    domain: "com.wepay.sdk",
    ...(code === undefined ? {} : { code }),
    ios_name: name,
    android_name: info.android,
    message: message ?? info.message,
  };
}

/** The Android name of an iOS error name. */
export function androidErrorName(name: DriverErrorName): string {
  return INFO[name].android;
}

/** A Card Present SDK error raised by the driver; `sdkError` is the typed SDK error the app would get. */
export class WePayDriverError extends Error {
  override readonly name = "WePayDriverError";
  readonly sdkError: SdkError;
  constructor(errorName: DriverErrorName, message?: string, options?: { cause?: unknown }) {
    const sdk = sdkError(errorName, message);
    super(`${sdk.ios_name} (${sdk.android_name}): ${sdk.message}`, options);
    this.sdkError = sdk;
  }
  /** The iOS name, e.g. `WPErrorCardReaderTimeout`. */
  get iosName(): string {
    return this.sdkError.ios_name;
  }
}

/** The card read was stopped by the app (AbortSignal): the reader reports "stopped"; nothing was authorized. */
export class CardReadCancelledError extends Error {
  override readonly name = "CardReadCancelledError";
}
