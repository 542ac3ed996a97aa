import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/iam-root-not-recently-used";
import type { CredentialReportRow, Outcome } from "../../../shared/model";
import { context, daysBeforeNow, rootRow, snapshot, userRow } from "../../helpers/snapshot";

function evaluateRoot(overrides: Partial<CredentialReportRow>, rootUsageDays = 90): Outcome {
  // Prepare
  const snap = snapshot({ iam: { credentialReport: [rootRow(overrides), userRow("alice")] } });
  // Act
  const outcomes = check.evaluate(snap, context({ rootUsageDays }));
  // Assess (shape)
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

const neverUsed = {
  passwordLastUsed: null,
  accessKey1LastUsedDate: null,
  accessKey2LastUsedDate: null,
};

describe("iam-root-not-recently-used", () => {
  it("fails on the MOST RECENT date: old password, key 2 used 5 days ago", () => {
    const outcome = evaluateRoot({
      passwordLastUsed: "2017-10-22T08:11:09+00:00",
      accessKey1LastUsedDate: daysBeforeNow(400),
      accessKey2LastUsedDate: "2026-07-27T12:00:00+00:00",
    });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toBe(
      "The root user was used on 2026-07-27 12:00 UTC (5 days ago) through root access key 2, which is within the last 90 days. Use an IAM admin user for everyday work instead.",
    );
  });

  it("fails on a recent password sign-in even when the keys are older", () => {
    const outcome = evaluateRoot({
      passwordLastUsed: daysBeforeNow(1),
      accessKey1LastUsedDate: daysBeforeNow(30),
    });

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toContain("through the root password (console sign-in)");
    expect(outcome.message).toContain("(1 day ago)");
  });

  it("passes when every credential shows N/A / no_information, and says why", () => {
    const outcome = evaluateRoot(neverUsed);

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toContain("no recorded use");
  });

  it("passes when the latest use is older than the window, naming the date and credential", () => {
    const outcome = evaluateRoot({
      passwordLastUsed: "2017-10-22T08:11:09+00:00",
      accessKey1LastUsedDate: "2024-06-01T12:03:00+00:00",
    });

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toContain("2024-06-01 12:03 UTC");
    expect(outcome.message).toContain("root access key 1");
    expect(outcome.message).toContain("more than 90 days ago");
  });

  describe("the boundary at rootUsageDays", () => {
    it("fails a use exactly rootUsageDays ago (inclusive)", () => {
      expect(evaluateRoot({ ...neverUsed, passwordLastUsed: daysBeforeNow(90) }).status).toBe(
        "FAIL",
      );
    });

    it("passes a use one second older than rootUsageDays", () => {
      const justOutside = daysBeforeNow(90 + 1 / 86_400);

      expect(evaluateRoot({ ...neverUsed, passwordLastUsed: justOutside }).status).toBe("PASS");
    });

    it("takes the window from ctx.rootUsageDays, not a constant", () => {
      const row = { ...neverUsed, accessKey1LastUsedDate: daysBeforeNow(45) };

      expect(evaluateRoot(row, 30).status).toBe("PASS");
      expect(evaluateRoot(row, 60).status).toBe("FAIL");
    });

    it("measures age from ctx.now, not the wall clock", () => {
      const snap = snapshot({
        iam: {
          credentialReport: [
            rootRow({ ...neverUsed, passwordLastUsed: "2020-01-10T00:00:00+00:00" }),
          ],
        },
      });

      const [early] = check.evaluate(snap, context({ now: "2020-01-20T00:00:00Z" }));
      const [late] = check.evaluate(snap, context({ now: "2021-01-20T00:00:00Z" }));

      expect(early?.status).toBe("FAIL");
      expect(late?.status).toBe("PASS");
    });
  });

  describe("missing data is an ERROR", () => {
    it("when the credential report is null, quoting the collection failure", () => {
      const snap = snapshot({
        iam: { credentialReport: null },
        failures: [
          {
            source: "iam",
            region: "global",
            operation: "GetCredentialReport",
            errorName: "AccessDenied",
            message: "not authorized",
          },
        ],
      });

      const outcomes = check.evaluate(snap, context());

      expect(outcomes).toEqual([
        {
          status: "ERROR",
          resource: expect.objectContaining({ type: "AwsRootUser" }),
          message: expect.stringContaining("(AccessDenied: not authorized)"),
        },
      ]);
    });

    it("when the report has no <root_account> row (as moto's)", () => {
      const snap = snapshot({ iam: { credentialReport: [userRow("alice")] } });

      const [outcome] = check.evaluate(snap, context());

      expect(outcome?.status).toBe("ERROR");
      expect(outcome?.message).toContain("no row for the root user");
    });

    it("when a date cannot be read", () => {
      const outcome = evaluateRoot({ ...neverUsed, accessKey2LastUsedDate: "yesterday" });

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain(
        'root access key 2 in the credential report is not a date ("yesterday")',
      );
    });
  });

  it("identifies the root user by the snapshot's partition and account", () => {
    const snap = snapshot({ partition: "aws-cn", accountId: "210987654321" });

    const [outcome] = check.evaluate(snap, context());

    expect(outcome?.resource).toEqual({
      type: "AwsRootUser",
      name: "<root_account>",
      arn: "arn:aws-cn:iam::210987654321:root",
      region: "global",
    });
  });

  it("rejects an unreadable ctx.now instead of guessing", () => {
    expect(() => check.evaluate(snapshot(), context({ now: "not a date" }))).toThrow(/ctx.now/);
  });
});
