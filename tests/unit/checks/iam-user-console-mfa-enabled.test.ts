import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/iam-user-console-mfa-enabled";
import { context, rootRow, snapshot, userRow } from "../../helpers/snapshot";

describe("iam-user-console-mfa-enabled", () => {
  it("fails a user with a console password and no MFA", () => {
    const snap = snapshot({
      iam: { credentialReport: [rootRow(), userRow("bob", { mfaActive: false })] },
    });

    const outcomes = check.evaluate(snap, context());

    expect(outcomes).toEqual([
      {
        status: "FAIL",
        resource: {
          type: "IamUser",
          name: "bob",
          arn: "arn:aws:iam::123456789012:user/bob",
          region: "global",
        },
        message: 'IAM user "bob" can sign in to the console with a password but has no MFA device.',
      },
    ]);
  });

  it("returns one result per non-root user, PASS saying why", () => {
    const snap = snapshot({
      iam: {
        credentialReport: [
          rootRow({ mfaActive: false, passwordEnabled: true }),
          userRow("alice"),
          userRow("deployer", { passwordEnabled: false, mfaActive: false }),
          userRow("bob", { mfaActive: false }),
        ],
      },
    });

    const outcomes = check.evaluate(snap, context());

    expect(outcomes.map((o) => [o.resource.name, o.status])).toEqual([
      ["alice", "PASS"],
      ["deployer", "PASS"],
      ["bob", "FAIL"],
    ]);
    expect(outcomes[0]?.message).toContain("MFA enabled");
    expect(outcomes[1]?.message).toContain("has no console password");
  });

  it("does not treat not_supported as a console password", () => {
    const snap = snapshot({
      iam: {
        credentialReport: [userRow("odd", { passwordEnabled: "not_supported", mfaActive: false })],
      },
    });

    expect(check.evaluate(snap, context())[0]?.status).toBe("PASS");
  });

  it("emits nothing when the report holds only root", () => {
    const snap = snapshot({ iam: { credentialReport: [rootRow()] } });

    expect(check.evaluate(snap, context())).toEqual([]);
  });

  it("yields one ERROR (never a PASS) when the credential report is null", () => {
    const snap = snapshot({
      iam: { credentialReport: null },
      failures: [
        {
          source: "iam",
          region: "global",
          operation: "GetCredentialReport",
          errorName: "CredentialReportNotReadyException",
          message: "still generating",
        },
      ],
    });

    const outcomes = check.evaluate(snap, context());

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("ERROR");
    expect(outcomes[0]?.resource).toEqual({
      type: "IamCredentialReport",
      name: "credential-report",
      arn: "",
      region: "global",
    });
    expect(outcomes[0]?.message).toContain("CredentialReportNotReadyException: still generating");
  });
});
