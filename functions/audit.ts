/**
 * The audit Lambda: on the EventBridge schedule and on a manual `osls invoke -f audit`.
 * Writes the JSON report, its Markdown and its HTML (with the trend of the last runs, read from
 * their summaries) to the report bucket (REPORT_BUCKET) and returns a
 * summary with their s3:// URIs, never the report itself (Lambda's synchronous response is capped
 * at 6 MB). Config is validated at cold start; the event may narrow one run.
 * Patching follows the environment (PATCHING, PATCH_TARGETS, PATCH_DOCUMENT) only, never the
 * event; enforcement stops waiting for runs at the same deadline as collection (ALERT_RESERVE_MS
 * before the invocation's time runs out), so the report and the alert still go out.
 * The fixes follow the environment only (REMEDIATION, ALLOWED_SSH_CIDRS), never the event: in
 * enforce mode they are applied after the audit, each recorded in the state table, and none
 * starts after the deadline that also ends collection.
 * With SECURITY_HUB=on the findings are imported into the account's Security Hub in the
 * function's region before the report is stored, so both the report and the alert say when
 * some could not be sent (docs/security-hub.md).
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import * as z from "zod";
import { runAudit } from "../shared/audit";
import { createAlertDeps } from "../shared/aws/alerts";
import { createAwsClients, homeRegion } from "../shared/aws/clients";
import { createMemberSessions, type MemberSession } from "../shared/aws/member";
import { createAccountReader } from "../shared/aws/reader";
import { createRemediationDeps } from "../shared/aws/remediation";
import { createLinkKey } from "../shared/aws/report-link";
import { createReportStore, type ReportStore, type SavedReport } from "../shared/aws/report-store";
import { createRunStore } from "../shared/aws/run-store";
import { createSecurityHubImporter } from "../shared/aws/security-hub";
import { createPatchCommands } from "../shared/aws/ssm";
import type { LoadedState } from "../shared/aws/state-store";
import { type AuditConfig, configFromEnv, parseConfig } from "../shared/config";
import { ConfigError, describeError, ReportStoreError } from "../shared/errors";
import { bundledSuppressions } from "../shared/findings/suppressions";
import { auditCompletedLine } from "../shared/metrics";
import type { AuditReport } from "../shared/model";
import { type AlertOutcome, processAlert } from "../shared/notify/notify";
import type { ReportLocation } from "../shared/notify/render";
import { memberAuditConfig } from "../shared/org/run";
import {
  type AccountItem,
  type AccountItemResult,
  accountStep,
  isAccountItem,
} from "../shared/org/steps";
import { ENFORCE_NEEDS_STORE } from "../shared/remediation/act";
import { type HtmlOptions, renderHtml } from "../shared/report/html";
import { reportLink } from "../shared/report/link";
import { newRunId, type RunSummary, reportKeys, runSummary } from "../shared/report/location";
import { renderMarkdown } from "../shared/report/markdown";
import { exportToSecurityHub, withFailures } from "../shared/report/security-hub";
import { TREND_RUNS, trendPoints } from "../shared/report/trend";

const logger = new Logger({ serviceName: "lightsail-auditor" });
const baseConfig = configFromEnv();
if (baseConfig.remediation === "enforce" && !baseConfig.stateTable) {
  throw new ConfigError(ENFORCE_NEEDS_STORE);
}
const clients = createAwsClients();
const reader = createAccountReader({}, clients);
const patchCommands = createPatchCommands(clients);
const remediation =
  baseConfig.remediation === "enforce" && baseConfig.stateTable
    ? createRemediationDeps(baseConfig.stateTable, clients)
    : undefined;
const suppressions = bundledSuppressions(new Date());
const alerting = createAlertDeps(baseConfig);
const reportStore = baseConfig.reportBucket
  ? createReportStore({ bucket: baseConfig.reportBucket })
  : undefined;
const securityHub =
  baseConfig.securityHub === "on"
    ? { region: homeRegion(), importer: createSecurityHubImporter(homeRegion()) }
    : undefined;
// The email's link to the HTML report, signed with the key in Secrets Manager (both set by the
// stack; without them the email has no link).
const linkKey =
  reportStore &&
  baseConfig.reportLinkDays > 0 &&
  baseConfig.reportLinkUrl &&
  baseConfig.reportLinkSecret
    ? createLinkKey({ secretId: baseConfig.reportLinkSecret })
    : undefined;
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? "local";
const onDemandHint = `aws lambda invoke --function-name ${process.env.AWS_LAMBDA_FUNCTION_NAME ?? "<audit function>"} summary.json (or: npx lightsail-audit)`;

/** Items of a list field, whether sent as an array or as a comma-separated string. */
const items = (v: string | string[]) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * A list field: absent means "as configured", so an empty one is refused rather than read as
 * absent (`"regions": []` would otherwise audit every region).
 */
