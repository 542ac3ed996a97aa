/** The report as Markdown (for tickets, pull requests, wikis). */
import type { AuditReport } from "../model";
import { remediationLines } from "./remediation";
import { failingChecks, patchingLines, regionsLine, sortResults, summaryLine } from "./summary";
import { resourceLabel } from "./table";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

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
        `| ${r.status} | ${r.severity} | \`${r.checkId}\` | ${cell(resourceLabel(r))} | ${cell(r.message)} |`,
      );
    }
    out.push("");
  }
  const fixes = failingChecks(report, shown);
  if (fixes.length > 0) {
    out.push("## How to fix", "");
    for (const c of fixes) {
      out.push(`### ${c.title} (\`${c.id}\`)`, "", c.remediation.summary, "");
      out.push(...c.remediation.steps.map((step, i) => `${i + 1}. ${step}`));
      if (c.remediation.cli) out.push("", "```sh", c.remediation.cli, "```");
      if (c.cis?.length) out.push("", `Maps to ${c.cis.join(", ")}.`);
      out.push("");
    }
  }
  if (report.failures.length > 0) {
    out.push("## Not audited (collection failures)", "");
    for (const f of report.failures) {
      out.push(
        `- ${f.region} \`${f.source}:${f.operation}\`${f.resource ? ` ${f.resource}` : ""}: ${cell(`${f.errorName}: ${f.message}`)}`,
      );
    }
    out.push("");
  }
  if (report.remediation) {
    const [headline = "", ...lines] = remediationLines(report.remediation);
    out.push(`## ${headline}`, "", ...lines.map((l) => (l.endsWith(":") ? `**${l}**` : l)), "");
  }
  const patching = patchingLines(report.patching);
  if (patching.length > 0) {
    out.push("## Patching", "", patching[0] ?? "", "");
    out.push(...patching.slice(1).map((line) => `- ${cell(line.trim())}`));
    if (patching.length > 1) out.push("");
  }
  return `${out.join("\n")}\n`;
}
