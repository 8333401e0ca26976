/**
 * The generic engine: runs checked scenarios against a target, one after the other, through the
 * runtime's `callOperation` (the same encoder/decoder the generated clients use), validating every
 * body it sends or receives with the generated validators. Protocol specifics live in adapters.
 */
import { randomUUID } from "node:crypto";
import {
  callOperation,
  createFetchTransport,
  matchResponse,
  type OperationDescriptor,
  type Transport,
  type TransportResponse,
} from "@payspec/runtime";
import { runFrames } from "./frames.js";
import { adapters } from "./protocols/index.js";
import type { ActionContext, ProtocolAdapter, Target } from "./protocols/types.js";
import type { ActionStep, Expectation, RequestStep, Scenario } from "./scenario.js";

export type Outcome = "passed" | "failed" | "skipped";

export interface ScenarioResult {
  id: string;
  protocol: string;
  doc: string;
  outcome: Outcome;
  /** why it was skipped, or what failed */
  reason?: string;
  failures: string[];
  durationMs: number;
  /** descriptor ids it exercised (or, when skipped, would have) */
  operations: string[];
  /** messages it validated a value against (or, when skipped, would have) */
  messages: string[];
}

class Skip extends Error {}

interface Answer {
  status: number;
  body: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `${name}` → the variable; a string that is only `${name}` keeps the variable's type. */
export function substitute(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    const lookup = (name: string): unknown => {
      if (name === "uuid") return randomUUID();
      if (name === "rand") return randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase();
      if (!(name in vars)) throw new Error(`unknown variable \${${name}}`);
      return vars[name];
    };
    if (whole) return lookup(whole[1]!);
    return value.replace(/\$\{([^}]+)\}/g, (_, n: string) => String(lookup(n)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

function merge(base: unknown, over: unknown): unknown {
  if (isObject(base) && isObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = v === null ? undefined : merge(base[k], v);
    return out;
  }
  return over === undefined ? base : over;
}

/** The value at `a.b.0.c`. */
export function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split(".").filter(Boolean)) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Differences between `actual` and the subset `expected` (empty: it matches). */
export function subsetDiff(actual: unknown, expected: unknown, path = ""): string[] {
  if (isObject(expected)) {
    if (!isObject(actual)) return [`${path || "/"}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) => subsetDiff(actual[k], v, `${path}/${k}`));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path || "/"}: expected a list, got ${JSON.stringify(actual)}`];
    if (actual.length < expected.length)
      return [`${path || "/"}: expected at least ${expected.length} items, got ${actual.length}`];
    return expected.flatMap((v, i) => subsetDiff(actual[i], v, `${path}/${i}`));
  }
  // numbers and their text are the same value on form/kv wires
  if (
    actual === expected ||
    (actual !== undefined && actual !== null && String(actual) === String(expected) && typeof expected !== "object")
  )
    return [];
  return [`${path || "/"}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

/** `drop-required`: the valid value without the schema's first required property. */
function dropRequired(schema: unknown, value: unknown): unknown {
  const required = (schema as { required?: string[] } | undefined)?.required;
  if (!required?.length || !isObject(value)) return undefined;
  const { [required[0]!]: _dropped, ...rest } = value;
  return rest;
}

/** Checks a value against a message with the generated validators; form/kv text uses the form validators. */
export function validateMessage(
  adapter: ProtocolAdapter,
  message: string,
  value: unknown,
  encoding?: string,
): string[] | undefined {
  const v = adapter.validators;
  const form = (v.formValidators as Record<string, unknown> | undefined)?.[message];
  const fn = ((encoding === "form" || encoding === "kv") && form ? form : v[`validate${message}`]) as
    | { check(value: unknown): { valid: boolean; errors?: { path: string; message: string }[] } }
    | undefined;
  if (!fn) return undefined;
  const r = fn.check(value);
  return r.valid ? [] : (r.errors ?? []).map((e) => `${e.path || "/"} ${e.message}`);
}

export interface RunScenarioOptions {
  signal?: AbortSignal;
  /** per-request time limit; default 15 s */
  timeoutMs?: number;
}

function staticFootprint(adapter: ProtocolAdapter, scenario: Scenario): { operations: string[]; messages: string[] } {
  const ops = new Set<string>();
  const messages = new Set<string>();
  if (scenario.kind === "messages") for (const m of scenario.messages) messages.add(m.message);
  if (scenario.kind === "http")
    for (const s of scenario.steps) {
      if (s.kind !== "request") continue;
      const op = adapter.operations[s.op];
      if (!op) continue;
      ops.add(op.id);
      if (op.body) messages.add(op.body.message);
      const statuses =
        s.expect.status === undefined ? [] : Array.isArray(s.expect.status) ? s.expect.status : [s.expect.status];
      for (const st of statuses) {
        const r = matchResponse(op, st);
        if (r?.message) messages.add(r.message);
      }
    }
  return { operations: [...ops], messages: [...messages] };
}

/** Why `scenario` cannot run against `target`, if it cannot. */
export function skipReason(scenario: Scenario, target: Target): string | undefined {
  if (scenario.skip) return scenario.skip;
  if (scenario.kind === "http" && !scenario.stateless && !target.capabilities.has("semantics"))
    return `${target.label} is a mock that answers the spec's examples: only stateless scenarios run against it`;
  const reasons: Record<string, string> = {
    simulator: "needs the built-in simulator's state",
    "test-values":
      "uses the simulator's documented test values (amounts, made-up card data) that a real sandbox does not share",
    clock: "needs the simulator's clock (advanceClock)",
    faults: "needs the simulator's Payspec-Fault header",
    callbacks: "needs callbacks delivered to the suite's loopback receiver",
    listener: "needs the terminal to reach the suite's POS listener",
    serial: "needs a serial line to the terminal (Concert frames)",
    semantics: "needs a target that implements the protocol's behaviour",
  };
  for (const c of scenario.requires)
    if (!target.capabilities.has(c)) return `${reasons[c] ?? c} (not available on ${target.kind} target)`;
  return undefined;
}

/** Runs one scenario. Never throws: an error is a failed result. */
export async function runScenario(
  adapter: ProtocolAdapter,
  scenario: Scenario,
  target: Target,
  options: RunScenarioOptions = {},
): Promise<ScenarioResult> {
  const started = Date.now();
  const base = { id: scenario.id, protocol: scenario.protocol, doc: scenario.doc };
  const reason = skipReason(scenario, target);
  if (reason)
    return { ...base, outcome: "skipped", reason, failures: [], durationMs: 0, ...staticFootprint(adapter, scenario) };
  const operations = new Set<string>();
  const messages = new Set<string>();
  const failures: string[] = [];
  const validate = (message: string, value: unknown, encoding?: string): string[] => {
    const issues = validateMessage(adapter, message, value, encoding);
    if (issues === undefined) return [`no validator for message ${message}`];
    messages.add(message);
    return issues;
  };
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  try {
    if (scenario.kind === "messages") {
      for (const m of scenario.messages) {
        const bundle = adapter.validators.schemaBundle as { $defs: Record<string, { examples?: unknown[] }> };
        const valid = m.valid === "example" ? bundle.$defs[m.message]?.examples?.[0] : m.valid;
        if (valid === undefined) {
          failures.push(`${m.message}: the spec has no example`);
          continue;
        }
        const ok = validate(m.message, valid, m.encoding);
        if (ok.length > 0) failures.push(`${m.message}: the valid value is refused: ${ok.join("; ")}`);
        const invalid = m.invalid === "drop-required" ? dropRequired(bundle.$defs[m.message], valid) : m.invalid;
        if (invalid === undefined) {
          failures.push(`${m.message}: no required property to drop for the invalid variant`);
          continue;
        }
        const bad = validate(m.message, invalid, m.encoding);
        if (bad.length === 0) failures.push(`${m.message}: the invalid value is accepted`);
      }
    } else if (scenario.kind === "frames") {
      failures.push(...(await runFrames(scenario, target, validate)));
    } else {
      const vars: Record<string, unknown> = {};
      const pending = new Map<string, Promise<Answer | Error>>();
      const transport = createFetchTransport({ timeoutMs: options.timeoutMs ?? 15_000 });
      for (const [i, step] of scenario.steps.entries()) {
        const where = `step ${i + 1}`;
        if (step.kind === "request") {
          const op = adapter.operations[step.op];
          if (!op) throw new Error(`${where}: unknown operation ${step.op}`);
          operations.add(op.id);
          const run = sendRequest(adapter, op, step, vars, target, transport, signal, validate, where, failures);
          if (step.async)
            pending.set(
              step.async,
              run.catch((e: unknown) => e as Error),
            );
          else {
            const answer = await run;
            check(adapter, op, answer, substitute(step.expect, vars) as Expectation, where, validate, failures);
            save(answer.body, step.save, vars, where, failures);
          }
        } else if (step.kind === "await") {
          const got = pending.get(step.await);
          if (!got) throw new Error(`${where}: nothing started as "${step.await}"`);
          const answer = await got;
          if (answer instanceof Error) throw answer;
          const startStep = scenario.steps.find((s) => s.kind === "request" && s.async === step.await) as RequestStep;
          const op = adapter.operations[startStep.op]!;
          check(adapter, op, answer, substitute(step.expect, vars) as Expectation, where, validate, failures);
          save(answer.body, step.save, vars, where, failures);
        } else {
          const result = await runAction(adapter, step, vars, target, validate, operations, signal);
          if ("skip" in result) throw new Skip(`${where} (${step.action}): ${result.skip}`);
          if (step.expect) {
            if (step.expect.status !== undefined && result.status !== undefined) {
              const want = Array.isArray(step.expect.status) ? step.expect.status : [step.expect.status];
              if (!want.includes(result.status))
                failures.push(`${where}: status ${result.status}, expected ${want.join(" or ")}`);
            }
            expectBody(result.body, substitute(step.expect, vars) as Expectation, where, failures);
          }
          save(result.body, step.save, vars, where, failures);
        }
        if (failures.length > 0) break;
      }
      // an async request never awaited is left to finish on its own
      for (const p of pending.values()) void p;
    }
  } catch (err) {
    if (err instanceof Skip)
      return {
        ...base,
        outcome: "skipped",
        reason: err.message,
        failures: [],
        durationMs: Date.now() - started,
        operations: [...operations],
        messages: [...messages],
      };
    failures.push(err instanceof Error ? err.message : String(err));
  } finally {
    controller.abort();
  }
  return {
    ...base,
    outcome: failures.length > 0 ? "failed" : "passed",
    ...(failures.length > 0 ? { reason: failures[0] } : {}),
    failures,
    durationMs: Date.now() - started,
    operations: [...operations],
    messages: [...messages],
  };
}

async function runAction(
  adapter: ProtocolAdapter,
  step: ActionStep,
  vars: Record<string, unknown>,
  target: Target,
  validate: (m: string, v: unknown, e?: string) => string[],
  operations: Set<string>,
  signal: AbortSignal,
) {
  const args = substitute(step.args, vars) as Record<string, unknown>;
  if (step.action === "advanceClock") {
    if (!target.clock) return { skip: "needs the target's clock" };
    target.clock.advance(Number(args.seconds ?? 0) * 1000 + Number(args.ms ?? 0));
    return { body: { now: target.clock.now() } };
  }
  if (step.action === "set") return { body: args };
  const action = adapter.actions[step.action];
  if (!action) throw new Error(`unknown action ${step.action}`);
  const ctx: ActionContext = { target, vars, validate, coverOperation: (id) => operations.add(id), signal };
  return action(args, ctx);
}

async function sendRequest(
  adapter: ProtocolAdapter,
  op: OperationDescriptor,
  step: RequestStep,
  vars: Record<string, unknown>,
  target: Target,
  transport: Transport,
  signal: AbortSignal,
  validate: (m: string, v: unknown, e?: string) => string[],
  where: string,
  failures: string[],
): Promise<Answer> {
  const example = step.example ? adapter.examples[op.id]?.[0]?.input : undefined;
  if (step.example && !example) throw new Error(`${where}: the spec has no example for ${op.id}`);
  let input = substitute(merge(example ?? {}, step.input), vars) as Record<string, unknown>;
  if (adapter.prepare) input = adapter.prepare(op, input, target);
  if (op.body && input.body !== undefined && !step.invalidRequest) {
    const issues = validate(op.body.message, input.body, op.body.encoding === "form" ? undefined : op.body.encoding);
    if (issues.length > 0)
      failures.push(`${where}: the scenario's own ${op.body.message} is invalid: ${issues.join("; ")}`);
  }
  let last: TransportResponse | undefined;
  const recording: Transport = async (request) => {
    last = await transport(request);
    return last;
  };
  const headers: Record<string, string> = { ...target.headers };
  if (step.fault) headers["Payspec-Fault"] = step.fault;
  const config = {
    baseUrl: target.url,
    transport: recording,
    headers,
    ...(adapter.xmlShapes ? { xmlShapes: adapter.xmlShapes } : {}),
    ...(target.auth && !step.noAuth ? { auth: target.auth } : {}),
    retry: { maxAttempts: 1 },
  };
  try {
    const body = await callOperation(
      op,
      input,
      config,
      (status, b) => Object.assign(new Error(`HTTP ${status}`), { answer: { status, body: b } }),
      { signal },
    );
    return { status: last?.status ?? 0, body };
  } catch (err) {
    const answer = (err as { answer?: Answer }).answer;
    if (answer) return answer;
    if (last)
      throw new Error(
        `${where}: ${op.id} answered ${last.status} with a body that does not decode: ${(err as Error).message}`,
      );
    throw new Error(`${where}: ${op.id} failed: ${(err as Error).message}`);
  }
}

function check(
  _adapter: ProtocolAdapter,
  op: OperationDescriptor,
  answer: Answer,
  expect: Expectation,
  where: string,
  validate: (m: string, v: unknown, e?: string) => string[],
  failures: string[],
): void {
  if (expect.status !== undefined) {
    const want = Array.isArray(expect.status) ? expect.status : [expect.status];
    if (!want.includes(answer.status))
      failures.push(
        `${where} ${op.id}: status ${answer.status}, expected ${want.join(" or ")} (body ${JSON.stringify(answer.body)?.slice(0, 300)})`,
      );
  }
  const descriptor = matchResponse(op, answer.status);
  if (!descriptor) failures.push(`${where} ${op.id}: status ${answer.status} is not in the spec`);
  else if (descriptor.message && expect.valid !== false) {
    const issues = validate(descriptor.message, answer.body, descriptor.encoding);
    if (issues.length > 0)
      failures.push(
        `${where} ${op.id}: the answer is not a valid ${descriptor.message}: ${issues.slice(0, 5).join("; ")}`,
      );
  }
  expectBody(answer.body, expect, `${where} ${op.id}`, failures);
}

function expectBody(body: unknown, expect: Expectation, where: string, failures: string[]): void {
  if (expect.body !== undefined) for (const d of subsetDiff(body, expect.body)) failures.push(`${where}: ${d}`);
  for (const p of expect.present ?? []) if (at(body, p) === undefined) failures.push(`${where}: ${p} is missing`);
  for (const p of expect.absent ?? [])
    if (at(body, p) !== undefined) failures.push(`${where}: ${p} should be absent, is ${JSON.stringify(at(body, p))}`);
}

function save(
  body: unknown,
  spec: Record<string, string> | undefined,
  vars: Record<string, unknown>,
  where: string,
  failures: string[],
) {
  for (const [name, path] of Object.entries(spec ?? {})) {
    const v = at(body, path);
    if (v === undefined) failures.push(`${where}: nothing at ${path} to save as ${name}`);
    vars[name] = v;
  }
}

export { adapters };
