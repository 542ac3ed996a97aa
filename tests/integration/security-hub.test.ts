/**
 * Security Hub over HTTP: the demo account's audit (the real SDK against the local fake) imported
 * into moto's Security Hub with the real SecurityHubClient, read back with GetFindings; a second
 * run with one finding fixed, one muted and one whose resource is gone updates, suppresses and
 * archives them without a duplicate; 1,000 findings go out in 10 calls; failed findings are
 * retried once.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  EnableSecurityHubCommand,
  paginateGetFindings,
  SecurityHubClient,
} from "@aws-sdk/client-securityhub";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runAudit } from "../../shared/audit";
import { createAccountReader } from "../../shared/aws/reader";
import { createSecurityHubImporter, importFindings } from "../../shared/aws/security-hub";
import { parseConfig } from "../../shared/config";
import { diffFindings, type FindingState, nextState } from "../../shared/findings/state";
import type { AuditReport, CheckResult } from "../../shared/model";
import { type AsffFinding, toAsff } from "../../shared/report/asff";
import { exportToSecurityHub } from "../../shared/report/security-hub";
import { demoAccount } from "../fake-aws/accounts/demo";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { securityHubModel, shapeProblems } from "../helpers/asff-model";
import { type Moto, startMoto } from "../helpers/moto";
import { createStateTable } from "../helpers/state-table";

const REGION = "us-east-1";
let fake: FakeAws;
let moto: Moto;
let hub: SecurityHubClient;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  [fake, moto] = await Promise.all([
    startFakeAws({ account: demoAccount(new Date()) }),
    startMoto(),
  ]);
  const env = {
    AWS_ENDPOINT_URL: fake.url,
    IP_RANGES: `${fake.url}/ip-ranges.json`,
    AWS_ENDPOINT_URL_SECURITYHUB: moto.url,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: REGION,
    AWS_MAX_ATTEMPTS: "1",
  };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  hub = new SecurityHubClient({ region: REGION, endpoint: moto.url });
}, 60_000);
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await Promise.all([fake?.close(), moto?.stop()]);
});
beforeEach(async () => {
  await moto.reset();
  await hub.send(new EnableSecurityHubCommand({}));
});

const audit = () =>
  runAudit(
    { reader: createAccountReader({ credentialReport: { initialDelayMs: 10 } }) },
    parseConfig({ patching: "off", ipRanges: `${fake.url}/ip-ranges.json` }),
  );

/** Every finding in moto's hub, read back through GetFindings' pages. */
async function readBack(): Promise<AsffFinding[]> {
  const out: AsffFinding[] = [];
  for await (const page of paginateGetFindings({ client: hub }, { MaxResults: 100 })) {
    out.push(...((page.Findings ?? []) as AsffFinding[]));
  }
  return out;
}

/** The state the Lambda stores after a run (every FAIL open, first seen then). */
function stateAfter(report: AuditReport, previous: FindingState[] = []): FindingState[] {
  const now = new Date(report.finishedAt);
  const diff = diffFindings(report, previous, {
    now,
    checksRun: Object.keys(report.checks),
    renotifySeverity: "critical",
    renotifyDays: 7,
  });
  return nextState(previous, diff, { now, notified: true, listedAll: false }).filter(
    (s) => s.status === "OPEN",
  );
}

afterEach(() => vi.unstubAllEnvs());

