/**
 * The audit Lambda end to end: the local fake serves the account (and SNS), moto serves S3 (the
 * report bucket, through AWS_ENDPOINT_URL_S3). The handler returns a summary and the report is in
 * the bucket; a report that cannot be stored still gets its alert, and fails the invocation.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { AuditSummary } from "../../functions/audit";
import { ReportStoreError } from "../../shared/errors";
import type { AuditReport } from "../../shared/model";
import { parseReport } from "../../shared/report/schema";
import { demoAccount } from "../fake-aws/accounts/demo";
import { syntheticAccount } from "../fake-aws/accounts/synthetic";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { type Moto, startMoto } from "../helpers/moto";
import { expectValidReport } from "../helpers/report-schema";

const BUCKET = "lightsail-auditor-reports-test";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:lightsail-auditor-alerts";
let fake: FakeAws;
let moto: Moto;
let s3: S3Client;

beforeAll(async () => {
  [fake, moto] = await Promise.all([
    startFakeAws({ account: demoAccount(new Date()) }),
    startMoto(),
  ]);
  s3 = new S3Client({
    region: "us-east-1",
    endpoint: moto.url,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);

afterAll(async () => {
  await Promise.all([fake?.close(), moto?.stop()]);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Loads the handler afresh (it reads its environment at cold start) against `endpoint`. */
async function coldStart(endpoint: string, env: Record<string, string> = {}) {
  vi.resetModules();
  const all = {
    AWS_ENDPOINT_URL: endpoint,
    IP_RANGES: `${endpoint}/ip-ranges.json`,
    AWS_ENDPOINT_URL_S3: moto.url,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
    REPORT_BUCKET: BUCKET,
    ...env,
  };
  for (const [k, v] of Object.entries(all)) vi.stubEnv(k, v);
  return (await import("../../functions/audit")).handler;
}

async function getText(uri: string): Promise<{ body: string; type?: string }> {
  const [, , bucket, ...key] = uri.split("/");
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key.join("/") }));
  return { body: (await out.Body?.transformToString()) ?? "", type: out.ContentType };
}

const rows = (report: AuditReport) =>
  report.results.map((r) => `${r.status} ${r.checkId} ${r.resource.region}/${r.resource.name}`);

