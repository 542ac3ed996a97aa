/**
 * The organization run's three steps, as the state machine runs them (functions/organization.ts
 * and the audit function): list the accounts, audit one account, summarize. Payloads between
 * states carry ids, names, counts and S3 keys only, never findings; each account's entry and the
 * run's account list are S3 objects under `reports/organization-runs/<runId>/` (RUNS_PREFIX).
 */
import { RUNS_PREFIX, type RunStore } from "../aws/run-store";
import { mapLimit } from "../collect/concurrency";
import type { AccountReader } from "../collect/reader";
import { AssumeRoleError, ConfigError, describeError } from "../errors";
import type { NotifyMode } from "../findings/state";
import type { AuditReport, Severity } from "../model";
import type { SnsAlert } from "../notify/message";
import { renderOrgHtml } from "../report/html";
import { newRunId } from "../report/location";
import { buildDigest, notAuditedKeys } from "./digest";
import {
  type AccountSelection,
  DEFAULT_ROLE_NAME,
  discoverAccounts,
  type NotAudited,
  type OrganizationSource,
  parseAccountIds,
  parseUnitIds,
  type TargetAccount,
} from "./discover";
import { renderOrgMarkdown } from "./render";
import { type AccountEntry, accountEntry, buildOrgReport } from "./report";

export interface OrgSettings {
  selection: AccountSelection;
  roleName: string;
}

/**
 * The organization settings from the stack's environment: ORG_ACCOUNTS (`organization` or a
 * comma-separated list of account ids), ORG_UNITS, ORG_EXCLUDE, MEMBER_ROLE_NAME.
 */
export function orgSettingsFromEnv(env: NodeJS.ProcessEnv): OrgSettings {
  const accounts = (env.ORG_ACCOUNTS ?? "").trim();
  const exclude = env.ORG_EXCLUDE?.trim()
    ? parseAccountIds(env.ORG_EXCLUDE, "ORG_EXCLUDE (excludeAccounts)")
    : [];
  const roleName = env.MEMBER_ROLE_NAME?.trim() || DEFAULT_ROLE_NAME;
  if (accounts === "organization") {
    const units = env.ORG_UNITS?.trim()
      ? parseUnitIds(env.ORG_UNITS, "ORG_UNITS (organizationalUnits)")
      : [];
    return {
      selection: { accounts: "organization", organizationalUnits: units, excludeAccounts: exclude },
      roleName,
    };
  }
  if (accounts === "" || accounts === "self") {
    throw new ConfigError("ORG_ACCOUNTS (accounts) must be organization or a list of account ids");
  }
  return {
    selection: {
      accounts: "list",
      ids: parseAccountIds(accounts, "ORG_ACCOUNTS (accounts)"),
      excludeAccounts: exclude,
    },
    roleName,
  };
}

const runKey = (runId: string, name: string) => {
  if (!/^\d{8}T\d{6}Z-[0-9a-f]{6}$/.test(runId)) throw new ConfigError(`Invalid run id "${runId}"`);
  return `${RUNS_PREFIX}${runId}/${name}`;
};
const entryKey = (runId: string, accountId: string) => {
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`Invalid account id "${accountId}"`);
  return runKey(runId, `accounts/${accountId}.json`);
};

/** What the list step returns: the Map's items, with what every item needs. */
export interface ListOutput {
  runId: string;
  roleName: string;
  accounts: TargetAccount[];
}

interface RunInfo {
  startedAt: string;
  organizationId?: string;
  roleName: string;
  selection: AccountSelection;
  targets: string[];
  notAudited: NotAudited[];
}

export async function listStep(
  settings: OrgSettings,
  deps: { source?: OrganizationSource; runs: RunStore; now: () => Date },
): Promise<ListOutput> {
  const startedAt = deps.now().toISOString();
  const runId = newRunId(startedAt);
  const found = await discoverAccounts(deps.source, settings.selection);
  const info: RunInfo = {
    startedAt,
    ...(found.organizationId ? { organizationId: found.organizationId } : {}),
    roleName: settings.roleName,
    selection: settings.selection,
    targets: found.targets.map((t) => t.id),
    notAudited: found.notAudited,
  };
  await deps.runs.put(runKey(runId, "run.json"), JSON.stringify(info));
  return { runId, roleName: settings.roleName, accounts: found.targets };
}

/** One Map item: the account and the run it belongs to. */
export interface AccountItem {
  step: "account";
  runId: string;
  roleName: string;
  account: TargetAccount;
}

export const isAccountItem = (e: unknown): e is AccountItem =>
  typeof e === "object" && e !== null && (e as { step?: unknown }).step === "account";

/** What an account's item returns: a hundred bytes or so. */
export interface AccountItemResult {
  accountId: string;
  audited: boolean;
  reason?: NotAudited["reason"];
  fails?: Partial<Record<Severity, number>>;
  news?: { new: number; resolved: number };
}

export interface AccountStepDeps {
  readerFor(accountId: string): Promise<AccountReader>;
  audit(reader: AccountReader): Promise<AuditReport>;
  /** Stores the account's report; returns its key. */
  save(report: AuditReport, runId: string): Promise<string | undefined>;
  /** The account's own alert (message attributes accountId, accountName); its news. */
  alert(report: AuditReport, account: TargetAccount): Promise<{ new: number; resolved: number }>;
  runs: RunStore;
}

