/**
 * Why a target is missed and what would close it, per suite: written from reading the code and
 * the figures of the runs so far (see .notes/bench.md). The report prints the one for a result
 * whose target is missed.
 */
import type { BenchResult } from "./results.js";

export const MISSED: Partial<Record<BenchResult["suite"], (r: BenchResult) => string | undefined>> = {
  server: (r) => {
    const missed = (r.targets ?? []).filter((t) => t.met === false).map((t) => t.against);
    const parts: string[] = [];
    if (missed.includes("raw node:http"))
      parts.push(
        "vs raw node:http: per request the simulator pays fastify routing, the body decode and the generated " +
          "request validation, the auth check (constant-time compare, OAuth/Basic parsing), the simulator's own state " +
          "work and a JSON.stringify of the answer, where the raw server writes a fixed buffer. On this 2-core machine " +
          "autocannon, the server and other jobs share the cores, so the gap is also scheduling noise (see the spread). " +
          "To close it: profile one simulator (`node --cpu-prof`), give the generated routes fastify response schemas " +
          "(fast-json-stringify serializers instead of JSON.stringify), and keep per-request allocations (clones of " +
          "state objects, fault-plan parsing) off the hot path",
      );
    if (missed.includes("Prism"))
      parts.push(
        "vs Prism: under this load Prism's figure is close to the payspec one because all contenders are bounded by the shared CPU; " +
          "re-run on a quiet machine before acting",
      );
    return parts.join(". ") || undefined;
  },
  validators: () =>
    "zod 4 compiles object schemas to fast JIT code, so the build-time ajv standalone code alone is not 3× faster on a valid message; " +
    "the generated validator also wraps it (result object, warnings). On an invalid message it runs the strict schema, then the " +
    "lenient inbound schema, then maps ajv errors to issues. To close it: return at once on a valid strict pass without building " +
    "a result object, run the lenient schema only when every strict error is an enum/const error, and compile with allErrors off " +
    "for the boolean guard (collect errors only when `.errors` is read)",
  client: () =>
    "per request the generated client builds the URL and headers from the operation table, and its fetch transport creates an " +
    "AbortSignal.timeout timer (plus AbortSignal.any with a caller signal), reads the body chunk by chunk through a stream reader " +
    "with a size check, copies every response header into a record, then decodes. To close it: one shared timeout per request only when asked, " +
    "`await response.arrayBuffer()` when content-length is present and under the limit, and lazy response headers",
  codegen: (r) =>
    r.id === "full"
      ? "every payspec-gen run compiles its protocol's TypeSpec program from scratch: 20 compiles (5 specs × 4 artifacts) where 5 would do. " +
        "To close it: a `payspec-gen <protocol> all` that compiles once and emits the four artifacts (the gen tasks of one protocol then share it), " +
        "and turbo's cache for unchanged specs"
      : "turbo itself starts, hashes every package's inputs and replays cached logs; on a loaded machine that alone exceeds the budget. " +
        "Check on a quiet machine; if still over, narrow `inputs` in turbo.json (tests and docs out of build inputs)",
  serial: () =>
    "each Concert exchange is a chain of turn-arounds (ENQ → ACK → frame → ACK → EOT, then the terminal's turn): every turn costs an " +
    "event-loop wake-up, a pty hop through socat and, in the line model, a timer (≥ 1 ms granularity, more under load). To close it: " +
    "write ENQ-ACK answers synchronously in the data handler, and measure on a real 9600-baud line, where the line time dominates",
};
