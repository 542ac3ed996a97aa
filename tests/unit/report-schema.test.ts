import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type * as z from "zod";
import { ConfigError } from "../../shared/errors";
import type { AuditReport } from "../../shared/model";
import { parseReport, reportJsonSchema, type reportSchema } from "../../shared/report/schema";
import { dryRun, enforced } from "../helpers/remediation";
import { reportFrom } from "../helpers/report";
import { expectValidReport } from "../helpers/report-schema";
import { instance, port, region, rootRow, snapshot } from "../helpers/snapshot";

// The zod schema and the TypeScript contract describe the same data (checked by tsc).
const _toSchema: z.output<typeof reportSchema> = {} as AuditReport;
const _fromSchema: AuditReport = {} as z.output<typeof reportSchema>;

function sampleReport(): AuditReport {
  const s = snapshot({
    regions: ["us-east-1"],
    lightsail: [
      region("us-east-1", { instances: [instance("blog", [port({ fromPort: 22, toPort: 22 })])] }),
    ],
    iam: { credentialReport: [rootRow({ accessKey1Active: true })] },
  });
  return reportFrom(s);
}

describe("docs/report.schema.json", () => {
  it("is the JSON Schema generated from shared/report/schema.ts (run `npm run schema` when this fails)", () => {
    const file = JSON.parse(
      readFileSync(new URL("../../docs/report.schema.json", import.meta.url), "utf8"),
    );
    expect(file).toEqual(reportJsonSchema());
  });

  it("accepts a report with fixes planned and applied", () => {
    expectValidReport({ ...sampleReport(), remediation: dryRun() });
    expectValidReport({ ...sampleReport(), remediation: enforced() });
  });

  it("rejects a result that carries the check's text again (schema 1's shape)", () => {
    const report = sampleReport();
    const [first, ...rest] = report.results;
    const copied = { ...report, results: [{ ...first, title: "Root user has MFA" }, ...rest] };
    expect(() => expectValidReport(copied)).toThrow();
  });
});

describe("parseReport", () => {
  it("reads back a report it wrote", () => {
    const report = sampleReport();
    expect(parseReport(JSON.parse(JSON.stringify(report)), "latest.json")).toEqual(report);
  });

  it("refuses a schema 1 report with a message that says what to do", () => {
    const old = { ...sampleReport(), schemaVersion: 1 };
    expect(() => parseReport(old, "latest.json")).toThrow(ConfigError);
    expect(() => parseReport(old, "latest.json")).toThrow(
      /latest\.json is a schema 1 report; this version reads schema 2 only .*run the audit again/,
    );
  });

  it("refuses a report from a newer version, and what is not a report at all", () => {
    expect(() => parseReport({ schemaVersion: 3 }, "r.json")).toThrow(/upgrade lightsail-auditor/);
    expect(() => parseReport([1, 2], "r.json")).toThrow(
      /r\.json is not a lightsail-auditor report/,
    );
    expect(() => parseReport(null, "r.json")).toThrow(/not a lightsail-auditor report/);
  });

  it("names the first invalid field of a damaged report", () => {
    const damaged = { ...sampleReport(), summary: { total: "many" } };
    expect(() => parseReport(damaged, "r.json")).toThrow(
      /r\.json is not a valid schema 2 report: summary\.total/,
    );
  });
});
