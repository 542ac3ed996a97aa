/**
 * Every fault class the local fake can inject, through the real SDK clients and the whole audit:
 * the affected scope is ERROR and listed, nothing else changes, retries are bounded, the alert
 * still goes out and says "incomplete", and only a missing report or a failed alert fails the run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../shared/audit";
import { createAccountReader } from "../../shared/aws/reader";
import { type CliIo, main } from "../../shared/cli";
import { parseConfig } from "../../shared/config";
import { AlertDeliveryError, AuditFailedError } from "../../shared/errors";
import type { AuditReport } from "../../shared/model";
import { processAlert } from "../../shared/notify/notify";
import { demoAccount } from "../fake-aws/accounts/demo";
import type { FaultRule } from "../fake-aws/faults";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { expectValidReport } from "../helpers/report-schema";

let fake: FakeAws;
let baseline: string[];

beforeAll(async () => {
  fake = await startFakeAws({ account: demoAccount(new Date()) });
  // Default SDK retries (3 attempts), as in production.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    IP_RANGES: `${fake.url}/ip-ranges.json`,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
  });
  delete process.env.AWS_MAX_ATTEMPTS;
  baseline = rows(await audit());
});
afterAll(() => fake?.close());
afterEach(() => {
  fake.faults.clearFaults();
});

function audit(options: { deadline?: number; requestTimeoutMs?: number } = {}) {
  const reader = createAccountReader({
    requestTimeoutMs: options.requestTimeoutMs ?? 2_000,
    credentialReport: { initialDelayMs: 20, maxWaitMs: 200 },
  });
  return runAudit(
    { reader, deadline: options.deadline },
    parseConfig({ ipRanges: `${fake.url}/ip-ranges.json` }),
  ).then(expectValidReport);
}
const rows = (report: AuditReport) =>
  report.results
    .map((r) => `${r.status} ${r.checkId} ${r.resource.region}/${r.resource.name}`)
    .sort();
const attempts = (operation: string, region?: string) =>
  fake.calls.filter(
    (c) => c.operation === operation && (region === undefined || c.region === region),
  ).length;

/** The checks that need a region's instances, and those that need its load balancers (sorted). */
const INSTANCE_CHECKS = [
  "lightsail-instance-admin-ports-not-public",
  "lightsail-instance-auto-snapshots-enabled",
  "lightsail-instance-auto-updates-enforced",
  "lightsail-instance-https-reachable",
  "lightsail-instance-imdsv2-required",
  "lightsail-instance-ssh-not-public",
  "lightsail-instance-ssm-managed",
  "wordpress-config-not-world-readable",
  "wordpress-core-auto-updates-on",
  "wordpress-core-not-insecure",
  "wordpress-debug-output-off",
  "wordpress-file-editing-disabled",
  "wordpress-plugins-up-to-date",
  "wordpress-themes-up-to-date",
];
/**
 * The demo's DNS records that cannot be judged while a region's instances are unknown: those in
 * its EC2 range that no instance or static IP known so far holds (lightsail-dns-no-dangling-records).
 */
const DNS_UNKNOWN: Record<string, string[]> = {
  "us-east-1": [
    "blog.example.com AAAA 2001:db8:2153:4b00:7220:92c2:1c41:1f0f",
    "old-shop.example.com A 192.0.2.200",
  ],
  "eu-west-2": ["old-shop.example.com A 192.0.2.200"],
  "ap-southeast-2": ["old-shop.example.com A 192.0.2.200"],
};
/** The rows a region whose instances are unknown adds: its instance checks, and the DNS records. */
const instancesUnknown = (region: string) =>
  [
    ...INSTANCE_CHECKS.map((id) => `ERROR ${id} ${region}/${region}`),
    ...(DNS_UNKNOWN[region] ?? []).map(
      (name) => `ERROR lightsail-dns-no-dangling-records us-east-1/${name}`,
    ),
  ].sort();
const LB_CHECKS = [
  "lightsail-lb-certificate-valid",
  "lightsail-lb-http-redirects-to-https",
  "lightsail-lb-https-enabled",
  "lightsail-lb-tls-policy-current",
];

/** Results that changed from the fault-free baseline. */
function changed(report: AuditReport) {
  const now = rows(report);
  return {
    gone: baseline.filter((r) => !now.includes(r)),
    added: now.filter((r) => !baseline.includes(r)),
  };
}

