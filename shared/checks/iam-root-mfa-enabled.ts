/**
 * FAIL when the root user has no MFA. Source: the account summary's `AccountMFAEnabled` (0/1);
 * when the summary or that key is missing, the credential report's root `mfa_active`; neither
 * available is an ERROR. (moto always says 0: use the project's fake for root facts.)
 * PASS first when root has no password and no access keys (`rootCredentialFree`): with root
 * credentials removed centrally, root has no MFA either, and none is needed.
 */
import { defineCheck, type Outcome } from "../model";
import { failureDetail, findRootRow, rootCredentialFree, rootRef } from "./lib/resources";

export default defineCheck({
  id: "iam-root-mfa-enabled",
  title: "Root user has MFA enabled",
  severity: "critical",
  cis: ["CIS AWS Foundations v3.0.0 1.5"],
  risk:
    "Without MFA, the root password alone gives full, unrestricted control of the account and every WordPress site in it. " +
    "A phished or reused password is enough to delete the sites, their snapshots and backups.",
  remediation: {
    summary:
      "Sign in as the root user and assign an MFA device (an authenticator app, a security key or a hardware token).",
    steps: [
      "Sign in to the AWS console as the root user (email address and password).",
      "Open the account menu (top right) > Security credentials.",
      "Under Multi-factor authentication (MFA), choose Assign MFA device, name it, pick the device type and follow the prompts.",
      "Store the device (or its backup codes) somewhere safe: losing it means an account recovery process with AWS Support.",
    ],
    cli: "aws iam get-account-summary --query SummaryMap.AccountMFAEnabled   # root MFA can only be assigned in the console; this prints 1 once it is on",
    console:
      "Account menu > Security credentials > Multi-factor authentication (MFA), signed in as root",
  },
  reads: ["accountSummary", "rootVirtualMfaSerials", "credentialReport"],
  evaluate(snapshot): Outcome[] {
    const resource = rootRef(snapshot);
    const credentialFree = rootCredentialFree(snapshot);
    if (credentialFree) return [{ status: "PASS", resource, message: credentialFree }];
    const flag = snapshot.iam.accountSummary?.AccountMFAEnabled;
    const virtual = snapshot.iam.rootVirtualMfaSerials;
    const kind =
      virtual === null
        ? ""
        : virtual.length > 0
          ? " It uses a virtual MFA device (authenticator app)."
          : " No virtual MFA device is assigned to root, so it uses a security key or hardware token.";

    if (flag === 1) {
      return [
        {
          status: "PASS",
          resource,
          message: `The root user has MFA enabled (AccountMFAEnabled = 1 in the IAM account summary).${kind}`,
        },
      ];
    }
    if (flag === 0) {
      return [
        {
          status: "FAIL",
          resource,
          message:
            "The root user has no MFA device (AccountMFAEnabled = 0 in the IAM account summary): its password alone is enough to take over the account.",
        },
      ];
    }

    const root = findRootRow(snapshot);
    if (root !== undefined) {
      const why = "the account summary did not say, so this comes from the credential report";
      return [
        root.mfaActive
          ? { status: "PASS", resource, message: `The root user has MFA enabled (${why}).` }
          : {
              status: "FAIL",
              resource,
              message: `The root user has no MFA device (${why}): its password alone is enough to take over the account.`,
            },
      ];
    }

    const summaryDetail =
      snapshot.iam.accountSummary === null
        ? `the IAM account summary could not be read${failureDetail(snapshot, { source: "iam", operation: "AccountSummary" })}`
        : "the IAM account summary has no AccountMFAEnabled value";
    const reportDetail =
      snapshot.iam.credentialReport === null
        ? `the credential report could not be read${failureDetail(snapshot, { source: "iam", operation: "CredentialReport" })}`
        : "the credential report has no root user row";
    return [
      {
        status: "ERROR",
        resource,
        message: `Whether the root user has MFA is unknown: ${summaryDetail}, and ${reportDetail}.`,
      },
    ];
  },
});
