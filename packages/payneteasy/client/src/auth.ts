/**
 * Credentials of a Payneteasy connecting party: the merchant login and the merchant control key
 * Payneteasy assigned to it.
 *
 * - Sale, Preauth and Close Day are signed with OAuth 1.0 HMAC-SHA1 (RFC 5849; spec auth.tsp):
 *   the signature base string covers the method, the URL and every form body parameter, so the
 *   signature is made last, over the body exactly as it is sent.
 * - Status and return requests are not signed: they carry `control` in the body (see
 *   `statusControl`, `returnControl`).
 */
import {
  type Authenticator,
  amountInCents,
  type OperationDescriptor,
  type OutgoingRequest,
  payneteasyReturnControl,
  payneteasyStatusControl,
  signOAuth1,
} from "@payspec/runtime";

export { amountInCents };

export interface PayneteasyCredentials {
  /** Merchant login (the OAuth consumer key). */
  login: string;
  /** Merchant control key (the OAuth consumer secret; also the key of every `control`). */
  merchantControlKey: string;
}

export interface PayneteasyAuthOptions extends PayneteasyCredentials {
  /** Unique per request; default 16 random bytes in hex. Injectable for tests. */
  nonce?: () => string;
  /** Milliseconds since the epoch; default `Date.now`. Injectable for tests. */
  now?: () => number;
}

/**
 * The client's `auth`: signs every operation whose spec declares the OAuth `Authorization`
 * header (Sale, Preauth, Close Day) and leaves the others alone. An `Authorization` value passed
 * in the call's input is replaced: a signature is only valid for the body it was made over.
 */
export function payneteasyAuth(options: PayneteasyAuthOptions): Authenticator {
  const { login, merchantControlKey } = options;
  if (!login || !merchantControlKey) throw new TypeError("payneteasyAuth: login and merchantControlKey are required");
  return (request: OutgoingRequest, op: OperationDescriptor) => {
    if (!isSigned(op)) return;
    for (const name of Object.keys(request.headers)) {
      if (name.toLowerCase() === "authorization") delete request.headers[name];
    }
    const signOptions: Parameters<typeof signOAuth1>[0] = {
      method: request.method,
      url: request.url,
      consumerKey: login,
      consumerSecret: merchantControlKey,
      body: request.body ?? "",
    };
    if (options.nonce) signOptions.nonce = options.nonce();
    if (options.now) signOptions.timestamp = Math.floor(options.now() / 1000);
    request.headers.Authorization = signOAuth1(signOptions).authorization;
  };
}

/** Whether the spec signs `op` with OAuth: it declares an `Authorization` header parameter. */
export function isSigned(op: OperationDescriptor): boolean {
  return op.params.some((p) => p.in === "header" && p.name.toLowerCase() === "authorization");
}

export interface StatusControlFields extends PayneteasyCredentials {
  /** The connecting party's order id. */
  client_orderid: string;
  /** Payneteasy's order id (`paynet-order-id` of the async-response); empty when not known. */
  orderid?: string;
}

/**
 * `control` of a status request: SHA1(login + client_orderid + orderid + merchant_control_key),
 * lowercase hex (spec status.tsp).
 */
export function statusControl(fields: StatusControlFields): string {
  return payneteasyStatusControl({
    login: fields.login,
    client_orderid: fields.client_orderid,
    orderid: fields.orderid ?? "",
    merchant_control_key: fields.merchantControlKey,
  });
}

export interface ReturnControlFields extends PayneteasyCredentials {
  /** The connecting party's id of the order being returned. */
  client_orderid: string;
  /** Payneteasy's id of the order being returned. */
  orderid: string;
  /** The amount returned, as sent (`10.42`); left out for the whole remaining amount. */
  amount?: string;
  /** The currency of `amount`, as sent. */
  currency?: string;
}

/**
 * `control` of a return request: SHA1(login + client_orderid + orderid + amount_in_cents +
 * currency + merchant_control_key), lowercase hex (spec return.tsp; doc.payneteasy.eu "3.19").
 * A left-out amount or currency contributes an empty string.
 */
export function returnControl(fields: ReturnControlFields): string {
  let cents = "";
  if (fields.amount !== undefined) {
    const value = amountInCents(fields.amount);
    if (value === undefined) throw new RangeError(`returnControl: ${fields.amount} is not an amount in cents`);
    cents = value;
  }
  return payneteasyReturnControl({
    login: fields.login,
    client_orderid: fields.client_orderid,
    orderid: fields.orderid,
    amount_in_cents: cents,
    currency: fields.currency ?? "",
    merchant_control_key: fields.merchantControlKey,
  });
}
