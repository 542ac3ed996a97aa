import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../shared/model";
import { accountEntry } from "../../shared/org/report";
import { reportFrom } from "../helpers/report";
import { snapshot } from "../helpers/snapshot";

const result = (
  checkId: string,
  status: CheckResult["status"],
  severity: CheckResult["severity"],
) =>
  ({
    checkId,
    status,
    severity,
    message: `${checkId} ${status}`,
    resource: { type: "LightsailInstance", name: "wp", arn: "", region: "us-east-1" },
    accountId: "123456789012",
  }) as CheckResult;

describe("accountEntry: the organization grid's cells", () => {
  it("keeps each check's worst outcome: a FAIL's severity, else error, else muted; passes are absent", () => {
    const base = reportFrom(snapshot());
    const report = {
      ...base,
      results: [
        result("a-check", "FAIL", "low"),
        result("a-check", "FAIL", "critical"),
        result("a-check", "ERROR", "low"),
        result("b-check", "MUTED", "high"),
        result("b-check", "ERROR", "high"),
        result("c-check", "MUTED", "medium"),
        result("d-check", "PASS", "high"),
        // wordpress-core-not-insecure sets severity per result: the result's own counts.
        result("e-check", "FAIL", "medium"),
      ],
    };

    expect(accountEntry(report, { id: "123456789012" }).checks).toEqual({
      "a-check": "critical",
      "b-check": "error",
      "c-check": "muted",
      "e-check": "medium",
    });
  });
});