/**
 * Audits one account through its member role; its entry (or why it was not audited) goes to S3.
 * Throws only when it cannot record anything (the Map retries it, then tolerates the failure).
 */
export async function accountStep(
  item: AccountItem,
  deps: AccountStepDeps,
): Promise<AccountItemResult> {
  const { account, runId } = item;
  const key = entryKey(runId, account.id);
  let reader: AccountReader;
  try {
    reader = await deps.readerFor(account.id);
  } catch (err) {
    if (!(err instanceof AssumeRoleError) || !err.denied) throw err; // throttled: the Map retries
    const skipped: NotAudited = {
      ...account,
      reason: "assume-role-denied",
      message: describeError(err).message,
    };
    await deps.runs.put(key, JSON.stringify({ notAudited: skipped }));
    return { accountId: account.id, audited: false, reason: skipped.reason };
  }
  const report = await deps.audit(reader);
  if (report.accountId !== account.id) {
    const skipped: NotAudited = {
      ...account,
      reason: "audit-failed",
      message: `The member role answered for account ${report.accountId}, not ${account.id}`,
    };
    await deps.runs.put(key, JSON.stringify({ notAudited: skipped }));
    return { accountId: account.id, audited: false, reason: skipped.reason };
  }
  const reportKey = await deps.save(report, runId);
  const news = await deps.alert(report, account);
  const entry: AccountEntry = { ...accountEntry(report, account, reportKey), news };
  await deps.runs.put(key, JSON.stringify({ entry }));
  const fails = Object.fromEntries(
    Object.entries(report.summary.failBySeverity).filter(([, n]) => n > 0),
  );
  return { accountId: account.id, audited: true, fails, news };
}

export interface SummaryOutput {
  runId: string;
  totals: ReturnType<typeof buildOrgReport>["totals"];
  report: string;
  digest: { owed: boolean; sent: boolean };
}

/**
 * Builds the organization report from the entries in S3 (an account without one failed in the
 * Map after its retries), stores it (JSON and Markdown), and publishes the one digest when owed.
 */
export async function summarizeStep(
  input: { runId: string },
  deps: {
    runs: RunStore;
    bucket: string;
    notifyMode: NotifyMode;
    publish?: (alert: SnsAlert) => Promise<string>;
    now: () => Date;
  },
): Promise<SummaryOutput> {
  const info = await deps.runs.getJson<RunInfo>(runKey(input.runId, "run.json"));
  if (!info) throw new ConfigError(`No run ${input.runId} in the report bucket`);
  const keys = await deps.runs.list(runKey(input.runId, "accounts/"));
  const stored = await mapLimit(keys, 16, (k) =>
    deps.runs.getJson<{ entry?: AccountEntry; notAudited?: NotAudited }>(k),
  );
  const accounts: AccountEntry[] = [];
  const notAudited: NotAudited[] = [...info.notAudited];
  const seen = new Set<string>();
  for (const s of stored) {
    if (s?.entry) {
      accounts.push(s.entry);
      seen.add(s.entry.accountId);
    } else if (s?.notAudited) {
      notAudited.push(s.notAudited);
      seen.add(s.notAudited.id);
    }
  }
  for (const id of info.targets) {
    if (seen.has(id)) continue;
    notAudited.push({
      id,
      reason: "audit-failed",
      message:
        "The account's audit failed or timed out after its retries (see the state machine's Map run)",
    });
  }
  const report = buildOrgReport({
    ...(info.organizationId ? { organizationId: info.organizationId } : {}),
    runId: input.runId,
    startedAt: info.startedAt,
    finishedAt: deps.now().toISOString(),
    roleName: info.roleName,
    selection: {
      accounts: info.selection.accounts,
      organizationalUnits:
        info.selection.accounts === "organization" ? info.selection.organizationalUnits : [],
      excludeAccounts: info.selection.excludeAccounts,
    },
    accounts,
    notAudited,
  });
  const key = runKey(input.runId, "organization.json");
  await deps.runs.put(key, JSON.stringify(report));
  await deps.runs.put(
    runKey(input.runId, "organization.md"),
    renderOrgMarkdown(report),
    "text/markdown; charset=utf-8",
  );
  await deps.runs.put(
    runKey(input.runId, "organization.html"),
    renderOrgHtml(report),
    "text/html; charset=utf-8",
  );
  // The previous run's accounts not audited: on-change repeats none that is still the same.
  const lastKey = `${RUNS_PREFIX}last-not-audited.json`;
  const last = await deps.runs.getJson<{ notAudited: string[] }>(lastKey);
  const digest = buildDigest(
    report,
    deps.notifyMode,
    `s3://${deps.bucket}/${key}`,
    last?.notAudited,
  );
  let sent = false;
  if (digest.owed && deps.publish) {
    await deps.publish(digest.alert);
    sent = true;
  }
  // Only after the digest went out (or was not owed): a failed publish is repeated next run.
  await deps.runs.put(
    lastKey,
    JSON.stringify({ runId: input.runId, notAudited: notAuditedKeys(report) }),
  );
  return {
    runId: input.runId,
    totals: report.totals,
    report: key,
    digest: { owed: digest.owed, sent },
  };
}
