/**
 * One approved charge a simulator holds, as its settlement report lists it: filed under the key that ties it to the
 * POS's request (WePay `reference_id`, Stripe `metadata.payspec_reference`, Payneteasy `client_orderid`, HiPay
 * `orderId`, nexo `SaleTransactionID`), for reconciliation tests (`compareLedger` in @payspec/terminal).
 */
export interface SettledCharge {
  /** The POS-side key; undefined when the request carried none. */
  readonly key: string | undefined;
  /** The vendor's own id of the charge. */
  readonly id: string;
}