describe("transient faults are retried by the SDK and leave no trace", () => {
  it.each<[string, FaultRule]>([
    [
      "throttling (400)",
      {
        service: "lightsail",
        operation: "GetInstances",
        region: "us-east-1",
        kind: "throttle",
        times: 2,
      },
    ],
    [
      "throttling (429)",
      {
        service: "lightsail",
        operation: "GetInstances",
        region: "us-east-1",
        kind: "throttle-429",
        times: 2,
      },
    ],
    [
      "HTTP 500",
      {
        service: "lightsail",
        operation: "GetInstances",
        region: "us-east-1",
        kind: "http-500",
        times: 2,
      },
    ],
    [
      "HTTP 503",
      {
        service: "lightsail",
        operation: "GetInstances",
        region: "us-east-1",
        kind: "http-503",
        times: 2,
      },
    ],
  ])("%s twice, then success: same results, 3 attempts, no failure", async (_, rule) => {
    fake.faults.addFault(rule);
    fake.resetCalls();
    const report = await audit();
    expect(rows(report)).toEqual(baseline);
    expect(report.failures).toEqual([]);
    expect(attempts("GetInstances", "us-east-1")).toBe(3);
  });
});

describe("persistent faults: that scope is ERROR and listed, the rest unchanged", () => {
  it("throttling that never stops: 3 attempts, then ERROR for the region's load balancers", async () => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "GetLoadBalancers",
      region: "eu-west-2",
      kind: "throttle-429",
    });
    fake.resetCalls();
    const report = await audit();
    expect(attempts("GetLoadBalancers", "eu-west-2")).toBe(3);
    // The load-balancer checks, and the HTTPS check (it needs to know what fronts an instance).
    expect(changed(report)).toEqual({
      gone: [
        "FAIL lightsail-instance-https-reachable eu-west-2/client-staging",
        "FAIL lightsail-lb-http-redirects-to-https eu-west-2/agency-lb",
        "FAIL lightsail-lb-tls-policy-current eu-west-2/agency-lb",
        "PASS lightsail-instance-https-reachable eu-west-2/agency-site",
        "PASS lightsail-lb-certificate-valid eu-west-2/agency-lb",
        "PASS lightsail-lb-https-enabled eu-west-2/agency-lb",
      ],
      added: [
        "ERROR lightsail-instance-https-reachable eu-west-2/eu-west-2",
        "ERROR lightsail-lb-certificate-valid eu-west-2/eu-west-2",
        "ERROR lightsail-lb-http-redirects-to-https eu-west-2/eu-west-2",
        "ERROR lightsail-lb-https-enabled eu-west-2/eu-west-2",
        "ERROR lightsail-lb-tls-policy-current eu-west-2/eu-west-2",
      ],
    });
    expect(report.failures).toEqual([
      expect.objectContaining({
        region: "eu-west-2",
        operation: "GetLoadBalancers",
        errorName: "ThrottlingException",
      }),
    ]);
  });

  it("access denied to a whole region: not retried, every Lightsail check there is ERROR", async () => {
    fake.faults.addFault({ service: "lightsail", region: "ap-southeast-2", kind: "access-denied" });
    fake.resetCalls();
    const report = await audit();
    expect(attempts("GetInstances", "ap-southeast-2")).toBe(1);
    expect(changed(report).added).toEqual(
      [
        ...INSTANCE_CHECKS,
        ...LB_CHECKS,
        "lightsail-static-ip-attached",
        "lightsail-database-not-public",
        "lightsail-database-backups-enabled",
        "lightsail-database-minor-upgrades-on",
        "lightsail-bucket-not-public",
        "lightsail-bucket-versioning-enabled",
        "lightsail-bucket-access-keys-rotated",
      ]
        .map((id) => `ERROR ${id} ap-southeast-2/ap-southeast-2`)
        .concat(instancesUnknown("ap-southeast-2").filter((row) => row.includes("dns")))
        .sort(),
    );
    // The dangling record is now unknown: the region's instances might hold its address.
    expect(
      changed(report).gone.every(
        (r) => r.includes("ap-southeast-2/") || r.includes("old-shop.example.com"),
      ),
    ).toBe(true);
    expect(report.failures.map((f) => [f.region, f.operation, f.errorName])).toEqual([
      ["ap-southeast-2", "GetBuckets", "AccessDeniedException"],
      ["ap-southeast-2", "GetInstances", "AccessDeniedException"],
      ["ap-southeast-2", "GetLoadBalancers", "AccessDeniedException"],
      ["ap-southeast-2", "GetLoadBalancerTlsPolicies", "AccessDeniedException"],
      ["ap-southeast-2", "GetRelationalDatabases", "AccessDeniedException"],
      ["ap-southeast-2", "GetStaticIps", "AccessDeniedException"],
    ]);
  });

  it("a malformed body: the call fails, nothing is guessed from it", async () => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "GetInstances",
      region: "us-east-1",
      kind: "malformed",
    });
    const report = await audit();
    expect(changed(report).added).toEqual(instancesUnknown("us-east-1"));
    expect(report.failures).toEqual([
      expect.objectContaining({ region: "us-east-1", operation: "GetInstances" }),
    ]);
  });

  it("a connection that hangs: each attempt times out, then ERROR", async () => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "GetInstances",
      region: "eu-west-2",
      kind: "hang",
    });
    fake.resetCalls();
    const report = await audit({ requestTimeoutMs: 1_000 });
    expect(attempts("GetInstances", "eu-west-2")).toBe(3);
    expect(changed(report).added).toEqual(instancesUnknown("eu-west-2"));
    expect(report.failures).toEqual([
      expect.objectContaining({
        region: "eu-west-2",
        operation: "GetInstances",
        errorName: "TimeoutError",
      }),
    ]);
  });

  it("IAM summary unavailable (500): root MFA still known from the credential report", async () => {
    fake.faults.addFault({ service: "iam", operation: "GetAccountSummary", kind: "http-500" });
    const report = await audit();
    expect(rows(report)).toContain("FAIL iam-root-mfa-enabled global/<root_account>");
    expect(report.failures).toEqual([
      expect.objectContaining({ source: "iam", operation: "GetAccountSummary" }),
    ]);
  });

  it("a credential report that stays in progress: the checks that need it are ERROR", async () => {
    // A fresh fake: this one already generated its report for the baseline.
    const slow = await startFakeAws({
      account: demoAccount(new Date()),
      credentialReportPolls: 1_000,
    });
    process.env.AWS_ENDPOINT_URL = slow.url;
    try {
      const report = await audit();
      expect(changed(report).added).toEqual([
        "ERROR iam-root-not-recently-used global/<root_account>",
        "ERROR iam-user-console-mfa-enabled global/credential-report",
      ]);
      expect(report.failures).toEqual([
        expect.objectContaining({
          operation: "GetCredentialReport",
          errorName: "CredentialReportTimeout",
        }),
      ]);
    } finally {
      process.env.AWS_ENDPOINT_URL = fake.url;
      await slow.close();
    }
  });
});

