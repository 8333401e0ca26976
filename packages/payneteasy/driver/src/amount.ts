/**
 * Amounts: Payneteasy writes them in the currency's major unit with `.` as separator (`10.42`,
 * spec common.tsp DecimalAmount, up to 3 decimals); a POS counts minor units.
 */

/** ISO 4217 currencies whose minor unit is not 1/100 (the others have two decimals). */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** Decimal places of a currency's minor unit (2 unless ISO 4217 says otherwise). */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** 1042 EUR → `"10.42"`; 500 JPY → `"500"`; 1234 KWD → `"1.234"`. */
export function toDecimalAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0)
    throw new RangeError(`amount must be a non-negative integer, got ${minor}`);
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, "0");
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** `"10.42"` EUR → 1042; `"10.5"` → 1050. Throws on more decimals than the currency has. */
export function fromDecimalAmount(amount: string, currency: string): number {
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(amount);
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const exponent = currencyExponent(currency);
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > exponent) throw new RangeError(`${amount} has more decimals than ${currency} allows`);
  return Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, "0") || "0");
}
