/**
 * The report store with the real S3 client against moto_server on loopback: the objects written,
 * read back with their content types, and the error when the bucket is missing.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../shared/audit";
import { createReportStore } from "../../shared/aws/report-store";
import { parseConfig } from "../../shared/config";
import { ReportStoreError } from "../../shared/errors";
import type { AuditReport } from "../../shared/model";
import { reportKeys, summariesPrefix } from "../../shared/report/location";
import { renderMarkdown } from "../../shared/report/markdown";
import { type Moto, startMoto } from "../helpers/moto";
import { readerFor } from "../helpers/reader";
import { ACCOUNT_ID, instance, port, region, snapshot } from "../helpers/snapshot";

let moto: Moto;
let s3: S3Client;
const BUCKET = "lightsail-auditor-test-reportbucket-1a2b3c";

beforeAll(async () => {
  moto = await startMoto();
  s3 = new S3Client({
    endpoint: moto.url,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: 1,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => moto?.stop());

/** A real report: the engine run on a small account at a fixed time. */
async function auditAt(startedAt: string): Promise<AuditReport> {
  const facts = snapshot({
    regions: ["us-east-1"],
    lightsail: [
      region("us-east-1", { instances: [instance("blog", [port({ fromPort: 22, toPort: 22 })])] }),
    ],
  });
  const clock = [new Date(startedAt), new Date(Date.parse(startedAt) + 2_000)];
  return runAudit(
    { reader: readerFor(facts), now: () => clock.shift() ?? new Date(0) },
    parseConfig({ regions: "us-east-1" }),
  );
}

async function read(key: string) {
  const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { body: (await r.Body?.transformToString("utf-8")) ?? "", contentType: r.ContentType };
}

