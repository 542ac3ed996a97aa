import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/iam-root-no-access-keys";
import type { IamFacts, Outcome } from "../../../shared/model";
import { context, rootRow, snapshot, userRow } from "../../helpers/snapshot";

function evaluateIam(iam: Partial<IamFacts>): Outcome {
  // Prepare
  const snap = snapshot({ iam });
  // Act
  const outcomes = check.evaluate(snap, context());
  // Assess (shape)
  expect(outcomes).toHaveLength(1);
  expect(outcomes[0]?.resource.type).toBe("AwsRootUser");
  return outcomes[0] as Outcome;
}

describe("iam-root-no-access-keys", () => {
  describe("from the credential report's root row", () => {
    it("fails on an active key 1 and says which", () => {
      const outcome = evaluateIam({
        credentialReport: [
          rootRow({ accessKey1Active: true, accessKey1LastUsedDate: "2024-06-01T12:03:00+00:00" }),
        ],
      });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toBe(
        "The root user has an active access key: access key 1 (last used 2024-06-01 12:03 UTC).",
      );
    });

    it("fails on an active key 2 and says which", () => {
      const outcome = evaluateIam({ credentialReport: [rootRow({ accessKey2Active: true })] });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("access key 2 (no recorded use)");
      expect(outcome.message).not.toContain("access key 1");
    });

    it("fails on two active keys and lists both", () => {
      const outcome = evaluateIam({
        credentialReport: [rootRow({ accessKey1Active: true, accessKey2Active: true })],
      });

      expect(outcome.message).toContain("two active access keys: access key 1");
      expect(outcome.message).toContain("and access key 2");
    });

    it("passes with no active key, whatever the summary says", () => {
      const outcome = evaluateIam({
        credentialReport: [rootRow()],
        accountSummary: { AccountAccessKeysPresent: 0 },
      });

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("no active access key");
    });

    it("passes but mentions a leftover inactive key when the summary still counts one", () => {
      const outcome = evaluateIam({
        credentialReport: [rootRow()],
        accountSummary: { AccountAccessKeysPresent: 1 },
      });

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("inactive root access key still exists");
    });
  });

  describe("falling back to AccountAccessKeysPresent", () => {
    it("fails on 1 when the report has no root row", () => {
      const outcome = evaluateIam({
        credentialReport: [userRow("alice")],
        accountSummary: { AccountAccessKeysPresent: 1 },
      });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("AccountAccessKeysPresent = 1");
    });

    it("passes on 0 when the report is null", () => {
      const outcome = evaluateIam({
        credentialReport: null,
        accountSummary: { AccountAccessKeysPresent: 0 },
      });

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("AccountAccessKeysPresent = 0");
    });
  });

  describe("missing data is an ERROR", () => {
    it("when the report and the summary are both null", () => {
      const outcome = evaluateIam({ credentialReport: null, accountSummary: null });

      expect(outcome.status).toBe("ERROR");
    });

    it("when there is no root row and no AccountAccessKeysPresent key", () => {
      const outcome = evaluateIam({
        credentialReport: [],
        accountSummary: { AccountMFAEnabled: 1 },
      });

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain("no AccountAccessKeysPresent value");
    });
  });
});
