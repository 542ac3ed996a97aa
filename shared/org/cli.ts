/**
 * `lightsail-audit --organization | --accounts ID,ID`: every account through its member role,
 * with the single-account engine, `--account-concurrency` at a time; progress on stderr; the
 * organization report on stdout (table, json or markdown) or in `--output`; each account's own
 * JSON report in `--output-dir` when given.
 */
import { constants } from "node:fs";
import { access, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runAudit } from "../audit";
import { createAwsClients } from "../aws/clients";
import { createMemberReaders } from "../aws/member";
import { createOrganizationSource } from "../aws/organizations";
import { getCallerIdentity } from "../aws/sts";
import type { CliIo } from "../cli";
import { type OutputTarget, writeOutput } from "../cli-output";
import { type AuditConfig, wholeNumberProblem } from "../config";
import { ConfigError, CredentialsError, describeError } from "../errors";
import { atLeast, type Severity, type Suppression } from "../model";
import { renderOrgHtml } from "../report/html";
import {
  type AccountSelection,
  DEFAULT_ROLE_NAME,
  discoverAccounts,
  parseAccountIds,
  parseUnitIds,
} from "./discover";
import { orgSummaryLine, renderOrgMarkdown, renderOrgTable } from "./render";
import { buildOrgReport, type OrgReport } from "./report";
import { auditAccounts, memberAuditConfig } from "./run";

export { DEFAULT_ROLE_NAME };
export const DEFAULT_ACCOUNT_CONCURRENCY = 8;
/** IAM role names: 1 to 64 of `[\w+=,.@-]` (IAM API reference, CreateRole RoleName). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export interface OrgFlags {
  organization?: boolean;
  ou?: string;
  exclude?: string;
  accounts?: string;
  roleName?: string;
  accountConcurrency?: string;
  outputDir?: string;
}

/** True when the flags ask for organization mode. */
export const wantsOrganization = (f: OrgFlags) => Boolean(f.organization || f.accounts);

/** The selection the flags describe; a ConfigError names a bad or conflicting flag. */
export function selectionFromFlags(f: OrgFlags): AccountSelection {
  if (f.organization && f.accounts) {
    throw new ConfigError("Give either --organization or --accounts, not both");
  }
  const exclude = f.exclude ? parseAccountIds(f.exclude, "--exclude") : [];
  if (f.accounts) {
    if (f.ou)
      throw new ConfigError("--ou narrows --organization; it cannot be used with --accounts");
    return {
      accounts: "list",
      ids: parseAccountIds(f.accounts, "--accounts"),
      excludeAccounts: exclude,
    };
  }
  return {
    accounts: "organization",
    organizationalUnits: f.ou ? parseUnitIds(f.ou, "--ou") : [],
    excludeAccounts: exclude,
  };
}

/** Organization-only flags given without --organization or --accounts. */
export function strayOrgFlags(f: OrgFlags): string[] {
  const given: [string, unknown][] = [
    ["--ou", f.ou],
    ["--exclude", f.exclude],
    ["--role-name", f.roleName],
    ["--account-concurrency", f.accountConcurrency],
    ["--output-dir", f.outputDir],
  ];
  return given.filter(([, v]) => v !== undefined).map(([name]) => name);
}

async function checkOutputDir(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new ConfigError(`--output-dir ${dir}: no such directory`);
  await access(dir, constants.W_OK).catch((err) => {
    throw new ConfigError(`--output-dir ${dir}: cannot create files there`, { cause: err });
  });
}

export interface OrgRunOptions {
  format: string;
  output?: OutputTarget;
  failOn?: Severity;
  deadline: number;
  suppressions: readonly Suppression[];
}

