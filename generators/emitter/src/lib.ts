import { createTypeSpecLibrary, type JSONSchemaType } from "@typespec/compiler";

export type Artifact = "types" | "validators" | "client" | "server";

export interface EmitterOptions {
  /** which package to write */
  artifact: Artifact;
  /** protocol id, e.g. "nexo" (names the package and finds specs/openapi/<protocol>/) */
  protocol: string;
  /** folder holding <protocol>/<protocol>.schema.json (the validators read the emitted JSON Schema) */
  "schema-dir"?: string;
}

const optionsSchema: JSONSchemaType<EmitterOptions> = {
  type: "object",
  additionalProperties: false,
  properties: {
    artifact: { type: "string", enum: ["types", "validators", "client", "server"] },
    protocol: { type: "string", pattern: "^[a-z][a-z0-9-]*$" },
    "schema-dir": { type: "string", nullable: true },
  },
  required: ["artifact", "protocol"],
};

export const $lib = createTypeSpecLibrary({
  name: "@payspec/emitter",
  diagnostics: {},
  emitter: { options: optionsSchema },
});
