/**
 * The alert as people read it: an email subject and plain-text body, a one-segment SMS, and a
 * compact JSON for machines. Pure: everything comes from the report and the diff. The account's
 * text goes through `plain` in the email and `gsmSafe` in the SMS; the JSON keeps it raw.
 */
import type { FindingState, FindingsDiff } from "../findings/state";
import {
  type AuditReport,
  atLeast,
  type CheckResult,
  SEVERITY_ORDER,
  type Severity,
} from "../model";
import { remediationLines } from "../report/remediation";
import { checkText, compareText, patchingLines } from "../report/summary";
import { plain } from "../report/text";

export interface AlertInput {
  report: AuditReport;
  diff: FindingsDiff;
  /** Which SMS-worthy severity (default high). */
  smsMinSeverity: Severity;
  /** How to run an audit now, e.g. "npx osls invoke -f audit --stage prod". */
  onDemandHint: string;
  /** Where the full report was stored, or why it could not be (absent: not stored, e.g. CLI). */
  reportLocation?: ReportLocation;
  /** The table fixes are recorded in, so the undo commands in the email work when pasted. */
  stateTable?: string;
}

/**
 * The stored report's address (and how to fetch it), or the reason it is missing. `link` is the
 * signed HTTPS link to its HTML rendering and when it stops working (ISO time): in the email only,
 * never in the SMS or the JSON message (docs/report.md#the-report-link).
 */
export type ReportLocation =
  | { uri: string; fetch: string; link?: { url: string; expires: string } }
  | { error: string };

export interface RenderedAlert {
  subject: string;
  email: string;
  /** `null` when no NEW finding is at or above `smsMinSeverity`. */
  sms: string | null;
  json: string;
}

/**
 * SNS Subject: "less than 100 characters", no line breaks or control characters (botocore
 * sns/2010-03-31 PublishInput.Subject). AWS has been seen to accept 100; 99 holds under both rules.
 */
export const SUBJECT_MAX = 99;
const SMS_MAX_BYTES = 140;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const RANK: Record<Severity, number> = Object.fromEntries(
  SEVERITY_ORDER.map((s, i) => [s, i]),
) as Record<Severity, number>;
/**
 * Most severe first, then check and resource. Cheap on purpose: buildSnsAlert sorts once and the
 * renderers re-sort already sorted lists (linear for V8's TimSort) at each step of its size search.
 */
export const bySeverity = (a: CheckResult, b: CheckResult) =>
  RANK[a.severity] - RANK[b.severity] ||
  compareText(a.checkId, b.checkId) ||
  compareText(a.resource.name, b.resource.name);
const where = (r: { resource: CheckResult["resource"] }) =>
  plain(
    r.resource.region === "global" ? r.resource.name : `${r.resource.name} (${r.resource.region})`,
  );
