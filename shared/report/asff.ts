/**
 * The report as AWS Security Finding Format (ASFF) findings, one per result, for Security Hub's
 * BatchImportFindings (shared/aws/security-hub.ts) and `--format asff`. Pure. The field names,
 * enums and length limits come from the Security Hub API model (botocore securityhub 2018-10-26
 * service-2.json, shape AwsSecurityFinding and its members' documentation); docs/security-hub.md
 * has the mapping table.
 */
import { version } from "../../package.json";
import type { AuditReport, ResourceRef, Severity } from "../model";
import {
  checkDocsUrl,
  cut,
  type ExportEntry,
  type ExportState,
  exportEntries,
  partitionOf,
} from "./exported";
import { plain } from "./text";

/** The subset of AwsSecurityFinding we send (every name and enum as in the API model). */
export interface AsffFinding {
  SchemaVersion: "2018-10-08";
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region: string;
  Types: string[];
  FirstObservedAt: string;
  LastObservedAt: string;
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: AsffSeverity; Original: string };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url: string } };
  SourceUrl: string;
  ProductFields: Record<string, string>;
  Resources: AsffResource[];
  Compliance: { Status: ComplianceStatus; RelatedRequirements?: string[] };
  RecordState: "ACTIVE" | "ARCHIVED";
  Workflow?: { Status: "SUPPRESSED" };
  Note?: { Text: string; UpdatedBy: string; UpdatedAt: string };
  /** Severity and Types again: after creation BatchImportFindings updates them only here. */
  FindingProviderFields: { Severity: { Label: AsffSeverity; Original: string }; Types: string[] };
}

export interface AsffResource {
  Type: string;
  Id: string;
  Partition: "aws" | "aws-cn" | "aws-us-gov";
  Region?: string;
  Details: { Other: Record<string, string> };
}

type AsffSeverity = "INFORMATIONAL" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
type ComplianceStatus = "PASSED" | "WARNING" | "FAILED" | "NOT_AVAILABLE";

const SEVERITY: Record<Severity, AsffSeverity> = {
  critical: "CRITICAL",
  high: "HIGH",
  medium: "MEDIUM",
  low: "LOW",
  info: "INFORMATIONAL",
};

/**
 * ERROR is WARNING, which the model describes as "some information is missing"; MUTED is still
 * FAILED (muting is the workflow's business, not the check's).
 */
const COMPLIANCE: Record<ExportEntry["status"], ComplianceStatus> = {
  PASS: "PASSED",
  RESOLVED: "PASSED",
  FAIL: "FAILED",
  MUTED: "FAILED",
  ERROR: "WARNING",
};

/** Our resource types that have an ASFF type; the rest are `Other`, with ours in Details. */
const RESOURCE_TYPE: Record<string, string> = {
  IamUser: "AwsIamUser",
  AwsRootUser: "AwsAccount",
  AwsAccount: "AwsAccount",
  IamCredentialReport: "AwsAccount",
};

// Length limits from the model's documentation of each member.
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 1024;
const RECOMMENDATION_MAX = 512;
const NOTE_MAX = 512;
const REQUIREMENTS_MAX = 32;
const FIELD_VALUE_MAX = 2048;

