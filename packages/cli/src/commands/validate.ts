/**
 * `payspec validate <protocol> <Message> <file>`: decodes a file in any of the protocols' wire
 * forms and checks it with the generated `validate<Message>`.
 */
import { parseArgs } from "node:util";
import { CodecError, type ValidationIssue } from "@payspec/runtime";
import type { Command } from "../command.js";
import {
  declaredFormat,
  decodeMessage,
  FORMATS,
  type Format,
  formatFromPath,
  isFormat,
  sniffFormat,
} from "../formats.js";
import { type CliIo, EXIT, UsageError } from "../io.js";
import { isProtocol, loadProtocol, PROTOCOLS, type ProtocolCatalog } from "../protocols.js";
import { closestMatch } from "../suggest.js";

const USAGE = `payspec validate <protocol> <Message> <file> [--format ${FORMATS.join("|")}]`;

const HELP = `Usage: ${USAGE}

Checks one message against its protocol's spec and prints the verdict:
  valid <Message>                 followed by one "warning /path: message" line per accepted
                                  deviation (an unknown enum value in a message the terminal
                                  or vendor sends)
  invalid <Message>               followed by one "/json/pointer: message" line per error, or
                                  a "decode error: …" line (with its offset or path) when the
                                  file cannot be read as its format

Arguments:
  <protocol>   ${PROTOCOLS.join(", ")}
  <Message>    a message of that protocol: any name its validators package exports as
               validate<Message> (run with only <protocol> to list them)
  <file>       the message file; - reads standard input

Options:
  -f, --format <format>  how the file is encoded; by default from the extension
                         (.json .xml .form .kv .frame .bin), else from the content and
                         the encoding the spec declares for the message:
                           json   JSON ({ or [); a nexo {"SaleToPOIRequest": …} envelope is opened
                           xml    nexo XML (<SaleToPOIRequest>, <SaleToPOIResponse>)
                           form   application/x-www-form-urlencoded, a=b&c[d]=e
                           kv     Payneteasy key=value lines joined by &
                           frame  Concert fixed-width payload, bare or as STX…ETX LRC (LRC checked)
  -h, --help             show this help

A body message of a nexo envelope (PaymentRequest, EventNotification, …) is checked inside
the envelope it arrives in; error paths point into the file's document.

Exit codes: 0 valid, 1 invalid, 2 usage or I/O error.
Card numbers are masked in everything printed.

Examples:
  payspec validate wepay SessionToken token.json
  payspec validate nexo SaleToPOIRequest payment.xml
  payspec validate hipay-ecr ConcertRequest request.bin
  payspec validate payneteasy StatusResponse --format kv - < response.txt`;

export const validateCommand: Command = {
  name: "validate",
  summary: "check a message file against a protocol's spec",
  usage: USAGE,
  help: HELP,
  run: runValidate,
};

async function runValidate(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      format: { type: "string", short: "f" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help === true) {
    io.out(HELP);
    return EXIT.ok;
  }
  const [protocol, message, file, ...extra] = positionals;
  if (protocol === undefined) throw new UsageError(`missing <protocol>: one of ${PROTOCOLS.join(", ")}`);
  if (!isProtocol(protocol)) throw unknownName("protocol", protocol, PROTOCOLS);
  const catalog = await loadProtocol(protocol);
  if (message === undefined)
    throw new UsageError(`missing <Message>\n${listing(`${protocol} messages`, catalog.messages)}`);
  const validator = catalog.validator(message);
  if (validator === undefined) throw unknownName(`${protocol} message`, message, catalog.messages);
  if (file === undefined) throw new UsageError("missing <file> (- for standard input)");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const explicit = values.format;
  if (explicit !== undefined && !isFormat(explicit)) throw unknownName("format", explicit, FORMATS);

  const input = await io.readInput(file);
  const format = explicit ?? detectFormat(file, input, catalog, message);

  let decoded: ReturnType<typeof decodeMessage>;
  try {
    decoded = decodeMessage(input, format, catalog, message);
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    io.out(`invalid ${message}`);
    io.out(`decode error: ${error.message}`);
    return EXIT.invalid;
  }
  const line = (issue: ValidationIssue): string => `${decoded.pointer + issue.path || "/"}: ${issue.message}`;
  if (decoded.issues !== undefined) {
    io.out(`invalid ${message}`);
    for (const issue of decoded.issues) io.out(line(issue));
    return EXIT.invalid;
  }
  // A form body is checked as a server checks it: text leaves coerced to the schema's types first.
  const result = ((format === "form" ? catalog.formValidator(message) : undefined) ?? validator).check(decoded.value);
  if (result.valid) {
    io.out(`valid ${message}`);
    for (const warning of result.warnings) io.out(`warning ${line(warning)}`);
    return EXIT.ok;
  }
  io.out(`invalid ${message}`);
  for (const error of result.errors) io.out(line(error));
  return EXIT.invalid;
}

function detectFormat(file: string, input: Uint8Array, catalog: ProtocolCatalog, message: string): Format {
  const format =
    (file === "-" ? undefined : formatFromPath(file)) ??
    sniffFormat(input, { declared: declaredFormat(catalog, message) });
  if (format === undefined) {
    throw new UsageError(
      `cannot tell the format of ${file === "-" ? "standard input" : file} from its name or content; pass --format ${FORMATS.join("|")}`,
    );
  }
  return format;
}

function unknownName(what: string, name: string, known: readonly string[]): UsageError {
  const suggestion = closestMatch(name, known);
  const hint = suggestion === undefined ? "" : ` (did you mean ${suggestion}?)`;
  return new UsageError(`unknown ${what} ${JSON.stringify(name)}${hint}\n${listing(`valid ${what}s`, known)}`);
}

/** `label:` then the names, indented and wrapped at 100 columns so 90 nexo names stay readable. */
function listing(label: string, names: readonly string[]): string {
  const lines: string[] = [`${label}:`];
  let current = "";
  for (const name of names) {
    if (current !== "" && current.length + name.length + 2 > 98) {
      lines.push(`  ${current},`);
      current = name;
    } else {
      current = current === "" ? name : `${current}, ${name}`;
    }
  }
  lines.push(`  ${current}`);
  return lines.join("\n");
}