describe("listings that never end: stopped, that scope ERROR, the report incomplete", () => {
  it("a Lightsail token that repeats: stopped at the second page, the region's instance checks ERROR", async () => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "GetInstances",
      region: "eu-west-2",
      kind: "same-page-token",
    });
    fake.resetCalls();
    const report = await audit();
    expect(attempts("GetInstances", "eu-west-2")).toBe(2);
    expect(changed(report).added).toEqual(instancesUnknown("eu-west-2"));
    expect(report.summary.incomplete).toBe(true);
    expect(report.failures).toEqual([
      {
        source: "lightsail",
        region: "eu-west-2",
        operation: "GetInstances",
        errorName: "RepeatedPageToken",
        message:
          "GetInstances returned a page token it had already returned (after 2 pages): the listing would never end",
      },
    ]);
    const ssh = report.results.find(
      (r) => r.checkId === "lightsail-instance-ssh-not-public" && r.status === "ERROR",
    );
    expect(ssh?.message).toContain("(RepeatedPageToken: GetInstances returned a page token");
  });

  it("a new Lightsail token forever: stopped after 1,000 pages", async () => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "GetLoadBalancers",
      region: "us-east-1",
      kind: "new-page-token",
    });
    fake.resetCalls();
    const report = await audit();
    expect(attempts("GetLoadBalancers", "us-east-1")).toBe(1_000);
    expect(changed(report).added).toEqual(
      expect.arrayContaining(LB_CHECKS.map((id) => `ERROR ${id} us-east-1/us-east-1`)),
    );
    expect(report.failures).toEqual([
      expect.objectContaining({
        region: "us-east-1",
        operation: "GetLoadBalancers",
        errorName: "PageLimitExceeded",
        message:
          "GetLoadBalancers still had more pages after 1000 pages: stopped (no real account has that many)",
      }),
    ]);
  });

  it("SSM and IAM paginators are guarded too", async () => {
    fake.faults.addFault({
      service: "ssm",
      operation: "DescribeInstanceInformation",
      region: "eu-west-2",
      kind: "same-page-token",
    });
    fake.faults.addFault({ service: "iam", operation: "ListGroups", kind: "same-page-token" });
    fake.resetCalls();
    const report = await audit();
    expect(attempts("DescribeInstanceInformation", "eu-west-2")).toBe(2);
    expect(attempts("ListGroups")).toBe(2);
    expect(report.failures.map((f) => [f.region, f.operation, f.errorName])).toEqual([
      ["global", "ListGroups", "RepeatedPageToken"],
      ["eu-west-2", "DescribeInstanceInformation", "RepeatedPageToken"],
    ]);
  });
});

