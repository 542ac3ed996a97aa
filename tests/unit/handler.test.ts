/** The audit handler's event overrides: patching is the environment's alone. */
import { describe, expect, it } from "vitest";
import { configForEvent } from "../../functions/audit";
import { parseConfig } from "../../shared/config";
import { ConfigError } from "../../shared/errors";

describe("configForEvent", () => {
  const base = parseConfig({ patching: "dry-run", patchTargets: "tagged" });

  it("narrows regions and checks for one run, the rest from the environment", () => {
    const config = configForEvent(
      { trigger: "manual", regions: ["us-east-1"], checks: "iam-root-mfa-enabled" },
      base,
    );

    expect(config).toMatchObject({
      regions: ["us-east-1"],
      checks: ["iam-root-mfa-enabled"],
      patching: "dry-run",
      patchTargets: "tagged",
      patchDocument: base.patchDocument,
    });
  });

  it("refuses settings that follow the environment only, such as patching, naming them", () => {
    expect(() =>
      configForEvent({ trigger: "manual", patching: "enforce", patchTargets: "all" }, base),
    ).toThrow(
      new ConfigError(
        'Invalid event: unknown fields "patching", "patchTargets" (valid: trigger, regions, rootUsageDays, checks)',
      ),
    );
  });

  it("refuses a misspelt field instead of auditing everything", () => {
    expect(() => configForEvent({ trigger: "manual", region: ["us-east-1"] }, base)).toThrow(
      new ConfigError(
        'Invalid event: unknown field "region" (valid: trigger, regions, rootUsageDays, checks)',
      ),
    );
  });

  it.each<[string, unknown]>([
    ["regions", []],
    ["regions", ""],
    ["regions", [" ", ""]],
    ["checks", []],
    ["checks", " , "],
  ])("refuses an empty %s (%j): leave the field out to mean all", (field, value) => {
    expect(() => configForEvent({ trigger: "manual", [field]: value }, base)).toThrow(
      new ConfigError(
        `Invalid event field "${field}": is empty; leave it out to use every ${field === "regions" ? "region" : "check"} the configuration allows`,
      ),
    );
  });

  it("refuses an empty rootUsageDays, and checks a given one as the environment's", () => {
    expect(() => configForEvent({ rootUsageDays: " " }, base)).toThrow(
      'Invalid event field "rootUsageDays": is empty',
    );
    expect(() => configForEvent({ rootUsageDays: "0x10" }, base)).toThrow(
      'Invalid --root-usage-days (ROOT_USAGE_DAYS): must be a whole number of days from 1 to 3650, got "0x10"',
    );
    expect(configForEvent({ rootUsageDays: 30 }, base).rootUsageDays).toBe(30);
  });

  it("accepts the sample events and an event without fields", () => {
    expect(configForEvent({ trigger: "schedule" }, base).regions).toEqual(base.regions);
    expect(configForEvent(undefined, base).checks).toEqual(base.checks);
    expect(configForEvent({}, base).checks).toEqual(base.checks);
  });
});
