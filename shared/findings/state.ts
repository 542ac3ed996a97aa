/**
 * What changed since the last run: each FAIL is NEW or STILL_OPEN, each previously open finding
 * that is gone is RESOLVED. Pure: the previous state and the clock come in, the next state goes
 * out, and it is saved only once the alert it owes has been delivered. Only the states whose
 * stored item is not already right are written (`statesToWrite`): an unchanged run writes nothing.
 */
import {
  type AuditReport,
  atLeast,
  type CheckResult,
  type ResourceRef,
  type Severity,
} from "../model";
import { fingerprint } from "./fingerprint";

export interface FindingState {
  fingerprint: string;
  checkId: string;
  severity: Severity;
  resource: ResourceRef;
  /** The result's message when the item was written: not refreshed while nothing else changes. */
  message: string;
  status: "OPEN" | "RESOLVED";
  firstSeen: string;
  /** Last time an alert that listed this finding was delivered. */
  lastNotified?: string;
  resolvedAt?: string;
  /**
   * DynamoDB TTL (epoch seconds): resolved findings are forgotten after a while; open ones are
   * rewritten before they come near it (`statesToWrite`).
   */
  expiresAt: number;
}

export const NotifyMode = { onChange: "on-change", always: "always", never: "never" } as const;
export type NotifyMode = (typeof NotifyMode)[keyof typeof NotifyMode];

export interface DiffOptions {
  now: Date;
  /** Checks that ran this time: a finding of a check that did not run is left as it was. */
  checksRun: readonly string[];
  /** Still-open findings at or above this severity are listed again after `renotifyDays`. */
  renotifySeverity: Severity;
  renotifyDays: number;
}

export interface FindingsDiff {
  new: CheckResult[];
  stillOpen: CheckResult[];
  resolved: FindingState[];
  /** Still-open findings due to be listed again (critical, last listed `renotifyDays` ago). */
  renotify: CheckResult[];
}

const DAY_S = 86_400;
const OPEN_TTL_DAYS = 90;
const RESOLVED_TTL_DAYS = 30;
/**
 * An open item is rewritten (its TTL pushed back) once fewer than this many days of its TTL
 * remain, so it never expires while open: at most one write per open finding every 60 days.
 */
export const TTL_REFRESH_DAYS = 30;

/** Compares this run's results with the stored state. */
export function diffFindings(
  report: AuditReport,
  previous: readonly FindingState[],
  options: DiffOptions,
): FindingsDiff {
  const open = new Map(previous.filter((p) => p.status === "OPEN").map((p) => [p.fingerprint, p]));
  const fails = report.results.filter(
    (r): r is CheckResult & { fingerprint: string } => r.status === "FAIL" && !!r.fingerprint,
  );
  const failing = new Set(fails.map((r) => r.fingerprint));
  // A muted finding is neither new nor resolved: it keeps whatever state it had.
  const muted = new Set(
    report.results.filter((r) => r.status === "MUTED").map((r) => r.fingerprint),
  );
  // Missing data never resolves anything: a check with any ERROR this run resolves nothing.
  const inconclusive = new Set(
    report.results.filter((r) => r.status === "ERROR").map((r) => r.checkId),
  );
  const due = options.now.getTime() - options.renotifyDays * DAY_S * 1000;

  const diff: FindingsDiff = { new: [], stillOpen: [], resolved: [], renotify: [] };
  for (const r of fails) {
    const before = open.get(r.fingerprint);
    if (!before) {
      diff.new.push(r);
      continue;
    }
    diff.stillOpen.push(r);
    const listed = before.lastNotified ? Date.parse(before.lastNotified) : Number.NEGATIVE_INFINITY;
    if (atLeast(r.severity, options.renotifySeverity) && listed <= due) diff.renotify.push(r);
  }
  for (const p of open.values()) {
    if (failing.has(p.fingerprint) || muted.has(p.fingerprint)) continue;
    if (!options.checksRun.includes(p.checkId) || inconclusive.has(p.checkId)) continue;
    diff.resolved.push(p);
  }
  return diff;
}

/**
 * The state to store after this run. `notified` says whether an alert listing the diff was
 * delivered: then new and re-sent findings record it as their `lastNotified`.
 */
export function nextState(
  previous: readonly FindingState[],
  diff: FindingsDiff,
  options: { now: Date; notified: boolean; listedAll: boolean },
): FindingState[] {
  const now = options.now.toISOString();
  const nowS = Math.floor(options.now.getTime() / 1000);
  const byFp = new Map(previous.map((p) => [p.fingerprint, p]));
  const listed = new Set(
    [...diff.new, ...diff.renotify, ...(options.listedAll ? diff.stillOpen : [])].map(
      (r) => r.fingerprint,
    ),
  );
  const out: FindingState[] = [];
  for (const r of [...diff.new, ...diff.stillOpen]) {
    const fp = r.fingerprint ?? fingerprint(r.checkId, r.resource);
    const before = byFp.get(fp);
    const lastNotified = options.notified && listed.has(fp) ? now : before?.lastNotified;
    out.push({
      fingerprint: fp,
      checkId: r.checkId,
      severity: r.severity,
      resource: r.resource,
      message: r.message,
      status: "OPEN",
      firstSeen: before?.status === "OPEN" ? before.firstSeen : now,
      ...(lastNotified ? { lastNotified } : {}),
      expiresAt: nowS + OPEN_TTL_DAYS * DAY_S,
    });
  }
  for (const p of diff.resolved) {
    out.push({
      ...p,
      status: "RESOLVED",
      resolvedAt: now,
      expiresAt: nowS + RESOLVED_TTL_DAYS * DAY_S,
    });
  }
  return out;
}

/**
 * Which of `next` (from `nextState`) must be written: new and resolved findings, those whose
 * `lastNotified` or severity changed, and open ones whose stored TTL is within `TTL_REFRESH_DAYS`.
 * A still-open finding whose stored item is already right is left alone; fields that change every
 * run (the message of a finding that counts days, say) are deliberately not compared.
 *
 * @example statesToWrite(previous, nextState(previous, diff, opts), now) // [] on an unchanged run
 */
export function statesToWrite(
  previous: readonly FindingState[],
  next: readonly FindingState[],
  now: Date,
): FindingState[] {
  const byFp = new Map(previous.map((p) => [p.fingerprint, p]));
  const refreshBefore = Math.floor(now.getTime() / 1000) + TTL_REFRESH_DAYS * DAY_S;
  return next.filter((s) => {
    const before = byFp.get(s.fingerprint);
    return (
      !before ||
      before.status !== s.status ||
      before.firstSeen !== s.firstSeen ||
      before.lastNotified !== s.lastNotified ||
      before.severity !== s.severity ||
      before.expiresAt < refreshBefore
    );
  });
}
