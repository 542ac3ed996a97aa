/**
 * The remediation part of a report as plain text lines, shared by the terminal report, the
 * Markdown report, `lightsail-audit fix` and the alert email. Pure.
 */
import type { RemediationReport, RemediationTarget } from "../model";
import { plain } from "./text";

/**
 * One shell word: as is when it holds only safe characters, else single-quoted. Rule 7: nothing
 * is pasted unquoted into a command we print.
 */
export const shellWord = (s: string) =>
  /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The undo command for a recorded change, complete enough to work when pasted: undo reads the
 * change from the state table, so the command names it when known.
 *
 * @example
 * undoCommand("3f9a2c81b7d0", "lightsail-auditor-state")
 * // "lightsail-audit undo --change 3f9a2c81b7d0 --state-table lightsail-auditor-state"
 */
export const undoCommand = (id: string, stateTable?: string) =>
  `lightsail-audit undo --change ${shellWord(id)}${stateTable ? ` --state-table ${shellWord(stateTable)}` : ""}`;

export interface RemediationLinesOptions {
  /** The table the changes were recorded in, for the undo commands. */
  stateTable?: string;
  /** Replaces the dry-run headline (`fix` says what it is about to do, or did not do). */
  headline?: string;
  /** Makes the account's text safe for the output (default {@link plain}). */
  esc?: (text: string) => string;
}

/**
 * Headline plus one line per action, most telling first: applied, failed, planned (dry-run),
 * left alone. At most `limit` lines per list; the rest are counted. `options.esc` makes the account's text
 * (names, summaries naming them, reasons, AWS's errors) safe for the output: {@link plain} for a
 * terminal or an email, `markdownText` for Markdown.
 *
 * @example
 * remediationLines(report.remediation)
 * // ["FIXES (dry-run: nothing was changed; remediation enforce would make these changes)", "Planned:", "- us-east-1/wordpress-blog: Restrict SSH ...", ...]
 */
export function remediationLines(
  r: RemediationReport,
  limit = Number.POSITIVE_INFINITY,
  options: RemediationLinesOptions = {},
): string[] {
  const esc = options.esc ?? plain;
  const out: string[] = [];
  const where = (t: RemediationTarget) => esc(`${t.resource.region}/${t.resource.name}`);
  const list = <T>(title: string, items: readonly T[], line: (item: T) => string) => {
    if (items.length === 0) return;
    out.push(`${title}:`);
    const shown = items.slice(0, Math.max(0, limit));
    out.push(...shown.map((item) => `- ${line(item)}`));
    if (shown.length < items.length) out.push(`...and ${items.length - shown.length} more`);
  };
  if (r.mode === "dry-run") {
    out.push(
      options.headline ??
        (r.planned.length > 0
          ? "FIXES (dry-run: nothing was changed; with remediation enforce these changes would be made)"
          : "FIXES (dry-run): nothing to fix automatically"),
    );
    list("Planned", r.planned, (a) => `${where(a)}: ${esc(a.summary)} [${a.checkId}]`);
  } else if (r.planned.length === 0) {
    out.push("FIXES (enforce): nothing to fix automatically");
  } else {
    const n = r.applied.length;
    out.push(
      `FIXES APPLIED: ${n} change${n === 1 ? "" : "s"} made${r.failed.length > 0 ? `, ${r.failed.length} failed` : ""}`,
    );
    list(
      "Applied",
      r.applied,
      (c) =>
        `${where(c)}: ${esc(c.summary)} (change ${c.id}, ${c.appliedAt.slice(0, 16).replace("T", " ")} UTC; undo: ${undoCommand(c.id, options.stateTable)})`,
    );
    list(
      "Failed",
      r.failed,
      (f) =>
        `${where(f)}: ${esc(f.summary)}: ${esc(f.error)}${f.changeId ? ` (undo: ${undoCommand(f.changeId, options.stateTable)})` : ""}`,
    );
  }
  list("Left alone", r.skipped, (s) => `${where(s)} [${s.checkId}]: ${esc(s.reason)}`);
  return out;
}
