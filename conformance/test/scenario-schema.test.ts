// Scenario files are checked on load: a bad file is a clear ScenarioError, never a crash.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarios, PROTOCOLS, parseScenarioText, ScenarioError } from "../src/index.js";

const parse = (text: string) => parseScenarioText(text, "x.yaml", "wepay");

describe("scenario files", () => {
  it("every shipped scenario file loads", () => {
    for (const p of PROTOCOLS) expect(loadScenarios(p).length).toBeGreaterThan(3);
  });

  it("a file without a doc line is refused, naming the file and the field", () => {
    expect(() => parse("steps:\n  - op: paymentsGet\n    expect: { status: 200 }\n")).toThrowError(/x\.yaml.*"doc"/);
  });

  it("a step with an unknown key is refused", () => {
    expect(() => parse("doc: d\nsteps:\n  - op: paymentsGet\n    expct: { status: 200 }\n")).toThrowError(
      ScenarioError,
    );
  });

  it("a request without an expectation is refused", () => {
    expect(() => parse("doc: d\nsteps:\n  - op: paymentsGet\n")).toThrowError(/needs "expect"/);
  });

  it("an unknown capability is refused with the list of known ones", () => {
    expect(() => parse("doc: d\nrequires: [teleport]\nsteps:\n  - op: a\n    expect: {}\n")).toThrowError(
      /unknown capability "teleport"/,
    );
  });

  it("a stateless scenario may only check status and schema", () => {
    expect(() =>
      parse("doc: d\nstateless: true\nsteps:\n  - op: a\n    expect: { status: 200, body: { x: 1 } }\n"),
    ).toThrowError(/status and schema only/);
  });

  it("YAML that does not parse is a ScenarioError too", () => {
    expect(() => parse("doc: [unclosed\n")).toThrowError(/not YAML/);
  });

  it("a bad file in a scenario folder fails the load with its path", () => {
    const dir = mkdtempSync(join(tmpdir(), "conformance-"));
    mkdirSync(join(dir, "wepay"));
    writeFileSync(join(dir, "wepay", "broken.yaml"), "doc: d\n");
    expect(() => loadScenarios("wepay", dir)).toThrowError(/broken\.yaml/);
  });
});
