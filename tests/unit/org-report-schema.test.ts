import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { orgReportJsonSchema } from "../../shared/org/report";

describe("docs/org-report.schema.json", () => {
  it("is the JSON Schema generated from shared/org/report.ts (run `npm run schema` when this fails)", () => {
    const file = JSON.parse(
      readFileSync(new URL("../../docs/org-report.schema.json", import.meta.url), "utf8"),
    );
    expect(file).toEqual(orgReportJsonSchema());
  });
});
