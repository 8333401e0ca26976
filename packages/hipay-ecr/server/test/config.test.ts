// config.txt (seed, "Fill in the setup file"): KEY=VALUE lines read into a typed ConnectorConfig,
// checked with the generated validator, and every problem reported with its line number.
import type { ConnectorConfig } from "@payspec/hipay-ecr-types";
import { schemaBundle } from "@payspec/hipay-ecr-validators";
import { describe, expect, it } from "vitest";
import { CONFIG_TXT_KEYS, ConfigTxtError, formatConfigTxt, parseConfigTxt } from "../src/index.js";

/** The seed's Linux example values. */
const linux: ConnectorConfig = {
  SERIAL_PORT: "/dev/ttyUSB0",
  LOCAL_PORT: 8080,
  TERMINAL_MANAGER_LOGIN: "log",
  TERMINAL_MANAGER_PWD: "pwd",
  HIPAY_LOGIN: "99999999.stage-secure-gateway.hipay-tpp.com",
  HIPAY_PWD: "Test_XXXXXXXXXXXXXXXXXXXXXXXX",
  UPDATE_TIME: "04:00",
};
const windows: ConnectorConfig = { ...linux, SERIAL_PORT: "COM8" };

const linuxTxt = [
  "SERIAL_PORT=/dev/ttyUSB0",
  "LOCAL_PORT=8080",
  "TERMINAL_MANAGER_LOGIN=log",
  "TERMINAL_MANAGER_PWD=pwd",
  "HIPAY_LOGIN=99999999.stage-secure-gateway.hipay-tpp.com",
  "HIPAY_PWD=Test_XXXXXXXXXXXXXXXXXXXXXXXX",
  "UPDATE_TIME=04:00",
  "",
].join("\n");

/** The problems of a config.txt that must not parse. */
function problemsOf(text: string) {
  try {
    parseConfigTxt(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigTxtError);
    return err as ConfigTxtError;
  }
  throw new Error("parseConfigTxt accepted an invalid file");
}

/** `linuxTxt` with one line replaced (by key). */
function withLine(key: string, line: string | undefined): string {
  return linuxTxt
    .split("\n")
    .flatMap((l) => (l.startsWith(`${key}=`) ? (line === undefined ? [] : [line]) : [l]))
    .join("\n");
}

describe("parseConfigTxt", () => {
  it("reads the seed's Linux file into a typed config (LOCAL_PORT a number)", () => {
    expect(parseConfigTxt(linuxTxt)).toEqual(linux);
  });

  it("reads CRLF line ends, a byte order mark, comments, blank lines and spaces around = (Windows Notepad)", () => {
    const text = `\uFEFF# HiPay ECR connector\r\n\r\nSERIAL_PORT = COM8\r\n${linuxTxt.split("\n").slice(1).join("\r\n")}`;
    expect(parseConfigTxt(text)).toEqual(windows);
  });

  it("keeps = and # inside a value (a password may contain them)", () => {
    const config = parseConfigTxt(withLine("HIPAY_PWD", "HIPAY_PWD=Test_a=b#c"));
    expect(config.HIPAY_PWD).toBe("Test_a=b#c");
  });

  it("accepts the keys in any order", () => {
    const reversed = linuxTxt.trim().split("\n").reverse().join("\n");
    expect(parseConfigTxt(reversed)).toEqual(linux);
  });

  it("reports a line without = by its number, without echoing it (it may be a password)", () => {
    const error = problemsOf(withLine("HIPAY_PWD", "Test_secret_value"));
    expect(error.problems).toContainEqual({ line: 6, message: "expected KEY=VALUE" });
    expect(error.message).toContain("line 6: expected KEY=VALUE");
    expect(error.message).not.toContain("Test_secret_value");
  });

  it("reports an unknown key (a typo) by its line", () => {
    const error = problemsOf(`${linuxTxt}LOCAL_PROT=8081\n`);
    expect(error.problems).toContainEqual({ line: 8, message: "unknown key LOCAL_PROT" });
  });

  it("reports a key set twice with both lines", () => {
    const error = problemsOf(`${linuxTxt}LOCAL_PORT=9090\n`);
    expect(error.problems).toContainEqual({
      line: 8,
      key: "LOCAL_PORT",
      message: "LOCAL_PORT is already set on line 2",
    });
  });

  it("reports every missing key", () => {
    const error = problemsOf(withLine("HIPAY_LOGIN", undefined).replace("UPDATE_TIME=04:00\n", ""));
    expect(error.problems).toEqual([
      { key: "HIPAY_LOGIN", message: "missing key HIPAY_LOGIN" },
      { key: "UPDATE_TIME", message: "missing key UPDATE_TIME" },
    ]);
  });

  it("reports a LOCAL_PORT that is not a whole number (seed type: Integer)", () => {
    const error = problemsOf(withLine("LOCAL_PORT", "LOCAL_PORT=abc"));
    expect(error.problems).toEqual([{ line: 2, key: "LOCAL_PORT", message: "LOCAL_PORT must be a whole number" }]);
    expect(problemsOf(withLine("LOCAL_PORT", "LOCAL_PORT=80.5")).problems[0]?.line).toBe(2);
    expect(problemsOf(withLine("LOCAL_PORT", "LOCAL_PORT=-1")).problems[0]?.line).toBe(2);
  });

  it("reports a LOCAL_PORT outside 1..65535 through the generated validator", () => {
    const error = problemsOf(withLine("LOCAL_PORT", "LOCAL_PORT=70000"));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: 2, key: "LOCAL_PORT" });
    expect(error.problems[0]?.message).toContain("65535");
  });

  it("reports an UPDATE_TIME that is not hh:mm (seed: 04:00)", () => {
    for (const bad of ["24:00", "4:00", "04h00"]) {
      const error = problemsOf(withLine("UPDATE_TIME", `UPDATE_TIME=${bad}`));
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatchObject({ line: 7, key: "UPDATE_TIME" });
    }
  });

  it("reports an empty value by its line", () => {
    const error = problemsOf(withLine("TERMINAL_MANAGER_PWD", "TERMINAL_MANAGER_PWD="));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ line: 4, key: "TERMINAL_MANAGER_PWD" });
  });

  it("lists every problem at once, in line order, missing keys last", () => {
    const text = [
      "LOCAL_PORT=abc",
      "oops",
      "UPDATE_TIME=25:00",
      "SERIAL_PORT=COM8",
      "TERMINAL_MANAGER_LOGIN=log",
      "TERMINAL_MANAGER_PWD=pwd",
      "HIPAY_LOGIN=x",
    ].join("\n");
    const error = problemsOf(text);
    expect(error.problems.map((p) => p.line ?? p.message)).toEqual([1, 2, 3, "missing key HIPAY_PWD"]);
    expect(error.message.split("\n")).toHaveLength(5);
  });

  it("never puts a secret value in its message", () => {
    const text = withLine("HIPAY_PWD", "HIPAY_PWD=").replace(
      "TERMINAL_MANAGER_PWD=pwd",
      "TERMINAL_MANAGER_PWD=s3cret-pwd\nTERMINAL_MANAGER_PWD=s3cret-pwd",
    );
    const error = problemsOf(text);
    expect(error.message).not.toContain("s3cret");
  });
});

