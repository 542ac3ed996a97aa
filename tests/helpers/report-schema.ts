/**
 * Validates a report against the published JSON Schema file (docs/report.schema.json) with Ajv,
 * a JSON Schema validator independent of the zod schema the file is generated from.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { expect } from "vitest";

const schema = JSON.parse(
  readFileSync(new URL("../../docs/report.schema.json", import.meta.url), "utf8"),
) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

/** Asserts that `report`, as JSON would carry it, is a valid schema 2 report; returns it. */
export function expectValidReport<T>(report: T): T {
  const json: unknown = JSON.parse(JSON.stringify(report));
  const ok = validate(json);
  expect(
    ok ? [] : (validate.errors ?? []).slice(0, 5),
    "report matches docs/report.schema.json",
  ).toEqual([]);
  return report;
}
