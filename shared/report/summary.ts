/** Pieces every renderer shares: ordering and the one-line summary. */
import {
  type AuditReport,
  type CheckResult,
  type CheckText,
  type PatchingReport,
  SEVERITY_ORDER,
} from "../model";
import { plain } from "./text";

const STATUS_ORDER = { FAIL: 0, ERROR: 1, MUTED: 2, PASS: 3 } as const;

/**
 * Code-unit order: the same in every locale, and far cheaper than `localeCompare`, which cost
 * seconds when sorting tens of thousands of findings.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** FAIL before ERROR before PASS; within a status, most severe first; then check id, resource. */
export function sortResults(results: readonly CheckResult[]): CheckResult[] {
  return [...results].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      compareText(a.checkId, b.checkId) ||
      compareText(a.resource.region, b.resource.region) ||
      compareText(a.resource.name, b.resource.name),
  );
}

/** e.g. "7 failed (2 critical, 4 high, 1 medium), 9 passed, 0 errors; audit complete" */
export function summaryLine(report: AuditReport): string {
  const { byStatus, failBySeverity, incomplete } = report.summary;
  const bySeverity = SEVERITY_ORDER.filter((s) => failBySeverity[s] > 0)
    .map((s) => `${failBySeverity[s]} ${s}`)
    .join(", ");
  const parts = [
    `${byStatus.FAIL} failed${bySeverity ? ` (${bySeverity})` : ""}`,
    `${byStatus.PASS} passed`,
    `${byStatus.ERROR} error${byStatus.ERROR === 1 ? "" : "s"}`,
  ];
  if (byStatus.MUTED > 0) parts.push(`${byStatus.MUTED} muted`);
  const state = incomplete
    ? `audit INCOMPLETE (${report.failures.length} collection failure${report.failures.length === 1 ? "" : "s"})`
    : "audit complete";
  return `${parts.join(", ")}; ${state}`;
}

/**
 * The failing checks, once each, in order of first appearance in `results` (for "how to fix"
 * sections), with their text from the report.
 */
export function failingChecks(
  report: Pick<AuditReport, "checks">,
  results: readonly CheckResult[],
): (CheckText & { id: string })[] {
  const seen = new Set<string>();
  return results
    .filter((r) => r.status === "FAIL" && !seen.has(r.checkId) && seen.add(r.checkId))
    .map((r) => ({ id: r.checkId, ...checkText(report, r.checkId) }));
}

/** A check's text from the report; a result whose check is missing there is a bug upstream. */
export function checkText(report: Pick<AuditReport, "checks">, checkId: string): CheckText {
  const text = report.checks[checkId];
  if (!text) throw new Error(`the report has results of check "${checkId}" but not its text`);
  return text;
}

export function regionsLine(report: AuditReport): string {
  const { audited, skipped } = report.regions;
  // Neither audited nor skipped: the selected checks read nothing per region, so none was scanned.
  if (audited.length === 0 && skipped.length === 0) {
    return "no Lightsail region scanned (the selected checks need no per-region data)";
  }
  const s =
    skipped.length > 0
      ? `; skipped ${skipped.map((r) => `${r.region} (${r.reason})`).join(", ")}`
      : "";
  return `${audited.length} region${audited.length === 1 ? "" : "s"} audited${s}`;
}

/**
 * The patching section as lines: what is (dry-run) or was (enforce) sent, the outcome of each run,
 * and how many instances were skipped. Empty when patching is off. `esc` makes the account's text
 * (names, reasons, the run's output and errors) safe for the output: {@link plain} for a
 * terminal or an email, `markdownText` for Markdown.
 */
export function patchingLines(
  patching: PatchingReport | undefined,
  esc: (text: string) => string = plain,
): string[] {
  if (!patching) return [];
  const { mode, document, plan, outcomes } = patching;
  const label = (e: { instance: { region: string; name: string } }) =>
    esc(`${e.instance.region}/${e.instance.name}`);
  const sent = plan.filter((e) => e.action === "send");
  const skipped = plan.filter((e) => e.action === "skip");
  const optedOut = skipped.filter((e) => !e.optedIn).length;
  const lines = [
    `Patching (${mode}, document ${esc(document.name)} in ${document.region}): ${
      mode === "dry-run" ? "would run on" : "ran on"
    } ${sent.length} instance${sent.length === 1 ? "" : "s"}; skipped ${skipped.length} (${optedOut} not opted in)`,
  ];
  if (mode === "dry-run") {
    lines.push(...sent.map((e) => `  ${label(e)}: ${esc(e.reason)}`));
  } else {
    lines.push(...outcomes.map((o) => `  ${label(o)}: ${o.status}: ${esc(o.message)}`));
  }
  lines.push(
    ...skipped.filter((e) => e.optedIn).map((e) => `  ${label(e)}: skipped: ${esc(e.reason)}`),
  );
  return lines;
}
