import { describe, expect, it } from "vitest";
import { orgSettingsFromEnv } from "../../shared/org/steps";

describe("organization settings from the stack's environment", () => {
  it("reads organization mode with OUs and excludes, and the role name", () => {
    expect(
      orgSettingsFromEnv({
        ORG_ACCOUNTS: "organization",
        ORG_UNITS: "ou-ab12-clients0",
        ORG_EXCLUDE: "111122223333",
        MEMBER_ROLE_NAME: "auditor",
      }),
    ).toEqual({
      selection: {
        accounts: "organization",
        organizationalUnits: ["ou-ab12-clients0"],
        excludeAccounts: ["111122223333"],
      },
      roleName: "auditor",
    });
  });

  it("reads a list of accounts; the role name defaults to the member template's", () => {
    expect(
      orgSettingsFromEnv({ ORG_ACCOUNTS: "111122223333,444455556666", ORG_UNITS: "" }),
    ).toEqual({
      selection: { accounts: "list", ids: ["111122223333", "444455556666"], excludeAccounts: [] },
      roleName: "lightsail-auditor-member",
    });
  });

  it("refuses self, nothing, and malformed ids, naming the variable", () => {
    expect(() => orgSettingsFromEnv({ ORG_ACCOUNTS: "self" })).toThrow(/ORG_ACCOUNTS \(accounts\)/);
    expect(() => orgSettingsFromEnv({})).toThrow(/ORG_ACCOUNTS/);
    expect(() => orgSettingsFromEnv({ ORG_ACCOUNTS: "1234" })).toThrow(
      /Invalid ORG_ACCOUNTS \(accounts\): "1234" is not an AWS account id/,
    );
    expect(() => orgSettingsFromEnv({ ORG_ACCOUNTS: "organization", ORG_UNITS: "ou-x" })).toThrow(
      /ORG_UNITS/,
    );
  });
});
