/**
 * The organization report (schema 1): one entry per audited account (its summary, worst
 * findings, why it is incomplete, where its own report is), the accounts not audited and why,
 * and totals. Small by construction (five findings per account at most), so a 1,000-account run
 * stays a few hundred kilobytes. Its zod schema is the source of docs/org-report.schema.json
 * (`npm run schema`). Pure: no SDK, no clock.
 */
import * as z from "zod";
import { type AuditReport, SEVERITY_ORDER, type Severity } from "../model";
import { compareText } from "../report/summary";
import { NOT_AUDITED_REASONS, type NotAudited, type TargetAccount } from "./discover";

export const ORG_REPORT_SCHEMA_VERSION = 1;
/** Findings kept per account, worst first. */
export const WORST_FINDINGS = 5;
/** Reasons an account's audit is incomplete, kept per account. */
const INCOMPLETE_REASONS = 3;
/** Characters of a finding's message kept. */
const MESSAGE_CHARS = 300;

const severity = z.enum(SEVERITY_ORDER);
const failCounts = z.strictObject(
  Object.fromEntries(SEVERITY_ORDER.map((s) => [s, z.number().int().min(0)])) as Record<
    Severity,
    z.ZodNumber
  >,
);

const accountEntrySchema = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/),
  name: z.string().optional(),
  ouPath: z.string().optional().describe("e.g. Root/Clients/Agency A"),
  failBySeverity: failCounts,
  passed: z.number().int().min(0),
  errors: z.number().int().min(0),
  muted: z.number().int().min(0),
  incomplete: z.boolean(),
  incompleteReasons: z
    .array(z.string())
    .describe(`The first ${INCOMPLETE_REASONS} collection failures, and errored checks`),
  worst: z
    .array(
      z.strictObject({
        checkId: z.string(),
        severity,
        resource: z.string().describe("region/name, or the IAM name"),
        message: z.string(),
      }),
    )
    .describe(`The ${WORST_FINDINGS} most severe FAILs`),
  checks: z
    .record(z.string(), z.enum([...SEVERITY_ORDER, "error", "muted"]))
    .optional()
    .describe(
      "Each check that did not pass everywhere in the account: the worst severity of its FAILs, else error (an ERROR result), else muted; a check absent passed or gave no result",
    ),
  report: z.string().optional().describe("Where the account's own JSON report is (S3 key or file)"),
  news: z
    .strictObject({ new: z.number().int().min(0), resolved: z.number().int().min(0) })
    .optional()
    .describe("Findings new or resolved since the account's previous run (Lambda only)"),
});

const notAuditedSchema = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/),
  name: z.string().optional(),
  ouPath: z.string().optional(),
  reason: z.enum(NOT_AUDITED_REASONS),
  message: z.string(),
});

export const orgReportSchema = z.strictObject({
  schemaVersion: z.literal(ORG_REPORT_SCHEMA_VERSION),
  kind: z.literal("organization"),
  organizationId: z.string().optional(),
  runId: z.string().optional(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  roleName: z.string(),
  selection: z.strictObject({
    accounts: z.enum(["organization", "list"]),
    organizationalUnits: z.array(z.string()),
    excludeAccounts: z.array(z.string()),
  }),
  totals: z.strictObject({
    selected: z.number().int().min(0),
    audited: z.number().int().min(0),
    notAudited: z.number().int().min(0),
    incomplete: z.number().int().min(0),
    withFailures: z.number().int().min(0),
    failBySeverity: failCounts,
  }),
  accounts: z.array(accountEntrySchema).describe("Audited accounts, worst first"),
  notAudited: z.array(notAuditedSchema),
});

export type OrgReport = z.output<typeof orgReportSchema>;
/** A check's worst outcome in one account (the organization grid's cell). */
export type CheckCell = Severity | "error" | "muted";
export type AccountEntry = z.output<typeof accountEntrySchema>;
export type NotAuditedEntry = z.output<typeof notAuditedSchema>;

export function orgReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(orgReportSchema) as Record<string, unknown>;
}

const rank = (s: Severity) => SEVERITY_ORDER.indexOf(s);

/**
 * One account's entry from its report: counts, the worst FAILs, why it is incomplete.
 *
 * @example
 * accountEntry(report, { id: "200000000001", name: "client-0001" }, "reports/2000.../x.json")
 */
