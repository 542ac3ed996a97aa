/**
 * Factories for reports built by hand in tests: the `checks` object (schema 2) filled from the
 * registry, or with a generic text for made-up check ids.
 */
import { checkTexts, evaluate, summarize } from "../../shared/audit";
import { CHECKS, getCheck } from "../../shared/checks/index";
import type { AccountSnapshot, AuditReport, CheckText } from "../../shared/model";
import { context } from "./snapshot";

/** The registry's text of `checkId` (a generic one for ids not in it), with `overrides`. */
export function textOf(checkId: string, overrides: Partial<CheckText> = {}): CheckText {
  const c = getCheck(checkId);
  return {
    title: c?.title ?? `Check ${checkId}`,
    severity: c?.severity ?? "medium",
    risk: c?.risk ?? `What ${checkId} guards against.`,
    remediation: c?.remediation ?? { summary: `Fix ${checkId}.`, steps: ["Fix it."] },
    ...(c?.cis ? { cis: c.cis } : {}),
    ...overrides,
  };
}

/** `checks` for every check id among `results`; `texts` overrides some of them. */
export function checksOf(
  results: readonly { checkId: string }[],
  texts: Record<string, Partial<CheckText>> = {},
): Record<string, CheckText> {
  const ids = new Set([...results.map((r) => r.checkId), ...Object.keys(texts)]);
  return Object.fromEntries([...ids].map((id) => [id, textOf(id, texts[id])]));
}

/**
 * The report every check makes of `snapshot` (as runAudit would, without its act stage), with
 * the times fixed; `fields` overrides or adds report keys.
 */
export function reportFrom(
  snapshot: AccountSnapshot,
  fields: Partial<AuditReport> = {},
): AuditReport {
  const results = evaluate(CHECKS, snapshot, context());
  return {
    schemaVersion: 2,
    accountId: snapshot.accountId,
    startedAt: "2026-08-01T12:00:00.000Z",
    finishedAt: "2026-08-01T12:00:01.000Z",
    regions: { audited: snapshot.lightsail.map((r) => r.region), skipped: [] },
    summary: summarize(results, snapshot.failures.length > 0),
    checks: checkTexts(CHECKS),
    results,
    failures: snapshot.failures,
    expiredSuppressions: [],
    ...fields,
  };
}
