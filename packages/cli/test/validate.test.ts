/**
 * `payspec validate`: one valid and one invalid file per protocol, every wire format, the
 * warning path for inbound messages, and the exit codes (0 valid, 1 invalid).
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { fixture, payspec } from "./helpers.js";

describe("valid messages exit 0 and print `valid <Message>`", () => {
  it.each([
    ["wepay", "SessionToken", "wepay/session-token.json"],
    ["stripe-terminal", "CreateReaderRequest", "stripe-terminal/create-reader.form"],
    ["payneteasy", "StatusResponse", "payneteasy/status-response.kv"],
    ["hipay-ecr", "PaymentRequest", "hipay-ecr/payment-request.json"],
    ["hipay-ecr", "ConcertRequest", "hipay-ecr/concert-request.frame"],
    ["hipay-ecr", "ConcertRequest", "hipay-ecr/concert-request.bin"],
    ["hipay-ecr", "ConcertAnswer", "hipay-ecr/concert-answer.frame"],
    ["nexo", "SaleToPOIRequest", "nexo/payment-request.json"],
    ["nexo", "SaleToPOIRequest", "nexo/payment-request.xml"],
    ["nexo", "NexoErrorMessage", "nexo/error-response.xml"],
  ])("%s %s %s", async (protocol, message, file) => {
    const run = await payspec(["validate", protocol, message, fixture(file)]);
    expect(run.stderr).toBe("");
    expect(run.lines).toEqual([`valid ${message}`]);
    expect(run.code).toBe(0);
  });
});

describe("invalid messages exit 1 and print one `/json/pointer: message` line per error", () => {
  it("wepay SessionToken: missing id, expire_time not an integer", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken", fixture("wepay/session-token-invalid.json")]);
    expect(run.code).toBe(1);
    expect(run.lines[0]).toBe("invalid SessionToken");
    expect(run.lines).toContain('/id: missing required property "id"');
    expect(run.lines).toContain("/expire_time: must be integer");
  });

  it("stripe-terminal CreateReaderRequest (form): no registration_code, metadata nested too deep", async () => {
    const run = await payspec([
      "validate",
      "stripe-terminal",
      "CreateReaderRequest",
      fixture("stripe-terminal/create-reader-invalid.form"),
    ]);
    expect(run.code).toBe(1);
    expect(run.lines[0]).toBe("invalid CreateReaderRequest");
    expect(run.lines).toContain('/registration_code: missing required property "registration_code"');
    expect(run.lines).toContain("/metadata/till: must be string");
  });

  it("payneteasy StatusResponse (kv): no serial-number, amount not a decimal", async () => {
    const run = await payspec([
      "validate",
      "payneteasy",
      "StatusResponse",
      fixture("payneteasy/status-response-invalid.kv"),
    ]);
    expect(run.code).toBe(1);
    expect(run.lines).toContain('/serial-number: missing required property "serial-number"');
    expect(run.lines.some((line) => line.startsWith("/amount: must match pattern"))).toBe(true);
  });

  it("hipay-ecr PaymentRequest (json): amount as a string, currency not EUR", async () => {
    const run = await payspec([
      "validate",
      "hipay-ecr",
      "PaymentRequest",
      fixture("hipay-ecr/payment-request-invalid.json"),
    ]);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      "invalid PaymentRequest",
      "/amount: must be number",
      '/currency: must be one of ["EUR"]',
    ]);
  });

  it("hipay-ecr ConcertRequest (frame): answer flag and payment means out of range", async () => {
    const run = await payspec([
      "validate",
      "hipay-ecr",
      "ConcertRequest",
      fixture("hipay-ecr/concert-request-invalid.frame"),
    ]);
    expect(run.code).toBe(1);
    expect(run.lines).toContain("/answerFlag: must match a schema in anyOf");
    expect(run.lines).toContain("/mode: must match a schema in anyOf");
  });

  it("nexo SaleToPOIRequest (xml): ServiceID over 10 characters, PaymentTransaction missing", async () => {
    const run = await payspec(["validate", "nexo", "SaleToPOIRequest", fixture("nexo/payment-request-invalid.xml")]);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      "invalid SaleToPOIRequest",
      "/SaleToPOIRequest/MessageHeader/ServiceID: must NOT have more than 10 characters",
      '/SaleToPOIRequest/PaymentRequest/PaymentTransaction: missing required property "PaymentTransaction"',
    ]);
  });

  it("nexo: an envelope without the body asked for reports it missing", async () => {
    const run = await payspec(["validate", "nexo", "EventNotification", fixture("nexo/payment-request.json")]);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      "invalid EventNotification",
      "/SaleToPOIRequest/EventNotification: missing: this SaleToPOIRequest holds MessageHeader, PaymentRequest",
    ]);
  });
});

describe("inbound messages: unknown enum values pass with a warning", () => {
  it("nexo EventNotification with an unknown EventToNotify exits 0 with `warning /EventToNotify: …`", async () => {
    const run = await payspec(["validate", "nexo", "EventNotification", fixture("nexo/event-unknown.json")]);
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe("valid EventNotification");
    expect(run.lines).toHaveLength(2);
    expect(run.lines[1]).toMatch(/^warning \/EventToNotify: .*"CardTapped"/);
  });
});

describe("inbound messages: the warning path points into the envelope", () => {
  it("nexo EventNotification inside an XML SaleToPOIRequest", async () => {
    const run = await payspec(["validate", "nexo", "EventNotification", fixture("nexo/event-unknown.xml")]);
    expect(run.code).toBe(0);
    expect(run.lines[0]).toBe("valid EventNotification");
    expect(run.lines[1]).toMatch(/^warning \/SaleToPOIRequest\/EventNotification\/EventToNotify: .*"CardTapped"/);
  });
});

describe("nexo XML", () => {
  it.each([["NexoRequestMessage"], ["SaleToPOIRequest"], ["PaymentRequest"]])(
    "%s is read from the same <SaleToPOIRequest> document",
    async (message) => {
      const run = await payspec(["validate", "nexo", message, fixture("nexo/payment-request.xml")]);
      expect(run.lines).toEqual([`valid ${message}`]);
      expect(run.code).toBe(0);
    },
  );

  it("a document of the other envelope is refused by name", async () => {
    const run = await payspec(["validate", "nexo", "SaleToPOIRequest", "-"], Buffer.from("<SaleToPOIResponse/>"));
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      "invalid SaleToPOIRequest",
      "/: expected a SaleToPOIRequest document, found SaleToPOIResponse",
    ]);
  });

  it("an unknown root element is a decode error", async () => {
    const run = await payspec(["validate", "nexo", "SaleToPOIRequest", "-"], Buffer.from("<Foo/>"));
    expect(run.code).toBe(1);
    expect(run.lines[1]).toBe("decode error: xml: expected root element <SaleToPOIRequest>, found <Foo>");
  });

  it("malformed XML is a decode error with its line and column", async () => {
    const run = await payspec(
      ["validate", "nexo", "SaleToPOIRequest", "-"],
      Buffer.from('<SaleToPOIRequest><MessageHeader ProtocolVersion="3.1"></SaleToPOIRequest>'),
    );
    expect(run.code).toBe(1);
    expect(run.lines[1]).toMatch(/^decode error: xml: not well-formed: .*\(line 1, column \d+\)$/);
  });

  it("DOCTYPE and ENTITY declarations are refused (no entity expansion)", async () => {
    const run = await payspec(
      ["validate", "nexo", "SaleToPOIRequest", "-"],
      Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><SaleToPOIRequest/>'),
    );
    expect(run.code).toBe(1);
    expect(run.lines[1]).toBe("decode error: xml: <!DOCTYPE> is not accepted (offset 21)");
  });

  it("a card number quoted in a decode error is masked", async () => {
    const run = await payspec(
      ["validate", "nexo", "SaleToPOIRequest", "--format", "xml", "-"],
      Buffer.from(
        '<SaleToPOIRequest><PaymentRequest><PaymentTransaction><AmountsReq Currency="SEK" RequestedAmount="4111111111111111x"/></PaymentTransaction></PaymentRequest></SaleToPOIRequest>',
      ),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain("4111111111111111");
    expect(run.lines[1]).toContain('expected a number, got "411111XXXXXX1111x"');
  });

  it("a protocol without XML messages says so", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken", fixture("nexo/payment-request.xml")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("wepay has no XML messages");
  });
});

describe("nexo JSON envelopes", () => {
  it.each([
    ["NexoRequestMessage", "the wrapper validates the whole document"],
    ["SaleToPOIRequest", "the root message validates the root's content"],
    ["PaymentRequest", "a body message validates the body inside the envelope"],
  ])("%s: %s", async (message) => {
    const run = await payspec(["validate", "nexo", message, fixture("nexo/payment-request.json")]);
    expect(run.lines).toEqual([`valid ${message}`]);
    expect(run.code).toBe(0);
  });

  it("error paths point into the file's document, through the envelope", async () => {
    const document = JSON.parse(await readFile(fixture("nexo/payment-request.json"), "utf8"));
    document.SaleToPOIRequest.PaymentRequest.PaymentTransaction.AmountsReq.RequestedAmount = "ten";
    const run = await payspec(["validate", "nexo", "PaymentRequest", "-"], Buffer.from(JSON.stringify(document)));
    expect(run.code).toBe(1);
    expect(run.lines).toContain(
      "/SaleToPOIRequest/PaymentRequest/PaymentTransaction/AmountsReq/RequestedAmount: must be number",
    );
  });
});

describe("Concert frames", () => {
  it("a wrapped STX…ETX frame with a wrong LRC is a decode error at the LRC's offset", async () => {
    const run = await payspec([
      "validate",
      "hipay-ecr",
      "ConcertRequest",
      fixture("hipay-ecr/concert-request-bad-lrc.bin"),
    ]);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      "invalid ConcertRequest",
      "decode error: concert: LRC is 0x55, the frame's bytes give 0x0F (offset 36)",
    ]);
  });

  it("a field error in a wrapped frame gives the offset in the file (after STX)", async () => {
    const payload = Buffer.from("01000008X9110978          A010B010", "latin1");
    let check = 0x03;
    for (const byte of payload) check ^= byte;
    const frame = Buffer.concat([Buffer.from([0x02]), payload, Buffer.from([0x03, check])]);
    const run = await payspec(["validate", "hipay-ecr", "ConcertRequest", "-"], frame);
    expect(run.code).toBe(1);
    expect(run.lines[1]).toBe(
      'decode error: concert: field amount must be digits, got "000008X9" (at amount, offset 3)',
    );
  });

  it("a payload of the wrong length is a decode error naming both lengths", async () => {
    const run = await payspec(
      ["validate", "hipay-ecr", "ConcertRequest", "--format", "frame", "-"],
      Buffer.from("0100000899"),
    );
    expect(run.code).toBe(1);
    expect(run.lines[1]).toBe("decode error: concert: frame is 10 characters, layout needs 34");
  });

  it("a bare payload on standard input is recognised by the message's frame layout", async () => {
    const run = await payspec(
      ["validate", "hipay-ecr", "ConcertRequest", "-"],
      await readFile(fixture("hipay-ecr/concert-request.frame")),
    );
    expect(run.lines).toEqual(["valid ConcertRequest"]);
    expect(run.code).toBe(0);
  });
});

describe("form bodies are checked as the server checks them", () => {
  it("text leaves are coerced to the schema's types: amount=1000 is an integer", async () => {
    const file = fixture("stripe-terminal/refund-payment.form");
    const run = await payspec(["validate", "stripe-terminal", "RefundPaymentRequest", file]);
    expect(run.lines).toEqual(["valid RefundPaymentRequest"]);
    expect(run.code).toBe(0);
  });

  it("a leaf that is not a number stays an error", async () => {
    const run = await payspec(
      ["validate", "stripe-terminal", "RefundPaymentRequest", "--format", "form", "-"],
      Buffer.from("payment_intent=pi_3NfZlv2eZvKYlo2C0fNGQ3vR&amount=ten"),
    );
    expect(run.code).toBe(1);
    expect(run.lines).toContain("/amount: must be integer");
  });
});

describe("text files as editors write them", () => {
  it("a UTF-8 byte order mark before JSON is skipped", async () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      await readFile(fixture("hipay-ecr/payment-request.json")),
    ]);
    const run = await payspec(["validate", "hipay-ecr", "PaymentRequest", "-"], body);
    expect(run.lines).toEqual(["valid PaymentRequest"]);
    expect(run.code).toBe(0);
  });
});

describe("decode errors exit 1 with their offset", () => {
  it("malformed JSON", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken", "--format", "json", "-"], Buffer.from('{"id": }'));
    expect(run.code).toBe(1);
    expect(run.lines[0]).toBe("invalid SessionToken");
    expect(run.lines[1]).toMatch(/^decode error: json: /);
  });

  it("a kv body with a line that is not a pair", async () => {
    const run = await payspec(
      ["validate", "payneteasy", "StatusResponse", "--format", "kv", "-"],
      Buffer.from("type=status-response\n&oops\n"),
    );
    expect(run.code).toBe(1);
    expect(run.lines[1]).toMatch(/^decode error: kv: .*offset \d+/);
  });

  it("a form body with a prototype-polluting key", async () => {
    const run = await payspec(
      ["validate", "stripe-terminal", "CreateReaderRequest", "--format", "form", "-"],
      Buffer.from("registration_code=x&__proto__[admin]=1"),
    );
    expect(run.code).toBe(1);
    expect(run.lines[1]).toMatch(/^decode error: form: /);
  });
});