export function accountEntry(
  report: AuditReport,
  account: TargetAccount,
  reportKey?: string,
): AccountEntry {
  const fails = report.results
    .filter((r) => r.status === "FAIL")
    .sort(
      (a, b) =>
        rank(a.severity) - rank(b.severity) ||
        compareText(a.checkId, b.checkId) ||
        compareText(a.resource.name, b.resource.name),
    );
  const errored = report.results.filter((r) => r.status === "ERROR");
  const reasons = report.failures
    .slice(0, INCOMPLETE_REASONS)
    .map((f) => `${f.source} ${f.operation} (${f.region}): ${f.errorName}`);
  if (report.failures.length > INCOMPLETE_REASONS) {
    reasons.push(`and ${report.failures.length - INCOMPLETE_REASONS} more collection failures`);
  }
  if (errored.length > 0) reasons.push(`${errored.length} check results are ERROR`);
  return {
    accountId: report.accountId,
    ...(account.name ? { name: account.name } : {}),
    ...(account.ouPath ? { ouPath: account.ouPath } : {}),
    failBySeverity: { ...report.summary.failBySeverity },
    passed: report.summary.byStatus.PASS,
    errors: report.summary.byStatus.ERROR,
    muted: report.summary.byStatus.MUTED,
    incomplete: report.summary.incomplete,
    incompleteReasons: report.summary.incomplete ? reasons : [],
    worst: fails.slice(0, WORST_FINDINGS).map((r) => ({
      checkId: r.checkId,
      severity: r.severity,
      resource:
        r.resource.region === "global"
          ? r.resource.name
          : `${r.resource.region}/${r.resource.name}`,
      message:
        r.message.length > MESSAGE_CHARS ? `${r.message.slice(0, MESSAGE_CHARS - 1)}…` : r.message,
    })),
    checks: checkCells(report),
    ...(reportKey ? { report: reportKey } : {}),
  };
}

/** Per check, its worst outcome in the report: a FAIL's severity, else error, else muted. */
function checkCells(report: AuditReport): Record<string, CheckCell> {
  const cells: Record<string, CheckCell> = {};
  const weight = (c: CheckCell | undefined) =>
    c === undefined ? 99 : c === "error" ? 10 : c === "muted" ? 11 : rank(c);
  for (const r of report.results) {
    const cell: CheckCell | undefined =
      r.status === "FAIL"
        ? r.severity
        : r.status === "ERROR"
          ? "error"
          : r.status === "MUTED"
            ? "muted"
            : undefined;
    if (cell !== undefined && weight(cell) < weight(cells[r.checkId])) cells[r.checkId] = cell;
  }
  return cells;
}

/** Most FAILs at the worst severity first, then the next severity, ...; then by account id. */
export function compareEntries(a: AccountEntry, b: AccountEntry): number {
  for (const s of SEVERITY_ORDER) {
    const d = b.failBySeverity[s] - a.failBySeverity[s];
    if (d !== 0) return d;
  }
  return compareText(a.accountId, b.accountId);
}

export interface OrgReportInput {
  organizationId?: string;
  runId?: string;
  startedAt: string;
  finishedAt: string;
  roleName: string;
  selection: OrgReport["selection"];
  accounts: readonly AccountEntry[];
  notAudited: readonly NotAudited[];
}

/** The organization report from the per-account entries; accounts sorted worst first. */
export function buildOrgReport(input: OrgReportInput): OrgReport {
  const accounts = [...input.accounts].sort(compareEntries);
  const failBySeverity = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, 0])) as Record<
    Severity,
    number
  >;
  for (const a of accounts)
    for (const s of SEVERITY_ORDER) failBySeverity[s] += a.failBySeverity[s];
  const notAuditedEntries = [...input.notAudited]
    .sort((a, b) => compareText(a.id, b.id))
    .map((n) => ({
      accountId: n.id,
      ...(n.name ? { name: n.name } : {}),
      ...(n.ouPath ? { ouPath: n.ouPath } : {}),
      reason: n.reason,
      message: n.message,
    }));
  return {
    schemaVersion: ORG_REPORT_SCHEMA_VERSION,
    kind: "organization",
    ...(input.organizationId ? { organizationId: input.organizationId } : {}),
    ...(input.runId ? { runId: input.runId } : {}),
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    roleName: input.roleName,
    selection: input.selection,
    totals: {
      selected: accounts.length + notAuditedEntries.length,
      audited: accounts.length,
      notAudited: notAuditedEntries.length,
      incomplete: accounts.filter((a) => a.incomplete).length,
      withFailures: accounts.filter((a) => SEVERITY_ORDER.some((s) => a.failBySeverity[s] > 0))
        .length,
      failBySeverity,
    },
    accounts,
    notAudited: notAuditedEntries,
  };
}
