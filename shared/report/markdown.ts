/**
 * The report as Markdown (for tickets, pull requests, wikis). Every text not written here as
 * Markdown goes through `markdownText` (account text above all, but also the checks' prose, whose
 * `<instance-name>` placeholders would otherwise be read as HTML tags).
 */
import type { AuditReport } from "../model";
import { remediationLines } from "./remediation";
import { failingChecks, patchingLines, regionsLine, sortResults, summaryLine } from "./summary";
import { resourceLabel } from "./table";
import { markdownCodeBlock, markdownText as md } from "./text";

export function renderMarkdown(report: AuditReport): string {
  const out: string[] = [];
  out.push(`# Lightsail audit of account ${report.accountId}`, "");
  out.push(`${report.startedAt} · ${regionsLine(report)}`, "");
  out.push(`**${summaryLine(report)}**`, "");
  const shown = sortResults(report.results).filter((r) => r.status !== "PASS");
  if (shown.length > 0) {
    out.push("| Status | Severity | Check | Resource | Details |", "|---|---|---|---|---|");
    for (const r of shown) {
      out.push(
        `| ${r.status} | ${r.severity} | \`${r.checkId}\` | ${md(resourceLabel(r))} | ${md(r.message)} |`,
      );
    }
    out.push("");
  }
  const fixes = failingChecks(report, shown);
  if (fixes.length > 0) {
    out.push("## How to fix", "");
    for (const c of fixes) {
      out.push(`### ${md(c.title)} (\`${c.id}\`)`, "", md(c.remediation.summary), "");
      out.push(...c.remediation.steps.map((step, i) => `${i + 1}. ${md(step)}`));
      if (c.remediation.cli) out.push("", markdownCodeBlock(c.remediation.cli, "sh"));
      if (c.cis?.length) out.push("", `Maps to ${c.cis.join(", ")}.`);
      out.push("");
    }
  }
  if (report.failures.length > 0) {
    out.push("## Not audited (collection failures)", "");
    for (const f of report.failures) {
      out.push(
        `- ${f.region} \`${f.source}:${f.operation}\`${f.resource ? ` ${md(f.resource)}` : ""}: ${md(`${f.errorName}: ${f.message}`)}`,
      );
    }
    out.push("");
  }
  if (report.remediation) {
    const [headline = "", ...lines] = remediationLines(
      report.remediation,
      Number.POSITIVE_INFINITY,
      {
        esc: md,
      },
    );
    out.push(`## ${headline}`, "", ...lines.map((l) => (l.endsWith(":") ? `**${l}**` : l)), "");
  }
  const patching = patchingLines(report.patching, md);
  if (patching.length > 0) {
    out.push("## Patching", "", patching[0] ?? "", "");
    out.push(...patching.slice(1).map((line) => `- ${line.trim()}`));
    if (patching.length > 1) out.push("");
  }
  return `${out.join("\n")}\n`;
}
