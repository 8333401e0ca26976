/**
 * Endpoint fuzzing: random and mutated requests against a protocol's simulator over real loopback HTTP. The oracle
 * for every answer: never a 5xx, never a dropped connection, and always a status the operation declares with a
 * body that decodes and validates as the message the spec gives for that status (a vendor-shaped answer).
 */
import {
  decodeBody,
  encodeBody,
  encodingFor,
  expandPath,
  matchResponse,
  type OperationDescriptor,
  type OutgoingRequest,
  type ResponseDescriptor,
} from "@payspec/runtime";
import fc from "fast-check";
import type { RunningTarget } from "./targets.js";

export type Mutation =
  | { readonly kind: "drop"; readonly at: number }
  | { readonly kind: "replace"; readonly at: number; readonly value: unknown }
  | { readonly kind: "extra"; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: "huge-string"; readonly at: number; readonly length: number };

export type BodyPlan =
  | { readonly kind: "mutated-example"; readonly example: number; readonly mutations: readonly Mutation[] }
  | { readonly kind: "random-json"; readonly value: unknown }
  | { readonly kind: "garbage"; readonly text: string }
  | { readonly kind: "deep"; readonly depth: number; readonly open: string }
  | { readonly kind: "oversized"; readonly bytes: number }
  | { readonly kind: "none" };

export interface Case {
  readonly op: number;
  readonly body: BodyPlan;
  /** Content-Type sent: the operation's own, or another one. */
  readonly contentType: "declared" | "json" | "form" | "xml" | "octet" | "missing";
  readonly pathValue: string | undefined;
  readonly auth: "valid" | "wrong" | "none";
}

const KEYS = ["__proto__", "constructor", "prototype", "toString", "", "a".repeat(300), "\u0000", "🙂", "0"];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("replace" as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53, "NaN", "", " ", "0x10", "1e999", true, null, [], {}),
    ),
  }),
  fc.record({
    kind: fc.constant("extra" as const),
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({
    kind: fc.constant("huge-string" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1_000, max: 200_000 }),
  }),
);

const bodyPlan: fc.Arbitrary<BodyPlan> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("mutated-example" as const),
      example: fc.nat(),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("random-json" as const), value: fc.jsonValue({ maxDepth: 4 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("garbage" as const),
      text: fc.oneof(
        fc.string({ unit: "binary", maxLength: 400 }),
        fc.constantFrom(
          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
          '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>',
          "a[__proto__][polluted]=1&b[constructor][prototype][polluted]=1",
          '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
          "type=sale&type=sale&amount[]=1&amount[x]=2",
          "\u0002000000010000097800\u0003\u0000",
          "\uFEFF{}",
          "%zz%00%",
        ),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("deep" as const),
      depth: fc.integer({ min: 100, max: 50_000 }),
      open: fc.constantFrom("[", '{"a":', "<a>", "a["),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("oversized" as const),
      bytes: fc.integer({ min: 1_100_000, max: 3_000_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
);

export function caseArbitrary(operationCount: number): fc.Arbitrary<Case> {
  return fc.record({
    op: fc.integer({ min: 0, max: operationCount - 1 }),
    body: bodyPlan,
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant("declared" as const) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          "json" as const,
          "form" as const,
          "xml" as const,
          "octet" as const,
          "missing" as const,
        ),
      },
    ),
    pathValue: fc.option(
      fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom("..", "%2e%2e", "a/b", "\u0000", "x".repeat(400), "tmr_1", "12345"),
      ),
      { nil: undefined },
    ),
    auth: fc.oneof(
      { weight: 8, arbitrary: fc.constant("valid" as const) },
      { weight: 1, arbitrary: fc.constantFrom("wrong" as const, "none" as const) },
    ),
  });
}

/** Every object/array node of a JSON tree, depth first, so a mutation can pick one by index. */
function nodes(
  value: unknown,
  out: Array<Record<string, unknown> | unknown[]> = [],
): Array<Record<string, unknown> | unknown[]> {
  if (value !== null && typeof value === "object") {
    out.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) nodes(child, out);
  }
  return out;
}

