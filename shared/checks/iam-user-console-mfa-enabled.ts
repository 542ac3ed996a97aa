/**
 * One result per IAM user (root excluded; the root checks cover it): FAIL when the user has a
 * console password (`password_enabled` true) and no MFA. A missing report is one ERROR.
 */
import { defineCheck, type Outcome } from "../model";
import { credentialReportRef, failureDetail, iamUserRef, isRootRow } from "./lib/resources";

export default defineCheck({
  id: "iam-user-console-mfa-enabled",
  title: "IAM users who can sign in to the console have MFA",
  severity: "high",
  cis: ["CIS AWS Foundations v3.0.0 1.10"],
  risk: "A console user without MFA is protected by a password alone; a phished or reused password gives an attacker that user's access to your Lightsail instances and WordPress sites.",
  remediation: {
    summary:
      "Assign an MFA device to every IAM user with a console password, or remove the password if the user never signs in to the console.",
    steps: [
      "Open IAM > Users and choose the user.",
      "On the Security credentials tab, under Multi-factor authentication (MFA), choose Assign MFA device and follow the prompts (the user must be present to scan the code or touch the key).",
      "If the user only needs programmatic access, choose Console sign-in > Manage console access > Disable instead.",
    ],
    cli:
      "aws iam create-virtual-mfa-device --virtual-mfa-device-name <user-name> --outfile <user-name>-qr.png --bootstrap-method QRCodePNG && " +
      "aws iam enable-mfa-device --user-name <user-name> --serial-number arn:aws:iam::<account-id>:mfa/<user-name> --authentication-code1 <code-1> --authentication-code2 <code-2>   " +
      "# or, if the user never uses the console: aws iam delete-login-profile --user-name <user-name>",
    console: "IAM > Users > <user-name> > Security credentials",
  },
  reads: ["credentialReport"],
  evaluate(snapshot): Outcome[] {
    const report = snapshot.iam.credentialReport;
    if (report === null) {
      const detail = failureDetail(snapshot, { source: "iam", operation: "CredentialReport" });
      return [
        {
          status: "ERROR",
          resource: credentialReportRef(),
          message: `The IAM credential report could not be read${detail}, so which IAM users lack MFA is unknown.`,
        },
      ];
    }
    return report
      .filter((row) => !isRootRow(row))
      .map((row): Outcome => {
        const resource = iamUserRef(row);
        if (row.passwordEnabled !== true) {
          return {
            status: "PASS",
            resource,
            message: `IAM user "${row.user}" has no console password, so it cannot sign in to the console.`,
          };
        }
        if (row.mfaActive) {
          return {
            status: "PASS",
            resource,
            message: `IAM user "${row.user}" has a console password and MFA enabled.`,
          };
        }
        return {
          status: "FAIL",
          resource,
          message: `IAM user "${row.user}" can sign in to the console with a password but has no MFA device.`,
        };
      });
  },
});