describe("the audit Lambda and its report bucket", () => {
  it("stores the report and its Markdown, and returns only a summary that points at them", async () => {
    const handler = await coldStart(fake.url);
    const event = (await import("../../events/manual-audit.json")).default;

    const summary = await handler(event);

    if ("error" in summary.stored) throw new Error(summary.stored.error);
    const stored = parseReport(
      JSON.parse((await getText(summary.stored.json)).body),
      summary.stored.json,
    );
    expectValidReport(stored);
    expect(summary).toMatchObject({
      schemaVersion: 2,
      accountId: stored.accountId,
      runId: expect.stringMatching(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/),
      trigger: "manual",
      summary: stored.summary,
      failures: 0,
      regions: { audited: stored.regions.audited.length, skipped: 1 },
      report: summary.stored.json.replace(`s3://${BUCKET}/`, ""),
    });
    expect(summary.summary.byStatus.FAIL).toBeGreaterThan(0);
    expect(summary.stored.json).toMatch(
      new RegExp(
        `^s3://${BUCKET}/reports/${stored.accountId}/\\d{4}/\\d{2}/\\d{2}/${summary.runId}\\.json$`,
      ),
    );
    expect(summary.stored.fetch).toBe(`aws s3 cp ${summary.stored.json} report.json`);
    // The Markdown rendering and latest.json (the same report) sit beside it.
    const markdown = await getText(summary.stored.markdown);
    expect(markdown.type).toBe("text/markdown; charset=utf-8");
    expect(markdown.body).toContain(`# Lightsail audit of account ${stored.accountId}`);
    expect(JSON.parse((await getText(summary.stored.latest)).body)).toEqual(
      JSON.parse(JSON.stringify(stored)),
    );
    // The run's summary is stored too, for trends, without the invocation's own fields.
    const { trigger: _t, stored: _s, alert: _a, ...runSummary } = summary;
    expect(JSON.parse((await getText(summary.stored.summary)).body)).toEqual(runSummary);
    // The HTML beside the JSON, with this run on its trend.
    expect(summary.stored.html).toBe(summary.stored.json.replace(/\.json$/, ".html"));
    const html = await getText(summary.stored.html ?? "");
    expect(html.type).toBe("text/html; charset=utf-8");
    expect(html.body).toContain(
      `<h1>Lightsail audit of account <span translate="no">${stored.accountId}</span></h1>`,
    );
    expect(html.body).toMatch(/Trend: open findings over the last \d+ runs?/);
  });

  it("draws the trend from the previous runs' summaries, this run last", async () => {
    const handler = await coldStart(fake.url);
    const prefix = `reports/${demoAccount(new Date()).accountId}/summaries/`;
    const before = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));

    const summary: AuditSummary = await handler({ trigger: "manual", regions: "us-east-1" });

    if ("error" in summary.stored) throw new Error(summary.stored.error);
    const runs = (before.KeyCount ?? 0) + 1;
    const html = (await getText(summary.stored.html ?? "")).body;
    expect(html).toContain(`Trend: open findings over the last ${runs} runs`);
    const newest = /<tbody>\n<tr><td>([^<]+)<\/td>((?:<td>\d+<\/td>){5})/.exec(html);
    const { failBySeverity: f } = summary.summary;
    expect(newest?.[2]).toBe(
      [f.critical, f.high, f.medium, f.low, f.info].map((n) => `<td>${n}</td>`).join(""),
    );
  });

  it("narrows one run to the event's regions and checks, as the stored report shows", async () => {
    const handler = await coldStart(fake.url);
    const event = (await import("../../events/manual-audit-one-region.json")).default;

    const summary = await handler(event);

    if ("error" in summary.stored) throw new Error(summary.stored.error);
    const stored = parseReport(JSON.parse((await getText(summary.stored.json)).body), "run");
    expect(rows(stored).sort()).toEqual([
      "FAIL lightsail-instance-ssh-not-public us-east-1/wordpress-blog",
      "FAIL lightsail-lb-https-enabled us-east-1/shop-lb",
      "PASS lightsail-instance-ssh-not-public us-east-1/wordpress-shop",
      "PASS lightsail-lb-https-enabled us-east-1/blog-lb",
    ]);
    expect(Object.keys(stored.checks).sort()).toEqual([
      "lightsail-instance-ssh-not-public",
      "lightsail-lb-https-enabled",
    ]);
  });

  it("still alerts when the report cannot be stored, says where it was not written, and fails", async () => {
    const handler = await coldStart(fake.url, {
      REPORT_BUCKET: "no-such-bucket-here",
      TOPIC_ARN,
      // vitest.config.ts silences the logger; this test reads its lines.
      POWERTOOLS_LOG_LEVEL: "INFO",
    });
    const logged: string[] = [];
    // Powertools writes ERROR lines to stderr, the others to stdout.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk) => {
        logged.push(String(chunk));
        return true;
      });
    }
    fake.published.length = 0;

    const outcome = await handler({ trigger: "manual", regions: ["us-east-1"] }).then(
      () => undefined,
      (err: unknown) => err,
    );

    vi.restoreAllMocks();
    // The handler was loaded afresh (vi.resetModules), so its error class is another copy.
    expect((outcome as Error).name).toBe(ReportStoreError.name);
    expect((outcome as Error).message).toMatch(
      /^Report not written to s3:\/\/no-such-bucket-here\/reports\/\d{12}\/.*\.json: NoSuchBucket/,
    );
    const lines = logged
      .flatMap((l) => l.split("\n"))
      .filter((l) => l.includes("report not stored"));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      level: "ERROR",
      bucket: "no-such-bucket-here",
      key: expect.stringMatching(/^reports\/\d{12}\/\d{4}\/\d{2}\/\d{2}\/.*\.json$/),
    });
    // The alert went out first, and tells the owner the report is missing.
    expect(fake.published).toHaveLength(1);
    const message = JSON.parse(fake.published[0]?.Message ?? "{}") as Record<string, string>;
    expect(message.email).toContain(
      "FULL REPORT MISSING: Report not written to s3://no-such-bucket-here/",
    );
    expect(JSON.parse(message.sqs ?? "{}").reportError).toContain("NoSuchBucket");
  });
});

