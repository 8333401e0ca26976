/** Emits @payspec/<protocol>-client: the operation table and a typed client class over @payspec/runtime. */
import type { Program } from "@typespec/compiler";
import { doc, header, id, lit, raw, ts } from "../core/code.js";
import {
  errorBodies,
  httpEmitContext,
  operationTable,
  successType,
  summaryOf,
  typeImports,
  upper,
  xmlShapesFile,
} from "./http-common.js";
import type { EmittedFile } from "./types.js";

export function emitClient(program: Program, protocol: string): EmittedFile[] {
  const { declarations, ops, service, ctx, inputs } = httpEmitContext(program);
  const errorClass = id(`${service}ApiError`);
  const errorBody = errorBodies(ctx, ops);
  const methods = ops.map((op) => {
    const input = id(`${upper(op.id)}Input`);
    const out = successType(ctx, op);
    return ts`${doc(summaryOf(program, op), "  ")}  ${id(op.id)}(input: ${input}, options?: CallOptions): Promise<${out}> {
    return callOperation(operations.${id(op.id)}, input as unknown as Record<string, unknown>, this.config, this.makeError, options) as Promise<${out}>;
  }`;
  });
  const client = ts`${raw(header("client"))}import {
  type CallOptions,
  type ClientConfig,
  type ErrorFactory,
  type OperationDescriptor,
  VendorError,
  callOperation,
} from "@payspec/runtime";
import { xmlShapes } from "./xml-shapes.gen.js";
${typeImports(ctx.refs, protocol, declarations)}
${doc(`Every operation of the ${service} spec, as the runtime's descriptor table.`)}${operationTable(ops)}
${inputs}
${doc(`An error status from ${service}: \`status\` and the typed error body the spec declares for it.`)}export class ${errorClass} extends VendorError<${errorBody}> {
  override readonly name: string = ${lit(`${service}ApiError`)};
  /** the operation that failed */
  readonly operation: string;

  constructor(status: number, body: ${errorBody}, headers: Record<string, string>, operation: string) {
    super(status, body, { headers, message: \`\${operation}: HTTP \${status}\` });
    this.operation = operation;
  }
}

const defaultError: ErrorFactory = (status, body, headers, op) =>
  new ${errorClass}(status, body as ${errorBody}, headers, op.id);

${doc(`Typed client for ${service}: one method per operation; error statuses throw ${service}ApiError.`)}export class ${id(`${service}Client`)} {
  readonly config: ClientConfig;
  private readonly makeError: ErrorFactory;

  constructor(config: ClientConfig, makeError: ErrorFactory = defaultError) {
    this.config = { xmlShapes, ...config };
    this.makeError = makeError;
  }

${ops.length > 0 ? methods : [raw("")]}
}
`;
  return [
    { path: "client.gen.ts", content: client.text },
    { path: "xml-shapes.gen.ts", content: xmlShapesFile(program, ops, declarations, "client") },
    {
      path: "index.gen.ts",
      content:
        ts`${raw(header("client"))}export { ${id(`${service}Client`)}, ${errorClass}, operations } from "./client.gen.js";
export { xmlShapes } from "./xml-shapes.gen.js";
export type {\n${ops.map((op) => ts`  ${id(`${upper(op.id)}Input`)},`)}\n} from "./client.gen.js";\n`.text,
    },
  ];
}
