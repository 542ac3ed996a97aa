/**
 * The Security Hub output (securityHub = on): after evaluation and before the report is stored
 * and the alert built, the report goes to the account's hub as ASFF, with the first-seen times
 * and the resolved findings of the finding state when there is one. What could not be sent
 * becomes one collection failure of the run, so the report and the alert say so; the audit
 * itself always completes.
 */
import type { FindingImporter, ImportOutcome } from "../aws/security-hub";
import { describeError } from "../errors";
import { diffFindings, type FindingState } from "../findings/state";
import type { AuditReport, CollectionFailure } from "../model";
import { asffFindings } from "./asff";
import { exportEntries } from "./exported";

export interface SecurityHubExport {
  outcome: ImportOutcome;
  /** At most one: why some or all findings are not in Security Hub. */
  failures: CollectionFailure[];
  /** One line for the log or the terminal. */
  line: string;
}

/**
 * Imports the report's findings into Security Hub in `region`. `previous` is the state's open
 * findings before this run (their first-seen times; those no longer failing are archived).
 *
 * @example
 * const hub = await exportToSecurityHub(createSecurityHubImporter("us-east-1"), report, {
 *   region: "us-east-1", previous: loaded.open, checksRun: config.checks, now: new Date() });
 * report = withFailures(report, hub.failures);
 */
export async function exportToSecurityHub(
  importer: FindingImporter,
  report: AuditReport,
  options: {
    region: string;
    previous?: readonly FindingState[];
    checksRun: readonly string[];
    now: Date;
    /** Epoch ms after which no import request starts (the Lambda's deadline). */
    deadline?: number;
  },
): Promise<SecurityHubExport> {
  const previous = options.previous ?? [];
  // Only what the alert's own diff would call resolved (a muted or inconclusive one is not).
  const { resolved } = diffFindings(report, previous, {
    now: options.now,
    checksRun: options.checksRun,
    renotifySeverity: "critical",
    renotifyDays: 1,
  });
  const entries = exportEntries(report, {
    firstSeen: new Map(previous.map((p) => [p.fingerprint, p.firstSeen])),
    resolved,
  });
  const findings = { length: entries.length };
  let outcome: ImportOutcome;
  try {
    outcome = await importer(asffFindings(entries, report, options.region), {
      deadline: options.deadline,
    });
  } catch (err) {
    // The importer reports AWS errors itself; anything else must not cost the report or alert.
    const { errorName, message } = describeError(err);
    outcome = {
      imported: 0,
      calls: 0,
      failed: entries.map((e) => ({ id: e.id, errorCode: errorName, message })),
    };
  }
  const where = `Security Hub (${report.accountId}, ${options.region})`;
  const failure = (errorName: string, message: string): CollectionFailure[] => [
    {
      source: "securityhub",
      region: options.region,
      operation: "BatchImportFindings",
      errorName,
      message,
    },
  ];
  if (outcome.notEnabled) {
    const message = `Security Hub is not enabled in this account in ${options.region}, so the ${findings.length} findings could not be sent to Security Hub. Enable it (aws securityhub enable-security-hub --region ${options.region}) or set securityHub to off.`;
    return {
      outcome,
      failures: failure("InvalidAccessException", message),
      line: `${where}: not enabled; no finding sent (${outcome.notEnabled})`,
    };
  }
  const [first] = outcome.failed;
  if (first) {
    const message = `${outcome.failed.length} of ${findings.length} findings could not be sent to Security Hub (retried once), e.g. ${first.id}: ${first.errorCode}: ${first.message}`;
    return {
      outcome,
      failures: failure(first.errorCode, message),
      line: `${where}: ${message}`,
    };
  }
  return {
    outcome,
    failures: [],
    line: `${where}: imported ${outcome.imported} findings in ${outcome.calls} call${outcome.calls === 1 ? "" : "s"}`,
  };
}

/** The report with `failures` added to its collection failures (and so marked incomplete). */
export function withFailures(report: AuditReport, failures: CollectionFailure[]): AuditReport {
  if (failures.length === 0) return report;
  return {
    ...report,
    failures: [...report.failures, ...failures],
    summary: { ...report.summary, incomplete: true },
  };
}
