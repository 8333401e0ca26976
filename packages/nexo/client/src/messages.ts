/**
 * Envelope builders: a nexo request is a MessageHeader plus one body element whose name follows
 * from the header (MessageCategory + MessageType, Swedbank Pay quick guide "Message Format"), so
 * the header is derived from the body's kind and never written by hand.
 */
import {
  MessageCategoryType,
  MessageClassType,
  type MessageHeader,
  MessageType,
  type NexoRequestMessage,
  type NexoResponseMessage,
  type SaleToPOIRequest,
  type SaleToPOIResponse,
} from "@payspec/nexo-types";

/** The body elements of a SaleToPOIRequest: `LoginRequest`, `PaymentRequest`, ..., `EventNotification`. */
export type NexoRequestKind = Exclude<keyof SaleToPOIRequest, "MessageHeader">;

/** The body elements of a SaleToPOIResponse: `LoginResponse`, `PaymentResponse`, ... */
export type NexoResponseKind = Exclude<keyof SaleToPOIResponse, "MessageHeader">;

/** The header fields of a request that are not derived from its kind. */
export interface NexoRequestHeader {
  /** Identification of the POS, the same throughout a login session. */
  SaleID: string;
  /** Identification of the terminal (at most 32 characters). */
  POIID: string;
  /** Unique per terminal within a login session, at most 10 characters: see {@link serviceIdSequence}. */
  ServiceID: string;
  /** Identifies a Device message pair (Display, Input, Print). */
  DeviceID?: string;
}

type Classification = Pick<MessageHeader, "MessageClass" | "MessageCategory" | "MessageType">;

const service = (category: MessageCategoryType): Classification => ({
  MessageClass: MessageClassType.Service,
  MessageCategory: category,
  MessageType: MessageType.Request,
});
const device = (category: MessageCategoryType): Classification => ({
  MessageClass: MessageClassType.Device,
  MessageCategory: category,
  MessageType: MessageType.Request,
});

/** MessageClass, MessageCategory and MessageType of each request body. */
const classification: { readonly [K in NexoRequestKind]: Classification } = {
  LoginRequest: service(MessageCategoryType.Login),
  LogoutRequest: service(MessageCategoryType.Logout),
  PaymentRequest: service(MessageCategoryType.Payment),
  AbortRequest: service(MessageCategoryType.Abort),
  TransactionStatusRequest: service(MessageCategoryType.TransactionStatus),
  ReversalRequest: service(MessageCategoryType.Reversal),
  DisplayRequest: device(MessageCategoryType.Display),
  InputRequest: device(MessageCategoryType.Input),
  PrintRequest: device(MessageCategoryType.Print),
  EventNotification: {
    MessageClass: MessageClassType.Event,
    MessageCategory: MessageCategoryType.Event,
    MessageType: MessageType.Notification,
  },
};

/** MessageHeader.ServiceID: at most 10 characters (Swedbank Pay). */
const SERVICE_ID_MAX = 10;
const SERVICE_ID_SPACE = 10 ** SERVICE_ID_MAX;

function checkServiceID(id: string): void {
  if (id.length === 0 || id.length > SERVICE_ID_MAX) {
    throw new RangeError(`ServiceID must have 1 to ${SERVICE_ID_MAX} characters, got ${JSON.stringify(id)}`);
  }
}

/**
 * Builds `{ SaleToPOIRequest: { MessageHeader, [kind]: body } }`: the header's MessageClass,
 * MessageCategory and MessageType follow from `kind`, ProtocolVersion is 3.1.
 *
 * @example nexoRequest({ SaleID: "1", POIID: "A-POIID", ServiceID: "6" }, "PaymentRequest", { SaleData, PaymentTransaction })
 */
export function nexoRequest<K extends NexoRequestKind>(
  header: NexoRequestHeader,
  kind: K,
  body: NonNullable<SaleToPOIRequest[K]>,
): NexoRequestMessage {
  checkServiceID(header.ServiceID);
  const MessageHeader: MessageHeader = {
    ProtocolVersion: "3.1",
    ...classification[kind],
    ServiceID: header.ServiceID,
    ...(header.DeviceID === undefined ? {} : { DeviceID: header.DeviceID }),
    SaleID: header.SaleID,
    POIID: header.POIID,
  };
  return { SaleToPOIRequest: { MessageHeader, [kind]: body } as SaleToPOIRequest };
}

/**
 * Builds the answer to `request`: its MessageHeader echoed with MessageType Response, and
 * `body` as `kind`. For a POS listener answering a PrintRequest or an InputRequest.
 */
export function nexoResponse<K extends NexoResponseKind>(
  request: NexoRequestMessage,
  kind: K,
  body: NonNullable<SaleToPOIResponse[K]>,
): NexoResponseMessage {
  const MessageHeader: MessageHeader = { ...request.SaleToPOIRequest.MessageHeader, MessageType: MessageType.Response };
  return { SaleToPOIResponse: { MessageHeader, [kind]: body } as SaleToPOIResponse };
}

/**
 * ServiceIDs for one login session: decimal, at most 10 characters, one more on every call.
 * Swedbank Pay suggests starting at the login's time as HHMMSS, the default.
 */
export function serviceIdSequence(first: number = hhmmss(new Date())): () => string {
  if (!Number.isSafeInteger(first) || first < 0)
    throw new RangeError(`first ServiceID must be a whole number ≥ 0, got ${first}`);
  let next = first % SERVICE_ID_SPACE;
  return () => {
    const id = String(next);
    next = (next + 1) % SERVICE_ID_SPACE;
    return id;
  };
}

function hhmmss(d: Date): number {
  return d.getHours() * 10000 + d.getMinutes() * 100 + d.getSeconds();
}

/**
 * The identifiers of one login session: every request it builds carries the same SaleID and
 * POIID and a fresh ServiceID.
 */
export class NexoSession {
  readonly SaleID: string;
  readonly POIID: string;
  private readonly nextServiceID: () => string;

  constructor(ids: { SaleID: string; POIID: string; firstServiceID?: number }) {
    this.SaleID = ids.SaleID;
    this.POIID = ids.POIID;
    this.nextServiceID = serviceIdSequence(ids.firstServiceID);
  }

  /** A request of this session with the next ServiceID. */
  request<K extends NexoRequestKind>(
    kind: K,
    body: NonNullable<SaleToPOIRequest[K]>,
    options: { DeviceID?: string } = {},
  ): NexoRequestMessage {
    return nexoRequest(
      { SaleID: this.SaleID, POIID: this.POIID, ServiceID: this.nextServiceID(), ...options },
      kind,
      body,
    );
  }
}