const day = (iso: string) => iso.slice(0, 10);
/** Printable ASCII only: SNS subjects, and SMS in the GSM-7-safe subset. */
export const ascii = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/[^\x20-\x7e]/g, "");
/** GSM-7 has no ` ^ { } [ ] ~ \ | (they cost two septets or are missing): replace them. */
export const gsmSafe = (s: string) => ascii(s).replace(/[`^{}[\]~\\|]/g, "");

function counts(results: readonly CheckResult[]): string {
  const n = new Map<Severity, number>();
  for (const r of results) n.set(r.severity, (n.get(r.severity) ?? 0) + 1);
  return SEVERITY_ORDER.filter((s) => n.has(s))
    .map((s) => `${n.get(s)} ${s}`)
    .join(", ");
}

export function renderSubject(input: AlertInput): string {
  const { report, diff } = input;
  const parts: string[] = [];
  if (diff.new.length > 0) {
    const worst = [...diff.new].sort(bySeverity)[0]?.severity;
    const nWorst = diff.new.filter((r) => r.severity === worst).length;
    parts.push(`${plural(diff.new.length, "new finding")} (${nWorst} ${worst})`);
  }
  if (diff.resolved.length > 0) parts.push(`${diff.resolved.length} resolved`);
  if (parts.length === 0 && diff.renotify.length > 0) {
    parts.push(`${plural(diff.renotify.length, "finding")} still open`);
  }
  if (parts.length === 0) parts.push(`${plural(diff.stillOpen.length, "open finding")}`);
  const fixes = report.remediation?.mode === "enforce" ? report.remediation : undefined;
  const fixCount = (n: number) => `${n} ${n === 1 ? "fix" : "fixes"}`;
  if (fixes && fixes.applied.length > 0) parts.push(`${fixCount(fixes.applied.length)} applied`);
  if (fixes && fixes.failed.length > 0) parts.push(`${fixCount(fixes.failed.length)} failed`);
  if (report.summary.incomplete) parts.push("audit incomplete");
  // Shorten the middle, never the account number: owners with several accounts need it.
  return fitSubject(parts.join(", "), ` in account ${report.accountId}`);
}

/**
 * `[lightsail-auditor] <body><suffix>` in at most SUBJECT_MAX printable ASCII characters: the
 * body is shortened ("...") first, so the suffix (the account number) survives.
 */
export function fitSubject(body: string, suffix: string): string {
  const head = "[lightsail-auditor] ";
  const [b, s] = [ascii(body), ascii(suffix)];
  const room = SUBJECT_MAX - head.length - s.length;
  if (b.length <= room) return `${head}${b}${s}`;
  if (room > 3) return `${head}${b.slice(0, room - 3)}...${s}`;
  return `${`${head}${b}${s}`.slice(0, SUBJECT_MAX - 3)}...`;
}

/** One segment: at most 140 bytes of GSM-safe ASCII. */
export function renderSms(input: AlertInput): string | null {
  const urgent = input.diff.new
    .filter((r) => atLeast(r.severity, input.smsMinSeverity))
    .sort(bySeverity);
  const worst = urgent[0];
  if (!worst) return null;
  const head = `Lightsail audit ${input.report.accountId}: ${input.diff.new.length} new (${counts(input.diff.new)}).`;
  // Titles name the secure state, so the failure is spelled out.
  const title = checkText(input.report, worst.checkId).title;
  const text = gsmSafe(`${head} FAILED: ${title} (${where(worst)}).`);
  return text.length <= SMS_MAX_BYTES ? text : `${text.slice(0, SMS_MAX_BYTES - 3)}...`;
}

/** One failing check: each affected resource with what is wrong, then the fix once. */
function checkBlock(report: AuditReport, group: readonly CheckResult[]): string[] {
  const first = group[0];
  if (!first) return [];
  const { title, remediation } = checkText(report, first.checkId);
  const lines = [`FAILED: ${title} [${first.checkId}]`];
  for (const r of group) lines.push(`  - ${where(r)}: ${plain(r.message)}`);
  lines.push(`  How to fix: ${remediation.summary}`);
  lines.push(...remediation.steps.map((step, i) => `    ${i + 1}. ${step}`));
  if (remediation.cli) lines.push(`  CLI: ${remediation.cli}`);
  return lines;
}

/** The email's line about the full report: where it is, or that it could not be stored. */
function reportLines(location: ReportLocation | undefined): string[] {
  if (!location) return [];
  if ("error" in location) {
    return [
      "",
      `FULL REPORT MISSING: ${plain(location.error)}. The findings above are all this run kept.`,
    ];
  }
  const link = location.link
    ? [
        `View the report in a browser (until ${location.link.expires.slice(0, 16).replace("T", " ")} UTC; anyone with this link can open it):`,
        location.link.url,
      ]
    : [];
  return ["", ...link, `Full report: ${location.uri}`, `Fetch it: ${location.fetch}`];
}

/**
 * The email body. `detailLimit` lists at most that many NEW findings in full (most severe first);
 * the rest are counted, so the message fits SNS's size limit.
 */
export function renderEmail(input: AlertInput, detailLimit = Number.POSITIVE_INFINITY): string {
  const { report, diff } = input;
  const out: string[] = [];
  const at = `${report.startedAt.slice(0, 16).replace("T", " ")} UTC`;
  out.push(`Lightsail audit of AWS account ${report.accountId}, ${at}`, "");
  const summary = [
    diff.new.length > 0
      ? `${plural(diff.new.length, "new finding")} (${counts(diff.new)})`
      : "no new findings",
    `${diff.resolved.length} resolved`,
    `${diff.stillOpen.length} still open`,
  ];
  out.push(`${summary.join(", ")}.`);
  if (report.summary.incomplete) {
    out.push(
      "AUDIT INCOMPLETE: some things could not be checked (listed below); they are not counted as passing.",
    );
  }

  if (diff.new.length > 0) {
    out.push("", "NEW FINDINGS");
    const sorted = [...diff.new].sort(bySeverity);
    const shown = sorted.slice(0, detailLimit);
    for (const severity of SEVERITY_ORDER) {
      const ofSeverity = shown.filter((r) => r.severity === severity);
      if (ofSeverity.length === 0) continue;
      out.push("", `== ${severity.toUpperCase()} ==`);
      for (const checkId of new Set(ofSeverity.map((r) => r.checkId))) {
        out.push(
          "",
          ...checkBlock(
            report,
            ofSeverity.filter((r) => r.checkId === checkId),
          ),
        );
      }
    }
    const hidden = sorted.length - shown.length;
    if (hidden > 0) {
      out.push(
        "",
        `...and ${hidden} more new findings (${counts(sorted.slice(shown.length))}), not listed to keep this message under the size limit. Run the audit for the full report (see below).`,
      );
    }
  }

  if (diff.renotify.length > 0) {
    out.push("", "STILL OPEN AND SERIOUS (reminder)");
    const shown = [...diff.renotify].sort(bySeverity).slice(0, Math.max(0, detailLimit));
    for (const r of shown) out.push(`- ${where(r)}: ${plain(r.message)} [${r.checkId}]`);
    if (shown.length < diff.renotify.length)
      out.push(`...and ${diff.renotify.length - shown.length} more`);
  }

  if (diff.resolved.length > 0) {
    out.push("", "RESOLVED");
    const shown = diff.resolved.slice(0, Math.max(0, detailLimit));
    for (const p of shown)
      out.push(
        `- ${where(p)}: fixed, "${report.checks[p.checkId]?.title ?? p.checkId}" now passes (open since ${day(p.firstSeen)}) [${p.checkId}]`,
      );
    if (shown.length < diff.resolved.length)
      out.push(`...and ${diff.resolved.length - shown.length} more`);
  }

  if (diff.stillOpen.length > 0) {
    out.push(
      "",
      `STILL OPEN: ${plural(diff.stillOpen.length, "finding")} (${counts(diff.stillOpen)}) already reported before; see the full report.`,
    );
  }

  if (report.failures.length > 0 || report.summary.byStatus.ERROR > 0) {
    out.push(
      "",
      "AUDIT INCOMPLETE",
      "These could not be checked; the checks that need them report ERROR, never PASS:",
    );
    const failures = report.failures.slice(0, Math.max(0, detailLimit));
    for (const f of failures) {
      const what = `${f.region} ${f.source} ${f.operation}${f.resource ? ` (${plain(f.resource)})` : ""}`;
      out.push(`- ${what}: ${plain(f.errorName)}: ${plain(f.message)}`);
    }
    if (failures.length < report.failures.length) {
      out.push(`...and ${report.failures.length - failures.length} more collection failures`);
    }
    const errored = [
      ...new Set(report.results.filter((r) => r.status === "ERROR").map((r) => r.checkId)),
    ];
    if (errored.length > 0) out.push(`Checks with ERROR results: ${errored.join(", ")}.`);
  }

  if (report.remediation) {
    out.push(
      "",
      ...remediationLines(report.remediation, detailLimit, { stateTable: input.stateTable }),
    );
  }

  const patching = patchingLines(report.patching);
  if (patching.length > 0) out.push("", "PATCHING", ...patching);

  if (report.expiredSuppressions.length > 0) {
    out.push("", "SUPPRESSIONS THAT EXPIRED (they no longer hide anything: remove or extend them)");
    for (const s of report.expiredSuppressions) {
      out.push(`- ${s.checkId} ${s.resource}: expired ${s.expires} ("${s.reason}")`);
    }
  }

  out.push(...reportLines(input.reportLocation));
  out.push(
    "",
    "--",
    `Run an audit now: ${input.onDemandHint}`,
    'Suppress a finding you accept: add {"checkId": "<check id>", "resource": "<name or pattern>", "reason": "<why>", "expires": "YYYY-MM-DD"} to shared/suppressions.json and redeploy.',
  );
  return `${out.join("\n")}\n`;
}

const compact = (r: CheckResult) => ({
  fingerprint: r.fingerprint,
  checkId: r.checkId,
  severity: r.severity,
  resource: r.resource,
  message: r.message,
});
const compactResolved = (p: FindingState) => ({
  fingerprint: p.fingerprint,
  checkId: p.checkId,
  severity: p.severity,
  resource: p.resource,
  firstSeen: p.firstSeen,
});

/**
 * The change as compact JSON (email-json, https, sqs, lambda subscribers). The account's text is
 * kept raw here: it is data, and JSON escapes it; whoever prints it must make it safe there.
 */
export function renderJsonChange(
  input: AlertInput,
  detailLimit = Number.POSITIVE_INFINITY,
): string {
  const { report, diff } = input;
  const limit = (n: number) => Math.min(n, detailLimit);
  return JSON.stringify({
    schemaVersion: report.schemaVersion,
    accountId: report.accountId,
    startedAt: report.startedAt,
    incomplete: report.summary.incomplete,
    ...(input.reportLocation
      ? "uri" in input.reportLocation
        ? { report: input.reportLocation.uri }
        : { reportError: input.reportLocation.error }
      : {}),
    counts: {
      new: diff.new.length,
      resolved: diff.resolved.length,
      stillOpen: diff.stillOpen.length,
      renotify: diff.renotify.length,
      failures: report.failures.length,
    },
    new: [...diff.new].sort(bySeverity).slice(0, limit(diff.new.length)).map(compact),
    resolved: diff.resolved.slice(0, limit(diff.resolved.length)).map(compactResolved),
    renotify: diff.renotify.slice(0, limit(diff.renotify.length)).map(compact),
    failures: report.failures.slice(0, limit(report.failures.length)),
    ...(report.remediation
      ? {
          remediation: {
            mode: report.remediation.mode,
            planned: report.remediation.planned.length,
            applied: report.remediation.applied
              .slice(0, limit(report.remediation.applied.length))
              .map((c) => ({
                id: c.id,
                fingerprint: c.fingerprint,
                resource: c.resource,
                summary: c.summary,
              })),
            failed: report.remediation.failed.slice(0, limit(report.remediation.failed.length)),
          },
        }
      : {}),
    truncated: [diff.new, diff.resolved, diff.renotify, report.failures].some(
      (l) => l.length > detailLimit,
    ),
  });
}