describe("the report link in the email", () => {
  it("links the run's HTML, expiring in REPORT_LINK_DAYS, and the link opens it", async () => {
    const sm = new SecretsManagerClient({
      region: "us-east-1",
      endpoint: moto.url,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    const { ARN: secret = "" } = await sm.send(
      new CreateSecretCommand({ Name: "handler-test-report-link", SecretString: "s".repeat(64) }),
    );
    const base = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/";
    const handler = await coldStart(fake.url, {
      TOPIC_ARN,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.url,
      REPORT_LINK_URL: base,
      REPORT_LINK_SECRET: secret,
      REPORT_LINK_DAYS: "3",
    });
    fake.published.length = 0;

    const summary: AuditSummary = await handler({ trigger: "manual", regions: ["us-east-1"] });

    if ("error" in summary.stored) throw new Error(summary.stored.error);
    const message = JSON.parse(fake.published[0]?.Message ?? "{}") as Record<string, string>;
    const [, until = "", url = ""] =
      /View the report in a browser \(until (\S+ \S+) UTC; anyone with this link can open it\):\n(\S+)\n/.exec(
        message.email ?? "",
      ) ?? [];
    expect(url.startsWith(`${base}r/${summary.accountId}/${summary.runId}?exp=`)).toBe(true);
    const exp = Number(new URL(url).searchParams.get("exp")) * 1000;
    expect(exp - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(exp - Date.now()).toBeLessThanOrEqual(3 * 86_400_000);
    expect(until).toBe(new Date(exp).toISOString().slice(0, 16).replace("T", " "));
    for (const key of ["sms", "sqs", "email-json"]) expect(message[key] ?? "").not.toContain(base);

    // The report-link function, given the same bucket and secret, serves the stored HTML.
    vi.resetModules();
    vi.stubEnv("AWS_ENDPOINT_URL", moto.url);
    const serve = (await import("../../functions/report-link")).handler;
    const u = new URL(url);
    const served = await serve({
      rawPath: u.pathname,
      queryStringParameters: Object.fromEntries(u.searchParams),
      requestContext: { http: { method: "GET" } },
    } as unknown as LambdaFunctionURLEvent);
    expect(typeof served !== "string" && served.statusCode).toBe(200);
    expect(typeof served !== "string" && served.body).toBe(
      (await getText(summary.stored.html ?? "")).body,
    );
  });
});

describe("the log", () => {
  it("says what was not audited and why, the reason included (Powertools drops a `message` key)", async () => {
    const handler = await coldStart(fake.url, { POWERTOOLS_LOG_LEVEL: "INFO" });
    const logged: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk) => {
        logged.push(String(chunk));
        return true;
      });
    }
    fake.faults.addFault({
      service: "lightsail",
      operation: "GetInstances",
      region: "us-east-1",
      kind: "access-denied",
    });

    await handler({ trigger: "manual", regions: ["us-east-1"] }).finally(() => {
      fake.faults.clearFaults();
      vi.restoreAllMocks();
    });

    const lines = logged
      .flatMap((l) => l.split("\n"))
      .filter((l) => l.includes('"not audited"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "WARN",
      message: "not audited",
      source: "lightsail",
      region: "us-east-1",
      operation: "GetInstances",
      errorName: "AccessDeniedException",
      reason: expect.stringContaining("is not authorized to perform: lightsail:GetInstances"),
    });
  });
});

