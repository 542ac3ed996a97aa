import { describe, expect, it } from "vitest";
import { buildDigest } from "../../shared/org/digest";
import { type AccountEntry, buildOrgReport } from "../../shared/org/report";

const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
const entry = (id: string, over: Partial<AccountEntry> = {}): AccountEntry => ({
  accountId: id,
  failBySeverity: { ...zero },
  passed: 3,
  errors: 0,
  muted: 0,
  incomplete: false,
  incompleteReasons: [],
  worst: [],
  news: { new: 0, resolved: 0 },
  ...over,
});
const report = (
  accounts: AccountEntry[],
  notAudited: Parameters<typeof buildOrgReport>[0]["notAudited"] = [],
) =>
  buildOrgReport({
    startedAt: "2026-12-01T06:00:00.000Z",
    finishedAt: "2026-12-01T06:10:00.000Z",
    roleName: "lightsail-auditor-member",
    selection: { accounts: "organization", organizationalUnits: [], excludeAccounts: [] },
    accounts,
    notAudited,
  });

describe("the organization digest", () => {
  it("on-change: nothing when no account has news and every account was audited", () => {
    const digest = buildDigest(report([entry("200000000001"), entry("200000000002")]), "on-change");

    expect(digest.owed).toBe(false);
    expect(buildDigest(report([entry("200000000001")]), "always").owed).toBe(true);
  });

  it("on-change: accounts not audited are news only when the set (or a reason) changed", () => {
    const r = report(
      [entry("200000000001")],
      [{ id: "200000000009", reason: "assume-role-denied", message: "denied" }],
    );

    expect(buildDigest(r, "on-change").owed).toBe(true);
    expect(buildDigest(r, "on-change", undefined, ["200000000009 assume-role-denied"]).owed).toBe(
      false,
    );
    expect(buildDigest(r, "on-change", undefined, ["200000000009 timed-out"]).owed).toBe(true);
    expect(
      buildDigest(report([entry("200000000001")]), "on-change", undefined, [
        "200000000009 timed-out",
      ]).owed,
    ).toBe(true);
  });

  it("lists the accounts with news worst first, then those not audited; texts only for critical", () => {
    const r = report(
      [
        entry("200000000001", { name: "quiet" }),
        entry("200000000002", {
          name: "bad\u202e\nname",
          failBySeverity: { ...zero, high: 2 },
          news: { new: 2, resolved: 0 },
        }),
        entry("200000000003", {
          failBySeverity: { ...zero, critical: 1 },
          news: { new: 1, resolved: 1 },
        }),
      ],
      [{ id: "200000000009", reason: "assume-role-denied", message: "AssumeRole was denied" }],
    );

    const digest = buildDigest(r, "on-change", "s3://bucket/key.json");
    const email = JSON.parse(digest.alert.message).email as string;

    expect(digest.owed).toBe(true);
    expect(digest.alert.sms).toBe(true);
    expect(digest.alert.subject.length).toBeLessThanOrEqual(99);
    expect(email.indexOf("200000000003")).toBeLessThan(email.indexOf("200000000002"));
    expect(email).not.toContain("200000000001");
    expect(email).toContain("- 200000000009 : assume-role-denied: AssumeRole was denied");
    expect(email).not.toContain("\u202e");
    expect(email).toContain("bad ↵ name");
    expect(email).toContain("Organization report: s3://bucket/key.json");
  });
});
