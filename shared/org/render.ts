/**
 * The organization report for people: a per-account summary table for the terminal, and
 * Markdown. Account names, OU names and finding messages come from member accounts: untrusted,
 * so `plain` (terminal) and `markdownText` (Markdown) before they are shown.
 */
import { SEVERITY_ORDER } from "../model";
import { markdownText as md, plain } from "../report/text";
import type { AccountEntry, OrgReport } from "./report";

const SHORT: Record<string, string> = {
  critical: "CRIT",
  high: "HIGH",
  medium: "MED",
  low: "LOW",
  info: "INFO",
};

/** "120 failed (2 critical, 50 high, ...) in 23 accounts; 3 not audited; 1 incomplete". */
export function orgSummaryLine(report: OrgReport): string {
  const t = report.totals;
  const failed = SEVERITY_ORDER.reduce((n, s) => n + t.failBySeverity[s], 0);
  const parts = SEVERITY_ORDER.filter((s) => s !== "info").map(
    (s) => `${t.failBySeverity[s]} ${s}`,
  );
  return `${failed} failed (${parts.join(", ")}) in ${t.withFailures} of ${t.audited} audited accounts; ${t.notAudited} not audited; ${t.incomplete} incomplete`;
}

function worstLine(a: AccountEntry): string {
  const w = a.worst[0];
  return w ? `${w.severity} ${w.checkId} ${w.resource}` : "";
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

const where = (report: OrgReport) =>
  `${report.organizationId ? `organization ${report.organizationId}` : "listed accounts"}, role ${plain(report.roleName)}`;

/** The terminal table: one line per audited account (worst first), then those not audited. */
export function renderOrgTable(report: OrgReport): string {
  const out: string[] = [];
  out.push(`Lightsail audit of ${report.totals.selected} accounts (${where(report)})`);
  out.push(`${report.startedAt} · ${orgSummaryLine(report)}`, "");
  const severities = SEVERITY_ORDER.filter((s) => s !== "info");
  if (report.accounts.length > 0) {
    out.push(
      ...table([
        [
          "ACCOUNT",
          "NAME",
          "OU",
          ...severities.map((s) => SHORT[s] ?? s),
          "AUDIT",
          "WORST FINDING",
        ],
        ...report.accounts.map((a) => [
          a.accountId,
          plain(a.name ?? ""),
          plain(a.ouPath ?? ""),
          ...severities.map((s) => String(a.failBySeverity[s])),
          a.incomplete ? "incomplete" : "complete",
          plain(worstLine(a)),
        ]),
      ]),
      "",
    );
  }
  if (report.notAudited.length > 0) {
    out.push("Not audited:");
    out.push(
      ...table([
        ["ACCOUNT", "NAME", "REASON", "DETAILS"],
        ...report.notAudited.map((n) => [
          n.accountId,
          plain(n.name ?? ""),
          n.reason,
          plain(n.message),
        ]),
      ]),
      "",
    );
  }
  return `${out.join("\n")}\n`;
}

/** Markdown: the same tables, then each account's worst findings. */
export function renderOrgMarkdown(report: OrgReport): string {
  const out: string[] = [];
  out.push(`# Lightsail audit of ${report.totals.selected} accounts`, "");
  out.push(`${report.startedAt} · ${md(where(report))}`, "");
  out.push(`**${orgSummaryLine(report)}**`, "");
  const severities = SEVERITY_ORDER.filter((s) => s !== "info");
  if (report.accounts.length > 0) {
    out.push(
      `| Account | Name | OU | ${severities.join(" | ")} | Audit | Report |`,
      `|---|---|---|${severities.map(() => "---:").join("|")}|---|---|`,
    );
    for (const a of report.accounts) {
      out.push(
        `| ${a.accountId} | ${md(a.name ?? "")} | ${md(a.ouPath ?? "")} | ${severities.map((s) => a.failBySeverity[s]).join(" | ")} | ${a.incomplete ? `incomplete: ${md(a.incompleteReasons.join("; "))}` : "complete"} | ${a.report ? md(a.report) : ""} |`,
      );
    }
    out.push("");
  }
  if (report.notAudited.length > 0) {
    out.push("## Not audited", "", "| Account | Name | Reason | Details |", "|---|---|---|---|");
    for (const n of report.notAudited) {
      out.push(`| ${n.accountId} | ${md(n.name ?? "")} | ${n.reason} | ${md(n.message)} |`);
    }
    out.push("");
  }
  const withFindings = report.accounts.filter((a) => a.worst.length > 0);
  if (withFindings.length > 0) {
    out.push("## Worst findings per account", "");
    for (const a of withFindings) {
      out.push(`### ${a.accountId}${a.name ? ` ${md(a.name)}` : ""}`, "");
      for (const w of a.worst) {
        out.push(`- **${w.severity}** \`${w.checkId}\` ${md(w.resource)}: ${md(w.message)}`);
      }
      out.push("");
    }
  }
  return `${out.join("\n")}\n`;
}
