/**
 * The ASFF and OCSF exporters: every finding validates against the Security Hub API model
 * (botocore) and every OCSF event against the schema derived from the OCSF 1.8.0 sources.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { FindingState } from "../../../shared/findings/state";
import type { AuditReport } from "../../../shared/model";
import { defaultProductArn, renderAsff, toAsff } from "../../../shared/report/asff";
import { findingId } from "../../../shared/report/exported";
import { renderOcsf, toOcsf } from "../../../shared/report/ocsf";
import { securityHubModel, shapeProblems } from "../../helpers/asff-model";
import { hostile, hostileSnapshot, PAYLOAD } from "../../helpers/hostile";
import { reportFrom } from "../../helpers/report";
import { ACCOUNT_ID } from "../../helpers/snapshot";

const model = securityHubModel();
const ocsfSchema = JSON.parse(
  readFileSync(
    new URL("../../fixtures/ocsf/compliance_finding.schema.json", import.meta.url),
    "utf8",
  ),
) as object;
const validateOcsf = new Ajv2020({ allErrors: true, strict: false }).compile(ocsfSchema);

/** A hostile account's report, with one finding muted and one check that errored. */
function report(): AuditReport {
  const base = reportFrom(hostileSnapshot(hostile));
  // Muted as applySuppressions does it (a glob cannot match these names across line breaks).
  const first = base.results.findIndex(
    (r) => r.status === "FAIL" && r.checkId === "lightsail-instance-imdsv2-required",
  );
  const results = base.results.map((r, i) =>
    i === first
      ? {
          ...r,
          status: "MUTED" as const,
          suppressedBy: { reason: `accepted risk${PAYLOAD}`, expires: "2099-12-31" },
        }
      : r,
  );
  return {
    ...base,
    results: [
      ...results,
      {
        checkId: "lightsail-lb-https-enabled",
        status: "ERROR",
        severity: "high",
        message: "Could not list the Lightsail load balancers in ap-south-1 (ThrottlingException).",
        resource: { type: "LightsailRegion", name: "ap-south-1", arn: "", region: "ap-south-1" },
        accountId: ACCOUNT_ID,
      },
    ],
  };
}

const gone: FindingState = {
  fingerprint: "0123456789abcdef0123",
  checkId: "lightsail-instance-ssh-not-public",
  severity: "high",
  resource: {
    type: "LightsailInstance",
    name: "deleted-site",
    arn: `arn:aws:lightsail:eu-west-2:${ACCOUNT_ID}:Instance/deleted`,
    region: "eu-west-2",
  },
  message: "SSH open",
  status: "OPEN",
  firstSeen: "2026-07-01T00:00:00.000Z",
  expiresAt: 0,
};

