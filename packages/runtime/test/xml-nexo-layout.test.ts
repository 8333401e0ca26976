// nexo layout rules the XML codec must follow: xs:list values and elements with no element of their own.
import { describe, expect, it } from "vitest";
import { decodeXml, encodeXml, type XmlElementShape } from "../src/codecs/xml.js";

const header: XmlElementShape = { attributes: { MessageCategory: "string", ServiceID: "string" } };
const payment: XmlElementShape = {
  children: [{ name: "Response", shape: { attributes: { Result: "string" } } }],
};
const repeated: XmlElementShape = {
  children: [
    { name: "MessageHeader", shape: header },
    {
      name: "RepeatedResponseMessageBody",
      transparent: true,
      shape: {
        children: [
          { name: "PaymentResponse", shape: payment },
          { name: "ReversalResponse", shape: payment },
        ],
      },
    },
  ],
};
const terminal: XmlElementShape = {
  attributes: { EntryMode: "list" },
  children: [{ name: "SaleCapabilities", shape: "list" }],
};

describe("nexo xs:list", () => {
  it("writes a token array as one space-separated attribute or element", () => {
    const xml = encodeXml(
      "SaleTerminalData",
      { EntryMode: ["ICC", "Tapped"], SaleCapabilities: ["CashierStatus", "PrinterReceipt"] },
      terminal,
    );
    expect(xml).toContain('EntryMode="ICC Tapped"');
    expect(xml).toContain("<SaleCapabilities>CashierStatus PrinterReceipt</SaleCapabilities>");
  });
  it("reads it back as an array, whatever the spacing", () => {
    const value = decodeXml(
      '<T EntryMode=" ICC  Tapped"><SaleCapabilities>CashierStatus\n PrinterReceipt</SaleCapabilities></T>',
      "T",
      terminal,
    );
    expect(value).toEqual({ EntryMode: ["ICC", "Tapped"], SaleCapabilities: ["CashierStatus", "PrinterReceipt"] });
  });
  it("refuses a token with a space inside", () => {
    expect(() => encodeXml("T", { SaleCapabilities: ["Cashier Status"] }, terminal)).toThrow(/list of tokens/);
  });
});

describe("nexo transparent element", () => {
  const value = {
    MessageHeader: { MessageCategory: "Payment", ServiceID: "42" },
    RepeatedResponseMessageBody: { PaymentResponse: { Response: { Result: "Success" } } },
  };
  it("writes the body's element directly after the header", () => {
    const xml = encodeXml("RepeatedMessageResponse", value, repeated);
    expect(xml).toContain(
      '<MessageHeader MessageCategory="Payment" ServiceID="42"/><PaymentResponse><Response Result="Success"/></PaymentResponse>',
    );
    expect(xml).not.toContain("RepeatedResponseMessageBody");
  });
  it("reads it back into the transparent property", () => {
    expect(
      decodeXml(encodeXml("RepeatedMessageResponse", value, repeated), "RepeatedMessageResponse", repeated),
    ).toEqual(value);
  });
  it("refuses the same response element twice", () => {
    const xml =
      '<R><MessageHeader MessageCategory="Payment" ServiceID="1"/><PaymentResponse><Response Result="Success"/></PaymentResponse><PaymentResponse><Response Result="Success"/></PaymentResponse></R>';
    expect(() => decodeXml(xml, "R", repeated)).toThrow(/more than once/);
  });
});
