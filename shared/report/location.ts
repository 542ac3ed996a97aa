/**
 * Where each run's reports are kept in the report bucket. Pure: no SDK, no clock.
 *
 * ```
 * reports/<accountId>/<yyyy>/<mm>/<dd>/<runId>.json     the full JSON report
 * reports/<accountId>/<yyyy>/<mm>/<dd>/<runId>.md       its Markdown rendering
 * reports/<accountId>/<yyyy>/<mm>/<dd>/<runId>.html     its HTML rendering (with the trend)
 * reports/<accountId>/summaries/<runId>.summary.json    a few hundred bytes per run, for trends
 * reports/<accountId>/latest.json                       the newest run's JSON report (a copy)
 * ```
 *
 * A run id starts with the run's start time (UTC, to the second), and the date folders come from
 * that same time, so the keys of one run always agree. ListObjectsV2 returns a general purpose
 * bucket's keys in ascending UTF-8 binary order (S3 API reference, ListObjectsV2), so listing
 * `summaries/` yields the runs oldest first, and `StartAfter: summariesPrefix + "20261101"` skips
 * the runs before November 2026: a trend reads one small object per run, never whole reports.
 */
import { randomBytes } from "node:crypto";
import type {
  AuditReport,
  PatchingReport,
  PatchOutcome,
  REPORT_SCHEMA_VERSION,
  RemediationReport,
  ReportSummary,
} from "../model";

/** Every report object lives under this prefix: the lifecycle rule and the IAM grant use it. */
export const REPORTS_PREFIX = "reports/";

/** e.g. `20261201T060000Z-3fa9c2`: the start time, then 6 hex digits against collisions. */
const RUN_ID = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]{6}$/;
/** An AWS account id is exactly 12 digits; checking it keeps `/` and `..` out of the keys. */
const ACCOUNT_ID = /^\d{12}$/;

export interface ReportKeys {
  json: string;
  markdown: string;
  html: string;
  summary: string;
  latest: string;
}

/**
 * One run in a few hundred bytes, whatever the account's size: stored beside the report for
 * trends, and the core of what the audit Lambda returns (never the report: Lambda's response is
 * capped at 6 MB and a Step Functions state at 256 KB).
 */
export interface RunSummary {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  runId: string;
  accountId: string;
  startedAt: string;
  finishedAt: string;
  summary: ReportSummary;
  regions: { audited: number; skipped: number };
  /** Collection failures (the report lists them). */
  failures: number;
  /** Present unless patching is off: instances sent to or skipped, and run outcomes by status. */
  patching?: {
    mode: PatchingReport["mode"];
    sent: number;
    skipped: number;
    outcomes: Partial<Record<PatchOutcome["status"], number>>;
  };
  /** Present unless remediation is off. */
  fixes?: { mode: RemediationReport["mode"]; planned: number; applied: number; failed: number };
  /** The key of the run's full JSON report. */
  report: string;
}

/** The instant an ISO timestamp names; throws on anything else. */
function instant(iso: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`Invalid run start time "${iso}": not a date`);
  return d;
}

/**
 * A new run id that sorts by the run's start time.
 *
 * @example
 * newRunId("2026-12-01T06:00:00.123Z") // "20261201T060000Z-3fa9c2"
 */
export function newRunId(
  startedAt: string,
  randomHex: () => string = () => randomBytes(3).toString("hex"),
): string {
  const stamp = instant(startedAt)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
  const runId = `${stamp}-${randomHex()}`;
  runIdDate(runId);
  return runId;
}

/** The UTC date parts a run id starts with; throws when it is not a run id. */
function runIdDate(runId: string): { yyyy: string; mm: string; dd: string } {
  const m = RUN_ID.exec(runId);
  const [, yyyy = "", mm = "", dd = "", hh = "", mi = "", ss = ""] = m ?? [];
  const iso = `${yyyy}-${mm}-${dd}T${hh}:${mi}:${ss}.000Z`;
  // The round trip rejects dates such as 20261332 that the pattern alone would let through.
  if (!m || Number.isNaN(Date.parse(iso)) || new Date(iso).toISOString() !== iso) {
    throw new Error(`Invalid run id "${runId}": expected e.g. 20261201T060000Z-3fa9c2`);
  }
  return { yyyy, mm, dd };
}

function accountPrefix(accountId: string): string {
  if (!ACCOUNT_ID.test(accountId)) {
    throw new Error(`Invalid account id "${accountId}": expected 12 digits`);
  }
  return `${REPORTS_PREFIX}${accountId}/`;
}

/** The prefix to list an account's run summaries under, oldest first. */
export function summariesPrefix(accountId: string): string {
  return `${accountPrefix(accountId)}summaries/`;
}

/**
 * The keys of one run's objects. Throws on an account id that is not 12 digits or a malformed
 * run id, so nothing from outside can steer a key out of the account's prefix.
 *
 * @example
 * reportKeys("123456789012", "20261231T235959Z-00ab12").json
 * // "reports/123456789012/2026/12/31/20261231T235959Z-00ab12.json"
 */
export function reportKeys(accountId: string, runId: string): ReportKeys {
  const account = accountPrefix(accountId);
  const { yyyy, mm, dd } = runIdDate(runId);
  const run = `${account}${yyyy}/${mm}/${dd}/${runId}`;
  return {
    json: `${run}.json`,
    markdown: `${run}.md`,
    html: `${run}.html`,
    summary: `${summariesPrefix(accountId)}${runId}.summary.json`,
    latest: `${account}latest.json`,
  };
}

/** The summary object stored for a run. */
export function runSummary(report: AuditReport, runId: string): RunSummary {
  const { patching, remediation } = report;
  const sent = patching?.plan.filter((e) => e.action === "send").length ?? 0;
  const outcomes: Partial<Record<PatchOutcome["status"], number>> = {};
  for (const o of patching?.outcomes ?? []) outcomes[o.status] = (outcomes[o.status] ?? 0) + 1;
  return {
    schemaVersion: report.schemaVersion,
    runId,
    accountId: report.accountId,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: report.summary,
    regions: { audited: report.regions.audited.length, skipped: report.regions.skipped.length },
    failures: report.failures.length,
    ...(patching
      ? {
          patching: {
            mode: patching.mode,
            sent,
            skipped: patching.plan.length - sent,
            outcomes,
          },
        }
      : {}),
    ...(remediation
      ? {
          fixes: {
            mode: remediation.mode,
            planned: remediation.planned.length,
            applied: remediation.applied.length,
            failed: remediation.failed.length,
          },
        }
      : {}),
    report: reportKeys(report.accountId, runId).json,
  };
}
