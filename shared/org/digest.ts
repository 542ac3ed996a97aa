/**
 * The organization run's one digest for the owner's email and SMS: the accounts with news (new or
 * resolved findings since their previous run), worst first, then the accounts that could not be
 * audited. Never one message per account: those go out separately with the `accountId` message
 * attribute, for per-client subscriptions. Pure.
 */
import type { NotifyMode } from "../findings/state";
import { SEVERITY_ORDER } from "../model";
import type { SnsAlert } from "../notify/message";
import { plain } from "../report/text";
import type { OrgReport } from "./report";

/** Accounts listed in the email; the rest are counted. Keeps the message far under 256 KB. */
export const DIGEST_ACCOUNTS = 50;
/** SNS Subject: AWS rejects 101 characters; we build at most 99 (DESIGN, AWS limits). */
const SUBJECT_MAX = 99;

export interface Digest {
  owed: boolean;
  alert: SnsAlert;
}

const fails = (a: OrgReport["accounts"][number]) =>
  SEVERITY_ORDER.filter((s) => s !== "info" && a.failBySeverity[s] > 0)
    .map((s) => `${a.failBySeverity[s]} ${s}`)
    .join(", ") || "no failures";

/** "id reason" of each account not audited: what the next run compares with. */
export const notAuditedKeys = (report: OrgReport): string[] =>
  report.notAudited.map((n) => `${n.accountId} ${n.reason}`).sort();

/**
 * on-change: owed when an account has news, or the accounts not audited (and why) differ from
 * the previous run's (`previousNotAudited`; unknown counts as different); always: owed; never:
 * not owed. The SMS goes out only when an account with news has a critical finding.
 */
export function buildDigest(
  report: OrgReport,
  mode: NotifyMode,
  reportUri?: string,
  previousNotAudited?: readonly string[],
): Digest {
  const news = report.accounts.filter((a) => a.news && (a.news.new > 0 || a.news.resolved > 0));
  const notAudited = report.notAudited;
  const keys = notAuditedKeys(report);
  const unreachableChanged =
    previousNotAudited === undefined
      ? keys.length > 0
      : keys.join("\n") !== [...previousNotAudited].sort().join("\n");
  const owed =
    mode === "always" || (mode === "on-change" && (news.length > 0 || unreachableChanged));
  const lines: string[] = [];
  lines.push(
    `Organization audit of ${report.totals.selected} accounts${report.organizationId ? ` (${report.organizationId})` : ""}, ${report.startedAt}`,
    "",
  );
  if (news.length === 0) lines.push("No account has new or resolved findings since its last run.");
  else lines.push(`${news.length} accounts have news (worst first):`);
  for (const a of news.slice(0, DIGEST_ACCOUNTS)) {
    lines.push(
      `- ${a.accountId} ${plain(a.name ?? "")}: ${a.news?.new ?? 0} new, ${a.news?.resolved ?? 0} resolved; open: ${fails(a)}${a.incomplete ? " (audit incomplete)" : ""}`,
    );
  }
  if (news.length > DIGEST_ACCOUNTS) lines.push(`- and ${news.length - DIGEST_ACCOUNTS} more`);
  if (notAudited.length > 0) {
    lines.push("", `${notAudited.length} accounts could not be audited:`);
    for (const n of notAudited.slice(0, DIGEST_ACCOUNTS)) {
      lines.push(`- ${n.accountId} ${plain(n.name ?? "")}: ${n.reason}: ${plain(n.message)}`);
    }
    if (notAudited.length > DIGEST_ACCOUNTS) {
      lines.push(`- and ${notAudited.length - DIGEST_ACCOUNTS} more`);
    }
  }
  if (reportUri) lines.push("", `Organization report: ${reportUri}`);
  const email = lines.join("\n");
  const subject = `Lightsail audit: ${news.length} of ${report.totals.selected} accounts with news, ${notAudited.length} not audited`;
  const critical = news.some((a) => a.failBySeverity.critical > 0);
  const sms = `Lightsail audit: ${news.length} accounts with news, ${notAudited.length} not audited${critical ? "; critical findings open" : ""}`;
  return {
    owed,
    alert: {
      subject: subject.slice(0, SUBJECT_MAX),
      message: JSON.stringify({ default: email, email, sms }),
      sms: critical,
      detailed: Math.min(news.length, DIGEST_ACCOUNTS),
    },
  };
}
