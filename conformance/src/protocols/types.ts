/** The seam between the generic engine and one protocol. */
import type { Authenticator, OperationDescriptor, XmlElementShape } from "@payspec/runtime";
import type { RequestLogSink } from "@payspec/runtime/server";
import type { Capability, ProtocolName } from "../scenario.js";

/** How an in-process simulator target starts. */
export interface SimulatorOptions {
  /** one redacted entry per request the simulator answers (see `attachRequestLog` in @payspec/runtime/server) */
  log?: RequestLogSink;
  /** include the redacted request and response bodies in `log` entries */
  logBodies?: boolean;
}

/** A server under test. */
export interface Target {
  /** simulator: built in, in-process; sandbox: a vendor's test environment; mock: Prism; url: anything else */
  kind: "simulator" | "sandbox" | "mock" | "url";
  label: string;
  url: string;
  capabilities: ReadonlySet<Capability>;
  /** adds credentials to a request (runs after the body is encoded) */
  auth?: Authenticator;
  /** headers on every request */
  headers?: Record<string, string>;
  /** the target's clock, when the suite drives it */
  clock?: { now(): number; advance(ms: number): void };
  /** what the protocol's actions need (simulator state, credentials, callback receiver) */
  context: Record<string, unknown>;
  close(): Promise<void>;
}

export interface ActionContext {
  target: Target;
  vars: Record<string, unknown>;
  /** validates a value against a message, recording it for coverage; returns the issues */
  validate(message: string, value: unknown, encoding?: string): string[];
  /** records an operation the target exercised outside a request step (a callback it made) */
  coverOperation(descriptorId: string): void;
  signal: AbortSignal;
}

/** What an action answers: a body to check and save from, or a reason it cannot run here. */
export type ActionResult = { body?: unknown; status?: number } | { skip: string };

export type Action = (args: Record<string, unknown>, ctx: ActionContext) => Promise<ActionResult>;

export interface ProtocolAdapter {
  name: ProtocolName;
  operations: Readonly<Record<string, OperationDescriptor>>;
  /** the validators package (validateX functions, formValidators, schemaBundle) */
  validators: Readonly<Record<string, unknown>>;
  xmlShapes?: Readonly<Record<string, XmlElementShape>>;
  /** the spec's @opExamples by descriptor id */
  examples: Readonly<Record<string, readonly { input: object }[]>>;
  startSimulator(options?: SimulatorOptions): Promise<Target>;
  /** a vendor sandbox when its credentials are in `env`, else why not */
  sandbox(env: Readonly<Record<string, string | undefined>>): Target | { skip: string };
  /** any URL (a partner's server): credentials from `env`, or the simulator's test ones */
  urlTarget(url: string, env: Readonly<Record<string, string | undefined>>): Target;
  /** fills protocol-computed fields of an input (`control: auto`) */
  prepare?(op: OperationDescriptor, input: Record<string, unknown>, target: Target): Record<string, unknown>;
  actions: Readonly<Record<string, Action>>;
  /** whether Stoplight Prism can mock this protocol's OpenAPI */
  prism: { supported: true } | { supported: false; reason: string };
  /** capabilities a URL target of this protocol has */
}

export const HTTP_ONLY: ReadonlySet<Capability> = new Set(["semantics"]);