function mutate(value: unknown, mutations: readonly Mutation[]): unknown {
  const copy: unknown = structuredClone(value ?? {});
  for (const m of mutations) {
    const all = nodes(copy);
    const node = all[m.at % Math.max(all.length, 1)];
    if (node === undefined) continue;
    const keys = Object.keys(node);
    const key = keys[m.at % Math.max(keys.length, 1)];
    switch (m.kind) {
      case "drop":
        if (key !== undefined) {
          if (Array.isArray(node)) {
            // By hand: splice would consult a fuzzed `constructor` key through Symbol.species.
            for (let i = Number(key); i < node.length - 1; i++) node[i] = node[i + 1];
            node.length = Math.max(0, node.length - 1);
          } else delete node[key];
        }
        break;
      case "replace":
        // A copy: fast-check hands out shared constant instances ([] and {}), which would make the tree cyclic.
        if (key !== undefined) (node as Record<string, unknown>)[key] = structuredClone(m.value);
        break;
      case "extra":
        // defineProperty: a literal `__proto__` key, as JSON.parse would make it, not a prototype change.
        Object.defineProperty(node, m.key, {
          value: structuredClone(m.value),
          enumerable: true,
          configurable: true,
          writable: true,
        });
        break;
      case "huge-string":
        if (key !== undefined) (node as Record<string, unknown>)[key] = "9".repeat(m.length);
        break;
    }
  }
  return copy;
}

const CONTENT_TYPES = {
  json: "application/json",
  form: "application/x-www-form-urlencoded",
  xml: "application/xml",
  octet: "application/octet-stream",
} as const;

/** The HTTP request a case stands for. */
export async function buildRequest(target: RunningTarget, c: Case): Promise<OutgoingRequest> {
  const op = target.operations[c.op] as OperationDescriptor;
  const examples = target.examples[op.id] ?? [];
  const example =
    examples.length > 0
      ? examples[(c.body.kind === "mutated-example" ? c.body.example : 0) % examples.length]
      : undefined;
  const input = (example?.input ?? {}) as Record<string, unknown>;
  const pathValues: Record<string, unknown> = {};
  for (const p of op.params)
    if (p.in === "path")
      pathValues[p.name] = c.pathValue === undefined || c.pathValue === "" ? (input[p.name] ?? "x") : c.pathValue;
  const headers: Record<string, string> = {};
  for (const p of op.params) {
    if (p.in !== "header" || p.name.toLowerCase() === "content-type" || p.name.toLowerCase() === "authorization")
      continue;
    const value = p.fixed ?? input[p.name];
    if (value !== undefined) headers[p.name] = String(value);
  }
  let url = target.url + expandPath(op.path, pathValues);
  if (
    op.method === "GET" &&
    c.body.kind === "random-json" &&
    c.body.value !== null &&
    typeof c.body.value === "object"
  ) {
    url += `?${new URLSearchParams(Object.entries(c.body.value).map(([k, v]): [string, string] => [k, JSON.stringify(v) ?? ""])).toString()}`;
  }
  let body: string | undefined;
  const declared = op.body?.contentTypes[0] ?? "application/json";
  if (op.method !== "GET" && op.method !== "HEAD") {
    switch (c.body.kind) {
      case "mutated-example":
      case "random-json": {
        const value = c.body.kind === "random-json" ? c.body.value : mutate(input.body, c.body.mutations);
        try {
          body = op.body
            ? encodeBody(op.body.encoding, value, target.xmlShapes, op.body.message, op.body.xmlRoot)
            : JSON.stringify(value);
        } catch {
          body = JSON.stringify(value) ?? "null";
        }
        break;
      }
      case "garbage":
        body = c.body.text;
        break;
      case "deep":
        body = c.body.open.repeat(c.body.depth);
        break;
      case "oversized":
        body = "a=".padEnd(c.body.bytes, "9");
        break;
      case "none":
        break;
    }
  }
  if (body !== undefined && c.contentType !== "missing")
    headers["content-type"] = c.contentType === "declared" ? declared : CONTENT_TYPES[c.contentType];
  const request: OutgoingRequest = { method: op.method, url, headers, ...(body === undefined ? {} : { body }) };
  if (c.auth === "valid") await target.auth(request, op);
  else if (c.auth === "wrong") await target.wrongAuth(request, op);
  return request;
}

/**
 * Refusals a server makes before an operation is known or its body read: no route for a mangled path (404), a body
 * over the limit (413), a media type it does not speak (415). The spec does not list them on every operation; they
 * must come in the shape of the operation's own refusals (see refusalShape).
 */
const GENERIC_REFUSALS = new Set([404, 405, 413, 415]);

