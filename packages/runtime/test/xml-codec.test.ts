import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CodecError,
  decodeNexoJson,
  decodeXml,
  encodeNexoJson,
  encodeXml,
  type XmlElementShape,
  type XmlObject,
} from "../src/index.js";
import { saleToPoiRequest, saleToPoiResponse } from "./fixtures/nexo-shapes.js";

/** XML 1.0 §2.2 Char production. */
function isXmlChar(point: number): boolean {
  return (
    point === 0x9 ||
    point === 0xa ||
    point === 0xd ||
    (point >= 0x20 && point <= 0xd7ff) ||
    (point >= 0xe000 && point <= 0xfffd) ||
    point >= 0x10000
  );
}

function codecError(run: () => unknown): CodecError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return error as CodecError;
  }
  throw new Error("expected a CodecError");
}

const header = (category: string, type: string) => ({
  ProtocolVersion: "3.1",
  MessageClass: "Service",
  MessageCategory: category,
  MessageType: type,
  ServiceID: "4711",
  SaleID: "POS-1",
  POIID: "A-POI-12345",
});

const loginRequest = {
  MessageHeader: header("Login", "Request"),
  LoginRequest: {
    DateTime: "2024-05-02T10:01:02.000+02:00",
    SaleSoftware: {
      ProviderIdentification: "Payspec",
      ApplicationName: "Kiosk & Co <test>",
      SoftwareVersion: "0.1.0",
      CertificationCode: "ECTS2PS001",
    },
    SaleTerminalData: {
      TerminalEnvironment: "Attended",
      SaleCapabilities: "CashierStatus CustomerAssistance PrinterReceipt",
    },
    OperatorLanguage: "sv",
    ShiftNumber: 3,
  },
};

const paymentRequest = {
  MessageHeader: header("Payment", "Request"),
  PaymentRequest: {
    SaleData: { SaleTransactionID: { TransactionID: "Order_12345", TimeStamp: "2024-05-02T10:02:00.000+02:00" } },
    PaymentTransaction: { AmountsReq: { Currency: "EUR", RequestedAmount: 8.99 } },
    PaymentData: { PaymentType: "Normal", SplitPaymentFlag: false },
  },
};

const paymentResponse = {
  MessageHeader: header("Payment", "Response"),
  PaymentResponse: {
    Response: { Result: "Success" },
    SaleData: { SaleTransactionID: { TransactionID: "Order_12345", TimeStamp: "2024-05-02T10:02:00.000+02:00" } },
    POIData: { POITransactionID: { TransactionID: "88021", TimeStamp: "2024-05-02T10:02:09.000+02:00" } },
    PaymentResult: {
      PaymentType: "Normal",
      OnlineFlag: true,
      AmountsResp: { Currency: "EUR", AuthorizedAmount: 8.99 },
      PaymentInstrumentData: {
        PaymentInstrumentType: "Card",
        CardData: { PaymentBrand: "MasterCard", MaskedPan: "123456XXXXXX7890" },
      },
    },
    PaymentReceipt: [
      {
        DocumentQualifier: "CashierReceipt",
        RequiredSignatureFlag: false,
        OutputContent: {
          OutputFormat: "Text",
          OutputText: [
            { Text: "  CARTE BANCAIRE  ", EndOfLineFlag: true },
            { CharacterStyle: "Bold", Text: "MONTANT: 8,99 EUR" },
          ],
        },
      },
    ],
  },
};

