/**
 * nexo amounts are decimals in the currency's major unit (`RequestedAmount="10.00"`); the Terminal API
 * speaks minor units. The number of decimals is the currency's ISO 4217 minor unit (Intl knows it).
 */

/** Decimals of an ISO 4217 currency: 2 for EUR/SEK, 0 for JPY, 3 for KWD. */
export function currencyDecimals(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units to a nexo amount: 1050 SEK → 10.5. */
export function toNexoAmount(minor: number, currency: string): number {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount must be an integer in minor units, got ${minor}`);
  const decimals = currencyDecimals(currency);
  return Number((minor / 10 ** decimals).toFixed(decimals));
}

/** A nexo amount to minor units: 10.5 SEK → 1050. */
export function fromNexoAmount(amount: number, currency: string): number {
  return Math.round(amount * 10 ** currencyDecimals(currency));
}
