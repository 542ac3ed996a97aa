import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/iam-root-hardware-mfa";
import type { IamFacts, Outcome } from "../../../shared/model";
import { ACCOUNT_ID, context, rootRow, snapshot } from "../../helpers/snapshot";

const ROOT_APP = `arn:aws:iam::${ACCOUNT_ID}:mfa/root-account-mfa-device`;

function evaluateIam(iam: Partial<IamFacts>): Outcome[] {
  // Prepare
  const snap = snapshot({ iam });
  // Act
  return check.evaluate(snap, context());
}

describe("iam-root-hardware-mfa", () => {
  it("passes when root has no password and no access keys (no MFA needed: no one can sign in)", () => {
    const [outcome, ...rest] = evaluateIam({
      accountSummary: {
        AccountMFAEnabled: 0,
        AccountPasswordPresent: 0,
        AccountAccessKeysPresent: 0,
      },
      rootVirtualMfaSerials: [],
    });

    expect(rest).toEqual([]);
    expect(outcome?.status).toBe("PASS");
    expect(outcome?.message).toContain("root user has no password or access keys");
  });

  it("fails when root's MFA is a virtual device, naming its serial", () => {
    const [outcome, ...rest] = evaluateIam({
      accountSummary: { AccountMFAEnabled: 1 },
      rootVirtualMfaSerials: [ROOT_APP],
    });

    expect(rest).toEqual([]);
    expect(outcome?.status).toBe("FAIL");
    expect(outcome?.message).toContain(`virtual device (authenticator app): ${ROOT_APP}`);
    expect(outcome?.resource.type).toBe("AwsRootUser");
  });

  it("passes when root has MFA and no virtual device (security key or hardware token)", () => {
    const [outcome] = evaluateIam({
      accountSummary: { AccountMFAEnabled: 1 },
      rootVirtualMfaSerials: [],
    });

    expect(outcome?.status).toBe("PASS");
    expect(outcome?.message).toContain("security key or hardware token");
  });

  it("emits nothing when root has no MFA at all (iam-root-mfa-enabled reports it)", () => {
    expect(
      evaluateIam({ accountSummary: { AccountMFAEnabled: 0 }, rootVirtualMfaSerials: [] }),
    ).toEqual([]);
  });

  it("emits nothing for no MFA even when the device list is missing", () => {
    expect(
      evaluateIam({ accountSummary: { AccountMFAEnabled: 0 }, rootVirtualMfaSerials: null }),
    ).toEqual([]);
  });

  it("falls back on the credential report's root mfa_active when the summary is missing", () => {
    const [withMfa] = evaluateIam({
      accountSummary: null,
      credentialReport: [rootRow({ mfaActive: true })],
      rootVirtualMfaSerials: [],
    });
    const withoutMfa = evaluateIam({
      accountSummary: null,
      credentialReport: [rootRow({ mfaActive: false })],
      rootVirtualMfaSerials: [],
    });

    expect(withMfa?.status).toBe("PASS");
    expect(withoutMfa).toEqual([]);
  });

  it("still fails on a root virtual device when whether MFA is on is unknown", () => {
    const [outcome] = evaluateIam({
      accountSummary: null,
      credentialReport: null,
      rootVirtualMfaSerials: [ROOT_APP],
    });

    expect(outcome?.status).toBe("FAIL");
  });

  it("is an ERROR when the virtual MFA devices could not be listed, quoting the failure", () => {
    // Prepare
    const snap = snapshot({
      iam: { accountSummary: { AccountMFAEnabled: 1 }, rootVirtualMfaSerials: null },
      failures: [
        {
          source: "iam",
          region: "global",
          operation: "ListVirtualMFADevices",
          errorName: "AccessDenied",
          message: "no",
        },
      ],
    });

    // Act
    const [outcome] = check.evaluate(snap, context());

    // Assess
    expect(outcome?.status).toBe("ERROR");
    expect(outcome?.message).toContain("(AccessDenied: no)");
  });

  it("is an ERROR when nothing says whether root has MFA and no virtual device is listed", () => {
    const [outcome] = evaluateIam({
      accountSummary: {},
      credentialReport: [],
      rootVirtualMfaSerials: [],
    });

    expect(outcome?.status).toBe("ERROR");
  });
});