describe("the dead man's switch", () => {
  /** The handler's stdout lines while `run` runs. */
  async function stdoutOf(run: () => Promise<unknown>): Promise<string[]> {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await run().catch(() => undefined);
    } finally {
      vi.restoreAllMocks();
    }
    return written.flatMap((w) => w.split("\n")).filter((l) => l.trim() !== "");
  }
  const emf = (lines: string[]) =>
    lines
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => "_aws" in l);

  it("writes one CloudWatch EMF line, AuditsCompleted 1 for this function, when the audit completes", async () => {
    const handler = await coldStart(fake.url, { AWS_LAMBDA_FUNCTION_NAME: "la-test-audit" });

    const lines = await stdoutOf(() => handler({ trigger: "manual", regions: ["us-east-1"] }));

    expect(emf(lines)).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: "LightsailAuditor",
              Dimensions: [["function"]],
              Metrics: [{ Name: "AuditsCompleted", Unit: "Count" }],
            },
          ],
        },
        function: "la-test-audit",
        AuditsCompleted: 1,
      },
    ]);
  });

  it("writes none when the run fails (the report could not be stored)", async () => {
    const handler = await coldStart(fake.url, {
      AWS_LAMBDA_FUNCTION_NAME: "la-test-audit",
      REPORT_BUCKET: "no-such-bucket-here",
    });

    const lines = await stdoutOf(() => handler({ trigger: "manual", regions: ["us-east-1"] }));

    expect(emf(lines)).toEqual([]);
  });
});

describe("an account id the report keys refuse", () => {
  it("still alerts, then fails naming the bucket (no key can be made for it)", async () => {
    // STS answering with a malformed account id: the keys never leave reports/<12 digits>/.
    const odd = await startFakeAws({
      account: { ...demoAccount(new Date()), accountId: "../12345" },
    });
    try {
      const handler = await coldStart(odd.url, { TOPIC_ARN });

      const outcome = await handler({ trigger: "manual", regions: ["us-east-1"] }).then(
        () => undefined,
        (err: unknown) => err as Error & { bucket?: string; key?: string },
      );

      expect(outcome?.name).toBe(ReportStoreError.name);
      expect(outcome?.bucket).toBe(BUCKET);
      expect(outcome?.key).toBe("");
      expect(outcome?.message).toMatch(/Invalid account id "\.\.\/12345"/);
      expect(odd.published).toHaveLength(1);
    } finally {
      await odd.close();
    }
  });
});

describe("the summary at scale", () => {
  let big: FakeAws;
  beforeAll(async () => {
    big = await startFakeAws({
      account: syntheticAccount({ instances: 10_000, loadBalancers: 200, now: new Date() }),
    });
  }, 60_000);
  afterAll(() => big?.close());

  it("stays under 8 KB for a 10,000-instance account, whose report is tens of megabytes", async () => {
    const handler = await coldStart(big.url);

    const summary: AuditSummary = await handler({ trigger: "manual" });

    const bytes = Buffer.byteLength(JSON.stringify(summary));
    expect(bytes).toBeLessThan(8 * 1024);
    if ("error" in summary.stored) throw new Error(summary.stored.error);
    const head = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: summary.report }),
    );
    expect(head.Contents?.[0]?.Size).toBeGreaterThan(6 * 1024 * 1024);
    expect(summary.summary.total).toBeGreaterThan(50_000);
    // Streamed up in parts (a multipart upload's ETag ends in -<parts>), and whole.
    expect(head.Contents?.[0]?.ETag).toMatch(/-\d+"?$/);
    const stored = JSON.parse((await getText(summary.stored.json)).body) as AuditReport;
    expect(stored.results).toHaveLength(summary.summary.total);
  }, 120_000);
});
