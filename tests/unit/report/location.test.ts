import { describe, expect, it } from "vitest";
import {
  newRunId,
  REPORTS_PREFIX,
  reportKeys,
  summariesPrefix,
} from "../../../shared/report/location";

const ACCOUNT = "123456789012";

describe("newRunId", () => {
  it("starts with the run's UTC start time to the second, then 6 hex digits", () => {
    expect(newRunId("2026-12-01T06:00:00.123Z", () => "3fa9c2")).toBe("20261201T060000Z-3fa9c2");
    // An offset is converted to UTC: 01:30 at +02:00 is 23:30 the day before.
    expect(newRunId("2027-01-01T01:30:00+02:00", () => "000000")).toBe("20261231T233000Z-000000");
    expect(newRunId("2026-12-01T06:00:00Z")).toMatch(/^20261201T060000Z-[0-9a-f]{6}$/);
  });

  it("sorts as the runs' start times do", () => {
    const starts = [
      "2026-12-31T23:59:59.999Z",
      "2026-01-02T00:00:00.000Z",
      "2027-01-01T00:00:00.000Z",
      "2026-12-01T06:00:00.000Z",
    ];
    const ids = starts.map((s) => newRunId(s, () => "ffffff"));
    expect([...ids].sort()).toEqual([...starts].sort().map((s) => ids[starts.indexOf(s)]));
  });

  it("rejects a start time that is not a date, and a suffix that is not 6 hex digits", () => {
    expect(() => newRunId("yesterday")).toThrow('Invalid run start time "yesterday"');
    expect(() => newRunId("2026-12-01T06:00:00Z", () => "../../x")).toThrow(/Invalid run id/);
  });
});

describe("reportKeys", () => {
  it("places the run under its UTC date, the summary under the account's summaries, latest per account", () => {
    expect(reportKeys(ACCOUNT, "20261201T060000Z-3fa9c2")).toEqual({
      json: "reports/123456789012/2026/12/01/20261201T060000Z-3fa9c2.json",
      markdown: "reports/123456789012/2026/12/01/20261201T060000Z-3fa9c2.md",
      html: "reports/123456789012/2026/12/01/20261201T060000Z-3fa9c2.html",
      summary: "reports/123456789012/summaries/20261201T060000Z-3fa9c2.summary.json",
      latest: "reports/123456789012/latest.json",
    });
  });

  it.each([
    // The last second of a month and of a year, and the first of the next, in UTC.
    ["2026-01-31T23:59:59Z", "reports/123456789012/2026/01/31/"],
    ["2026-02-01T00:00:00Z", "reports/123456789012/2026/02/01/"],
    ["2026-12-31T23:59:59.999Z", "reports/123456789012/2026/12/31/"],
    ["2027-01-01T00:00:00Z", "reports/123456789012/2027/01/01/"],
    ["2028-02-29T12:00:00Z", "reports/123456789012/2028/02/29/"],
    // 00:30 in Paris on New Year's Day is still 2026 in UTC.
    ["2027-01-01T00:30:00+01:00", "reports/123456789012/2026/12/31/"],
  ])("files a run started at %s under %s", (startedAt, folder) => {
    const runId = newRunId(startedAt, () => "abcdef");
    expect(reportKeys(ACCOUNT, runId).json).toBe(`${folder}${runId}.json`);
  });

  it("keeps every key under the reports prefix the lifecycle rule and the IAM grant use", () => {
    const keys = reportKeys(ACCOUNT, "20261201T060000Z-3fa9c2");
    for (const key of Object.values(keys)) expect(key.startsWith(REPORTS_PREFIX)).toBe(true);
    expect(keys.summary.startsWith(summariesPrefix(ACCOUNT))).toBe(true);
  });

  it.each([
    "12345678901",
    "1234567890123",
    "../123456789",
    "123456789012/..",
    "12345678901a",
    "",
    " 123456789012",
  ])("rejects the account id %j", (accountId) => {
    expect(() => reportKeys(accountId, "20261201T060000Z-3fa9c2")).toThrow(
      `Invalid account id "${accountId}": expected 12 digits`,
    );
    expect(() => summariesPrefix(accountId)).toThrow(/Invalid account id/);
  });

  it.each([
    "20261201T060000Z",
    "20261201T060000Z-3FA9C2",
    "20261332T060000Z-3fa9c2",
    "20260230T060000Z-3fa9c2",
    "20261201T250000Z-3fa9c2",
    "20261201T060000Z-3fa9c2/../../x",
    "../20261201T060000Z-3fa9c2",
  ])("rejects the run id %j", (runId) => {
    expect(() => reportKeys(ACCOUNT, runId)).toThrow(`Invalid run id "${runId}"`);
  });
});