describe("xml: decode ∘ encode = identity (nexo messages)", () => {
  it.each([
    { name: "LoginRequest", root: "SaleToPOIRequest", value: loginRequest, shape: saleToPoiRequest },
    { name: "PaymentRequest", root: "SaleToPOIRequest", value: paymentRequest, shape: saleToPoiRequest },
    { name: "PaymentResponse", root: "SaleToPOIResponse", value: paymentResponse, shape: saleToPoiResponse },
  ])("$name", ({ root, value, shape }) => {
    const xml = encodeXml(root, value, shape);
    expect(decodeXml(xml, root, shape)).toEqual(value);
  });

  it("the same object round-trips through nexo JSON, and XML and JSON decode alike", () => {
    const json = encodeNexoJson("SaleToPOIResponse", paymentResponse);
    expect(JSON.parse(json)).toEqual({ SaleToPOIResponse: paymentResponse });
    const fromJson = decodeNexoJson(json, "SaleToPOIResponse");
    const fromXml = decodeXml(
      encodeXml("SaleToPOIResponse", fromJson, saleToPoiResponse),
      "SaleToPOIResponse",
      saleToPoiResponse,
    );
    expect(fromXml).toEqual(fromJson);
  });
});

describe("xml: encode follows the shape", () => {
  it("writes the declaration, header fields as attributes and children in schema order", () => {
    // Properties deliberately given out of schema order.
    const value = {
      PaymentRequest: {
        PaymentData: { PaymentType: "Refund" },
        PaymentTransaction: { AmountsReq: { RequestedAmount: 10, Currency: "SEK" } },
        SaleData: { SaleTransactionID: { TimeStamp: "t", TransactionID: "1" } },
      },
      MessageHeader: { MessageCategory: "Payment", ProtocolVersion: "3.1" },
    };
    expect(encodeXml("SaleToPOIRequest", value, saleToPoiRequest)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>' +
        "<SaleToPOIRequest>" +
        '<MessageHeader ProtocolVersion="3.1" MessageCategory="Payment"/>' +
        "<PaymentRequest>" +
        '<SaleData><SaleTransactionID TransactionID="1" TimeStamp="t"/></SaleData>' +
        '<PaymentTransaction><AmountsReq Currency="SEK" RequestedAmount="10"/></PaymentTransaction>' +
        '<PaymentData PaymentType="Refund"/>' +
        "</PaymentRequest>" +
        "</SaleToPOIRequest>",
    );
  });

  it.each([
    { name: "text", given: "a < b & c > d", want: "<A><T>a &lt; b &amp; c &gt; d</T></A>" },
    { name: "carriage return", given: "l1\r\nl2", want: "<A><T>l1&#13;\nl2</T></A>" },
  ])("escapes $name in text", ({ given, want }) => {
    const shape: XmlElementShape = { children: [{ name: "T", shape: "string" }] };
    expect(encodeXml("A", { T: given }, shape).replace(/^<\?xml[^>]*\?>/, "")).toBe(want);
    expect(decodeXml(encodeXml("A", { T: given }, shape), "A", shape)).toEqual({ T: given });
  });

  it("escapes quotes, tabs and newlines in attributes", () => {
    const shape: XmlElementShape = { attributes: { V: "string" } };
    const xml = encodeXml("A", { V: `"q" 'a'\t<&>\n` }, shape);
    expect(xml).toContain('V="&quot;q&quot; &apos;a&apos;&#9;&lt;&amp;&gt;&#10;"');
    expect(decodeXml(xml, "A", shape)).toEqual({ V: `"q" 'a'\t<&>\n` });
  });

  it.each([
    { name: "a string where a number goes", value: { N: "eight" }, path: "$.N" },
    { name: "an object where a scalar goes", value: { N: { x: 1 } }, path: "$.N" },
    { name: "an array for a non-repeating element", value: { N: [1, 2] }, path: "$.N" },
    { name: "a character XML cannot carry", value: { S: "bell\u0007" }, path: "$.S" },
    { name: "a property that is not an XML name", value: { "not a name": "x" }, path: '$["not a name"]' },
  ])("refuses $name", ({ value, path }) => {
    const shape: XmlElementShape = {
      children: [
        { name: "N", shape: "number" },
        { name: "S", shape: "string" },
      ],
    };
    const error = codecError(() => encodeXml("A", value, shape));
    expect(error.reason).toBe("invalid_value");
    expect(error.path).toBe(path);
  });
});

