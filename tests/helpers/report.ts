/**
 * Factories for reports built by hand in tests: the `checks` object (schema 2) filled from the
 * registry, or with a generic text for made-up check ids.
 */
import { getCheck } from "../../shared/checks/index";
import type { CheckText } from "../../shared/model";

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