describe("formatConfigTxt", () => {
  it("writes one KEY=VALUE line per key, in the seed's order", () => {
    expect(formatConfigTxt(linux)).toBe(linuxTxt);
  });

  it("writes CRLF line ends for the Windows connector", () => {
    expect(formatConfigTxt(windows, { eol: "\r\n" })).toBe(
      `SERIAL_PORT=COM8\r\n${linuxTxt.split("\n").slice(1, -1).join("\r\n")}\r\n`,
    );
  });

  it("reads back what it writes (both seed examples)", () => {
    for (const config of [linux, windows]) {
      expect(parseConfigTxt(formatConfigTxt(config))).toEqual(config);
      expect(parseConfigTxt(formatConfigTxt(config, { eol: "\r\n" }))).toEqual(config);
    }
  });

  it("refuses a value with a line break (it would inject a key)", () => {
    expect(() => formatConfigTxt({ ...linux, HIPAY_PWD: "x\nLOCAL_PORT=1" })).toThrow(ConfigTxtError);
  });

  it("refuses a value with spaces at either end (they would not read back)", () => {
    expect(() => formatConfigTxt({ ...linux, TERMINAL_MANAGER_PWD: " pwd" })).toThrow(
      /TERMINAL_MANAGER_PWD may not start or end with a space/,
    );
  });

  it("refuses a config the spec refuses, and an unknown key", () => {
    expect(() => formatConfigTxt({ ...linux, LOCAL_PORT: 0 })).toThrow(/LOCAL_PORT/);
    expect(() => formatConfigTxt({ ...linux, UPDATE_TIME: "4:00" })).toThrow(/UPDATE_TIME/);
    expect(() => formatConfigTxt({ ...linux, EXTRA: "1" } as ConnectorConfig)).toThrow(/unknown key EXTRA/);
  });
});

describe("CONFIG_TXT_KEYS", () => {
  it("are the spec's ConnectorConfig properties, in the seed's table order", () => {
    expect(CONFIG_TXT_KEYS).toEqual(Object.keys(schemaBundle.$defs.ConnectorConfig.properties));
    expect(CONFIG_TXT_KEYS).toEqual([
      "SERIAL_PORT",
      "LOCAL_PORT",
      "TERMINAL_MANAGER_LOGIN",
      "TERMINAL_MANAGER_PWD",
      "HIPAY_LOGIN",
      "HIPAY_PWD",
      "UPDATE_TIME",
    ]);
  });
});