/** Runs organization mode; resolves to the exit code (0, 2 for --fail-on, 3 incomplete). */
export async function runOrganizationCli(
  config: AuditConfig,
  flags: OrgFlags,
  options: OrgRunOptions,
  io: CliIo,
): Promise<number> {
  const selection = selectionFromFlags(flags);
  const roleName = flags.roleName ?? DEFAULT_ROLE_NAME;
  if (!ROLE_NAME.test(roleName)) {
    throw new ConfigError(
      `Invalid --role-name: ${JSON.stringify(roleName)} is not an IAM role name (1 to 64 of letters, digits and +=,.@_-)`,
    );
  }
  const concurrencyText = flags.accountConcurrency ?? String(DEFAULT_ACCOUNT_CONCURRENCY);
  const problem = wholeNumberProblem(concurrencyText, 1, 100, "accounts");
  if (problem) throw new ConfigError(`Invalid --account-concurrency: ${problem}`);
  if (!["table", "json", "markdown", "html"].includes(options.format)) {
    throw new ConfigError(
      `--format ${options.format} is not available for an organization: use table, json, markdown or html`,
    );
  }
  if (config.patching === "enforce" || config.remediation !== "off") {
    throw new ConfigError(
      "Organization mode only reads: --patching enforce and --remediation are for one account at a time",
    );
  }
  if (flags.outputDir) await checkOutputDir(flags.outputDir);

  const startedAt = new Date().toISOString();
  const clients = createAwsClients();
  let partition: string;
  try {
    partition = (await getCallerIdentity(clients.sts)).partition;
  } catch (err) {
    const { errorName, message } = describeError(err);
    throw new CredentialsError(`Cannot identify the caller (${errorName}: ${message})`, {
      cause: err,
    });
  }
  const found = await discoverAccounts(
    selection.accounts === "organization" ? createOrganizationSource() : undefined,
    selection,
  );
  const tty = io.stderr.isTTY === true;
  const total = found.targets.length;
  io.stderr.write(
    `Auditing ${total} accounts through role ${roleName}, ${concurrencyText} at a time${found.notAudited.length ? ` (${found.notAudited.length} not ACTIVE, skipped)` : ""}\n`,
  );
  let lastTenth = 0;
  const result = await auditAccounts(found.targets, {
    readerFor: createMemberReaders({ sts: clients.sts, roleName, partition }),
    audit: (reader, deadline) =>
      runAudit({ reader, deadline, suppressions: options.suppressions }, memberAuditConfig(config)),
    keep: flags.outputDir
      ? async (report) => {
          const file = join(flags.outputDir ?? ".", `${report.accountId}.json`);
          await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
          return file;
        }
      : undefined,
    concurrency: Number(concurrencyText),
    deadline: options.deadline,
    onAccountDone: ({ done, notAudited }) => {
      const line = `Accounts: ${done}/${total} done, ${notAudited} not audited`;
      if (tty) io.stderr.write(`\r\x1b[K${line}`);
      else if (Math.floor((done * 10) / total) > lastTenth || done === total) {
        lastTenth = Math.floor((done * 10) / total);
        io.stderr.write(`${line}\n`);
      }
    },
  });
  if (tty) io.stderr.write("\r\x1b[K");
  const report: OrgReport = buildOrgReport({
    organizationId: found.organizationId,
    startedAt,
    finishedAt: new Date().toISOString(),
    roleName,
    selection: {
      accounts: selection.accounts,
      organizationalUnits:
        selection.accounts === "organization" ? selection.organizationalUnits : [],
      excludeAccounts: selection.excludeAccounts,
    },
    accounts: result.accounts,
    notAudited: [...found.notAudited, ...result.notAudited],
  });
  const text =
    options.format === "json"
      ? `${JSON.stringify(report, null, 2)}\n`
      : options.format === "markdown"
        ? renderOrgMarkdown(report)
        : options.format === "html"
          ? renderOrgHtml(report)
          : renderOrgTable(report);
  if (options.output) {
    await writeOutput(options.output, text);
    io.stderr.write(`Report written to ${options.output.path}: ${orgSummaryLine(report)}\n`);
  } else {
    io.stdout.write(text);
  }
  if (options.failOn) {
    const failOn = options.failOn;
    const hit = report.accounts.some((a) =>
      Object.entries(a.failBySeverity).some(([s, n]) => n > 0 && atLeast(s as Severity, failOn)),
    );
    if (hit) return 2;
    if (report.totals.incomplete > 0 || report.totals.notAudited > 0) return 3;
  }
  return 0;
}
