/**
 * FAIL when the root user has an active access key. Source: the credential report's root row
 * (`access_key_1_active` / `access_key_2_active`, so the message can say which key); fallback:
 * the account summary's `AccountAccessKeysPresent` (counts keys whether active or not); neither
 * available is an ERROR.
 */
import type { CredentialReportRow } from "../model";
import { defineCheck, type Outcome } from "../model";
import { failureDetail, findRootRow, formatUtc, joinList, rootRef } from "./lib/resources";

function keyDescription(n: 1 | 2, lastUsed: string | null): string {
  return `access key ${n} (${lastUsed === null ? "no recorded use" : `last used ${formatUtc(lastUsed)}`})`;
}

function activeKeys(root: CredentialReportRow): string[] {
  const keys: string[] = [];
  if (root.accessKey1Active) keys.push(keyDescription(1, root.accessKey1LastUsedDate));
  if (root.accessKey2Active) keys.push(keyDescription(2, root.accessKey2LastUsedDate));
  return keys;
}

export default defineCheck({
  id: "iam-root-no-access-keys",
  title: "Root user has no access keys",
  severity: "critical",
  cis: ["CIS AWS Foundations v3.0.0 1.4"],
  risk:
    "A root access key gives unrestricted programmatic control of the whole account, cannot be limited by any policy and is not protected by MFA. " +
    "Keys end up in plugins, backups, scripts and code repositories, where they leak.",
  remediation: {
    summary:
      "Delete the root user's access keys; give scripts and plugins keys of an IAM user with only the permissions they need.",
    steps: [
      "Before deleting, find what uses the key (the credential report shows when and for which service it was last used) and give that tool an IAM user's key instead.",
      "Sign in to the AWS console as the root user and open the account menu (top right) > Security credentials.",
      "Under Access keys, choose Actions > Deactivate for each key, check that nothing breaks, then Actions > Delete.",
    ],
    cli: "aws iam get-account-summary --query SummaryMap.AccountAccessKeysPresent   # delete root keys in the console signed in as root; this prints 0 once none remain",
    console: "Account menu > Security credentials > Access keys, signed in as root",
  },
  reads: ["accountSummary", "credentialReport"],
  evaluate(snapshot): Outcome[] {
    const resource = rootRef(snapshot);
    const present = snapshot.iam.accountSummary?.AccountAccessKeysPresent;
    const root = findRootRow(snapshot);

    if (root !== undefined) {
      const active = activeKeys(root);
      if (active.length > 0) {
        return [
          {
            status: "FAIL",
            resource,
            message: `The root user has ${active.length === 1 ? "an active access key" : "two active access keys"}: ${joinList(active)}.`,
          },
        ];
      }
      const leftover =
        present === 1
          ? " An inactive root access key still exists; deleting it is recommended."
          : "";
      return [
        {
          status: "PASS",
          resource,
          message: `The root user has no active access key (credential report: access_key_1_active and access_key_2_active are false).${leftover}`,
        },
      ];
    }

    if (present === 1) {
      return [
        {
          status: "FAIL",
          resource,
          message:
            "The root user has at least one access key (AccountAccessKeysPresent = 1 in the IAM account summary; the credential report, which would say which key and whether it is active, has no root row).",
        },
      ];
    }
    if (present === 0) {
      return [
        {
          status: "PASS",
          resource,
          message:
            "The root user has no access keys (AccountAccessKeysPresent = 0 in the IAM account summary).",
        },
      ];
    }

    const reportDetail =
      snapshot.iam.credentialReport === null
        ? `the credential report could not be read${failureDetail(snapshot, { source: "iam", operation: "CredentialReport" })}`
        : "the credential report has no root user row";
    const summaryDetail =
      snapshot.iam.accountSummary === null
        ? `the IAM account summary could not be read${failureDetail(snapshot, { source: "iam", operation: "AccountSummary" })}`
        : "the IAM account summary has no AccountAccessKeysPresent value";
    return [
      {
        status: "ERROR",
        resource,
        message: `Whether the root user has access keys is unknown: ${reportDetail}, and ${summaryDetail}.`,
      },
    ];
  },
});