describe("xml: decode follows the shape", () => {
  const shape: XmlElementShape = {
    attributes: { Amount: "number", Flag: "boolean" },
    children: [
      { name: "Count", shape: "number" },
      { name: "Ok", shape: "boolean" },
      { name: "Item", shape: "string", array: true },
      { name: "Name", shape: "string" },
    ],
  };

  it("coerces scalars to their kinds (xs:boolean accepts 1/0)", () => {
    const xml = '<A Amount=" 12.50 " Flag="1"><Count>7</Count><Ok>false</Ok><Name>  padded  </Name></A>';
    expect(decodeXml(xml, "A", shape)).toEqual({ Amount: 12.5, Flag: true, Count: 7, Ok: false, Name: "  padded  " });
  });

  it("makes a repeating element an array even with one occurrence", () => {
    expect(decodeXml("<A><Item>x</Item></A>", "A", shape)).toEqual({ Item: ["x"] });
    expect(decodeXml("<A><Item>x</Item><Item>y</Item></A>", "A", shape)).toEqual({ Item: ["x", "y"] });
  });

  it("keeps unknown elements and attributes as strings, and writes them back", () => {
    const xml =
      '<A Vendor="v1"><Count>1</Count><NewField>42</NewField><Extra><Deep>d</Deep></Extra><Rep>1</Rep><Rep>2</Rep></A>';
    const decoded = decodeXml(xml, "A", shape);
    expect(decoded).toEqual({ Vendor: "v1", Count: 1, NewField: "42", Extra: { Deep: "d" }, Rep: ["1", "2"] });
    expect(decodeXml(encodeXml("A", decoded, shape), "A", shape)).toEqual(decoded);
  });

  it("reads CDATA literally and decodes character references", () => {
    expect(decodeXml("<A><Name><![CDATA[<b>&amp;</b>]]> &#233;&#x4E2D;</Name></A>", "A", shape)).toEqual({
      Name: "<b>&amp;</b> é中",
    });
  });

  it("ignores namespace declarations, whitespace between elements, comments and the declaration", () => {
    const xml = '<?xml version="1.0"?>\n<!-- hi -->\n<A xmlns="urn:nexo">\n  <Count>3</Count>\n</A>\n';
    expect(decodeXml(xml, "A", shape)).toEqual({ Count: 3 });
  });

  it.each([
    { name: "a non-number", xml: "<A><Count>seven</Count></A>", reason: "invalid_value", path: "$.Count" },
    { name: "a non-boolean", xml: '<A Flag="yes"/>', reason: "invalid_value", path: "$.Flag" },
    {
      name: "children where a scalar goes",
      xml: "<A><Count><X>1</X></Count></A>",
      reason: "invalid_value",
      path: "$.Count",
    },
    {
      name: "a repeated single element",
      xml: "<A><Count>1</Count><Count>2</Count></A>",
      reason: "duplicate",
      path: "$.Count",
    },
    { name: "the wrong root", xml: "<B/>", reason: "unexpected_root", path: undefined },
    { name: "an undeclared entity", xml: "<A><Name>&nbsp;</Name></A>", reason: "syntax", path: "$.Name" },
    { name: "a bare ampersand", xml: "<A><Name>a & b</Name></A>", reason: "syntax", path: undefined },
    { name: "a reference to a non-XML character", xml: "<A><Name>&#0;</Name></A>", reason: "syntax", path: "$.Name" },
    { name: "mismatched tags", xml: "<A><Name>x</A></Name>", reason: "syntax", path: undefined },
    { name: "two roots", xml: "<A/><A/>", reason: "syntax", path: undefined },
    { name: "an empty document", xml: "", reason: "syntax", path: undefined },
  ])("refuses $name", ({ xml, reason, path }) => {
    const error = codecError(() => decodeXml(xml, "A", shape));
    expect(error.reason).toBe(reason);
    if (path !== undefined) expect(error.path).toBe(path);
  });
});

