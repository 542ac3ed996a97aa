import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/iam-root-mfa-enabled";
import type { IamFacts, Outcome } from "../../../shared/model";
import { context, rootRow, snapshot, userRow } from "../../helpers/snapshot";

function evaluateIam(iam: Partial<IamFacts>): Outcome {
  // Prepare
  const snap = snapshot({ iam });
  // Act
  const outcomes = check.evaluate(snap, context());
  // Assess (shape): exactly one result, about root
  expect(outcomes).toHaveLength(1);
  expect(outcomes[0]?.resource.type).toBe("AwsRootUser");
  return outcomes[0] as Outcome;
}

describe("iam-root-mfa-enabled", () => {
  describe("root without credentials (removed centrally by the organization)", () => {
    // Key names from botocore's IAM model (2010-05-08, enum summaryKeyType).
    const NONE = {
      AccountMFAEnabled: 0,
      AccountPasswordPresent: 0,
      AccountAccessKeysPresent: 0,
      AccountSigningCertificatesPresent: 0,
    };

    it("passes when root has no password and no access keys, though it has no MFA", () => {
      const outcome = evaluateIam({ accountSummary: NONE, rootVirtualMfaSerials: [] });

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("root user has no password or access keys");
      expect(outcome.message).toContain("AccountPasswordPresent = 0");
    });

    it("reads the keys from the credential report when the summary does not count them", () => {
      const outcome = evaluateIam({
        accountSummary: { AccountMFAEnabled: 0, AccountPasswordPresent: 0 },
        credentialReport: [rootRow({ mfaActive: false, passwordEnabled: false })],
      });

      expect(outcome.status).toBe("PASS");
    });

    it.each([
      ["a password", { ...NONE, AccountPasswordPresent: 1 }],
      ["an access key", { ...NONE, AccountAccessKeysPresent: 1 }],
      ["a signing certificate", { ...NONE, AccountSigningCertificatesPresent: 1 }],
      ["no AccountPasswordPresent", { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0 }],
    ])("still fails without MFA when root has %s", (_what, accountSummary) => {
      expect(evaluateIam({ accountSummary }).status).toBe("FAIL");
    });

    it("still fails when the keys are unknown (summary silent, report without a root row)", () => {
      const outcome = evaluateIam({
        accountSummary: { AccountMFAEnabled: 0, AccountPasswordPresent: 0 },
        credentialReport: [],
      });

      expect(outcome.status).toBe("FAIL");
    });
  });

  describe("from the account summary", () => {
    it("passes when AccountMFAEnabled is 1, naming a virtual device when root has one", () => {
      const outcome = evaluateIam({
        accountSummary: { AccountMFAEnabled: 1 },
        rootVirtualMfaSerials: ["arn:aws:iam::123456789012:mfa/root-account-mfa-device"],
      });

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("AccountMFAEnabled = 1");
      expect(outcome.message).toContain("virtual MFA device");
    });

    it("says security key or hardware token when no virtual device belongs to root", () => {
      const outcome = evaluateIam({
        accountSummary: { AccountMFAEnabled: 1 },
        rootVirtualMfaSerials: [],
      });

      expect(outcome.message).toContain("security key or hardware token");
    });

    it("fails when AccountMFAEnabled is 0", () => {
      const outcome = evaluateIam({ accountSummary: { AccountMFAEnabled: 0 } });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("no MFA device");
    });

    it("prefers the summary over the report row when both exist", () => {
      const outcome = evaluateIam({
        accountSummary: { AccountMFAEnabled: 0 },
        credentialReport: [rootRow({ mfaActive: true })],
      });

      expect(outcome.status).toBe("FAIL");
    });
  });

  describe("falling back to the credential report", () => {
    it("uses mfa_active when AccountMFAEnabled is missing from the summary", () => {
      const outcome = evaluateIam({
        accountSummary: { Users: 3 },
        credentialReport: [rootRow({ mfaActive: false })],
      });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("credential report");
    });

    it("uses mfa_active when the summary is null", () => {
      const outcome = evaluateIam({
        accountSummary: null,
        credentialReport: [rootRow({ mfaActive: true })],
      });

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("credential report");
    });
  });

  describe("missing data is an ERROR", () => {
    it("when the summary is null and the report is null", () => {
      const outcome = evaluateIam({ accountSummary: null, credentialReport: null });

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain("could not be read");
    });

    it("when the summary lacks the key and the report has no root row (moto)", () => {
      const outcome = evaluateIam({ accountSummary: {}, credentialReport: [userRow("alice")] });

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain("no AccountMFAEnabled value");
      expect(outcome.message).toContain("no root user row");
    });
  });
});
