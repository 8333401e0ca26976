export interface Example {
  where: string;
  schema: object;
  value: unknown;
}
export declare function collectExamples(id: string): Example[];
export declare function createValidator(id: string): {
  bundle: { $defs: Record<string, any> };
  schemaFor(name: string): object;
  validate(schema: object, value: unknown): { ok: boolean; errors: unknown[] };
};
