/**
 * Writes docs/report.schema.json and docs/org-report.schema.json from the zod schemas
 * (shared/report/schema.ts, shared/org/report.ts): `npm run schema`.
 * tests/unit/report-schema.test.ts fails when either file is stale.
 */
import { writeFileSync } from "node:fs";
import { orgReportJsonSchema } from "../shared/org/report";
import { reportJsonSchema } from "../shared/report/schema";

for (const [name, schema] of [
  ["report.schema.json", reportJsonSchema()],
  ["org-report.schema.json", orgReportJsonSchema()],
] as const) {
  const file = new URL(`../docs/${name}`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
