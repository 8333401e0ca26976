/**
 * Codecs suite: the runtime's wire codecs vs the library alone. nexo XML (runtime encodeXml /
 * decodeXml driven by the generated shape: schema order, attributes, typed scalars, limits) vs
 * fast-xml-parser's XMLBuilder / XMLParser with no shape; Stripe's form bodies (encodeForm /
 * decodeForm) vs qs; Payneteasy's key=value answers (encodeKv / decodeKv) vs URLSearchParams.
 * These are informational ratios (the runtime does more than the bare library): no target.
 */
import { examples as nexoExamples, xmlShapes } from "@payspec/nexo-server";
import { decodeForm, decodeKv, decodeXml, encodeForm, encodeKv, encodeXml } from "@payspec/runtime";
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import qs from "qs";
import { micro, microMethod } from "../micro.js";
import type { Plan } from "../plan.js";
import { type BenchResult, result } from "../results.js";

interface CodecCase {
  group: string;
  payload: string;
  payspec: () => unknown;
  library: () => unknown;
  libraryName: string;
}

export function codecCases(): CodecCase[] {
  const approved = Object.values(nexoExamples)
    .flat()
    .find((e) => e.title.startsWith("Payment of 10.00 SEK approved"));
  if (!approved) throw new Error("nexo: no approved payment example");
  const message = (approved.response as { SaleToPOIResponse: object }).SaleToPOIResponse;
  const shape = xmlShapes.NexoResponseMessage;
  if (!shape) throw new Error("nexo: no NexoResponseMessage shape");
  const xml = encodeXml("SaleToPOIResponse", message, shape);
  const fxpOptions = { ignoreAttributes: false, attributeNamePrefix: "" };
  const parser = new XMLParser(fxpOptions);
  const builder = new XMLBuilder(fxpOptions);
  const parsed = parser.parse(xml) as object;

  const stripeBody = {
    registration_code: "simulated-wpe",
    label: "Caisse 1",
    location: "tml_FDOtHwxAAdIJOh",
    metadata: { till: "2", shop: "Rivoli", opened: "2023-08-24" },
    expand: ["location"],
  };
  const form = encodeForm(stripeBody);

  const kvRecord: Record<string, string> = {
    type: "status-response",
    status: "approved",
    "paynet-order-id": "5582799",
    "merchant-order-id": "902B4FF5",
    "serial-number": "00000000-0000-0000-0000-0000005b3a4f",
    amount: "10.42",
    currency: "EUR",
    "approval-code": "242805",
    "last-four-digits": "1111",
    "card-type": "VISA",
  };
  const kv = encodeKv(kvRecord);
  return [
    {
      group: "nexo XML decode",
      payload: `the spec's approved PaymentResponse as XML (${xml.length} bytes)`,
      payspec: () => decodeXml(xml, "SaleToPOIResponse", shape),
      library: () => parser.parse(xml),
      libraryName: "fast-xml-parser 5 XMLParser alone (no shape)",
    },
    {
      group: "nexo XML encode",
      payload: `the same PaymentResponse object → ${xml.length} bytes of XML`,
      payspec: () => encodeXml("SaleToPOIResponse", message, shape),
      library: () => builder.build(parsed),
      libraryName: "fast-xml-parser 5 XMLBuilder alone (no shape)",
    },
    {
      group: "form decode (Stripe body)",
      payload: `${form} (${form.length} bytes)`,
      payspec: () => decodeForm(form),
      library: () => qs.parse(form),
      libraryName: "qs 6 parse, defaults",
    },
    {
      group: "form encode (Stripe body)",
      payload: `a reader creation body with metadata and expand[] → ${form.length} bytes`,
      payspec: () => encodeForm(stripeBody),
      library: () => qs.stringify(stripeBody, { encodeValuesOnly: true }),
      libraryName: "qs 6 stringify",
    },
    {
      group: "key=value decode (Payneteasy answer)",
      payload: `an approved status-response, ${kv.length} bytes`,
      payspec: () => decodeKv(kv),
      library: () => Object.fromEntries(new URLSearchParams(kv.replace(/\n/g, ""))),
      libraryName: "URLSearchParams",
    },
    {
      group: "key=value encode (Payneteasy answer)",
      payload: `the same record → ${kv.length} bytes`,
      payspec: () => encodeKv(kvRecord),
      library: () => new URLSearchParams(kvRecord).toString(),
      libraryName: "URLSearchParams",
    },
  ];
}

export async function runCodecsSuite(plan: Plan, log: (line: string) => void): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const c of codecCases()) {
    const samples = await micro(plan, { payspec: c.payspec, library: c.library });
    const method = microMethod(plan, c.payload);
    for (const key of ["payspec", "library"] as const) {
      const s = samples.get(key) ?? [];
      log(`codecs ${c.group} ${key}: ${Math.round(s[0] ?? 0)} ops/s`);
      out.push(
        result({
          suite: "codecs",
          id: `${c.group}/${key}`,
          group: c.group,
          name: key === "payspec" ? "@payspec/runtime codec" : c.libraryName,
          unit: "ops/s",
          higherIsBetter: true,
          method,
          samples: s,
          ...(key === "payspec"
            ? {
                targets: [
                  {
                    op: ">=" as const,
                    value: 1,
                    against: "library alone",
                    reference: { id: `${c.group}/library` },
                    info: true,
                  },
                ],
              }
            : {}),
        }),
      );
    }
  }
  return out;
}
