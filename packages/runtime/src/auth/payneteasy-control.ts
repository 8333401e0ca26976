/**
 * Payneteasy `control` checksums: lowercase hex SHA-1 over concatenated fields and the
 * merchant control key (PROTOCOLS.md §3, seed 002).
 */
import { createHash } from "node:crypto";
import { constantTimeEqual } from "./constant-time.js";

/** Lowercase hex SHA-1 of the parts concatenated as UTF-8, numbers written in full. */
export function sha1Hex(...parts: ReadonlyArray<string | number>): string {
  const hash = createHash("sha1");
  for (const part of parts) hash.update(String(part), "utf8");
  return hash.digest("hex");
}

/** `control` of `POST /paynet/api/v2/status/{endpointid}`: SHA1(login + client_orderid + orderid + merchant_control_key). */
export function payneteasyStatusControl(fields: {
  login: string;
  client_orderid: string;
  orderid: string | number;
  merchant_control_key: string;
}): string {
  return sha1Hex(fields.login, fields.client_orderid, fields.orderid, fields.merchant_control_key);
}

/** `control` of the connecting-party callback: SHA1(status + orderid + client_orderid + merchant_control_key). */
export function payneteasyCallbackControl(fields: {
  status: string;
  orderid: string | number;
  client_orderid: string;
  merchant_control_key: string;
}): string {
  return sha1Hex(fields.status, fields.orderid, fields.client_orderid, fields.merchant_control_key);
}

/**
 * `control` of a return request: SHA1(login + client_orderid + orderid + amount_in_cents + currency +
 * merchant_control_key), lowercase hex (spec return.tsp; doc.payneteasy.eu "3.19"). A left-out amount or currency
 * contributes an empty string.
 */
export function payneteasyReturnControl(fields: {
  login: string;
  client_orderid: string;
  orderid: string;
  /** `amount` times 100 as an integer (`10.42` → `1042`, see `amountInCents`); empty when the amount is left out */
  amount_in_cents: string;
  /** empty when left out */
  currency: string;
  merchant_control_key: string;
}): string {
  return sha1Hex(
    fields.login,
    fields.client_orderid,
    fields.orderid,
    fields.amount_in_cents,
    fields.currency,
    fields.merchant_control_key,
  );
}

/**
 * A Payneteasy decimal amount times 100, as the integer string `control` hashes (`10.42` → `1042`,
 * `7` → `700`, `0.5` → `50`); undefined when it is not such an amount or has a third decimal
 * other than 0 (cents cannot carry it).
 */
export function amountInCents(amount: string): string | undefined {
  const match = /^([0-9]{1,10})(?:\.([0-9]{1,3}))?$/.exec(amount);
  if (match === null) return undefined;
  const fraction = (match[2] ?? "").padEnd(3, "0");
  if (!fraction.endsWith("0")) return undefined;
  return String(BigInt(match[1] as string) * 100n + BigInt(fraction.slice(0, 2)));
}

/** Whether a received `control` matches the expected one: constant time, hex case ignored. */
export function verifyControl(expected: string, received: string | undefined): boolean {
  return received !== undefined && constantTimeEqual(expected.toLowerCase(), received.toLowerCase());
}
