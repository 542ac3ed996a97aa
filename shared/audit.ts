/**
 * The engine: collect a snapshot, run the checks, build the report. The CLI and the Lambda both
 * call `runAudit`; nothing here knows how it was triggered.
 */
import { setMaxListeners } from "node:events";
import { withAbortSignal } from "./aws/clients";
import { lookUpWordPressOrg } from "./aws/wordpress-org";
import { CHECKS } from "./checks/index";
import { accountRef } from "./checks/lib/resources";
import type { AccountReader } from "./collect/reader";
import { type CollectOptions, collectSnapshot, type RegionProgress } from "./collect/snapshot";
import { type AuditConfig, ipRangesUrl } from "./config";
import { ConfigError, describeError } from "./errors";
import { fingerprint } from "./findings/fingerprint";
import { applySuppressions } from "./findings/suppressions";
import {
  type AccountSnapshot,
  type AuditReport,
  type CheckContext,
  type CheckDefinition,
  type CheckResult,
  type CheckText,
  FACTS,
  type Fact,
  type Outcome,
  REGIONAL_FACTS,
  REPORT_SCHEMA_VERSION,
  type ReportSummary,
  SEVERITY_ORDER,
  type Severity,
  type Status,
  type Suppression,
} from "./model";
import { PATCH_WAIT_MS, type PatchingDeps, runPatching } from "./patching/act";
import { PATCHING_READS } from "./patching/plan";
import { PATCH_HISTORY_DAYS } from "./patching/result";
import { ENFORCE_NEEDS_STORE, type RemediationDeps, runRemediation } from "./remediation/act";
import { planRemediation, REMEDIATION_READS } from "./remediation/plan";
import { startInventories, WORDPRESS_CHECK_IDS } from "./wordpress/act";

export interface AuditDeps {
  reader: AccountReader;
  /** The clock; the only place time enters the audit. */
  now?: () => Date;
  onRegionDone?: (progress: RegionProgress) => void;
  /**
   * Epoch ms after which no AWS call starts and calls in flight are aborted; what was not
   * collected is listed as DeadlineExceeded and its checks are ERROR. The report is still made.
   */
  deadline?: number;
  /** Accepted findings: matching FAILs become MUTED (see shared/findings/suppressions.ts). */
  suppressions?: readonly Suppression[];
  /**
   * The act stage's SSM client. Required when patching is `enforce`. Tracking the runs stops at
   * its own deadline, else `deadline`, else 5 minutes after the audit started.
   */
  patching?: PatchingDeps;
  /**
   * The act stage's Lightsail writer and change records; required when remediation is enforce.
   * No fix starts after `deadline`.
   */
  remediation?: Pick<RemediationDeps, "lightsail" | "changes" | "newId" | "concurrency">;
  /**
   * wordpress.org lookups (default: shared/aws/wordpress-org.ts at `config.wordpressOrgUrl`),
   * made only when `config.wordpressOrg` is on and an inventory lists something.
   */
  lookUpWordPressOrg?: CollectOptions["lookUpWordPressOrg"];
}

const DAY_MS = 86_400_000;

/**
 * The facts an audit collects: those the selected checks read, plus the patching plan's (unless
 * patching is off) and the fix planner's for the selected fixable checks (unless remediation is
 * off). In the order of `FACTS`.
 *
 * @example
 * factsToCollect(parseConfig({ checks: "iam-root-mfa-enabled", patching: "off" }))
 * // ["credentialReport", "accountSummary", "rootVirtualMfaSerials"]
 */
export function factsToCollect(
  config: Pick<AuditConfig, "checks" | "patching" | "remediation" | "ipRanges"> &
    Partial<Pick<AuditConfig, "wordpressInventory" | "wordpressOrg">>,
): Fact[] {
  const wanted = new Set<Fact>(selectedChecks(config).flatMap((c) => c.reads));
  // Lookups off: the checks that need them give no result, and nothing is asked.
  if (config.wordpressOrg === "off") wanted.delete("wordpressOrg");
  if (config.patching !== "off") for (const f of PATCHING_READS) wanted.add(f);
  if (config.remediation !== "off") {
    for (const id of config.checks) for (const f of REMEDIATION_READS[id] ?? []) wanted.add(f);
  }
  // Turned off: no outbound read; the check then says which records it could not judge.
  if (config.ipRanges === "off") wanted.delete("awsIpRanges");
  return FACTS.filter((f) => wanted.has(f));
}

/** The checks an audit runs: those selected, without the WordPress ones when the inventory is off. */
export function selectedChecks(
  config: Pick<AuditConfig, "checks"> & Partial<Pick<AuditConfig, "wordpressInventory">>,
): CheckDefinition[] {
  return CHECKS.filter(
    (c) =>
      config.checks.includes(c.id) &&
      !(config.wordpressInventory === "off" && WORDPRESS_CHECK_IDS.has(c.id)),
  );
}

/**
 * Runs one audit and returns the JSON report: collect, evaluate, then act: the fixes (their plan
 * when `config.remediation` is dry-run, applied when enforce) and patching (the plan; in enforce
 * mode the runs). The checks see the runs of earlier audits, read from SSM's history.
 *
 * @example
 * const report = await runAudit({ reader: createAccountReader() }, parseConfig({}));
 */
