/**
 * Organization mode in one process (the CLI): audits each target account with the single-account
 * engine (shared/audit.ts) through its member role, `concurrency` accounts at a time, and keeps
 * only each account's entry (the report itself is handed to `keep`, then dropped), so memory
 * stays flat with the number of accounts. One account failing never stops the others.
 */

import { mapLimit } from "../collect/concurrency";
import type { AccountReader } from "../collect/reader";
import type { AuditConfig } from "../config";
import { AssumeRoleError, describeError } from "../errors";
import type { AuditReport } from "../model";
import type { NotAudited, TargetAccount } from "./discover";
import { type AccountEntry, accountEntry } from "./report";

/**
 * What a member account's audit may do: read. Patching enforcement and fixes stay with the
 * auditor's own account; the WordPress inventory needs the stack's SSM document, which exists in
 * the auditor's account only.
 */
export function memberAuditConfig(config: AuditConfig): AuditConfig {
  return {
    ...config,
    patching: config.patching === "enforce" ? "dry-run" : config.patching,
    remediation: "off",
    wordpressInventory: "off",
    // Imported by the Lambda's account step, with the member's own session (functions/audit.ts).
    securityHub: "off",
  };
}

export interface OrgRunDeps {
  /** A reader acting in the account (assumes its member role); throws AssumeRoleError. */
  readerFor(accountId: string): Promise<AccountReader>;
  /** The single-account audit (runAudit with the run's config), ending by `deadline`. */
  audit(reader: AccountReader, deadline: number): Promise<AuditReport>;
  /** Stores or writes the account's report; returns where it is (key or path). */
  keep?(report: AuditReport, account: TargetAccount): Promise<string | undefined>;
  concurrency: number;
  /** Epoch ms: no account starts after it, and audits in flight stop collecting then. */
  deadline: number;
  /** Epoch ms; injected by tests. */
  now?: () => number;
  onAccountDone?(progress: { done: number; total: number; notAudited: number }): void;
}

export interface OrgRunResult {
  accounts: AccountEntry[];
  notAudited: NotAudited[];
}

/** Audits the accounts; what could not be audited is listed with its reason, never thrown. */
export async function auditAccounts(
  targets: readonly TargetAccount[],
  deps: OrgRunDeps,
): Promise<OrgRunResult> {
  const now = deps.now ?? Date.now;
  const accounts: AccountEntry[] = [];
  const notAudited: NotAudited[] = [];
  let done = 0;
  const skip = (account: TargetAccount, reason: NotAudited["reason"], message: string) =>
    notAudited.push({ ...account, reason, message });

  await mapLimit(targets, deps.concurrency, async (account) => {
    try {
      if (now() >= deps.deadline) {
        skip(account, "timed-out", "The run's deadline passed before this account's turn");
        return;
      }
      let reader: AccountReader;
      try {
        reader = await deps.readerFor(account.id);
      } catch (err) {
        const denied = err instanceof AssumeRoleError && err.denied;
        skip(
          account,
          denied ? "assume-role-denied" : "assume-role-failed",
          describeError(err).message,
        );
        return;
      }
      try {
        const report = await deps.audit(reader, deps.deadline);
        if (report.accountId !== account.id) {
          skip(
            account,
            "audit-failed",
            `The member role answered for account ${report.accountId}, not ${account.id}: check the role's account`,
          );
          return;
        }
        const key = await deps.keep?.(report, account);
        accounts.push(accountEntry(report, account, key));
      } catch (err) {
        const { errorName, message } = describeError(err);
        skip(account, "audit-failed", `${errorName}: ${message}`);
      }
    } finally {
      done += 1;
      deps.onAccountDone?.({ done, total: targets.length, notAudited: notAudited.length });
    }
  });
  return { accounts, notAudited };
}
