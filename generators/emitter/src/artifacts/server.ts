/**
 * Emits @payspec/<protocol>-server's generated half: the operation table, a typed handler
 * interface, and `register<Service>(app, handlers, options)`, a fastify plugin that validates
 * every request with the build-time validators before a handler sees it. The protocol's own
 * error shapes (the `reject` hook) and the simulator are handwritten beside it.
 */
import type { Program } from "@typespec/compiler";
import { type Code, doc, header, id, join, lit, raw, ts } from "../core/code.js";
import { collectExamples } from "./examples.js";
import {
  httpEmitContext,
  operationTable,
  replyType,
  summaryOf,
  typeImports,
  upper,
  xmlShapesFile,
} from "./http-common.js";
import type { OperationInfo } from "./operations.js";
import type { EmittedFile } from "./types.js";

export function emitServer(program: Program, protocol: string): EmittedFile[] {
  const { declarations, ops, service, ctx, inputs } = httpEmitContext(program);
  const replies = ops.map((op) => ts`export type ${id(`${upper(op.id)}Reply`)} = ${replyType(ctx, op)};\n`);
  const handlersName = id(`${service}Handlers`);
  const handlerLines = ops.map(
    (op) =>
      ts`${doc(summaryOf(program, op), "  ")}  ${id(op.id)}(input: ${id(`${upper(op.id)}Input`)}, ctx: HandlerContext): Promise<${id(`${upper(op.id)}Reply`)}> | ${id(`${upper(op.id)}Reply`)};`,
  );
  const messages = [...new Set(ops.flatMap((op) => (op.body ? [op.body.message] : [])))].sort();
  const validatorEntries = messages.map((m) => ts`  ${id(m)}: validators.${id(`validate${m}`)},`);
  // One plugin per interface of the spec (nexo's terminal and POS listener share a route and are
  // two different servers), and one for the whole service when no two operations share a route.
  const groups = new Map<string, OperationInfo[]>();
  for (const op of ops) {
    const g = op.operation.interface?.name ?? "";
    groups.set(g, [...(groups.get(g) ?? []), op]);
  }
  const routes = new Set(ops.map((op) => `${op.method} ${op.path}`));
  const whole = routes.size === ops.length;
  const registers: Code[] = [];
  const exported: string[] = [];
  const registerFn = (name: string, handlers: Code, groupOps: OperationInfo[], what: string) => {
    exported.push(name);
    return ts`${doc(what)}export async function ${id(name)}(
  app: FastifyInstance,
  handlers: ${handlers},
  options: ${id(`${service}ServerOptions`)},
): Promise<void> {
  const table: OperationDescriptor[] = [${join(
    groupOps.map((op) => ts`operations.${id(op.id)}`),
    ", ",
  )}];
  const byId = handlers as unknown as Record<string, Handler>;
  await app.register(async (scope) => {
    mountOperations(scope, table, byId, { xmlShapes, ...options, validate: validateRequestBody, validateParams });
  });
}
`;
  };
  if (whole)
    registers.push(
      registerFn(
        `register${service}`,
        handlersName,
        ops,
        `Mounts every ${service} operation on \`app\` inside its own encapsulated plugin.`,
      ),
    );
  if (groups.size > 1 || !whole) {
    for (const [g, groupOps] of groups) {
      if (!g) continue;
      const picked = ts`Pick<${handlersName}, ${join(
        groupOps.map((op) => lit(op.id)),
        " | ",
      )}>`;
      registers.push(
        registerFn(`register${service}${g}`, picked, groupOps, `Mounts the ${g} operations of ${service} on \`app\`.`),
      );
    }
  }
  const server = ts`${raw(header("server"))}import type { FastifyInstance } from "fastify";
import type { OperationDescriptor, ValidationIssue, Validator } from "@payspec/runtime";
import { type Handler, type HandlerContext, type MountOptions, mountOperations } from "@payspec/runtime/server";
import * as validators from ${lit(`@payspec/${protocol}-validators`)};
import { xmlShapes } from "./xml-shapes.gen.js";
${typeImports(ctx.refs, protocol, declarations)}
${doc(`Every operation of the ${service} spec, as the runtime's descriptor table.`)}${operationTable(ops)}
${inputs}
${replies}
${doc(`What a ${service} server implements: one handler per operation, given validated input.`)}export interface ${handlersName} {
${handlerLines}
}

const requestValidators: Record<string, Validator<unknown>> = {
${validatorEntries}
};

/**
 * Issues of a request body against its message's validator (empty when valid). A form body is
 * checked by the coercing validator, which turns its text leaves into the schema's types in place.
 */
export function validateRequestBody(message: string, value: unknown, encoding?: string): ValidationIssue[] {
  const v = (encoding === "form" ? validators.formValidators[message] : undefined) ?? requestValidators[message];
  if (!v) return [];
  const r = v.check(value);
  return r.valid ? [] : r.errors;
}

/** Issues of an operation's path, query and header parameters against their schemas. */
export function validateParams(op: OperationDescriptor, params: Readonly<Record<string, unknown>>): ValidationIssue[] {
  const v = validators.parameterValidators[op.id];
  if (!v) return [];
  const r = v.check(params);
  return r.valid ? [] : r.errors;
}

export type ${id(`${service}ServerOptions`)} = Omit<MountOptions, "validate" | "validateParams">;

${registers}`;
  const examples = collectExamples(program);
  const exampleTypes = ops.map(
    (op) => ts`  ${id(op.id)}: OperationExample<${id(`${upper(op.id)}Input`)}, ${id(`${upper(op.id)}Reply`)}>[];`,
  );
  const exampleEntries = ops.map((op) => ts`  ${id(op.id)}: ${lit(examples[op.id] ?? [])},`);
  const typeNames = ops.flatMap((op) => [id(`${upper(op.id)}Input`), id(`${upper(op.id)}Reply`)]);
  const examplesFile = ts`${raw(header("server"))}import type {
${typeNames.map((n) => ts`  ${n},`)}
} from "./server.gen.js";

/** One \`@opExample\`: the client's input (parameters by wire name, \`body\`) and the answer. */
export interface OperationExample<I, R extends { status: number; body?: unknown }> {
  title: string;
  input: I;
  status: R["status"];
  response?: R["body"];
}

${doc(`The spec's @opExample of every ${service} operation, resolved to the wire and typed by the operation's input and reply.`)}export const examples: {
${exampleTypes}
} = {
${exampleEntries}
};
`;
  return [
    { path: "server.gen.ts", content: server.text },
    { path: "examples.gen.ts", content: examplesFile.text },
    { path: "xml-shapes.gen.ts", content: xmlShapesFile(program, ops, declarations, "server") },
    {
      path: "index.gen.ts",
      content: ts`${raw(header("server"))}export { ${join(
        exported.map((n) => id(n)),
        ", ",
      )}, operations, validateRequestBody } from "./server.gen.js";
export { examples, type OperationExample } from "./examples.gen.js";
export { xmlShapes } from "./xml-shapes.gen.js";
export type {
  ${handlersName},
  ${id(`${service}ServerOptions`)},
${ops.map((op) => ts`  ${id(`${upper(op.id)}Input`)},\n  ${id(`${upper(op.id)}Reply`)},`)}
} from "./server.gen.js";\n`.text,
    },
  ];
}
