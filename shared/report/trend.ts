/**
 * The trend of open findings over the last runs, from the runs' small summaries
 * (`reports/<account>/summaries/`, see location.ts), never from whole reports. Pure.
 */
import { SEVERITY_ORDER, type Severity } from "../model";
import type { RunSummary } from "./location";

/** Runs the trend shows by default. */
export const TREND_RUNS = 30;

/** One run on the trend: its open (FAIL) findings by severity. */
export interface TrendPoint {
  runId: string;
  startedAt: string;
  failBySeverity: Record<Severity, number>;
  incomplete: boolean;
}

/**
 * The last `limit` runs, oldest first, one point per run id. Summaries that are not of this
 * account's schema (or lack counts) are left out rather than drawn as zero: a missing count is
 * not "no findings".
 *
 * @example
 * trendPoints(summaries, 30).at(-1)?.failBySeverity.high // open high findings of the newest run
 */
export function trendPoints(summaries: readonly RunSummary[], limit = TREND_RUNS): TrendPoint[] {
  const byRun = new Map<string, TrendPoint>();
  for (const s of summaries) {
    const counts = s?.summary?.failBySeverity;
    if (typeof s?.runId !== "string" || typeof s.startedAt !== "string" || !counts) continue;
    if (!SEVERITY_ORDER.every((sev) => Number.isInteger(counts[sev]) && counts[sev] >= 0)) continue;
    byRun.set(s.runId, {
      runId: s.runId,
      startedAt: s.startedAt,
      failBySeverity: Object.fromEntries(SEVERITY_ORDER.map((sev) => [sev, counts[sev]])) as Record<
        Severity,
        number
      >,
      incomplete: s.summary.incomplete === true,
    });
  }
  // By start time to the millisecond: run ids hold it to the second only, and two runs started
  // in the same second would otherwise be ordered by their random suffix.
  const points = [...byRun.values()].sort(
    (a, b) =>
      Date.parse(a.startedAt) - Date.parse(b.startedAt) ||
      (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0),
  );
  return limit > 0 ? points.slice(-limit) : [];
}
