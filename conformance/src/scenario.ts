/**
 * Scenario files: one YAML document per behaviour, in `scenarios/<protocol>/*.yaml`. Every file
 * is checked on load; a bad file is a `ScenarioError` naming the file and the field, never a crash
 * half-way through a run.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";

export const PROTOCOLS = ["wepay", "stripe-terminal", "payneteasy", "hipay-ecr", "nexo"] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

/** What a scenario needs from its target besides plain HTTP. */
export const CAPABILITIES = [
  "simulator",
  "test-values",
  "clock",
  "faults",
  "callbacks",
  "listener",
  "serial",
  "semantics",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface Expectation {
  /** one status or any of several */
  status?: number | number[];
  /** the answer's body validates against the message the spec gives for that status (default true) */
  valid?: boolean;
  /** a subset the body must contain (objects: listed keys, arrays: the listed items in order) */
  body?: unknown;
  /** body paths that must be present (`a.b.0.c`) */
  present?: string[];
  /** body paths that must be absent */
  absent?: string[];
}

export interface RequestStep {
  kind: "request";
  /** operation id of the descriptor table (`paymentsCreate`) */
  op: string;
  doc?: string;
  /** the flat input: wire parameter names and `body` (templates `${name}` allowed) */
  input: Record<string, unknown>;
  /** start from the spec's first @opExample input of the operation; `input` is merged over it */
  example?: boolean;
  /** the request body is meant to break the schema (no check before sending) */
  invalidRequest?: boolean;
  /** `Payspec-Fault` header value */
  fault?: string;
  /** send without credentials */
  noAuth?: boolean;
  /** start it and go on; a later `await` step collects the answer */
  async?: string;
  expect: Expectation;
  /** variables from the answer: name → body path */
  save?: Record<string, string>;
}

export interface AwaitStep {
  kind: "await";
  await: string;
  expect: Expectation;
  save?: Record<string, string>;
}

export interface ActionStep {
  kind: "action";
  /** a protocol step (`stripe.createPaymentIntent`) or a generic one (`advanceClock`, `pause`) */
  action: string;
  args: Record<string, unknown>;
  expect?: Expectation;
  save?: Record<string, string>;
}

export type Step = RequestStep | AwaitStep | ActionStep;

export interface MessageCase {
  message: string;
  /** a value that must validate (`example` takes the schema's first example) */
  valid: unknown;
  /** a value that must be refused */
  invalid: unknown;
  /** the wire encoding of the message (`form`/`kv` check text values) */
  encoding?: string;
}

export interface FrameStep {
  /** what the suite (playing the cash register) writes */
  send?: { enq?: true; eot?: true; frame?: Record<string, string | number>; badLrc?: boolean; raw?: string };
  /** what must come back next: a control byte name or a frame of `message` */
  expect?: { control?: string; frame?: string; fields?: Record<string, string> };
}

interface ScenarioBase {
  /** `<protocol>/<file name without .yaml>` */
  id: string;
  protocol: ProtocolName;
  file: string;
  doc: string;
  stateless: boolean;
  requires: Capability[];
  /** an extra reason to skip on every target (e.g. a known simulator bug), with the reason */
  skip?: string;
}

export interface HttpScenario extends ScenarioBase {
  kind: "http";
  steps: Step[];
}
export interface MessageScenario extends ScenarioBase {
  kind: "messages";
  messages: MessageCase[];
}
export interface FrameScenario extends ScenarioBase {
  kind: "frames";
  frames: FrameStep[];
}
export type Scenario = HttpScenario | MessageScenario | FrameScenario;

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid scenario: ${problems.join("; ")}`);
    this.name = "ScenarioError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkExpect(v: unknown, where: string, problems: string[]): Expectation {
  if (v === undefined) return {};
  if (!isObject(v)) {
    problems.push(`${where}.expect must be a mapping`);
    return {};
  }
  const allowed = ["status", "valid", "body", "present", "absent"];
  for (const k of Object.keys(v)) if (!allowed.includes(k)) problems.push(`${where}.expect: unknown key "${k}"`);
  const s = v.status;
  if (s !== undefined && typeof s !== "number" && !(Array.isArray(s) && s.every((x) => typeof x === "number")))
    problems.push(`${where}.expect.status must be a number or a list of numbers`);
  if (v.valid !== undefined && typeof v.valid !== "boolean")
    problems.push(`${where}.expect.valid must be true or false`);
  for (const k of ["present", "absent"] as const) {
    const p = v[k];
    if (p !== undefined && !(Array.isArray(p) && p.every((x) => typeof x === "string")))
      problems.push(`${where}.expect.${k} must be a list of paths`);
  }
  return v as Expectation;
}

function checkSave(v: unknown, where: string, problems: string[]): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || !Object.values(v).every((x) => typeof x === "string")) {
    problems.push(`${where}.save must map names to body paths`);
    return undefined;
  }
  return v as Record<string, string>;
}

function checkStep(raw: unknown, where: string, problems: string[]): Step | undefined {
  if (!isObject(raw)) {
    problems.push(`${where} must be a mapping`);
    return undefined;
  }
  const save = checkSave(raw.save, where, problems);
  if (typeof raw.op === "string") {
    const allowed = ["op", "doc", "example", "input", "invalidRequest", "fault", "noAuth", "async", "expect", "save"];
    for (const k of Object.keys(raw)) if (!allowed.includes(k)) problems.push(`${where}: unknown key "${k}"`);
    if (raw.input !== undefined && !isObject(raw.input)) problems.push(`${where}.input must be a mapping`);
    if (raw.expect === undefined && raw.async === undefined) problems.push(`${where}: a request needs "expect"`);
    const step: RequestStep = {
      kind: "request",
      op: raw.op,
      input: (raw.input as Record<string, unknown>) ?? {},
      expect: checkExpect(raw.expect, where, problems),
    };
    if (typeof raw.doc === "string") step.doc = raw.doc;
    if (raw.example === true) step.example = true;
    if (raw.invalidRequest === true) step.invalidRequest = true;
    if (typeof raw.fault === "string") step.fault = raw.fault;
    if (raw.noAuth === true) step.noAuth = true;
    if (typeof raw.async === "string") step.async = raw.async;
    if (save) step.save = save;
    return step;
  }
  if (typeof raw.await === "string") {
    const step: AwaitStep = { kind: "await", await: raw.await, expect: checkExpect(raw.expect, where, problems) };
    if (save) step.save = save;
    return step;
  }
  if (typeof raw.action === "string") {
    if (raw.args !== undefined && !isObject(raw.args)) problems.push(`${where}.args must be a mapping`);
    const step: ActionStep = { kind: "action", action: raw.action, args: (raw.args as Record<string, unknown>) ?? {} };
    if (raw.expect !== undefined) step.expect = checkExpect(raw.expect, where, problems);
    if (save) step.save = save;
    return step;
  }
  problems.push(`${where}: a step needs "op", "await" or "action"`);
  return undefined;
}

/** Checks one parsed scenario document; throws a ScenarioError listing every problem. */
export function parseScenario(raw: unknown, file: string, protocol: ProtocolName): Scenario {
  const problems: string[] = [];
  if (!isObject(raw)) throw new ScenarioError(file, ["the document must be a mapping"]);
  const allowed = ["doc", "stateless", "requires", "skip", "steps", "messages", "frames"];
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) problems.push(`unknown key "${k}"`);
  if (typeof raw.doc !== "string" || raw.doc.trim() === "")
    problems.push(`"doc" (one line saying the behaviour) is required`);
  if (raw.stateless !== undefined && typeof raw.stateless !== "boolean")
    problems.push(`"stateless" must be true or false`);
  const requires: Capability[] = [];
  if (raw.requires !== undefined) {
    if (!Array.isArray(raw.requires)) problems.push(`"requires" must be a list`);
    else
      for (const c of raw.requires) {
        if ((CAPABILITIES as readonly unknown[]).includes(c)) requires.push(c as Capability);
        else problems.push(`"requires": unknown capability ${JSON.stringify(c)} (one of ${CAPABILITIES.join(", ")})`);
      }
  }
  const bodies = ["steps", "messages", "frames"].filter((k) => raw[k] !== undefined);
  if (bodies.length !== 1) problems.push(`exactly one of "steps", "messages" or "frames" is required`);
  const base = {
    id: `${protocol}/${basename(file).replace(/\.ya?ml$/, "")}`,
    protocol,
    file,
    doc: typeof raw.doc === "string" ? raw.doc.trim() : "",
    stateless: raw.stateless === true,
    requires,
    ...(typeof raw.skip === "string" ? { skip: raw.skip } : {}),
  };
  let scenario: Scenario | undefined;
  if (raw.steps !== undefined) {
    if (!Array.isArray(raw.steps) || raw.steps.length === 0) problems.push(`"steps" must be a non-empty list`);
    else {
      const steps = raw.steps.map((s, i) => checkStep(s, `steps[${i}]`, problems)).filter((s): s is Step => !!s);
      if (base.stateless) {
        if (steps.length !== 1 || steps[0]?.kind !== "request")
          problems.push(`a stateless scenario is one request (it must run against a mock of the spec)`);
        const e = steps[0]?.kind === "request" ? steps[0].expect : {};
        if (e.body !== undefined || e.present !== undefined || e.absent !== undefined)
          problems.push(`a stateless scenario checks status and schema only (no body/present/absent)`);
      }
      scenario = { ...base, kind: "http", steps };
    }
  } else if (raw.messages !== undefined) {
    if (!Array.isArray(raw.messages) || raw.messages.length === 0) problems.push(`"messages" must be a non-empty list`);
    else {
      raw.messages.forEach((m, i) => {
        if (!isObject(m) || typeof m.message !== "string" || !("valid" in m) || !("invalid" in m))
          problems.push(`messages[${i}] needs "message", "valid" and "invalid"`);
      });
      scenario = { ...base, kind: "messages", messages: raw.messages as MessageCase[] };
    }
  } else if (raw.frames !== undefined) {
    if (!Array.isArray(raw.frames) || raw.frames.length === 0) problems.push(`"frames" must be a non-empty list`);
    else {
      raw.frames.forEach((f, i) => {
        if (!isObject(f) || (f.send === undefined && f.expect === undefined))
          problems.push(`frames[${i}] needs "send" or "expect"`);
      });
      scenario = { ...base, kind: "frames", frames: raw.frames as FrameStep[] };
    }
  }
  if (problems.length > 0 || !scenario) throw new ScenarioError(file, problems);
  return scenario;
}

/** Parses YAML text into a checked scenario (a YAML syntax error is a ScenarioError too). */
export function parseScenarioText(text: string, file: string, protocol: ProtocolName): Scenario {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new ScenarioError(file, [`not YAML: ${(err as Error).message.split("\n")[0]}`]);
  }
  return parseScenario(raw, file, protocol);
}

/** The directory of the scenarios shipped with this package. */
export function defaultScenarioDir(): string {
  return new URL("../scenarios/", import.meta.url).pathname;
}

/** Loads every `*.yaml` of `<dir>/<protocol>/`, sorted by file name. */
export function loadScenarios(protocol: ProtocolName, dir: string = defaultScenarioDir()): Scenario[] {
  const folder = join(dir, protocol);
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => /\.ya?ml$/.test(n));
  } catch {
    return [];
  }
  return names.sort().map((n) => parseScenarioText(readFileSync(join(folder, n), "utf8"), join(folder, n), protocol));
}
