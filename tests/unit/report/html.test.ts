/**
 * The HTML report as text: what it shows, its Content-Security-Policy, the trend. The browser
 * tests (tests/integration/html-report.test.ts) render it for real; hostile text is in
 * hostile.test.ts.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, renderHtml } from "../../../shared/report/html";
import type { RunSummary } from "../../../shared/report/location";
import { htmlText } from "../../../shared/report/text";
import { trendPoints } from "../../../shared/report/trend";
import { reportFrom } from "../../helpers/report";
import { instance, port, region, snapshot } from "../../helpers/snapshot";

const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("base64");

function account(n: number) {
  return snapshot({
    regions: ["us-east-1"],
    lightsail: [
      region("us-east-1", {
        instances: Array.from({ length: n }, (_, i) =>
          // Opted out of the WordPress inventory: these sites have no SSM node to read it.
          instance(`site-${i}`, [port({ fromPort: 22, toPort: 22 })], {
            tags: [{ key: "wp-inventory", value: "false" }],
          }),
        ),
      }),
    ],
  });
}

const summary = (runId: string, high: number, extra: Partial<RunSummary> = {}): RunSummary =>
  ({
    schemaVersion: 2,
    runId,
    accountId: "123456789012",
    startedAt: `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}T06:00:00.000Z`,
    finishedAt: "",
    summary: {
      total: high,
      byStatus: { PASS: 0, FAIL: high, ERROR: 0, MUTED: 0 },
      failBySeverity: { critical: 0, high, medium: 1, low: 0, info: 0 },
      incomplete: false,
    },
    regions: { audited: 1, skipped: 0 },
    failures: 0,
    report: "",
    ...extra,
  }) as RunSummary;

describe("renderHtml", () => {
  it("shows the account, the counts, each failing check with its fix, and the passes as counts", () => {
    const report = reportFrom(account(3));

    const html = renderHtml(report);

    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain("123456789012");
    const { byStatus } = report.summary;
    expect(html).toContain(`${byStatus.FAIL} open findings, ${byStatus.PASS} passed`);
    const check = report.checks["lightsail-instance-ssh-not-public"];
    expect(html).toContain(htmlText(check?.title ?? "?"));
    expect(html).toContain(htmlText(check?.risk ?? "?"));
    expect(html).toContain(htmlText(check?.remediation.cli ?? "?"));
    expect(html).toContain("us-east-1/site-2");
    expect(html).toMatch(/<details><summary>\d+ resources? passed \d+ checks?<\/summary>/);
    expect(html).toContain("Audit complete.");
  });

  it("puts ERROR results and collection failures in their own section, and says incomplete", () => {
    const facts = snapshot({
      regions: ["us-east-1"],
      lightsail: [region("us-east-1", { instances: null })],
    });
    facts.failures.push({
      source: "lightsail",
      region: "us-east-1",
      operation: "GetInstances",
      errorName: "ThrottlingException",
      message: "Rate exceeded",
    });
    const report = reportFrom(facts);

    const html = renderHtml(report);

    expect(html).toContain('<h2 id="not-checked">Not checked</h2>');
    expect(html).toContain("<code>lightsail:GetInstances</code>");
    expect(html).toContain("ThrottlingException: Rate exceeded");
    expect(html).toContain("Audit INCOMPLETE");
    expect(report.summary.byStatus.ERROR).toBeGreaterThan(0);
    expect(html).toMatch(/Checks that could not decide \(\d+\)/);
  });

  it("lists at most maxFindingsPerCheck findings of a check and counts the rest", () => {
    const report = reportFrom(account(12));
    const failing = new Set(
      report.results.filter((r) => r.status === "FAIL").map((r) => r.checkId),
    );

    const html = renderHtml(report, { maxFindingsPerCheck: 5 });

    expect(failing.size).toBeGreaterThan(0);
    expect(html.match(/<li data-severity="[a-z]+"><strong>us-east-1\/site-/g)).toHaveLength(
      5 * failing.size,
    );
    expect(html.match(/…and 7 more \(all are in the JSON report\)\./g)).toHaveLength(failing.size);
  });

  it("allows only its own style and script, by hash, and nothing else", () => {
    const html = renderHtml(reportFrom(account(1)));
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";

    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${sha(style)}'`);
    expect(CONTENT_SECURITY_POLICY).toContain(`script-src 'sha256-${sha(script)}'`);
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe");
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    );
    // Nothing that would load: no src, no href, no url(), no @import.
    expect(html).not.toMatch(/\s(src|href)=|url\(|@import/);
    // No style attribute (the CSP would block it anyway).
    expect(html).not.toMatch(/\sstyle=/);
  });

  it("draws the trend with its numbers, newest run first in the table", () => {
    const trend = trendPoints([
      summary("20261101T060000Z-000001", 4),
      summary("20261102T060000Z-000002", 2),
    ]);

    const html = renderHtml(reportFrom(account(1)), { trend });

    expect(html).toContain("Trend: open findings over the last 2 runs");
    expect(html).toMatch(/<polyline class="high" points="[\d., ]+"\/>/);
    expect(html).toMatch(/2026-11-02 06:00 UTC<\/td><td>0<\/td><td>2<\/td><td>1<\/td>/);
    expect(html.indexOf("2026-11-02 06:00 UTC</td>")).toBeLessThan(
      html.indexOf("2026-11-01 06:00 UTC</td>"),
    );
  });
});

describe("trendPoints", () => {
  it("orders runs started in the same second by their start time, not their run id", () => {
    const a = summary("20261101T060000Z-ffffff", 1, { startedAt: "2026-11-01T06:00:00.100Z" });
    const b = summary("20261101T060000Z-000000", 2, { startedAt: "2026-11-01T06:00:00.900Z" });
    expect(trendPoints([b, a]).map((p) => p.runId)).toEqual([a.runId, b.runId]);
  });

  it("keeps the last N runs, oldest first, once each, and leaves out summaries without counts", () => {
    const runs = Array.from({ length: 40 }, (_, i) =>
      summary(
        `202611${String(i + 1).padStart(2, "0")}T060000Z-00000${i % 10}`.replace(
          /^(\d{6})(3[1-9]|40)/,
          "2026120$2",
        ),
        i,
      ),
    ).filter((s) => !Number.isNaN(Date.parse(s.startedAt)));
    const broken = {
      ...summary("20261130T070000Z-ffffff", 1),
      summary: undefined,
    } as unknown as RunSummary;

    const points = trendPoints([runs[5] as RunSummary, ...runs, broken], 30);

    expect(points).toHaveLength(Math.min(30, runs.length));
    expect(points.map((p) => p.runId)).toEqual(
      runs
        .map((r) => r.runId)
        .sort()
        .slice(-30),
    );
    expect(points.some((p) => p.runId === "20261130T070000Z-ffffff")).toBe(false);
    expect(trendPoints(runs, 0)).toEqual([]);
  });
});
