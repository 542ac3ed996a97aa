/** The terminal report: findings first, most severe first, then how to fix, then the summary. */
import { styleText } from "node:util";
import type { AuditReport, CheckResult, Severity, Status } from "../model";
import { remediationLines } from "./remediation";
import { failingChecks, patchingLines, regionsLine, sortResults, summaryLine } from "./summary";
import { displayWidth, plain, wrap } from "./text";

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
  /**
   * The terminal's width in columns: every line is wrapped to fit it (but the `$ ...` command
   * lines, which must stay whole to be pasted). Unset (a pipe, a file): lines are kept whole, so
   * that grep finds each finding on one line.
   */
  width?: number;
}

/** The resource column is at most this wide: longer names wrap, or overflow their own row only. */
const RESOURCE_MAX = 32;
/** Narrower than this, the details go on the lines under their row, indented. */
const DETAILS_MIN = 30;
/** Then narrower than this, the resource goes there too. */
const RESOURCE_MIN = 16;
/** Narrower terminals are treated as this wide (lines then run over). */
const WIDTH_MIN = 40;
const GAP = "  ";
const HEADER = ["STATUS", "SEVERITY", "CHECK", "RESOURCE", "DETAILS"] as const;

export function renderTable(report: AuditReport, options: TableOptions): string {
  // The caller decides about colour (TTY, NO_COLOR, --no-color), so styleText must not re-check.
  const paint = (style: Style, text: string) =>
    options.color ? styleText(style, text, { validateStream: false }) : text;
  const width = Math.max(WIDTH_MIN, options.width ?? Number.POSITIVE_INFINITY);
  /**
   * One logical line, wrapped to the width: continuation lines are indented two more than the
   * first. `head` (the start of the line) is painted with `headStyle`, or the whole line with
   * `style`.
   */
  const fold = (text: string, style?: Style, head?: { text: string; style: Style }) => {
    const indent = /^ */.exec(text)?.[0] ?? "";
    const rest = `${indent}  `;
    return wrap(text.slice(indent.length), width - indent.length, width - rest.length).map(
      (line, i) => {
        const full = `${i === 0 ? indent : rest}${line}`;
        if (style) return paint(style, full);
        if (i === 0 && head && line.startsWith(head.text)) {
          return `${indent}${paint(head.style, head.text)}${line.slice(head.text.length)}`;
        }
        return full;
      },
    );
  };
  const out: string[] = [];
  out.push(paint("bold", `Lightsail audit of account ${report.accountId}`));
  out.push(...fold(`${report.startedAt} · ${regionsLine(report)}`));
  out.push("");

  const shown = sortResults(report.results).filter((r) => options.verbose || r.status !== "PASS");
  if (shown.length > 0) {
    out.push(...findingRows(shown, width, paint));
  } else {
    out.push(paint("green", "No findings."));
  }

  const passed = report.results.filter((r) => r.status === "PASS");
  if (!options.verbose && passed.length > 0) {
    const perCheck = new Map<string, number>();
    for (const r of passed) perCheck.set(r.checkId, (perCheck.get(r.checkId) ?? 0) + 1);
    const list = [...perCheck].map(([id, n]) => `${id} (${n})`).join(", ");
    out.push("", ...fold(`Passed: ${list}`, undefined, { text: "Passed:", style: "green" }));
  }

  const fixes = failingChecks(report, shown);
  if (fixes.length > 0) {
    out.push("", paint("bold", "How to fix"));
    for (const c of fixes) {
      const head = { text: c.id, style: SEVERITY_STYLE[c.severity] };
      out.push(...fold(`  ${c.id}: ${c.remediation.summary}`, undefined, head));
      if (c.cis?.length) out.push(...fold(`    Maps to ${c.cis.join(", ")}`, "gray"));
      // Whole, however long: a command cut in two cannot be pasted.
      if (c.remediation.cli) out.push(`    ${paint("gray", `$ ${c.remediation.cli}`)}`);
    }
  }

  if (report.failures.length > 0) {
    out.push("", paint(["bold", "magenta"], "Not audited (collection failures)"));
    for (const f of report.failures) {
      const what = f.resource ? ` ${plain(f.resource)}` : "";
      out.push(
        ...fold(
          `  ${f.region} ${f.source}:${f.operation}${what}: ${plain(f.errorName)}: ${plain(f.message)}`,
        ),
      );
    }
  }

  if (report.remediation) {
    const [headline = "", ...lines] = remediationLines(report.remediation);
    out.push("", ...fold(headline, "bold"), ...lines.flatMap((l) => fold(`  ${l}`)));
  }

  const patching = patchingLines(report.patching);
  if (patching.length > 0) {
    out.push("", ...fold(patching[0] ?? "", "bold"), ...patching.slice(1).flatMap((l) => fold(l)));
  }

  out.push("", ...fold(summaryLine(report), "bold"));
  return `${out.join("\n")}\n`;
}

