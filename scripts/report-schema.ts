/**
 * Writes docs/report.schema.json from the zod schema (shared/report/schema.ts): `npm run schema`.
 * tests/unit/report-schema.test.ts fails when the file is stale.
 */
import { writeFileSync } from "node:fs";
import { reportJsonSchema } from "../shared/report/schema";

const file = new URL("../docs/report.schema.json", import.meta.url);
writeFileSync(file, `${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
