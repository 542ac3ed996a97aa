/**
 * What moto's Security Hub cannot show: a hub that is not enabled (moto imports anyway) and
 * throttling. A loopback server answers the real SecurityHubClient as Security Hub does (REST
 * JSON, the error type in `x-amzn-ErrorType`); the SDK's own retry handles the throttling.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createSecurityHubImporter,
  MAX_BATCH_BYTES,
  MAX_FINDING_BYTES,
} from "../../shared/aws/security-hub";
import { buildSnsAlert } from "../../shared/notify/message";
import { toAsff } from "../../shared/report/asff";
import { exportToSecurityHub, withFailures } from "../../shared/report/security-hub";
import { hostile, hostileSnapshot } from "../helpers/hostile";
import { reportFrom } from "../helpers/report";

/** Each request to /findings/import gets the next answer: [status, error type or "", body]. */
let answers: [number, string, unknown][] = [];
let requests: { path: string; findings: number; bytes: number }[] = [];
let server: Server;
let url: string;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      const findings = (JSON.parse(body || "{}") as { Findings?: unknown[] }).Findings ?? [];
      requests.push({
        path: req.url ?? "",
        findings: findings.length,
        bytes: Buffer.byteLength(body),
      });
      const [status, errorType, payload] = answers.shift() ?? [
        200,
        "",
        { FailedCount: 0, SuccessCount: findings.length, FailedFindings: [] },
      ];
      res.writeHead(status, {
        "content-type": "application/json",
        ...(errorType ? { "x-amzn-ErrorType": errorType } : {}),
      });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = {
    AWS_ENDPOINT_URL_SECURITYHUB: url,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_MAX_ATTEMPTS: "3",
  };
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  answers = [];
  requests = [];
});

const report = () => reportFrom(hostileSnapshot(hostile));
const send = (r = report()) =>
  exportToSecurityHub(createSecurityHubImporter("us-east-1"), r, {
    region: "us-east-1",
    checksRun: Object.keys(r.checks),
    now: new Date(),
  });

describe("Security Hub errors (loopback server)", () => {
  it("a hub that is not enabled is one clear failure; nothing more is sent and the run goes on", async () => {
    answers = [
      [
        403,
        "InvalidAccessException",
        {
          Code: "InvalidAccessException",
          Message: "Account 123456789012 is not subscribed to AWS Security Hub",
        },
      ],
    ];
    const r = report();

    const exported = await send(r);

    expect(requests).toHaveLength(1); // not retried, and no further batch
    expect(exported.outcome.notEnabled).toMatch(
      /^InvalidAccessException: Account .* not subscribed/,
    );
    expect(exported.failures).toEqual([
      {
        source: "securityhub",
        region: "us-east-1",
        operation: "BatchImportFindings",
        errorName: "InvalidAccessException",
        message: `Security Hub is not enabled in this account in us-east-1, so the ${r.results.length} findings could not be sent to Security Hub. Enable it (aws securityhub enable-security-hub --region us-east-1) or set securityHub to off.`,
      },
    ]);
    expect(exported.line).toMatch(
      /^Security Hub \(123456789012, us-east-1\): not enabled; no finding sent/,
    );
    // The alert says so.
    const withHub = withFailures(r, exported.failures);
    expect(withHub.summary.incomplete).toBe(true);
    const alert = buildSnsAlert({
      report: withHub,
      diff: { new: [], stillOpen: [], resolved: [], renotify: [] },
      smsMinSeverity: "high",
      onDemandHint: "npx lightsail-audit",
    });
    expect(JSON.parse(alert.message).email).toContain("could not be sent to Security Hub");
  });

  it("throttling is retried by the SDK and the import completes", async () => {
    answers = [
      [429, "LimitExceededException", { Message: "Rate exceeded" }],
      [429, "LimitExceededException", { Message: "Rate exceeded" }],
    ];
    const r = report();

    const exported = await send(r);

    expect(exported.failures).toEqual([]);
    expect(requests.map((q) => q.path)).toEqual([
      "/findings/import",
      "/findings/import",
      "/findings/import",
    ]);
    // The SDK's retries are one call to us.
    expect(exported.outcome).toEqual({ imported: r.results.length, failed: [], calls: 1 });
  });

  it("starts no request after the run's deadline: the findings are listed as not sent", async () => {
    const r = report();

    const exported = await exportToSecurityHub(createSecurityHubImporter("us-east-1"), r, {
      region: "us-east-1",
      checksRun: Object.keys(r.checks),
      now: new Date(),
      deadline: Date.now() - 1,
    });

    expect(requests).toEqual([]);
    expect(exported.outcome.calls).toBe(0);
    expect(exported.outcome.failed).toHaveLength(r.results.length);
    expect(exported.failures[0]).toMatchObject({
      errorName: "DeadlineExceeded",
      message: expect.stringMatching(
        new RegExp(
          `^${r.results.length} of ${r.results.length} findings could not be sent to Security Hub`,
        ),
      ),
    });
  });

  it("keeps every request under 6 MB and never sends a finding over 240 KB", async () => {
    const r = report();
    const [model] = toAsff(r, { region: "us-east-1" });
    // 60 findings of about 200 KB (a long ProductFields value), and one over 240 KB.
    const big = (i: number, size: number) => ({
      ...(model as NonNullable<typeof model>),
      Id: `big-${i}`,
      ProductFields: { padding: "x".repeat(size) },
    });
    const findings = [
      ...Array.from({ length: 60 }, (_, i) => big(i, 200_000)),
      big(60, MAX_FINDING_BYTES),
    ];

    const outcome = await createSecurityHubImporter("us-east-1")(findings);

    expect(requests.every((q) => q.bytes <= MAX_BATCH_BYTES)).toBe(true);
    expect(requests.map((q) => q.findings)).toEqual([31, 29]);
    expect(outcome.imported).toBe(60);
    expect(outcome.failed).toEqual([
      {
        id: "big-60",
        errorCode: "FindingTooLarge",
        message: expect.stringMatching(/over Security Hub's 240 KB/),
      },
    ]);
  });

  it("findings failed twice become one failure naming how many and why", async () => {
    const r = report();
    const failed = (id: string) => ({
      FailedCount: 1,
      SuccessCount: r.results.length - 1,
      FailedFindings: [{ Id: id, ErrorCode: "InternalError", ErrorMessage: "try again" }],
    });
    const id = toAsff(r, { region: "us-east-1" })[0]?.Id ?? "";
    answers = [
      [200, "", failed(id)],
      [
        200,
        "",
        {
          FailedCount: 1,
          SuccessCount: 0,
          FailedFindings: [{ Id: id, ErrorCode: "InternalError", ErrorMessage: "try again" }],
        },
      ],
    ];

    const exported = await send(r);

    expect(requests.map((q) => q.findings)).toEqual([r.results.length, 1]);
    expect(exported.failures[0]?.message).toBe(
      `1 of ${r.results.length} findings could not be sent to Security Hub (retried once), e.g. ${id}: InternalError: try again`,
    );
  });
});