describe("an answer without its list is a failure, never 'no resources'", () => {
  it.each<[FaultRule["kind"], string]>([
    ["empty-200", "an empty body"],
    ["no-list", "a body without `instances`"],
  ])("%s (%s): the region's instance checks ERROR", async (kind) => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "GetInstances",
      region: "us-east-1",
      kind,
    });
    const report = await audit();
    expect(changed(report).added).toEqual(instancesUnknown("us-east-1"));
    expect(report.summary.incomplete).toBe(true);
    expect(report.failures).toEqual([
      {
        source: "lightsail",
        region: "us-east-1",
        operation: "GetInstances",
        errorName: "MissingListMember",
        message: "GetInstances answered without its `instances` list (page 1)",
      },
    ]);
  });

  it("a load-balancer listing without `loadBalancers`: the region's load-balancer checks ERROR", async () => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "GetLoadBalancers",
      region: "eu-west-2",
      kind: "no-list",
    });
    const report = await audit();
    expect(changed(report).added).toEqual(
      expect.arrayContaining(LB_CHECKS.map((id) => `ERROR ${id} eu-west-2/eu-west-2`)),
    );
    expect(report.failures).toEqual([
      expect.objectContaining({ operation: "GetLoadBalancers", errorName: "MissingListMember" }),
    ]);
  });
});

describe("deadline", () => {
  it("stops starting work at the deadline, aborts calls in flight, and still makes the report", async () => {
    // Margins wide enough for a loaded CI machine: STS and IAM answer well before the deadline,
    // every Lightsail call (3 s) is still in flight when it fires.
    fake.faults.addFault({ service: "lightsail", kind: "latency", latencyMs: 3_000 });
    const started = Date.now();
    const report = await audit({ deadline: started + 1_000 });
    expect(report.summary.incomplete).toBe(true);
    expect(report.failures.length).toBeGreaterThan(0);
    expect(report.failures.every((f) => f.errorName === "DeadlineExceeded")).toBe(true);
    expect(
      report.results.some((r) => r.checkId.startsWith("lightsail-") && r.status === "PASS"),
    ).toBe(false);
    // The alert owed for an incomplete audit is still sent, and says so.
    const sent: string[] = [];
    const outcome = await processAlert(
      {
        publish: async (a) => {
          sent.push(a.message);
          return "m";
        },
        now: () => new Date(),
      },
      report,
      {
        notifyMode: "on-change",
        smsMinSeverity: "high",
        renotifyDays: 7,
        checksRun: [],
        onDemandHint: "x",
      },
    );
    expect(outcome.alert.subject).toContain("audit incomplete");
    expect(JSON.parse(sent[0] ?? "{}").email).toContain("stopped at the audit's time limit");
  });
});

describe("the CLI's --timeout", () => {
  it("ends the audit like the Lambda's deadline: calls aborted, the report made and incomplete", async () => {
    fake.faults.addFault({ service: "lightsail", kind: "latency", latencyMs: 3_000 });
    const out = { text: "" };
    const err = { text: "" };
    const io: CliIo = {
      stdout: { write: (s: string) => (out.text += s) },
      stderr: { write: (s: string) => (err.text += s) },
      env: { IP_RANGES: `${fake.url}/ip-ranges.json` },
    };
    const started = Date.now();
    const code = await main(
      ["--timeout", "1", "--regions", "us-east-1", "--format", "json", "--fail-on", "critical"],
      io,
    );
    const report = expectValidReport(JSON.parse(out.text) as AuditReport);
    // Well under the 3 s every Lightsail answer takes.
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(report.summary.incomplete).toBe(true);
    expect(report.failures.length).toBeGreaterThan(0);
    expect(report.failures.every((f) => f.errorName === "DeadlineExceeded")).toBe(true);
    expect([2, 3]).toContain(code);
  });

  it.each(["0", "1.5", "0x10", "", "86401"])("rejects --timeout %j, naming it", async (bad) => {
    const err = { text: "" };
    const io: CliIo = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err.text += s) },
      env: {},
    };
    expect(await main(["--timeout", bad], io)).toBe(1);
    expect(err.text).toContain(
      `--timeout must be a whole number of seconds from 1 to 86400, got "${bad}"`,
    );
  });
});

describe("when the run itself fails", () => {
  it("fails when the account cannot be identified (no report is possible)", async () => {
    fake.faults.addFault({ service: "sts", kind: "http-503" });
    await expect(audit()).rejects.toThrow(AuditFailedError);
  });

  it("fails when the alert it owes cannot be published", async () => {
    const report = await audit();
    const failing = async () => {
      throw Object.assign(new Error("Topic does not exist"), { name: "NotFoundException" });
    };
    await expect(
      processAlert({ publish: failing, now: () => new Date() }, report, {
        notifyMode: "on-change",
        smsMinSeverity: "high",
        renotifyDays: 7,
        checksRun: [],
        onDemandHint: "x",
      }),
    ).rejects.toThrow(AlertDeliveryError);
  });
});
