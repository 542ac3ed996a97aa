/**
 * What the finding exporters (ASFF for Security Hub, OCSF for a SIEM) share: one entry per result
 * of the report, plus one per finding that was open before and has no result now (its resource
 * is gone), each with a stable id and the times the state knows. Pure.
 */
import { fingerprint } from "../findings/fingerprint";
import type { FindingState } from "../findings/state";
import type { AuditReport, CheckResult, CheckText, ResourceRef, Severity } from "../model";

/** What the finding state adds to a report, when it is available (the Lambda, `--state-table`). */
export interface ExportState {
  /** When each finding still open was first seen, by fingerprint. */
  firstSeen?: ReadonlyMap<string, string>;
  /** Findings that were open and are no longer failing this run (the state diff's `resolved`). */
  resolved?: readonly FindingState[];
}

export interface ExportEntry {
  /** Stable across runs: the fingerprint (checkId + account + resource), for PASS results too. */
  id: string;
  fingerprint: string;
  checkId: string;
  check: CheckText | undefined;
  /** RESOLVED: open before, passing now (or its resource is gone). */
  status: CheckResult["status"] | "RESOLVED";
  severity: Severity;
  message: string;
  resource: ResourceRef;
  accountId: string;
  /** When the finding was first seen failing (the state), else this run's start. */
  firstSeen: string;
  suppressedBy?: CheckResult["suppressedBy"];
}

/**
 * The id a finding has in Security Hub and in OCSF: readable, under ASFF's 512 characters, and
 * the same every run for the same check and resource.
 */
export const findingId = (accountId: string, checkId: string, fp: string) =>
  `lightsail-auditor/${accountId}/${checkId}/${fp}`;

/** Every result of the report, then every resolved finding no result stands for. */
export function exportEntries(report: AuditReport, state: ExportState = {}): ExportEntry[] {
  const resolved = new Map((state.resolved ?? []).map((s) => [s.fingerprint, s]));
  const out: ExportEntry[] = [];
  for (const r of report.results) {
    const fp = r.fingerprint ?? fingerprint(r.checkId, r.resource);
    const before = resolved.get(fp);
    resolved.delete(fp);
    out.push({
      id: findingId(r.accountId, r.checkId, fp),
      fingerprint: fp,
      checkId: r.checkId,
      check: report.checks[r.checkId],
      status: before && r.status === "PASS" ? "RESOLVED" : r.status,
      severity: r.severity,
      message: r.message,
      resource: r.resource,
      accountId: r.accountId,
      firstSeen: state.firstSeen?.get(fp) ?? before?.firstSeen ?? report.startedAt,
      ...(r.suppressedBy ? { suppressedBy: r.suppressedBy } : {}),
    });
  }
  for (const s of resolved.values()) {
    out.push({
      id: findingId(report.accountId, s.checkId, s.fingerprint),
      fingerprint: s.fingerprint,
      checkId: s.checkId,
      check: report.checks[s.checkId],
      status: "RESOLVED",
      severity: s.severity,
      message: `Resolved: no longer found (${s.message})`,
      resource: s.resource,
      accountId: report.accountId,
      firstSeen: s.firstSeen,
    });
  }
  return out;
}

/** The public page of a check (docs/checks.md, one heading per check id). */
export const CHECK_DOCS_URL =
  "https://github.com/lightsail-auditor/lightsail-auditor/blob/main/docs/checks.md";
export const checkDocsUrl = (checkId: string) => `${CHECK_DOCS_URL}#${checkId}`;

/** The partition of an ARN, else of a region name. */
export function partitionOf(arn: string, region: string): "aws" | "aws-cn" | "aws-us-gov" {
  const fromArn = /^arn:(aws|aws-cn|aws-us-gov):/.exec(arn)?.[1];
  if (fromArn) return fromArn as "aws" | "aws-cn" | "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** `text` cut to at most `max` characters, marked with an ellipsis when cut. */
export const cut = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;