/** The response the spec declares for this status, preferring the one in the answer's media type. */
function responseFor(
  op: OperationDescriptor,
  status: number,
  contentType: string | undefined,
): ResponseDescriptor | undefined {
  const media = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const exact = op.responses.filter((r) => r.status === status);
  return (
    exact.find((r) => r.contentType === media) ??
    exact[0] ??
    (exact.length === 0 && !GENERIC_REFUSALS.has(status) ? matchResponse(op, status) : undefined)
  );
}

/** The shape a generic refusal must take: the operation's 400 answer, else its first error answer, else (Payneteasy, whose errors travel as 200 bodies) its 200 answer. */
function refusalShape(op: OperationDescriptor, contentType: string | undefined): ResponseDescriptor | undefined {
  const firstError = op.responses.find((r) => r.error && typeof r.status === "number" && r.status < 500);
  return (
    responseFor(op, 400, contentType) ??
    (firstError === undefined ? undefined : responseFor(op, firstError.status as number, contentType)) ??
    responseFor(op, 200, contentType)
  );
}

export type Verdict =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status: number | "no-answer"; readonly problem: string };

/** Sends one case and judges the answer. */
export async function attack(target: RunningTarget, c: Case): Promise<Verdict> {
  const op = target.operations[c.op] as OperationDescriptor;
  const request = await buildRequest(target, c);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return { ok: false, status: "no-answer", problem: `connection failed: ${String((error as Error).cause ?? error)}` };
  }
  const text = await response.text();
  const status = response.status;
  if (status >= 500) return { ok: false, status, problem: `5xx answer: ${text.slice(0, 200)}` };
  const contentType = response.headers.get("content-type") ?? undefined;
  const descriptor =
    responseFor(op, status, contentType) ?? (GENERIC_REFUSALS.has(status) ? refusalShape(op, contentType) : undefined);
  if (descriptor === undefined)
    return { ok: false, status, problem: `status ${status} is not declared for ${op.id}: ${text.slice(0, 200)}` };
  if (descriptor.message === undefined) return { ok: true, status };
  let decoded: unknown;
  try {
    const encoding = encodingFor(contentType, descriptor.encoding);
    decoded = decodeBody(encoding, text, target.xmlShapes, descriptor.message, descriptor.xmlRoot);
  } catch (error) {
    return { ok: false, status, problem: `answer does not decode as ${descriptor.message}: ${String(error)}` };
  }
  const validate = target.validator(descriptor.message);
  if (validate === undefined) return { ok: false, status, problem: `no validator for ${descriptor.message}` };
  if (!validate(decoded)) {
    const errors = (validate as unknown as { errors?: unknown }).errors;
    return {
      ok: false,
      status,
      problem: `answer is not a valid ${descriptor.message}: ${JSON.stringify(errors).slice(0, 300)}`,
    };
  }
  return { ok: true, status };
}

export interface FuzzReport {
  readonly protocol: string;
  readonly runs: number;
  readonly seed: number;
  readonly byStatus: Record<string, number>;
  readonly failures: ReadonlyArray<{ readonly verdict: Verdict; readonly case: Case; readonly operation: string }>;
  /** Prototype of Object polluted after the campaign (must stay false). */
  readonly polluted: boolean;
}

/** Runs `runs` random cases against a running target; collects every failure instead of stopping at the first. */
export async function fuzzTarget(
  target: RunningTarget,
  options: { runs: number; seed: number; onProgress?: (done: number) => void },
): Promise<FuzzReport> {
  const cases = fc.sample(caseArbitrary(target.operations.length), { numRuns: options.runs, seed: options.seed });
  const byStatus: Record<string, number> = {};
  const failures: Array<FuzzReport["failures"][number]> = [];
  let done = 0;
  for (const c of cases) {
    let verdict: Verdict;
    try {
      verdict = await attack(target, c);
    } catch (error) {
      verdict = { ok: false, status: "no-answer", problem: `harness could not build the request: ${String(error)}` };
    }
    byStatus[String(verdict.status)] = (byStatus[String(verdict.status)] ?? 0) + 1;
    if (!verdict.ok)
      failures.push({ verdict, case: c, operation: (target.operations[c.op] as OperationDescriptor).id });
    options.onProgress?.(++done);
  }
  const polluted = ({} as Record<string, unknown>).polluted !== undefined;
  return { protocol: target.protocol, runs: options.runs, seed: options.seed, byStatus, failures, polluted };
}
