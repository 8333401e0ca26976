/**
 * The connector's setup file, `config.txt` in its `data` directory (seed, "Fill in the setup
 * file"). The seed lists the keys, their types and example values but not the file's syntax;
 * Payspec reads it as one `KEY=VALUE` per line (unconfirmed), which is how such files are
 * written by hand:
 *
 * ```
 * SERIAL_PORT=/dev/ttyUSB0
 * LOCAL_PORT=8080
 * TERMINAL_MANAGER_LOGIN=log
 * ```
 *
 * Rules: the line ends with LF or CRLF; a UTF-8 byte order mark is skipped; blank lines and lines
 * whose first non-blank character is `#` are skipped; the key ends at the first `=` (a value may
 * contain `=` and `#`); spaces around the key and the value are trimmed. Every key of the spec's
 * ConnectorConfig is required, once; an unknown key is an error (it is most likely a typo).
 * The values are then checked with the generated `validateConnectorConfig`.
 */
import type { ConnectorConfig } from "@payspec/hipay-ecr-types";
import { schemaBundle, validateConnectorConfig } from "@payspec/hipay-ecr-validators";

/** One thing wrong with a config.txt, with the line it is on when there is one. */
export interface ConfigTxtProblem {
  /** 1-based line number in the file; absent for a missing key or when formatting */
  line?: number;
  /** the key concerned, when known */
  key?: string;
  /** what is wrong, without the value (a value may be a password) */
  message: string;
}

/** A config.txt that cannot be read or written; `problems` lists every problem found, not just the first. */
export class ConfigTxtError extends Error {
  override readonly name = "ConfigTxtError";
  readonly problems: readonly ConfigTxtProblem[];

  constructor(problems: readonly ConfigTxtProblem[]) {
    const lines = problems.map((p) => `  ${p.line === undefined ? "" : `line ${p.line}: `}${p.message}`);
    super(`config.txt is not valid:\n${lines.join("\n")}`);
    this.problems = problems;
  }
}

type ConfigKey = keyof ConnectorConfig;

const properties: Readonly<Record<string, { type?: string }>> = schemaBundle.$defs.ConnectorConfig.properties;

/** The keys of config.txt in the spec's (and the seed's) order. */
export const CONFIG_TXT_KEYS: readonly ConfigKey[] = Object.keys(properties) as ConfigKey[];

const known = new Set<string>(CONFIG_TXT_KEYS);
const integerKeys = new Set<string>(CONFIG_TXT_KEYS.filter((k) => properties[k]?.type === "integer"));
const KEY_LIKE = /^[A-Za-z0-9_.-]{1,64}$/;
const DIGITS = /^[0-9]{1,9}$/;

/** Problems of the generated validator, put on the line of the key they are about. */
function validatorProblems(
  value: unknown,
  lineOf: ReadonlyMap<string, number>,
  skip: ReadonlySet<string>,
): ConfigTxtProblem[] {
  const result = validateConnectorConfig.check(value);
  if (result.valid) return [];
  const out: ConfigTxtProblem[] = [];
  for (const issue of result.errors) {
    const key = issue.path.split("/")[1] ?? "";
    if (skip.has(key)) continue;
    const line = lineOf.get(key);
    const problem: ConfigTxtProblem = key ? { key, message: `${key} ${issue.message}` } : { message: issue.message };
    out.push(line === undefined ? problem : { line, ...problem });
  }
  return out;
}

/**
 * Reads a config.txt into a typed ConnectorConfig (`LOCAL_PORT` becomes a number). Throws a
 * `ConfigTxtError` that lists every problem with its line number: a line without `=`, an unknown
 * or repeated key, a missing key, a value the spec refuses (`LOCAL_PORT=abc`, `UPDATE_TIME=24:00`).
 */
export function parseConfigTxt(text: string): ConnectorConfig {
  const problems: ConfigTxtProblem[] = [];
  const lineOf = new Map<string, number>();
  const reported = new Set<string>();
  const values: Record<string, string | number> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const eq = raw.indexOf("=");
    const key = eq === -1 ? "" : raw.slice(0, eq).trim();
    if (key === "") {
      // The line is not echoed: it may be a password written without its key.
      problems.push({ line, message: "expected KEY=VALUE" });
      return;
    }
    if (!known.has(key)) {
      problems.push({ line, message: KEY_LIKE.test(key) ? `unknown key ${key}` : "unknown key" });
      return;
    }
    const first = lineOf.get(key);
    if (first !== undefined) {
      problems.push({ line, key, message: `${key} is already set on line ${first}` });
      reported.add(key);
      return;
    }
    lineOf.set(key, line);
    const value = raw.slice(eq + 1).trim();
    if (integerKeys.has(key)) {
      if (!DIGITS.test(value)) {
        problems.push({ line, key, message: `${key} must be a whole number` });
        reported.add(key);
        return;
      }
      values[key] = Number(value);
    } else {
      values[key] = value;
    }
  });
  for (const key of CONFIG_TXT_KEYS) {
    if (!lineOf.has(key)) {
      problems.push({ key, message: `missing key ${key}` });
      reported.add(key);
    }
  }
  problems.push(...validatorProblems(values, lineOf, reported));
  if (problems.length > 0) throw new ConfigTxtError(sortProblems(problems));
  return values as unknown as ConnectorConfig;
}

export interface FormatConfigTxtOptions {
  /** line ending; default `\n` (use `\r\n` for the Windows connector) */
  eol?: "\n" | "\r\n";
}

/**
 * Writes a ConnectorConfig as config.txt, one `KEY=VALUE` line per key in the spec's order. Throws
 * a `ConfigTxtError` for a config the spec refuses, for an unknown key, and for a value that would
 * not read back the same (a line break, or spaces at either end).
 */
export function formatConfigTxt(config: ConnectorConfig, options: FormatConfigTxtOptions = {}): string {
  const eol = options.eol ?? "\n";
  const problems: ConfigTxtProblem[] = [];
  const bad = new Set<string>();
  const record = config as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!known.has(key)) problems.push({ message: KEY_LIKE.test(key) ? `unknown key ${key}` : "unknown key" });
  }
  for (const key of CONFIG_TXT_KEYS) {
    const value = record[key];
    if (typeof value !== "string") continue;
    if (/[\r\n]/.test(value)) {
      problems.push({ key, message: `${key} may not contain a line break` });
      bad.add(key);
    } else if (value !== value.trim()) {
      problems.push({ key, message: `${key} may not start or end with a space` });
      bad.add(key);
    }
  }
  problems.push(...validatorProblems(config, new Map(), bad));
  if (problems.length > 0) throw new ConfigTxtError(problems);
  return CONFIG_TXT_KEYS.map((key) => `${key}=${String(record[key])}${eol}`).join("");
}

/** By line, problems without a line (missing keys) last; stable otherwise. */
function sortProblems(problems: ConfigTxtProblem[]): ConfigTxtProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Number.MAX_SAFE_INTEGER) - (b.p.line ?? Number.MAX_SAFE_INTEGER) || a.i - b.i)
    .map(({ p }) => p);
}
