/**
 * Advisory, about the root user's MFA device: FAIL when root's MFA is a virtual device (an
 * authenticator app; `rootVirtualMfaSerials` non-empty), PASS when root has MFA and no virtual
 * device (so a security key or hardware token).
 *
 * Deliberate choice: when root has no MFA at all, this check emits nothing.
 * `iam-root-mfa-enabled` (critical) already FAILs that; a second finding here would only repeat it.
 * Whether root has MFA comes from `AccountMFAEnabled`, else the credential report's root
 * `mfa_active` (as in iam-root-mfa-enabled). ERROR when the virtual device list, or every source
 * of "root has MFA", is missing. PASS when root has no password and no access keys
 * (`rootCredentialFree`): no one can sign in as root, so its MFA device does not matter.
 */
import { defineCheck, type Outcome } from "../model";
import { failureDetail, findRootRow, joinList, rootCredentialFree, rootRef } from "./lib/resources";

export default defineCheck({
  id: "iam-root-hardware-mfa",
  title: "Root user MFA is a security key or hardware device",
  severity: "low",
  cis: ["CIS AWS Foundations v3.0.0 1.6"],
  risk:
    "An authenticator app lives on a phone that is also used for email, browsing and apps, and can be phished or cloned with the phone's backups. " +
    "A security key (FIDO) or hardware token kept in a safe place is harder to steal and cannot be phished, which matters most for the root user.",
  remediation: {
    summary:
      "Assign a FIDO security key or a hardware TOTP token to the root user, then remove the authenticator-app (virtual) device.",
    steps: [
      "Sign in to the AWS console as the root user and open the account menu (top right) > Security credentials.",
      "Under Multi-factor authentication (MFA), choose Assign MFA device, pick Passkey or security key (or Hardware TOTP token) and follow the prompts.",
      "Sign out and back in with the new device to check it works, then remove the virtual (authenticator app) device from the same list.",
      "Keep the key, or a second registered key, somewhere safe: losing every root MFA device means an account recovery process with AWS Support.",
    ],
    cli: "aws iam list-virtual-mfa-devices --assignment-status Assigned --query \"VirtualMFADevices[?ends_with(User.Arn, ':root')].SerialNumber\"   # root MFA devices are managed in the console signed in as root; this prints [] once root has no virtual device",
    console:
      "Account menu > Security credentials > Multi-factor authentication (MFA), signed in as root",
  },
  reads: ["rootVirtualMfaSerials", "accountSummary", "credentialReport"],
  evaluate(snapshot): Outcome[] {
    const resource = rootRef(snapshot);
    const credentialFree = rootCredentialFree(snapshot);
    if (credentialFree) return [{ status: "PASS", resource, message: credentialFree }];
    const virtual = snapshot.iam.rootVirtualMfaSerials;
    if (virtual !== null && virtual.length > 0) {
      return [
        {
          status: "FAIL",
          resource,
          message: `The root user's MFA is a virtual device (authenticator app): ${joinList(virtual)}. A security key or hardware token is stronger.`,
        },
      ];
    }

    const flag = snapshot.iam.accountSummary?.AccountMFAEnabled;
    const hasMfa = flag === 1 ? true : flag === 0 ? false : findRootRow(snapshot)?.mfaActive;
    if (hasMfa === false) return []; // No MFA at all: iam-root-mfa-enabled reports it.

    if (virtual === null) {
      const detail = failureDetail(snapshot, { source: "iam", operation: "VirtualMFADevices" });
      return [
        {
          status: "ERROR",
          resource,
          message: `The virtual MFA devices could not be listed${detail}, so whether root's MFA is a hardware device is unknown.`,
        },
      ];
    }
    if (hasMfa === undefined) {
      return [
        {
          status: "ERROR",
          resource,
          message:
            "Whether the root user has MFA is unknown (neither the IAM account summary nor the credential report says), so what kind of device it uses is unknown.",
        },
      ];
    }
    return [
      {
        status: "PASS",
        resource,
        message:
          "The root user has MFA and no virtual (authenticator app) device, so it uses a security key or hardware token.",
      },
    ];
  },
});
