/**
 * Validators suite: messages/s of the generated validators (ajv standalone code compiled at
 * build time, + issue mapping) on nexo PaymentResponse and Stripe terminal.reader, valid and
 * invalid, vs zod schemas of the same shape (src/zod) and vs ajv compiling the same JSON Schema
 * at run time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validatePaymentResponse } from "@payspec/nexo-validators";
import { validateReader } from "@payspec/stripe-terminal-validators";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { z } from "zod";
import { micro, microMethod } from "../micro.js";
import { SPECS_DIR } from "../paths.js";
import type { Plan } from "../plan.js";
import { type BenchResult, result } from "../results.js";
import * as nexoZod from "../zod/nexo-payment-response.js";
import * as stripeZod from "../zod/stripe-reader.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Json = Record<string, unknown>;

export function loadBundle(protocol: string): { $defs: Record<string, Json> } {
  return JSON.parse(readFileSync(join(SPECS_DIR, "openapi", protocol, `${protocol}.schema.json`), "utf8"));
}

/** ajv compiling the bundle at run time, with the options the emitter compiles it with. */
export function ajvFor(protocol: string, message: string): ValidateFunction {
  const bundle = loadBundle(protocol);
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
  addFormats(ajv);
  const extensions = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === "object")
      for (const [k, v] of Object.entries(node)) {
        if (k.startsWith("x-")) extensions.add(k);
        collect(v);
      }
  };
  collect(bundle.$defs);
  ajv.addVocabulary([...extensions].sort());
  for (const def of Object.values(bundle.$defs)) ajv.addSchema(def);
  const validate = ajv.getSchema(`${message}.json`);
  if (!validate) throw new Error(`ajv: no ${message}.json`);
  return validate;
}

const clone = <T>(v: T): T => structuredClone(v);

export interface Case {
  group: string;
  payload: string;
  valid: Json;
  invalid: Json;
  payspec: (v: unknown) => boolean;
  zod: z.ZodType;
  ajv: ValidateFunction;
}

export function cases(): Case[] {
  const nexo = loadBundle("nexo").$defs.PaymentResponse as { examples: Json[] };
  const nexoValid = clone(nexo.examples.find((e) => "PaymentResult" in e) ?? (nexo.examples[0] as Json));
  const nexoInvalid = clone(nexoValid) as { Response: Json; POIData: { POITransactionID: Json } };
  delete nexoInvalid.Response.Result; // required
  nexoInvalid.POIData.POITransactionID.TimeStamp = 42; // type
  const stripe = loadBundle("stripe-terminal").$defs.Reader as { examples: Json[] };
  const stripeValid = clone(stripe.examples[0] as Json);
  const stripeInvalid = clone(stripeValid);
  stripeInvalid.object = "terminal.location"; // const
  delete stripeInvalid.serial_number; // required
  return [
    {
      group: "nexo PaymentResponse",
      payload: `the spec's PaymentResponse example (${JSON.stringify(nexoValid).length} bytes of JSON); invalid: Response.Result missing, a TimeStamp a number`,
      valid: nexoValid,
      invalid: nexoInvalid as unknown as Json,
      payspec: validatePaymentResponse,
      zod: nexoZod.PaymentResponse,
      ajv: ajvFor("nexo", "PaymentResponse"),
    },
    {
      group: "Stripe terminal.reader",
      payload: `the spec's Reader example with an expanded location (${JSON.stringify(stripeValid).length} bytes of JSON); invalid: object "terminal.location", serial_number missing`,
      valid: stripeValid,
      invalid: stripeInvalid,
      payspec: validateReader,
      zod: stripeZod.Reader,
      ajv: ajvFor("stripe-terminal", "Reader"),
    },
  ];
}

export async function runValidatorsSuite(plan: Plan, log: (line: string) => void): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const c of cases()) {
    for (const kind of ["valid", "invalid"] as const) {
      const value = c[kind];
      const expected = kind === "valid";
      // The three must agree on the verdict, or the comparison means nothing.
      const verdicts = { payspec: c.payspec(value), zod: c.zod.safeParse(value).success, ajv: c.ajv(value) as boolean };
      for (const [who, v] of Object.entries(verdicts))
        if (v !== expected) throw new Error(`${c.group} ${kind}: ${who} says ${v ? "valid" : "invalid"}`);
      const samples = await micro(plan, {
        payspec: () => c.payspec(value),
        zod: () => c.zod.safeParse(value),
        ajv: () => c.ajv(value),
      });
      const group = `${c.group}, ${kind}`;
      const method = microMethod(plan, c.payload);
      const names = {
        payspec: "payspec generated validator",
        zod: "zod 4 (same shape)",
        ajv: "ajv 8, compiled at run time",
      };
      for (const key of ["payspec", "zod", "ajv"] as const) {
        const s = samples.get(key) ?? [];
        log(`validators ${group} ${key}: ${Math.round(s[0] ?? 0)} msg/s`);
        out.push(
          result({
            suite: "validators",
            id: `${c.group}/${kind}/${key}`,
            group,
            name: names[key],
            unit: "msg/s",
            higherIsBetter: true,
            method,
            samples: s,
            ...(key === "payspec"
              ? {
                  targets: [
                    { op: ">=" as const, value: 3, against: "zod", reference: { id: `${c.group}/${kind}/zod` } },
                    {
                      op: ">=" as const,
                      value: 1,
                      against: "ajv",
                      reference: { id: `${c.group}/${kind}/ajv` },
                      info: true,
                    },
                  ],
                  ...(kind === "invalid"
                    ? {
                        note: "an invalid message is checked twice (strict, then the lenient inbound schema that accepts unknown enum values) and its ajv errors mapped to issues",
                      }
                    : {}),
                }
              : {}),
          }),
        );
      }
    }
  }
  return out;
}
