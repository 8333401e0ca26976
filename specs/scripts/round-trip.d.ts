export interface RoundTripOperation {
  id: string;
  params: readonly { name: string; in: string; fixed?: string }[];
  body?: unknown;
}
export interface RoundTripExample {
  title: string;
  /** the generated `OperationExample` input: a typed object (parameters by wire name, `body`) */
  input: object;
  status: number;
  response?: unknown;
}
export interface RoundTripServer {
  name: string;
  register: (app: any, handlers: any, options: any) => Promise<void>;
  operations: readonly RoundTripOperation[];
}
export declare function describeRoundTrip(
  protocol: string,
  setup: {
    examples: { readonly [operation: string]: readonly RoundTripExample[] };
    servers: readonly RoundTripServer[];
    fastify: () => any;
    serverOptions: Record<string, unknown>;
    createClient: (baseUrl: string) => any;
  },
): void;