describe("xml: attacks are refused", () => {
  it.each([
    {
      name: "billion laughs",
      xml: '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><A>&lol2;</A>',
    },
    {
      name: "external entity (XXE)",
      xml: '<?xml version="1.0"?><!DOCTYPE A [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><A>&xxe;</A>',
    },
    { name: "DOCTYPE alone", xml: '<!DOCTYPE A SYSTEM "http://example.invalid/a.dtd"><A/>' },
    { name: "lower-case doctype", xml: "<!doctype A><A/>" },
    { name: "stray ENTITY", xml: '<A><!ENTITY x "y"></A>' },
  ])("$name: DOCTYPE/ENTITY rejected outright", ({ xml }) => {
    const error = codecError(() => decodeXml(xml, "A", {}));
    expect(error.reason).toBe("forbidden_markup");
  });

  it("bounds nesting depth", () => {
    const deep = `${"<A>".repeat(100_000)}${"</A>".repeat(100_000)}`;
    expect(codecError(() => decodeXml(deep, "A", {})).reason).toBe("too_deep");
    const nine = `${"<A>".repeat(9)}${"</A>".repeat(9)}`;
    expect(codecError(() => decodeXml(nine, "A", {}, { maxDepth: 8 })).reason).toBe("too_deep");
    expect(() => decodeXml(nine, "A", {}, { maxDepth: 9 })).not.toThrow();
  });

  it("bounds document size", () => {
    expect(codecError(() => decodeXml(`<A>${"x".repeat(2000)}</A>`, "A", {}, { maxBytes: 1000 })).reason).toBe(
      "too_large",
    );
  });

  it.each([
    "<A><__proto__>x</__proto__></A>",
    '<A __proto__="x"/>',
    "<A><constructor><prototype>1</prototype></constructor></A>",
  ])("%s never reaches Object.prototype", (xml) => {
    expect(codecError(() => decodeXml(xml, "A", {})).reason).toBe("forbidden_key");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe("nexo JSON: root check", () => {
  it.each([
    { name: "another root", given: '{"SaleToPOIResponse":{}}', reason: "unexpected_root" },
    { name: "two roots", given: '{"SaleToPOIRequest":{},"Extra":{}}', reason: "unexpected_root" },
    { name: "an array", given: "[]", reason: "unexpected_root" },
    { name: "a non-object body", given: '{"SaleToPOIRequest":"x"}', reason: "invalid_value" },
    { name: "prototype keys", given: '{"SaleToPOIRequest":{"__proto__":{}}}', reason: "forbidden_key" },
  ])("refuses $name", ({ given, reason }) => {
    const error = codecError(() => decodeNexoJson(given, "SaleToPOIRequest"));
    expect(error.reason).toBe(reason);
    expect(error.codec).toBe("nexo-json");
  });
});

describe("xml: decode ∘ encode = identity for arbitrary values", () => {
  const shape: XmlElementShape = {
    attributes: { S: "string", N: "number", B: "boolean" },
    children: [
      { name: "Text", shape: "string" },
      { name: "List", shape: { attributes: { V: "string" }, text: { name: "Body", kind: "string" } }, array: true },
      { name: "Num", shape: "number" },
    ],
  };
  // Any string XML 1.0 can carry.
  const xmlString = fc
    .string({ unit: "grapheme", maxLength: 20 })
    .filter((s) => [...s].every((char) => isXmlChar(char.codePointAt(0) as number)));
  const number = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));

  it("holds", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            S: xmlString,
            N: number,
            B: fc.boolean(),
            Text: xmlString,
            List: fc.array(fc.record({ V: xmlString, Body: xmlString }, { requiredKeys: ["Body"] }), {
              minLength: 1,
              maxLength: 3,
            }),
            Num: fc.integer(),
          },
          { requiredKeys: [] },
        ),
        (value) => {
          expect(decodeXml(encodeXml("Root", value, shape), "Root", shape)).toEqual(value as XmlObject);
        },
      ),
      { numRuns: 300 },
    );
  });
});