export async function runAudit(deps: AuditDeps, config: AuditConfig): Promise<AuditReport> {
  if (config.remediation === "enforce" && !deps.remediation) {
    throw new ConfigError(ENFORCE_NEEDS_STORE);
  }
  const now = deps.now ?? (() => new Date());
  const started = now();
  const startedAt = started.toISOString();
  const deadline = new AbortController();
  // Every call in flight listens to this one signal: lift Node's 10-listener warning.
  setMaxListeners(0, deadline.signal);
  const timer =
    deps.deadline === undefined
      ? undefined
      : setTimeout(() => deadline.abort(), Math.max(0, deps.deadline - started.getTime()));
  const facts = factsToCollect(config);
  const snapshot = await withAbortSignal(deadline.signal, () =>
    collectSnapshot(deps.reader, {
      regions: config.regions,
      facts,
      onRegionDone: deps.onRegionDone,
      deadline: deadline.signal,
      ipRangesUrl: ipRangesUrl(config),
      patchHistory: {
        document: config.patchDocument,
        since: new Date(started.getTime() - PATCH_HISTORY_DAYS * DAY_MS),
      },
      wordpressHistory: {
        document: config.wordpressDocument,
        since: new Date(started.getTime() - PATCH_HISTORY_DAYS * DAY_MS),
      },
      lookUpWordPressOrg:
        deps.lookUpWordPressOrg ??
        ((wanted) =>
          lookUpWordPressOrg(wanted, {
            baseUrl: config.wordpressOrgUrl,
            signal: deadline.signal,
          })),
    }),
  ).finally(() => clearTimeout(timer));
  const checks = selectedChecks(config);
  const evaluated = evaluate(checks, snapshot, {
    now: startedAt,
    rootUsageDays: config.rootUsageDays,
    patching: {
      mode: config.patching,
      targets: config.patchTargets,
      documentName: config.patchDocument,
    },
    wordpress: {
      lookups: config.wordpressOrg === "on",
      maxAgeSeconds: config.wordpressInventoryMaxAge,
      documentName: config.wordpressDocument,
    },
  });
  const { results, expired } = applySuppressions(
    evaluated,
    deps.suppressions ?? [],
    new Date(startedAt),
  );
  const remediation = await runRemediation(
    config.remediation,
    planRemediation(results, snapshot, config),
    deps.remediation && { ...deps.remediation, now, deadline: deps.deadline },
  );
  const patching = await runPatching(
    snapshot,
    config,
    {
      homeRegion: "us-east-1",
      ...deps.patching,
      deadline: deps.patching?.deadline ?? deps.deadline ?? started.getTime() + PATCH_WAIT_MS,
    },
    () => now().getTime(),
  );
  // The next inventory, once this one is judged (read-only; the next audit reads its result).
  const inventory =
    facts.includes("wordpressInventories") && deps.patching?.commands && !deadline.signal.aborted
      ? await startInventories(snapshot, config, {
          commands: deps.patching.commands,
          homeRegion: deps.patching.homeRegion ?? "us-east-1",
        })
      : undefined;
  const failures = inventory?.failures.length
    ? [...snapshot.failures, ...inventory.failures]
    : snapshot.failures;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    accountId: snapshot.accountId,
    startedAt,
    finishedAt: now().toISOString(),
    regions: {
      // No regional fact asked for: no region was scanned (the entries are all null).
      audited: facts.some((f) => REGIONAL_FACTS.includes(f))
        ? snapshot.lightsail.map((r) => r.region)
        : [],
      skipped: snapshot.skippedRegions,
    },
    summary: summarize(results, failures.length > 0),
    checks: checkTexts(checks),
    results,
    failures,
    expiredSuppressions: expired,
    ...(patching ? { patching } : {}),
    ...(remediation ? { remediation } : {}),
  };
}

/** Runs each check in isolation: one that throws yields an ERROR result and the rest go on. */
export function evaluate(
  checks: readonly CheckDefinition[],
  snapshot: AccountSnapshot,
  ctx: CheckContext,
): CheckResult[] {
  const { accountId } = snapshot;
  const out: CheckResult[] = [];
  for (const check of checks) {
    let outcomes: Outcome[];
    try {
      outcomes = check.evaluate(snapshot, ctx);
    } catch (err) {
      const { errorName, message } = describeError(err);
      outcomes = [
        {
          status: "ERROR",
          resource: accountRef(snapshot),
          message: `The check failed: ${errorName}: ${message}`,
        },
      ];
    }
    for (const o of outcomes) {
      // One literal of one shape for every result: at 60,000 results, spreads cost about half
      // of evaluation time (issue 11's profile).
      out.push({
        checkId: check.id,
        status: o.status,
        severity: o.severity ?? check.severity,
        message: o.message,
        resource: o.resource,
        accountId,
        fingerprint: o.status === "FAIL" ? fingerprint(check.id, o.resource) : undefined,
        suppressedBy: undefined,
      });
    }
  }
  return out;
}

/** Each check's text once, keyed by id: the report's `checks` (schema 2). */
export function checkTexts(checks: readonly CheckDefinition[]): Record<string, CheckText> {
  return Object.fromEntries(
    checks.map((c) => [
      c.id,
      {
        title: c.title,
        severity: c.severity,
        risk: c.risk,
        remediation: c.remediation,
        ...(c.cis ? { cis: c.cis } : {}),
      },
    ]),
  );
}

export function summarize(
  results: readonly CheckResult[],
  collectionFailed: boolean,
): ReportSummary {
  const byStatus: Record<Status, number> = { PASS: 0, FAIL: 0, ERROR: 0, MUTED: 0 };
  const failBySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<
    Severity,
    number
  >;
  for (const r of results) {
    byStatus[r.status] += 1;
    if (r.status === "FAIL") failBySeverity[r.severity] += 1;
  }
  return {
    total: results.length,
    byStatus,
    failBySeverity,
    incomplete: collectionFailed || byStatus.ERROR > 0,
  };
}