describe("toAsff", () => {
  it("makes one finding per result, each valid against the Security Hub model's AwsSecurityFinding", () => {
    const r = report();
    const findings = toAsff(r, { region: "us-east-1" });
    expect(findings).toHaveLength(r.results.length);
    // Required members as the model lists them (not a hand copy).
    expect(model.shapes.AwsSecurityFinding?.required).toContain("Resources");
    for (const f of findings) expect(shapeProblems(model, "AwsSecurityFinding", f)).toEqual([]);
    // The import request holds them too (at most 100 each).
    expect(
      shapeProblems(model, "BatchImportFindingsRequest", { Findings: findings.slice(0, 100) }),
    ).toEqual([]);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
  });

  it("maps status, severity, CIS, resources and the default product", () => {
    const r = report();
    const findings = toAsff(r, { region: "eu-west-2" });
    const byStatus = (s: string) =>
      findings.filter((f) => f.ProductFields["lightsail-auditor/Status"] === s);
    const fail = byStatus("FAIL").find((f) => f.GeneratorId === "iam-user-console-mfa-enabled");
    expect(fail).toMatchObject({
      ProductArn: defaultProductArn("aws", "eu-west-2", ACCOUNT_ID),
      AwsAccountId: ACCOUNT_ID,
      Severity: { Label: "HIGH", Original: "high" },
      Compliance: { Status: "FAILED" },
      RecordState: "ACTIVE",
      Resources: [{ Type: "AwsIamUser", Partition: "aws" }],
    });
    expect(fail?.Resources[0]).not.toHaveProperty("Region");
    expect(fail?.Compliance.RelatedRequirements?.[0]).toMatch(/^CIS AWS Foundations/);
    expect(fail?.Types).toContain(
      "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark",
    );
    expect(fail?.Remediation.Recommendation.Url).toMatch(
      /checks\.md#iam-user-console-mfa-enabled$/,
    );
    expect(fail?.FirstObservedAt).toBe(r.startedAt);
    expect(fail?.UpdatedAt).toBe(r.finishedAt);

    for (const f of byStatus("PASS")) {
      expect(f).toMatchObject({
        Compliance: { Status: "PASSED" },
        RecordState: "ARCHIVED",
        Severity: { Label: "INFORMATIONAL" },
      });
    }
    const error = byStatus("ERROR").find((f) => f.Resources[0]?.Region === "ap-south-1");
    expect(error).toMatchObject({
      Compliance: { Status: "WARNING" },
      Resources: [
        { Type: "Other", Id: "LightsailRegion/ap-south-1/ap-south-1", Region: "ap-south-1" },
      ],
    });
    const instance = findings.find((f) => f.Resources[0]?.Id.includes(":Instance/"));
    expect(instance?.Resources[0]).toMatchObject({ Type: "Other", Region: "us-east-1" });
    const root = findings.find((f) => f.GeneratorId.startsWith("iam-root-"));
    expect(root?.Resources[0]).toMatchObject({
      Type: "AwsAccount",
      Id: `AWS::::Account:${ACCOUNT_ID}`,
    });
  });

  it("imports a muted finding as FAILED with the workflow SUPPRESSED and the reason, made plain, in a note", () => {
    const muted = toAsff(report(), { region: "us-east-1" }).filter((f) => f.Workflow);
    expect(muted.length).toBeGreaterThan(0);
    for (const f of muted) {
      expect(f).toMatchObject({
        Compliance: { Status: "FAILED" },
        Workflow: { Status: "SUPPRESSED" },
      });
      expect(f.Note?.Text).toMatch(/^Muted until 2099-12-31: accepted risk/);
      expect(f.Note?.Text.length).toBeLessThanOrEqual(512);
      expect(f.Note?.Text).not.toContain("\x1b");
      expect(f.Note?.Text).not.toContain("\u202e");
    }
  });

  it("keeps ids stable, gives PASS results one too, and keeps text within the documented lengths", () => {
    const a = toAsff(report(), { region: "us-east-1" });
    const b = toAsff(
      { ...report(), startedAt: "2026-09-01T00:00:00.000Z" },
      { region: "us-east-1" },
    );
    expect(b.map((f) => f.Id)).toEqual(a.map((f) => f.Id));
    for (const f of a) {
      expect(f.Id).toMatch(/^lightsail-auditor\/123456789012\/[a-z0-9-]+\/[0-9a-f]{20}$/);
      expect(f.Title.length).toBeLessThanOrEqual(256);
      expect(f.Description.length).toBeLessThanOrEqual(1024);
      expect(f.Remediation.Recommendation.Text.length).toBeLessThanOrEqual(512);
      expect(f.Description).not.toContain("\x1b");
      expect(Buffer.byteLength(JSON.stringify(f))).toBeLessThan(240 * 1024);
    }
  });

  it("takes first-seen times from the state, and archives a resolved finding whose resource is gone", () => {
    const r = report();
    const fail = r.results.find((x) => x.status === "FAIL" && x.fingerprint);
    const fp = fail?.fingerprint ?? "";
    const findings = toAsff(r, {
      region: "us-east-1",
      firstSeen: new Map([[fp, "2026-06-01T00:00:00.000Z"]]),
      resolved: [gone],
    });
    expect(findings).toHaveLength(r.results.length + 1);
    const open = findings.find((f) => f.Id === findingId(ACCOUNT_ID, fail?.checkId ?? "", fp));
    expect(open).toMatchObject({
      FirstObservedAt: "2026-06-01T00:00:00.000Z",
      CreatedAt: "2026-06-01T00:00:00.000Z",
      LastObservedAt: r.startedAt,
    });
    const archived = findings.at(-1);
    expect(archived).toMatchObject({
      Id: findingId(ACCOUNT_ID, gone.checkId, gone.fingerprint),
      Compliance: { Status: "PASSED" },
      RecordState: "ARCHIVED",
      FirstObservedAt: gone.firstSeen,
      Resources: [{ Id: gone.resource.arn, Region: "eu-west-2" }],
    });
    expect(shapeProblems(model, "AwsSecurityFinding", archived)).toEqual([]);
  });

  it("renders JSON Lines, one finding per line", () => {
    const text = renderAsff(report(), { region: "us-east-1" });
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(report().results.length);
    expect(JSON.parse(lines[0] ?? "")).toHaveProperty("SchemaVersion", "2018-10-08");
  });
});