const listField = (what: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .refine((v) => v === undefined || items(v).length > 0, {
      message: `is empty; leave it out to use every ${what} the configuration allows`,
    });

/**
 * Manual runs may override settings for one audit; a scheduled event carries none. Strict: a
 * misspelt field (`region`) or a setting that follows the environment only (`patching`) is
 * refused, never ignored.
 */
const eventSchema = z.strictObject({
  trigger: z.enum(["schedule", "manual"]).optional(),
  regions: listField("region"),
  rootUsageDays: z
    .union([z.string(), z.number()])
    .optional()
    .refine((v) => String(v).trim() !== "", { message: "is empty; leave it out for the default" }),
  checks: listField("check"),
});

export function configForEvent(event: unknown, base: AuditConfig): AuditConfig {
  const parsed = eventSchema.safeParse(event ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === "unrecognized_keys") {
      const n = issue.keys.length;
      throw new ConfigError(
        `Invalid event: unknown field${n > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} (valid: ${Object.keys(eventSchema.shape).join(", ")})`,
      );
    }
    throw new ConfigError(`Invalid event field "${issue?.path.join(".")}": ${issue?.message}`);
  }
  const e = parsed.data;
  const join = (v: string | string[] | undefined) => (v === undefined ? v : items(v).join(","));
  const overrides = parseConfig({
    regions: join(e.regions),
    rootUsageDays: e.rootUsageDays?.toString(),
    checks: join(e.checks),
  });
  return {
    ...base,
    ...(e.regions === undefined ? {} : { regions: overrides.regions }),
    ...(e.rootUsageDays === undefined ? {} : { rootUsageDays: overrides.rootUsageDays }),
    ...(e.checks === undefined ? {} : { checks: overrides.checks }),
  };
}

/** Time kept after collection (and patch tracking) for the checks, the state and the alert. */
const ALERT_RESERVE_MS = 20_000;

/** What the function returns: the run in a few kilobytes, and where its report is. */
export interface AuditSummary extends RunSummary {
  trigger: string;
  /** The s3:// URIs written and the command that fetches the JSON report, or why not stored. */
  stored: (SavedReport & { fetch: string }) | { error: string };
  alert: { owed: boolean; sent: boolean; messageId?: string } & AlertOutcome["counts"];
}

/**
 * Audits, stores the report, then alerts (the alert links to the report, or says it is missing).
 * Throws (so Lambda marks the invocation failed and alarms fire) when no report can be produced,
 * the alert owed cannot be delivered, or the report could not be stored (after alerting).
 */
