import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/iam-admin-group-in-use";
import type { IamAdminGroup, Outcome } from "../../../shared/model";
import { ACCOUNT_ID, adminGroup, context, snapshot } from "../../helpers/snapshot";

function evaluateGroups(adminGroups: IamAdminGroup[] | null): Outcome {
  // Prepare
  const snap = snapshot({ iam: { adminGroups } });
  // Act
  const outcomes = check.evaluate(snap, context());
  // Assess (shape): one account-wide result
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("iam-admin-group-in-use", () => {
  it("passes when an AdministratorAccess group has a member, naming group and member", () => {
    const outcome = evaluateGroups([adminGroup("Administrators", ["admin"])]);

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'IAM group "Administrators" (1 member: "admin") has the AdministratorAccess policy, so admin work can be done without the root user.',
    );
    expect(outcome.resource).toEqual({
      type: "AwsAccount",
      name: ACCOUNT_ID,
      arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
      region: "global",
    });
  });

  it("fails when no group has AdministratorAccess", () => {
    const outcome = evaluateGroups([]);

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain(
      "No IAM group has the AWS managed AdministratorAccess policy",
    );
  });

  it("fails a group with AdministratorAccess but no users, naming it", () => {
    const outcome = evaluateGroups([adminGroup("Administrators", [])]);

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain(
      'IAM group "Administrators" has the AdministratorAccess policy but no members',
    );
  });

  it("fails when every admin group is empty, naming them all", () => {
    const outcome = evaluateGroups([adminGroup("Admins", []), adminGroup("OldAdmins", [])]);

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain(
      'IAM groups "Admins" and "OldAdmins" have the AdministratorAccess policy but no members',
    );
  });

  it("passes when one admin group is empty and another is used, naming only the used one", () => {
    const outcome = evaluateGroups([
      adminGroup("OldAdmins", []),
      adminGroup("Admins", ["ana", "bo"]),
    ]);

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toContain('"Admins" (2 members: "ana", "bo")');
    expect(outcome.message).not.toContain("OldAdmins");
  });

  it("names at most five members and counts the rest", () => {
    const users = ["a", "b", "c", "d", "e", "f", "g"];

    const outcome = evaluateGroups([adminGroup("Admins", users)]);

    expect(outcome.message).toContain('(7 members: "a", "b", "c", "d", "e" and 2 more)');
  });

  it("is an ERROR (not a PASS or FAIL) when the groups could not be read, quoting the failure", () => {
    // Prepare
    const snap = snapshot({
      iam: { adminGroups: null },
      failures: [
        {
          source: "iam",
          region: "global",
          operation: "ListGroups",
          errorName: "AccessDenied",
          message: "not authorized to perform: iam:GetGroup",
        },
      ],
    });

    // Act
    const [outcome] = check.evaluate(snap, context());

    // Assess
    expect(outcome?.status).toBe("ERROR");
    expect(outcome?.message).toContain("(AccessDenied: not authorized to perform: iam:GetGroup)");
  });

  describe("its text", () => {
    // CIS Foundations 1.7 is "eliminate use of the root user" (iam-root-not-recently-used tests
    // it); 1.16 advises against attaching full "*:*" administrative policies such as
    // AdministratorAccess. This check tests the hardening guide's admin group, not a CIS item.
    it("cites no CIS recommendation", () => {
      expect(check.cis ?? []).toEqual([]);
    });

    it("does not simply tell the owner to attach AdministratorAccess: it says what CIS 1.16 says", () => {
      const text = [
        check.remediation.summary,
        ...check.remediation.steps,
        check.remediation.cli,
      ].join("\n");

      expect(text).toContain("1.16");
      expect(check.remediation.summary).not.toContain("AdministratorAccess");
    });
  });
});
