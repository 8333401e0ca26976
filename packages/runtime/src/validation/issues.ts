/**
 * What generated validators return: readable issues with JSON Pointer paths, built from the
 * errors of ajv's standalone code (the validators are compiled at build time; nothing here
 * compiles a schema).
 */

/** One problem found in a message. `path` is a JSON Pointer into the value ("" for the root). */
export interface ValidationIssue {
  path: string;
  message: string;
  /** the JSON Schema keyword that failed (required, type, enum, maxLength, ...) */
  keyword: string;
}

export type ValidationResult<T> =
  | { valid: true; value: T; warnings: ValidationIssue[] }
  | { valid: false; errors: ValidationIssue[]; warnings: ValidationIssue[] };

/** The shape of an ajv error object (ajv's own type, without depending on ajv at run time). */
export interface AjvErrorLike {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** A compiled standalone ajv validate function. */
export interface CompiledValidate {
  (value: unknown): boolean;
  errors?: AjvErrorLike[] | null;
}

/** A generated validator: a type guard that keeps the issues of its last call. */
export interface Validator<T> {
  (value: unknown): value is T;
  /** issues of the last call that made it return false */
  errors: ValidationIssue[];
  /** accepted deviations of the last call (unknown enum values in an inbound message) */
  warnings: ValidationIssue[];
  /** the same check, returning a result object instead of a boolean */
  check(value: unknown): ValidationResult<T>;
}

function describe(e: AjvErrorLike): string {
  const p = e.params ?? {};
  switch (e.keyword) {
    case "required":
      return `missing required property ${JSON.stringify(p.missingProperty)}`;
    case "additionalProperties":
      return `unknown property ${JSON.stringify(p.additionalProperty)}`;
    case "enum":
      return `must be one of ${JSON.stringify(p.allowedValues)}`;
    case "const":
      return `must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

/** ajv errors → issues; the `required` ones point at the missing property itself. */
export function toIssues(errors: readonly AjvErrorLike[] | null | undefined): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    let path = e.instancePath;
    if (e.keyword === "required" && typeof e.params?.missingProperty === "string") {
      path = `${path}/${e.params.missingProperty.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    }
    const issue = { path, message: describe(e), keyword: e.keyword };
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(issue);
    }
  }
  return out;
}

/** One line per issue: `/MessageHeader/ServiceID: must NOT have more than 10 characters`. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path || "/"}: ${i.message}`).join("\n");
}

/** The value at a JSON Pointer ("" is the root). */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * One warning per unknown enum value. An open enum compiled as `anyOf` of `const`s reports a
 * `const` failure per known member plus the `anyOf`: they all say one thing.
 */
function unknownValues(issues: readonly ValidationIssue[], value: unknown): ValidationIssue[] {
  const all = [...new Set(issues.map((i) => i.path))];
  // A nullable or union parent fails too (its `anyOf`); only the deepest paths name the unknown values.
  const paths = all.filter((p) => !all.some((other) => other !== p && other.startsWith(p === "" ? "/" : `${p}/`)));
  return paths.map((path) => ({
    path,
    message: `unknown value ${JSON.stringify(valueAt(value, path))} (newer than the spec: accepted)`,
    keyword: "enum",
  }));
}

/**
 * Builds a validator from compiled standalone functions. `lenient` (for messages a terminal
 * or vendor sends) is the same schema with closed enums opened: a value that fails `strict`
 * but passes `lenient` is accepted, and the strict issues become warnings — vendors add enum
 * values over time and a POS must not reject a terminal's answer for it.
 */
export function createValidator<T>(strict: CompiledValidate, lenient?: CompiledValidate): Validator<T> {
  const check = (value: unknown): ValidationResult<T> => {
    if (strict(value)) return { valid: true, value: value as T, warnings: [] };
    const strictIssues = toIssues(strict.errors);
    if (lenient?.(value)) return { valid: true, value: value as T, warnings: unknownValues(strictIssues, value) };
    return { valid: false, errors: lenient ? toIssues(lenient.errors) : strictIssues, warnings: [] };
  };
  const guard = ((value: unknown): value is T => {
    const r = check(value);
    guard.warnings = r.warnings;
    guard.errors = r.valid ? [] : r.errors;
    return r.valid;
  }) as Validator<T>;
  guard.errors = [];
  guard.warnings = [];
  guard.check = check;
  return guard;
}