/**
 * The findings table. The status, severity and check columns are as wide as their longest entry
 * (our own words); the resource column at most RESOURCE_MAX; the details take the rest of the
 * width and wrap. Too narrow for that, the details go under each row (and the resource too when
 * even it has no room). Without a width, each row is one line and a long name pushes only its own
 * row's details to the right.
 */
function findingRows(
  shown: readonly CheckResult[],
  width: number,
  paint: (style: Style, text: string) => string,
): string[] {
  const rows = shown.map((r) => [
    r.status,
    r.severity,
    r.checkId,
    plain(resourceLabel(r)),
    plain(r.message),
  ]);
  const widthOf = (i: number) =>
    Math.max(displayWidth(HEADER[i] ?? ""), ...rows.map((row) => displayWidth(row[i] ?? "")));
  const widths = [widthOf(0), widthOf(1), widthOf(2), Math.min(widthOf(3), RESOURCE_MAX)];
  const pad = (text: string, w: number) => text + " ".repeat(Math.max(0, w - displayWidth(text)));
  const [statusW = 0, severityW = 0, checkW = 0, resourceW = 0] = widths;
  const left = statusW + severityW + checkW + 3 * GAP.length;
  const detailsW = width - left - resourceW - GAP.length;
  const stacked = detailsW < DETAILS_MIN;
  // Stacked: the resource takes the rest of the row (or a line under it), the details the lines
  // under it.
  const resourceInline = !stacked || width - left >= RESOURCE_MIN;
  const resourceRoom = stacked ? width - left : resourceW;
  const indent = "    ";
  const under = (text: string) => wrap(text, width - indent.length).map((l) => `${indent}${l}`);

  const [status, severity, check, resource, details] = HEADER;
  const header = [pad(status, statusW), pad(severity, severityW), pad(check, checkW)];
  if (!stacked) header.push(pad(resource, resourceW), details);
  else if (resourceInline) header.push(resource);
  const out = [paint("bold", header.join(GAP).trimEnd())];
  shown.forEach((r, n) => {
    const [status = "", severity = "", checkId = "", resource = "", details = ""] = rows[n] ?? [];
    const lead = [
      paint(STATUS_STYLE[r.status], pad(status, statusW)),
      paint(SEVERITY_STYLE[r.severity], pad(severity, severityW)),
      pad(checkId, checkW),
    ].join(GAP);
    const blank = " ".repeat(left);
    if (width === Number.POSITIVE_INFINITY) {
      out.push(`${lead}${GAP}${pad(resource, resourceW)}${GAP}${details}`);
      return;
    }
    const names = wrap(resource, resourceRoom);
    if (stacked && !resourceInline) {
      out.push(lead.trimEnd(), ...under(resource), ...under(details));
      return;
    }
    if (stacked) {
      out.push(...names.map((name, i) => `${i === 0 ? `${lead}${GAP}` : blank}${name}`.trimEnd()));
      out.push(...under(details));
      return;
    }
    const lines = wrap(details, detailsW);
    for (let i = 0; i < Math.max(names.length, lines.length); i++) {
      const row = `${i === 0 ? `${lead}${GAP}` : blank}${pad(names[i] ?? "", resourceW)}${GAP}${lines[i] ?? ""}`;
      out.push(row.trimEnd());
    }
  });
  return out;
}

export function resourceLabel(r: CheckResult): string {
  return r.resource.region === "global"
    ? r.resource.name
    : `${r.resource.region}/${r.resource.name}`;
}