const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe("Security Hub import (moto)", () => {
  it("imports a demo audit: every result once, read back as sent", async () => {
    const report = await audit();
    const fails = report.results.filter((r) => r.status === "FAIL").length;

    const exported = await exportToSecurityHub(createSecurityHubImporter(REGION), report, {
      region: REGION,
      checksRun: Object.keys(report.checks),
      now: new Date(),
    });

    expect(exported.failures).toEqual([]);
    expect(exported.outcome).toMatchObject({
      imported: report.results.length,
      failed: [],
      calls: Math.ceil(report.results.length / 100),
    });
    const findings = await readBack();
    expect(findings).toHaveLength(report.results.length);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    expect(findings.filter((f) => f.Compliance.Status === "FAILED")).toHaveLength(fails);
    const model = securityHubModel();
    for (const f of findings) expect(shapeProblems(model, "AwsSecurityFinding", f)).toEqual([]);
    const root = findings.find((f) => f.GeneratorId === "iam-root-mfa-enabled");
    expect(root).toMatchObject({
      ProductArn: `arn:aws:securityhub:${REGION}:${report.accountId}:product/${report.accountId}/default`,
      AwsAccountId: report.accountId,
      Severity: { Label: "CRITICAL" },
      RecordState: "ACTIVE",
      Compliance: { Status: "FAILED", RelatedRequirements: ["CIS AWS Foundations v3.0.0 1.5"] },
    });
  }, 60_000);

  it("on the next run updates, archives a fixed or vanished finding, suppresses a muted one, and duplicates nothing", async () => {
    const first = await audit();
    await exportToSecurityHub(createSecurityHubImporter(REGION), first, {
      region: REGION,
      checksRun: Object.keys(first.checks),
      now: new Date(first.finishedAt),
    });
    const state = stateAfter(first);
    const failing = first.results.filter(
      (r): r is CheckResult & { fingerprint: string } => r.status === "FAIL" && !!r.fingerprint,
    );
    const [fixed, muted, gone] = failing;
    if (!fixed || !muted || !gone) throw new Error("the demo account has fewer than 3 findings");

    // The second run: one fixed (PASS now), one muted, one whose resource was deleted.
    const second: AuditReport = {
      ...first,
      startedAt: later(first.startedAt, 86_400_000),
      finishedAt: later(first.finishedAt, 86_400_000),
      results: first.results
        .filter((r) => r !== gone)
        .map((r) =>
          r === fixed
            ? { ...r, status: "PASS" as const, fingerprint: undefined, message: "Fixed." }
            : r === muted
              ? {
                  ...r,
                  status: "MUTED" as const,
                  suppressedBy: {
                    reason: "staging site, firewall at the edge",
                    expires: "2099-01-01",
                  },
                }
              : r,
        ),
    };
    const exported = await exportToSecurityHub(createSecurityHubImporter(REGION), second, {
      region: REGION,
      previous: state,
      checksRun: Object.keys(second.checks),
      now: new Date(second.finishedAt),
    });
    expect(exported.failures).toEqual([]);

    const findings = await readBack();
    // Same ids: nothing duplicated (the vanished one is archived, not dropped or doubled).
    expect(findings).toHaveLength(first.results.length);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    const byFp = (fp: string) =>
      findings.find((f) => f.ProductFields["lightsail-auditor/Fingerprint"] === fp);
    const firstSeen = (fp: string) => state.find((s) => s.fingerprint === fp)?.firstSeen;
    expect(byFp(fixed.fingerprint)).toMatchObject({
      Compliance: { Status: "PASSED" },
      RecordState: "ARCHIVED",
      UpdatedAt: second.finishedAt,
      FirstObservedAt: firstSeen(fixed.fingerprint),
    });
    expect(byFp(gone.fingerprint)).toMatchObject({
      Compliance: { Status: "PASSED" },
      RecordState: "ARCHIVED",
      UpdatedAt: second.finishedAt,
    });
    expect(byFp(muted.fingerprint)).toMatchObject({
      Compliance: { Status: "FAILED" },
      RecordState: "ACTIVE",
      Workflow: { Status: "SUPPRESSED" },
      Note: {
        Text: "Muted until 2099-01-01: staging site, firewall at the edge",
        UpdatedBy: "lightsail-auditor",
      },
    });
    // A finding still open keeps the time it was first seen (from the state).
    const still = failing[3];
    expect(byFp(still?.fingerprint ?? "")).toMatchObject({
      FirstObservedAt: firstSeen(still?.fingerprint ?? ""),
      LastObservedAt: second.startedAt,
      UpdatedAt: second.finishedAt,
      RecordState: "ACTIVE",
    });
  }, 60_000);

  it("the audit Lambda with SECURITY_HUB=on imports its results into the hub of its region", async () => {
    vi.resetModules();
    vi.stubEnv("SECURITY_HUB", "on");
    const { handler } = await import("../../functions/audit");

    const summary = await handler({ trigger: "manual" });

    expect(summary.failures).toBe(0);
    const findings = await readBack();
    expect(findings).toHaveLength(summary.summary.total);
    expect(findings.filter((f) => f.RecordState === "ACTIVE")).toHaveLength(
      summary.summary.byStatus.FAIL +
        summary.summary.byStatus.ERROR +
        summary.summary.byStatus.MUTED,
    );
    expect(new Set(findings.map((f) => f.ProductArn))).toEqual(
      new Set([
        `arn:aws:securityhub:${REGION}:${summary.accountId}:product/${summary.accountId}/default`,
      ]),
    );
  }, 60_000);

  it("the Lambda reads the state once for Security Hub and the alert: the second run keeps first-seen times and duplicates nothing", async () => {
    const ddb = new DynamoDBClient({ region: REGION, endpoint: moto.url });
    await createStateTable(ddb, "state");
    const sns = new SNSClient({ region: REGION, endpoint: moto.url });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "alerts" }));
    const coldStart = async () => {
      vi.resetModules();
      vi.stubEnv("SECURITY_HUB", "on");
      vi.stubEnv("STATE_TABLE", "state");
      vi.stubEnv("TOPIC_ARN", TopicArn ?? "");
      vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", moto.url);
      vi.stubEnv("AWS_ENDPOINT_URL_SNS", moto.url);
      return (await import("../../functions/audit")).handler;
    };

    const first = await (await coldStart())({ trigger: "manual" });
    const afterFirst = await readBack();
    const second = await (await coldStart())({ trigger: "manual" });
    const afterSecond = await readBack();

    expect(first.alert).toMatchObject({ sent: true, new: first.summary.byStatus.FAIL });
    expect(second.alert).toMatchObject({ new: 0, stillOpen: first.summary.byStatus.FAIL });
    expect(afterSecond).toHaveLength(afterFirst.length);
    const seen = new Map(afterFirst.map((f) => [f.Id, f]));
    for (const f of afterSecond.filter((x) => x.Compliance.Status === "FAILED")) {
      const before = seen.get(f.Id);
      // The state's first-seen time: the first run's (when it saved its state, a moment after
      // its start, the time the first import used), not the second run's.
      expect(f.FirstObservedAt >= (before?.FirstObservedAt ?? "")).toBe(true);
      expect(Date.parse(f.FirstObservedAt)).toBeLessThan(Date.parse(f.LastObservedAt));
      expect(
        Date.parse(f.FirstObservedAt) - Date.parse(before?.FirstObservedAt ?? ""),
      ).toBeLessThan(60_000);
      expect(f.UpdatedAt > (before?.UpdatedAt ?? "")).toBe(true);
    }
  }, 120_000);

  it("sends 1,000 findings in 10 calls", async () => {
    const first = await audit();
    const template = first.results[0] as CheckResult;
    const results: CheckResult[] = Array.from({ length: 1000 }, (_, i) => ({
      ...template,
      status: "FAIL",
      resource: {
        type: "LightsailInstance",
        name: `site-${i}`,
        arn: `arn:aws:lightsail:${REGION}:${first.accountId}:Instance/site-${i}`,
        region: REGION,
      },
      fingerprint: undefined,
    }));
    const report: AuditReport = { ...first, results };

    const exported = await exportToSecurityHub(createSecurityHubImporter(REGION), report, {
      region: REGION,
      checksRun: Object.keys(report.checks),
      now: new Date(),
    });

    expect(exported.outcome).toEqual({ imported: 1000, failed: [], calls: 10 });
    expect(exported.line).toBe(
      `Security Hub (${first.accountId}, ${REGION}): imported 1000 findings in 10 calls`,
    );
    expect(await readBack()).toHaveLength(1000);
  }, 60_000);

  it("retries the FailedFindings of a response once, then reports them", async () => {
    const report = await audit();
    const [good, other] = toAsff(report, { region: REGION });
    // moto refuses a finding without resources (FailedFindings, ErrorCode InvalidInput).
    const bad = { ...(other as AsffFinding), Resources: [] };

    const outcome = await importFindings(hub, [good as AsffFinding, bad]);

    expect(outcome.imported).toBe(1);
    expect(outcome.calls).toBe(2);
    expect(outcome.failed).toEqual([
      { id: bad.Id, errorCode: "InvalidInput", message: expect.stringContaining("resource") },
    ]);
  }, 60_000);
});