/** The account's default product: where an account imports its own findings. */
export const defaultProductArn = (partition: string, region: string, accountId: string) =>
  `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;

export interface AsffOptions extends ExportState {
  /** The region the findings are imported into (the stack's home region). */
  region: string;
}

/**
 * One ASFF finding per result (and per finding resolved since the last run when the state is
 * given): FAIL is FAILED, PASS and resolved are PASSED and ARCHIVED, MUTED is FAILED with the
 * workflow SUPPRESSED and the reason in a note, ERROR is WARNING.
 *
 * @example toAsff(report, { region: "us-east-1" })[0].Compliance.Status // "FAILED"
 */
export function toAsff(report: AuditReport, options: AsffOptions): AsffFinding[] {
  return [...asffFindings(exportEntries(report, options), report, options.region)];
}

/**
 * The findings of `entries` one at a time, for the import: at tens of thousands of results only
 * a batch of them is ever in memory.
 */
export function* asffFindings(
  entries: Iterable<ExportEntry>,
  report: AuditReport,
  region: string,
): Generator<AsffFinding> {
  const partition = partitionOf("", region);
  const productArn = defaultProductArn(partition, region, report.accountId);
  for (const e of entries) yield finding(e, report, region, partition, productArn);
}

function finding(
  e: ExportEntry,
  report: AuditReport,
  region: string,
  partition: AsffResource["Partition"],
  productArn: string,
): AsffFinding {
  const types = findingTypes(e.check?.cis);
  const severity = {
    // A passing check is informational, as Security Hub's own controls report it.
    Label: e.status === "PASS" || e.status === "RESOLVED" ? "INFORMATIONAL" : SEVERITY[e.severity],
    Original: e.severity,
  } as const;
  const archived = e.status === "PASS" || e.status === "RESOLVED";
  return {
    SchemaVersion: "2018-10-08",
    Id: e.id,
    ProductArn: productArn,
    GeneratorId: e.checkId,
    AwsAccountId: e.accountId,
    Region: region,
    Types: types,
    FirstObservedAt: e.firstSeen,
    LastObservedAt: report.startedAt,
    CreatedAt: e.firstSeen,
    UpdatedAt: report.finishedAt,
    Severity: severity,
    Title: cut(plain(e.check?.title ?? e.checkId), TITLE_MAX),
    Description: cut(plain(e.message), DESCRIPTION_MAX),
    Remediation: {
      Recommendation: {
        Text: cut(e.check?.remediation.summary ?? "See the check's page.", RECOMMENDATION_MAX),
        Url: checkDocsUrl(e.checkId),
      },
    },
    SourceUrl: checkDocsUrl(e.checkId),
    ProductFields: {
      ProviderName: "lightsail-auditor",
      ProviderVersion: version,
      "lightsail-auditor/CheckId": e.checkId,
      "lightsail-auditor/Status": e.status,
      "lightsail-auditor/Fingerprint": e.fingerprint,
    },
    Resources: [resource(e.resource, e.accountId, partition)],
    Compliance: {
      Status: COMPLIANCE[e.status],
      ...(e.check?.cis ? { RelatedRequirements: e.check.cis.slice(0, REQUIREMENTS_MAX) } : {}),
    },
    RecordState: archived ? "ARCHIVED" : "ACTIVE",
    ...(e.status === "MUTED" && e.suppressedBy
      ? {
          Workflow: { Status: "SUPPRESSED" },
          Note: {
            Text: cut(
              `Muted until ${e.suppressedBy.expires}: ${plain(e.suppressedBy.reason)}`,
              NOTE_MAX,
            ),
            UpdatedBy: "lightsail-auditor",
            UpdatedAt: report.finishedAt,
          },
        }
      : {}),
    FindingProviderFields: { Severity: severity, Types: types },
  };
}

/** ASFF finding types (namespace/category/classifier): the CIS one when a CIS reference exists. */
function findingTypes(cis: readonly string[] | undefined): string[] {
  const types = ["Software and Configuration Checks/AWS Security Best Practices"];
  if (cis?.some((ref) => ref.startsWith("CIS AWS Foundations"))) {
    types.push(
      "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark",
    );
  }
  return types;
}

function resource(
  ref: ResourceRef,
  accountId: string,
  partition: AsffResource["Partition"],
): AsffResource {
  const type = RESOURCE_TYPE[ref.type] ?? "Other";
  // Security Hub names an account resource AWS::::Account:<id>; a scope without an ARN (a region
  // whose data is missing) gets a readable id of its own.
  const id =
    type === "AwsAccount"
      ? `AWS::::Account:${accountId}`
      : ref.arn || `${ref.type}/${ref.region}/${ref.name}`;
  return {
    Type: type,
    Id: id,
    Partition: ref.arn ? partitionOf(ref.arn, "") : (partition as AsffResource["Partition"]),
    // IAM is global: no region (ASFF's Region is a region name, at most 16 characters).
    ...(ref.region === "global" ? {} : { Region: ref.region }),
    Details: {
      Other: {
        "lightsail-auditor/Type": ref.type,
        "lightsail-auditor/Name": cut(plain(ref.name).trim() || "-", FIELD_VALUE_MAX),
        ...(ref.arn ? { "lightsail-auditor/Arn": cut(ref.arn, FIELD_VALUE_MAX) } : {}),
      },
    },
  };
}

/** ASFF as JSON Lines: one finding per line (`--format asff`). */
export const renderAsff = (report: AuditReport, options: AsffOptions): string =>
  toAsff(report, options)
    .map((f) => `${JSON.stringify(f)}\n`)
    .join("");
