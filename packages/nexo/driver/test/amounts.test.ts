// Minor units ↔ nexo decimal amounts, by the currency's ISO 4217 decimals.
import { describe, expect, it } from "vitest";
import { currencyDecimals, fromNexoAmount, toNexoAmount } from "../src/amounts.js";

describe("amounts", () => {
  it("uses the currency's decimals: SEK 2, JPY 0, KWD 3", () => {
    expect(currencyDecimals("SEK")).toBe(2);
    expect(currencyDecimals("JPY")).toBe(0);
    expect(currencyDecimals("KWD")).toBe(3);
  });

  it("converts minor units to nexo amounts and back without float drift", () => {
    expect(toNexoAmount(1050, "SEK")).toBe(10.5);
    expect(toNexoAmount(1999, "EUR")).toBe(19.99);
    expect(toNexoAmount(500, "JPY")).toBe(500);
    expect(fromNexoAmount(19.99, "EUR")).toBe(1999);
    expect(fromNexoAmount(0.29, "EUR")).toBe(29);
  });

  it("refuses a fractional minor amount", () => {
    expect(() => toNexoAmount(10.5, "EUR")).toThrow(RangeError);
  });
});
