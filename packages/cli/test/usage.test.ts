/**
 * The dispatcher's contract: help on stdout with exit 0, usage and I/O errors on stderr with
 * exit 2 (and nothing on stdout, so a script reading the verdict never mistakes one for it).
 */
import { describe, expect, it } from "vitest";
import { fixture, payspec } from "./helpers.js";

describe("help", () => {
  it("payspec --help lists the commands and exits 0", async () => {
    const run = await payspec(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: payspec <command>/);
    expect(run.stdout).toMatch(/^ {2}validate +check a message file/m);
    for (const command of ["simulate", "demo", "conformance", "docs"])
      expect(run.stdout).toMatch(new RegExp(`^ {2}${command} +\\S`, "m"));
  });

  it("payspec with no arguments prints the help on stderr and exits 2", async () => {
    const run = await payspec([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^Usage: payspec <command>/);
  });

  it.each([[["validate", "--help"]], [["validate", "-h"]], [["help", "validate"]]])(
    "payspec %j prints the validate help and exits 0",
    async (args) => {
      const run = await payspec(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: payspec validate <protocol> <Message> <file>/);
      expect(run.stdout).toContain("wepay, stripe-terminal, payneteasy, hipay-ecr, nexo");
      expect(run.stdout).toContain("Exit codes: 0 valid, 1 invalid, 2 usage or I/O error.");
    },
  );

  it("payspec --version prints the package version", async () => {
    const run = await payspec(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe("usage errors exit 2 on stderr", () => {
  it("an unknown command suggests the closest one", async () => {
    const run = await payspec(["valdiate"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('payspec: unknown command "valdiate" (did you mean validate?)');
  });

  it("an unknown protocol lists the five and suggests the closest", async () => {
    const run = await payspec(["validate", "stripe", "Reader", "x.json"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('unknown protocol "stripe" (did you mean stripe-terminal?)');
    expect(run.stderr).toContain("wepay, stripe-terminal, payneteasy, hipay-ecr, nexo");
  });

  it("an unknown message lists the protocol's messages and suggests the closest", async () => {
    const run = await payspec(["validate", "nexo", "PaymentRequets", fixture("nexo/payment-request.json")]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain('unknown nexo message "PaymentRequets" (did you mean PaymentRequest?)');
    expect(run.stderr).toMatch(/valid nexo messages:\n {2}AbortRequest, /);
    expect(run.stderr).toContain("SaleToPOIRequest");
  });

  it("a message name is matched exactly (no suggestion when nothing is close)", async () => {
    const run = await payspec(["validate", "wepay", "Xyzzy", fixture("wepay/session-token.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown wepay message "Xyzzy"\n');
  });

  it("a protocol without a message lists the messages", async () => {
    const run = await payspec(["validate", "payneteasy"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing <Message>\npayneteasy messages:\n .*StatusResponse/s);
  });

  it("a missing file argument", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing <file>");
    expect(run.stderr).toContain("usage: payspec validate <protocol> <Message> <file>");
  });

  it("an extra argument", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken", "a.json", "b.json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unexpected argument "b.json"');
  });

  it("an unknown option", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken", "--strict", fixture("wepay/session-token.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--strict'");
  });

  it("an unknown --format suggests the closest", async () => {
    const run = await payspec([
      "validate",
      "wepay",
      "SessionToken",
      "--format",
      "jsn",
      fixture("wepay/session-token.json"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown format "jsn" (did you mean json?)');
  });

  it("--format frame for a message that is not a frame names the frame messages", async () => {
    const run = await payspec([
      "validate",
      "hipay-ecr",
      "PaymentRequest",
      "--format",
      "frame",
      fixture("hipay-ecr/payment-request.json"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "hipay-ecr PaymentRequest is not a fixed-width frame message (frame messages: ConcertAnswer, ConcertRequest)",
    );
  });

  it("content whose format cannot be told asks for --format", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken", "-"], Buffer.from("just some text"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("cannot tell the format of standard input from its name or content; pass --format");
  });
});

describe("I/O errors exit 2", () => {
  it("a missing file", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken", fixture("wepay/no-such-file.json")]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/cannot read .*no-such-file\.json: no such file/);
  });

  it("a directory", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken", fixture("wepay")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/wepay is a directory/);
  });
});

describe("card numbers are never printed in full", () => {
  it("a PAN echoed back in an error is masked to first 6 / last 4", async () => {
    const run = await payspec(["validate", "wepay", "SessionToken", "/tmp/4111111111111111.json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain("4111111111111111");
    expect(run.stderr).toContain("411111XXXXXX1111");
  });
});
