// `redocly lint` passes on every emitted OpenAPI document (rules turned off are explained in redocly.yaml).
import { describe, expect, it } from "vitest";
import { lint } from "../scripts/lint-openapi.mjs";
import { protocols } from "../scripts/protocols.js";

describe("redocly lint", () => {
  it.each(protocols.map((p) => p.id))("%s has no lint errors", (id) => {
    const r = lint([id]);
    expect(r.stdout + r.stderr).not.toMatch(/error\s/);
    expect(r.status).toBe(0);
  });
});