export async function handler(event: AccountItem, context?: Context): Promise<AccountItemResult>;
export async function handler(event: unknown, context?: Context): Promise<AuditSummary>;
export async function handler(
  event: unknown,
  context?: Context,
): Promise<AuditSummary | AccountItemResult> {
  if (isAccountItem(event)) return auditMember(event, context);
  const config = configForEvent(event, baseConfig);
  const trigger = (event as { trigger?: string } | null)?.trigger ?? "schedule";
  logger.info("audit started", {
    trigger,
    regions: config.regions.length,
    checks: config.checks.length,
    patching: config.patching,
    remediation: config.remediation,
  });
  // Stop collecting, and stop waiting for patching runs, with time to spare, so the report and
  // the alert ("incomplete") still go out.
  const deadline = context
    ? Date.now() + context.getRemainingTimeInMillis() - ALERT_RESERVE_MS
    : undefined;
  let report = await runAudit(
    {
      reader,
      suppressions,
      deadline,
      patching: { commands: patchCommands, homeRegion: homeRegion() },
      remediation,
    },
    config,
  );
  const loaded = securityHub ? await loadState(report.accountId) : undefined;
  if (securityHub) {
    const hub = await exportToSecurityHub(securityHub.importer, report, {
      region: securityHub.region,
      previous: loaded?.open,
      checksRun: config.checks,
      now: new Date(),
      deadline,
    });
    if (hub.failures.length > 0) logger.error("security hub", { detail: hub.line });
    else logger.info("security hub", { detail: hub.line, calls: hub.outcome.calls });
    report = withFailures(report, hub.failures);
  }
  logResults(report);

  const runId = newRunId(report.startedAt);
  const stored = await store(report, runId);
  const location: ReportLocation =
    "error" in stored.saved
      ? { error: stored.saved.error }
      : {
          uri: stored.saved.json,
          fetch: stored.saved.fetch,
          ...(await linkFor(report.accountId, stored.saved)),
        };
  const alert = await processAlert(
    {
      ...alerting,
      now: () => new Date(),
      onStateSaveError: (err) => logger.error("state not saved", { err }),
      loaded,
    },
    report,
    { ...config, checksRun: config.checks, onDemandHint, reportLocation: location },
  );
  logger.info("alert", {
    owed: alert.owed,
    sent: alert.sent,
    subject: alert.alert.subject,
    ...alert.counts,
  });
  if (stored.cause) throw stored.cause;
  // The dead man's switch (NoAuditCompletedAlarm): reached only when the report was produced,
  // stored and the alert owed was delivered. Written raw to stdout, as Powertools does, so the
  // log event is the EMF JSON itself.
  process.stdout.write(`${auditCompletedLine(functionName, new Date())}\n`);
  return {
    ...runSummary(report, runId),
    trigger,
    stored: stored.saved,
    alert: {
      owed: alert.owed,
      sent: alert.sent,
      ...(alert.messageId ? { messageId: alert.messageId } : {}),
      ...alert.counts,
    },
  };
}

/**
 * Organization mode: one account of the run, through its member role (the state machine's Map
 * item). Reads only: patching enforcement and fixes stay with the auditor's own account. With
 * securityHub on, the account's findings go to its own Security Hub, through its member role.
 */
async function auditMember(item: AccountItem, context?: Context): Promise<AccountItemResult> {
  if (!baseConfig.reportBucket) throw new ConfigError("REPORT_BUCKET is not set");
  const config = memberAuditConfig(baseConfig);
  const deadline = context
    ? Date.now() + context.getRemainingTimeInMillis() - ALERT_RESERVE_MS
    : undefined;
  const sessionFor = createMemberSessions({ sts: clients.sts, roleName: item.roleName });
  let session: MemberSession | undefined;
  let loaded: LoadedState | undefined;
  const result = await accountStep(item, {
    readerFor: async (accountId) => {
      session = await sessionFor(accountId);
      return session.reader;
    },
    audit: async (memberReader) => {
      const report = await runAudit({ reader: memberReader, suppressions, deadline }, config);
      if (baseConfig.securityHub !== "on" || !session) return report;
      loaded = await loadState(report.accountId);
      const hub = await exportToSecurityHub(session.securityHub(homeRegion()), report, {
        region: homeRegion(),
        previous: loaded?.open,
        checksRun: config.checks,
        now: new Date(),
        deadline,
      });
      if (hub.failures.length > 0) logger.error("security hub", { detail: hub.line });
      return withFailures(report, hub.failures);
    },
    save: async (report, runId) => {
      // The HTML beside the JSON, as for the auditor's own account (without its trend).
      const saved = await reportStore?.save({
        report,
        markdown: renderMarkdown(report),
        html: renderHtml(report),
        runId,
      });
      return saved ? reportKeys(report.accountId, runId).json : undefined;
    },
    alert: async (report, account) => {
      const deps = createAlertDeps(baseConfig, {
        kind: "account",
        accountId: account.id,
        accountName: account.name ?? "",
      });
      const outcome = await processAlert({ ...deps, now: () => new Date(), loaded }, report, {
        ...config,
        checksRun: config.checks,
        onDemandHint,
      });
      return { new: outcome.counts.new, resolved: outcome.counts.resolved };
    },
    runs: createRunStore({ bucket: baseConfig.reportBucket }),
  });
  logger.info("account audited", { ...result });
  // Each audited account counts for the no-audit alarm, as a single-account run does.
  if (result.audited) process.stdout.write(`${auditCompletedLine(functionName, new Date())}\n`);
  return result;
}

