export interface RoundTripOperation {
  id: string;
  params: readonly { name: string; in: string; fixed?: string }[];
  body?: unknown;
}
export interface RoundTripExample {
  title: string;
  input: Record<string, unknown>;
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
    examples: Readonly<Record<string, readonly RoundTripExample[]>>;
    servers: readonly RoundTripServer[];
    fastify: () => any;
    serverOptions: Record<string, unknown>;
    createClient: (baseUrl: string) => any;
  },
): void;