describe("createReportStore", () => {
  it("writes the run's JSON report, its Markdown, its summary and latest.json, and returns their URIs", async () => {
    const report = await auditAt("2026-12-31T23:59:58.500Z");
    const markdown = renderMarkdown(report);
    const store = createReportStore({ bucket: BUCKET, client: s3 });

    const saved = await store.save({ report, markdown, runId: "20261231T235958Z-0a1b2c" });

    const keys = reportKeys(ACCOUNT_ID, "20261231T235958Z-0a1b2c");
    expect(saved).toEqual({
      runId: "20261231T235958Z-0a1b2c",
      json: `s3://${BUCKET}/reports/123456789012/2026/12/31/20261231T235958Z-0a1b2c.json`,
      markdown: `s3://${BUCKET}/reports/123456789012/2026/12/31/20261231T235958Z-0a1b2c.md`,
      summary: `s3://${BUCKET}/reports/123456789012/summaries/20261231T235958Z-0a1b2c.summary.json`,
      latest: `s3://${BUCKET}/reports/123456789012/latest.json`,
    });
    const json = await read(keys.json);
    expect(json.contentType).toBe("application/json");
    // Compact JSON, one line: a third of the indented size.
    expect(json.body).toBe(`${JSON.stringify(report)}\n`);
    expect(JSON.parse(json.body)).toEqual(report);
    const md = await read(keys.markdown);
    expect(md.contentType).toBe("text/markdown; charset=utf-8");
    expect(md.body).toBe(markdown);
    const latest = await read(keys.latest);
    expect(latest.contentType).toBe("application/json");
    expect(latest.body).toBe(json.body);
    const summary = await read(keys.summary);
    expect(summary.contentType).toBe("application/json");
    expect(JSON.parse(summary.body)).toEqual({
      schemaVersion: 2,
      runId: "20261231T235958Z-0a1b2c",
      accountId: ACCOUNT_ID,
      startedAt: "2026-12-31T23:59:58.500Z",
      finishedAt: "2027-01-01T00:00:00.500Z",
      summary: report.summary,
      regions: { audited: 1, skipped: 0 },
      failures: 0,
      patching: { mode: "dry-run", sent: 0, skipped: 1, outcomes: {} },
      report: keys.json,
    });
    expect(report.summary.byStatus.FAIL).toBeGreaterThan(0);
  });

  it("names a new run after its start time, lists summaries oldest first, and points latest at the newest run", async () => {
    const store = createReportStore({ bucket: BUCKET, client: s3 });
    const starts = ["2027-01-02T06:00:00.000Z", "2027-01-01T06:00:00.000Z"];
    const runs: string[] = [];
    for (const startedAt of starts) {
      const report = await auditAt(startedAt);
      runs.push((await store.save({ report, markdown: renderMarkdown(report) })).runId);
    }

    expect(runs[0]).toMatch(/^20270102T060000Z-[0-9a-f]{6}$/);
    const listed = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: summariesPrefix(ACCOUNT_ID),
        StartAfter: `${summariesPrefix(ACCOUNT_ID)}2027`,
      }),
    );
    expect(listed.Contents?.map((o) => o.Key)).toEqual(
      [runs[1], runs[0]].map((id) => reportKeys(ACCOUNT_ID, id ?? "").summary),
    );
    // Saves in the order they happen: latest is the run saved last (here the earlier start).
    const latest = JSON.parse((await read(reportKeys(ACCOUNT_ID, runs[1] ?? "").latest)).body);
    expect(latest.startedAt).toBe("2027-01-01T06:00:00.000Z");
  });

  it("writes the HTML beside the JSON when given, as text/html", async () => {
    const report = await auditAt("2027-02-01T06:00:00.000Z");
    const store = createReportStore({ bucket: BUCKET, client: s3 });

    const saved = await store.save({
      report,
      markdown: "",
      html: "<!DOCTYPE html>\n",
      runId: "20270201T060000Z-0000aa",
    });

    const keys = reportKeys(ACCOUNT_ID, "20270201T060000Z-0000aa");
    expect(saved.html).toBe(`s3://${BUCKET}/${keys.html}`);
    expect(await read(keys.html)).toEqual({
      body: "<!DOCTYPE html>\n",
      contentType: "text/html; charset=utf-8",
    });
  });

  it("reads the last N runs' summaries, oldest first, over several listing pages", async () => {
    const account = "210987654321";
    const store = createReportStore({ bucket: BUCKET, client: s3 });
    const keys = Array.from({ length: 1_005 }, (_, i) => {
      const day = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString();
      return `${day.slice(0, 10).replace(/-/g, "")}T060000Z-${String(i).padStart(6, "0")}`;
    });
    // 1,005 summaries: more than one ListObjectsV2 page (1,000 keys).
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(
        keys.slice(i, i + 50).map((runId, j) =>
          s3.send(
            new PutObjectCommand({
              Bucket: BUCKET,
              Key: reportKeys(account, runId).summary,
              Body: JSON.stringify({ runId, n: i + j }),
            }),
          ),
        ),
      );
    }
    // A report beside them is never read.
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `${summariesPrefix(account)}stray.json`,
        Body: "x",
      }),
    );

    const summaries = await store.recentSummaries(account, 30);

    expect(summaries.map((s) => s.runId)).toEqual(keys.slice(-30));
    expect(await store.recentSummaries(account, 0)).toEqual([]);
    expect(await store.recentSummaries("999999999999", 30)).toEqual([]);
  }, 60_000);

  it("fails with an error naming the bucket, the key and S3's error when the bucket is missing", async () => {
    const report = await auditAt("2026-12-01T06:00:00.000Z");
    const store = createReportStore({ bucket: "no-such-report-bucket", client: s3 });

    const saving = store.save({ report, markdown: "# x\n", runId: "20261201T060000Z-3fa9c2" });

    const key = "reports/123456789012/2026/12/01/20261201T060000Z-3fa9c2.json";
    await expect(saving).rejects.toBeInstanceOf(ReportStoreError);
    await expect(saving).rejects.toMatchObject({
      name: "ReportStoreError",
      bucket: "no-such-report-bucket",
      key,
      message: expect.stringMatching(
        new RegExp(`^Report not written to s3://no-such-report-bucket/${key}: NoSuchBucket`),
      ),
    });
  });

  it("writes nothing, not even latest.json, for an account id that is not 12 digits", async () => {
    const report = { ...(await auditAt("2026-12-01T06:00:00.000Z")), accountId: "../../x" };
    const store = createReportStore({ bucket: BUCKET, client: s3 });
    const before = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));

    await expect(store.save({ report, markdown: "" })).rejects.toThrow(
      'Invalid account id "../../x": expected 12 digits',
    );

    const after = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(after.KeyCount).toBe(before.KeyCount);
  });
});
