/**
 * The report as OCSF 1.8.0 Compliance Finding events (class_uid 2003, category Findings), one per
 * result, for `--format ocsf`. Pure. Compliance Finding rather than Detection Finding: each result
 * is the outcome of a configuration check against a resource (and maps to CIS recommendations),
 * which is what that class describes; a Detection Finding reports activity a detector saw. The
 * `cloud` profile is applied (the account and its partition). Every object is validated against
 * the JSON Schema derived from the OCSF sources (scripts/ocsf-schema.ts,
 * tests/fixtures/ocsf/compliance_finding.schema.json).
 */
import { version } from "../../package.json";
import type { AuditReport, Severity } from "../model";
import {
  checkDocsUrl,
  type ExportEntry,
  type ExportState,
  exportEntries,
  partitionOf,
} from "./exported";

export const OCSF_VERSION = "1.8.0";
const CLASS_UID = 2003;
const CATEGORY_UID = 2;

/** severity_id: dictionary.json `severity_id`. */
const SEVERITY_ID: Record<Severity, [number, string]> = {
  info: [1, "Informational"],
  low: [2, "Low"],
  medium: [3, "Medium"],
  high: [4, "High"],
  critical: [5, "Critical"],
};

/** compliance.status_id (objects/compliance.json): Pass 1, Warning 2 ("missing information"), Fail 3. */
const COMPLIANCE_STATUS: Record<ExportEntry["status"], [number, string]> = {
  PASS: [1, "Pass"],
  RESOLVED: [1, "Pass"],
  ERROR: [2, "Warning"],
  FAIL: [3, "Fail"],
  MUTED: [3, "Fail"],
};

/**
 * The finding's status_id (events/findings/finding.json): New 1, Suppressed 3, Resolved 4,
 * Archived 5. A result that passes is archived (nothing to act on), as in Security Hub.
 */
const FINDING_STATUS: Record<ExportEntry["status"], [number, string]> = {
  FAIL: [1, "New"],
  ERROR: [1, "New"],
  MUTED: [3, "Suppressed"],
  RESOLVED: [4, "Resolved"],
  PASS: [5, "Archived"],
};

export type OcsfFinding = Record<string, unknown> & {
  class_uid: 2003;
  finding_info: { uid: string };
};

export interface OcsfOptions extends ExportState {
  /** The region the audit ran from (the stack's home region): the event's `cloud.region`. */
  region: string;
}

/**
 * One Compliance Finding per result (and per finding resolved since the last run when the state
 * is given). Times are epoch milliseconds, as OCSF's timestamp_t.
 *
 * @example toOcsf(report, { region: "us-east-1" })[0].class_uid // 2003
 */
export function toOcsf(report: AuditReport, options: OcsfOptions): OcsfFinding[] {
  const time = Date.parse(report.finishedAt);
  const observed = Date.parse(report.startedAt);
  return exportEntries(report, options).map((e) => {
    const firstSeen = Date.parse(e.firstSeen);
    // Create when first seen this run, Close when resolved, else Update.
    const [activityId, activity] =
      e.status === "RESOLVED" ? [3, "Close"] : firstSeen < observed ? [2, "Update"] : [1, "Create"];
    const [severityId, severity] = SEVERITY_ID[e.severity];
    const [complianceId, compliance] = COMPLIANCE_STATUS[e.status];
    const [statusId, status] = FINDING_STATUS[e.status];
    const title = e.check?.title ?? e.checkId;
    return {
      activity_id: activityId,
      activity_name: activity,
      category_uid: CATEGORY_UID,
      category_name: "Findings",
      class_uid: CLASS_UID,
      class_name: "Compliance Finding",
      type_uid: CLASS_UID * 100 + activityId,
      type_name: `Compliance Finding: ${activity}`,
      severity_id: severityId,
      severity,
      status_id: statusId,
      status,
      time,
      message: e.message,
      ...(e.suppressedBy
        ? { comment: `Muted until ${e.suppressedBy.expires}: ${e.suppressedBy.reason}` }
        : {}),
      metadata: {
        version: OCSF_VERSION,
        profiles: ["cloud"],
        product: {
          name: "lightsail-auditor",
          vendor_name: "lightsail-auditor",
          version,
        },
      },
      cloud: {
        provider: "AWS",
        region: options.region,
        cloud_partition: partitionOf("", options.region),
        account: { uid: e.accountId, type: "AWS Account", type_id: 10 },
      },
      finding_info: {
        uid: e.id,
        title,
        desc: e.check?.risk ?? title,
        types: ["Software and Configuration Checks"],
        created_time: firstSeen,
        first_seen_time: firstSeen,
        last_seen_time: observed,
        modified_time: time,
        src_url: checkDocsUrl(e.checkId),
      },
      compliance: {
        control: e.checkId,
        status_id: complianceId,
        status: compliance,
        ...(e.check?.cis ? { requirements: e.check.cis, standards: standards(e.check.cis) } : {}),
      },
      resources: [
        {
          uid: e.resource.arn || `${e.resource.type}/${e.resource.region}/${e.resource.name}`,
          name: e.resource.name,
          type: e.resource.type,
          provider: "AWS",
          ...(e.resource.region === "global" ? {} : { region: e.resource.region }),
          cloud_partition: partitionOf(e.resource.arn, options.region),
          role_id: 1, // Target: the subject of the check
          role: "Target",
        },
      ],
      remediation: {
        desc: e.check
          ? [e.check.remediation.summary, ...e.check.remediation.steps].join(" ")
          : "See the check's page.",
        references: [checkDocsUrl(e.checkId)],
      },
      unmapped: { fingerprint: e.fingerprint, auditorStatus: e.status },
    } as OcsfFinding;
  });
}

/** "CIS AWS Foundations v3.0.0 1.5" -> "CIS AWS Foundations v3.0.0": the standard, once. */
const standards = (cis: readonly string[]) => [
  ...new Set(cis.map((ref) => ref.replace(/ \d+(\.\d+)*$/, ""))),
];

/** OCSF as JSON Lines: one event per line (`--format ocsf`). */
export const renderOcsf = (report: AuditReport, options: OcsfOptions): string =>
  toOcsf(report, options)
    .map((f) => `${JSON.stringify(f)}\n`)
    .join("");
