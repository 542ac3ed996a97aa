/** The terminal report: findings first, most severe first, then how to fix, then the summary. */
import { styleText } from "node:util";
import type { AuditReport, CheckResult, Severity, Status } from "../model";
import { remediationLines } from "./remediation";
import { failingChecks, patchingLines, regionsLine, sortResults, summaryLine } from "./summary";

type Style = Parameters<typeof styleText>[0];

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: ["bold", "red"],
  high: "red",
  medium: "yellow",
  low: "cyan",
  info: "gray",
};
const STATUS_STYLE: Record<Status, Style> = {
  FAIL: "red",
  ERROR: "magenta",
  MUTED: "gray",
  PASS: "green",
};

export interface TableOptions {
  color: boolean;
  /** Also list each PASS result (default: a count per check). */
  verbose?: boolean;
}

export function renderTable(report: AuditReport, options: TableOptions): string {
  // The caller decides about colour (TTY, NO_COLOR, --no-color), so styleText must not re-check.
  const paint = (style: Style, text: string) =>
    options.color ? styleText(style, text, { validateStream: false }) : text;
  const out: string[] = [];
  out.push(paint("bold", `Lightsail audit of account ${report.accountId}`));
  out.push(`${report.startedAt} · ${regionsLine(report)}`);
  out.push("");

  const shown = sortResults(report.results).filter((r) => options.verbose || r.status !== "PASS");
  if (shown.length > 0) {
    const rows = shown.map((r) => [r.status, r.severity, r.checkId, resourceLabel(r), r.message]);
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
    const header = ["STATUS", "SEVERITY", "CHECK", "RESOURCE", "DETAILS"];
    const pad = (cells: string[]) =>
      cells.map((c, i) => (i < 4 ? c.padEnd(Math.max(widths[i] ?? 0, header[i]?.length ?? 0)) : c));
    out.push(paint("bold", pad(header).join("  ")));
    shown.forEach((r, i) => {
      const cells = pad(rows[i] ?? []);
      cells[0] = paint(STATUS_STYLE[r.status], cells[0] ?? "");
      cells[1] = paint(SEVERITY_STYLE[r.severity], cells[1] ?? "");
      out.push(cells.join("  "));
    });
  } else {
    out.push(paint("green", "No findings."));
  }

  const passed = report.results.filter((r) => r.status === "PASS");
  if (!options.verbose && passed.length > 0) {
    const perCheck = new Map<string, number>();
    for (const r of passed) perCheck.set(r.checkId, (perCheck.get(r.checkId) ?? 0) + 1);
    out.push("");
    out.push(
      `${paint("green", "Passed:")} ${[...perCheck].map(([id, n]) => `${id} (${n})`).join(", ")}`,
    );
  }

  const fixes = failingChecks(report, shown);
  if (fixes.length > 0) {
    out.push("", paint("bold", "How to fix"));
    for (const c of fixes) {
      out.push(`  ${paint(SEVERITY_STYLE[c.severity], c.id)}: ${c.remediation.summary}`);
      if (c.cis?.length) out.push(`    ${paint("gray", `Maps to ${c.cis.join(", ")}`)}`);
      if (c.remediation.cli) out.push(`    ${paint("gray", `$ ${c.remediation.cli}`)}`);
    }
  }

  if (report.failures.length > 0) {
    out.push("", paint(["bold", "magenta"], "Not audited (collection failures)"));
    for (const f of report.failures) {
      const what = f.resource ? ` ${f.resource}` : "";
      out.push(`  ${f.region} ${f.source}:${f.operation}${what}: ${f.errorName}: ${f.message}`);
    }
  }

  if (report.remediation) {
    const [headline = "", ...lines] = remediationLines(report.remediation);
    out.push("", paint("bold", headline), ...lines.map((l) => `  ${l}`));
  }

  const patching = patchingLines(report.patching);
  if (patching.length > 0) out.push("", paint("bold", patching[0] ?? ""), ...patching.slice(1));

  out.push("", paint("bold", summaryLine(report)));
  return `${out.join("\n")}\n`;
}

export function resourceLabel(r: CheckResult): string {
  return r.resource.region === "global"
    ? r.resource.name
    : `${r.resource.region}/${r.resource.name}`;
}
