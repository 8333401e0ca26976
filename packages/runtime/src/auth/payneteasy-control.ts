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

/** Whether a received `control` matches the expected one: constant time, hex case ignored. */
export function verifyControl(expected: string, received: string | undefined): boolean {
  return received !== undefined && constantTimeEqual(expected.toLowerCase(), received.toLowerCase());
}
