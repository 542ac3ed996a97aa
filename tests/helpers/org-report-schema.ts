/**
 * Validates an organization report against the published JSON Schema file
 * (docs/org-report.schema.json) with Ajv, independent of the zod schema it is generated from.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { expect } from "vitest";

const schema = JSON.parse(
  readFileSync(new URL("../../docs/org-report.schema.json", import.meta.url), "utf8"),
) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Asserts that `report`, as JSON would carry it, is a valid organization report; returns it. */
export function expectValidOrgReport<T>(report: T): T {
  const json: unknown = JSON.parse(JSON.stringify(report));
  const ok = validate(json);
  expect(
    ok ? [] : (validate.errors ?? []).slice(0, 5),
    "report matches docs/org-report.schema.json",
  ).toEqual([]);
  return report;
}
