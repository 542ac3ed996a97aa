/**
 * The demo account's report, audited over HTTP (the real SDK clients against the local fake), and
 * a 30-run trend leading up to it, for the HTML report's browser tests and screenshots.
 */
import { runAudit } from "../../shared/audit";
import { createAccountReader } from "../../shared/aws/reader";
import { parseConfig } from "../../shared/config";
import type { AuditReport } from "../../shared/model";
import { type RunSummary, runSummary } from "../../shared/report/location";
import { type TrendPoint, trendPoints } from "../../shared/report/trend";
import { demoAccount } from "../fake-aws/accounts/demo";
import { startFakeAws } from "../fake-aws/server";
import { startFakeWordPressOrg } from "../fake-aws/wordpress-org";

const ENV = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"];

export async function demoReport(now = new Date()): Promise<AuditReport> {
  const fake = await startFakeAws({ account: demoAccount(now) });
  const wordpressOrg = await startFakeWordPressOrg();
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
  });
  try {
    return await runAudit(
      { reader: createAccountReader({ credentialReport: { initialDelayMs: 10 } }) },
      // Everything from loopback, as `npm run demo` does: AWS's ranges and wordpress.org too.
      parseConfig({ ipRanges: `${fake.url}/ip-ranges.json`, wordpressOrgUrl: wordpressOrg.url }),
    );
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fake.close();
    await wordpressOrg.stop();
  }
}

/**
 * 29 daily runs before `report` (findings going down as they are fixed, one incomplete run), then
 * the report's own: what the Lambda reads from the summaries after a month.
 */
export function demoTrend(report: AuditReport): TrendPoint[] {
  const runId = (at: string, n: number) =>
    `${at.slice(0, 19).replace(/[-:]/g, "")}Z-${n.toString(16).padStart(6, "0")}`;
  const last = runSummary(report, runId(report.startedAt, 0));
  const start = Date.parse(report.startedAt);
  const runs: RunSummary[] = [];
  for (let i = 29; i >= 1; i--) {
    const at = new Date(start - i * 86_400_000).toISOString();
    const f = last.summary.failBySeverity;
    runs.push({
      ...last,
      runId: runId(at, i),
      startedAt: at,
      summary: {
        ...last.summary,
        incomplete: i === 12,
        failBySeverity: {
          critical: f.critical + (i > 20 ? 1 : 0),
          high: f.high + Math.floor(i / 4),
          medium: f.medium + Math.floor(i / 6),
          low: f.low + (i % 3 === 0 ? 1 : 0),
          info: 0,
        },
      },
    });
  }
  return trendPoints([...runs, last]);
}