/**
 * The finding state, read once for Security Hub and the alert. A read that fails is left to the
 * alert, which reads again and fails the run as it always has, after the report is stored.
 */
async function loadState(accountId: string): Promise<LoadedState | undefined> {
  if (!alerting.store) return undefined;
  try {
    return await alerting.store.load(accountId, { migrate: alerting.publish !== undefined });
  } catch (err) {
    logger.warn("state not read for Security Hub", { error: describeError(err).message });
    return undefined;
  }
}

/** Writes the report to the bucket; a failure is logged once, naming the bucket and key. */
async function store(
  report: AuditReport,
  runId: string,
): Promise<{ saved: AuditSummary["stored"]; cause?: ReportStoreError }> {
  if (!reportStore) {
    const error = "REPORT_BUCKET is not set, so the report was not stored";
    logger.warn("report not stored", { reason: error });
    return { saved: { error } };
  }
  try {
    const html = renderHtml(report, await trendOf(reportStore, report, runId));
    const saved = await reportStore.save({ report, markdown: renderMarkdown(report), html, runId });
    logger.info("report stored", { report: saved.json });
    return { saved: { ...saved, fetch: `aws s3 cp ${saved.json} report.json` } };
  } catch (err) {
    const cause =
      err instanceof ReportStoreError
        ? err
        : new ReportStoreError(`Report not stored: ${describeError(err).message}`, {
            bucket: baseConfig.reportBucket ?? "",
            // No key when the account id itself is what made the keys impossible.
            key: safeKey(report.accountId, runId),
            cause: err,
          });
    logger.error("report not stored", {
      bucket: cause.bucket,
      key: cause.key,
      error: cause.message,
    });
    return { saved: { error: cause.message }, cause };
  }
}

/**
 * The HTML report's trend: the previous runs' summaries and this run's. A trend that cannot be
 * read is left out (and says why), never guessed, and never stops the report.
 */
async function trendOf(
  store: ReportStore,
  report: AuditReport,
  runId: string,
): Promise<HtmlOptions> {
  try {
    const previous = await store.recentSummaries(report.accountId, TREND_RUNS - 1);
    return { trend: trendPoints([...previous, runSummary(report, runId)], TREND_RUNS) };
  } catch (err) {
    const { errorName, message } = describeError(err);
    logger.warn("trend not read", { errorName, error: message });
    return { trendError: `the previous runs' summaries could not be read (${errorName})` };
  }
}

/**
 * The signed link to the stored HTML report and when it expires; none (logged) when there is no
 * HTML or the key cannot be read: the alert still goes out, with the S3 location.
 */
async function linkFor(
  accountId: string,
  saved: SavedReport,
): Promise<{ link?: { url: string; expires: string } }> {
  if (!linkKey || !saved.html || !baseConfig.reportLinkUrl) return {};
  try {
    const expires = new Date(Date.now() + baseConfig.reportLinkDays * 86_400_000);
    const url = reportLink({
      baseUrl: baseConfig.reportLinkUrl,
      accountId,
      runId: saved.runId,
      expires,
      key: await linkKey(),
    });
    return {
      link: { url, expires: new Date(Math.floor(expires.getTime() / 1000) * 1000).toISOString() },
    };
  } catch (err) {
    logger.error("report link not made", { error: describeError(err) });
    return {};
  }
}

function safeKey(accountId: string, runId: string): string {
  try {
    return reportKeys(accountId, runId).json;
  } catch {
    return "";
  }
}

function logResults(report: AuditReport) {
  logger.info("audit finished", {
    accountId: report.accountId,
    summary: report.summary,
    skippedRegions: report.regions.skipped,
  });
  // Powertools reserves `message` (the log line's own) and drops an attribute of that name.
  for (const { message, ...where } of report.failures) {
    logger.warn("not audited", { ...where, reason: message });
  }
  for (const o of report.patching?.outcomes ?? []) {
    logger.info("patching", {
      instance: o.instance,
      node: o.node,
      status: o.status,
      detail: o.message,
    });
  }
  for (const c of report.remediation?.applied ?? []) {
    logger.info("fix applied", { changeId: c.id, resource: c.resource, summary: c.summary });
  }
  for (const f of report.remediation?.failed ?? []) logger.error("fix failed", { ...f });
}