describe("toOcsf", () => {
  it("makes one OCSF 1.8.0 Compliance Finding per result, each valid against the derived schema", () => {
    const r = report();
    const events = toOcsf(r, { region: "us-east-1", resolved: [gone] });
    expect(events).toHaveLength(r.results.length + 1);
    for (const e of events) {
      const ok = validateOcsf(e);
      expect(ok ? [] : validateOcsf.errors?.slice(0, 3)).toEqual([]);
    }
    expect((ocsfSchema as { title: string }).title).toBe(
      "OCSF 1.8.0 compliance_finding (class_uid 2003)",
    );
  });

  it("maps class, severity, status, compliance, resource and remediation", () => {
    const events = toOcsf(report(), { region: "us-east-1", resolved: [gone] });
    const fail = events.find(
      (e) => (e.unmapped as { auditorStatus: string }).auditorStatus === "FAIL",
    );
    expect(fail).toMatchObject({
      class_uid: 2003,
      category_uid: 2,
      type_uid: 200301,
      activity_id: 1,
      status_id: 1,
      compliance: { status_id: 3, status: "Fail" },
      cloud: { provider: "AWS", account: { uid: ACCOUNT_ID, type_id: 10 } },
      metadata: { version: "1.8.0", profiles: ["cloud"] },
    });
    const statusOf = (s: string) =>
      events.filter((e) => (e.unmapped as { auditorStatus: string }).auditorStatus === s);
    expect(statusOf("MUTED")[0]).toMatchObject({ status_id: 3, status: "Suppressed" });
    expect(String(statusOf("MUTED")[0]?.comment)).toMatch(/^Muted until 2099-12-31/);
    expect(statusOf("ERROR")[0]).toMatchObject({ compliance: { status_id: 2 } });
    expect(statusOf("PASS")[0]).toMatchObject({ compliance: { status_id: 1 }, status_id: 5 });
    expect(statusOf("RESOLVED")[0]).toMatchObject({
      activity_id: 3,
      type_uid: 200303,
      status_id: 4,
      resources: [{ uid: gone.resource.arn, region: "eu-west-2", role_id: 1 }],
    });
  });

  it("renders JSON Lines with the same ids as ASFF", () => {
    const r = report();
    const lines = renderOcsf(r, { region: "us-east-1" }).trimEnd().split("\n");
    const ids = lines.map(
      (l) => (JSON.parse(l) as { finding_info: { uid: string } }).finding_info.uid,
    );
    expect(ids).toEqual(toAsff(r, { region: "us-east-1" }).map((f) => f.Id));
  });
});
