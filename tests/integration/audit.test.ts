/**
 * The whole audit over HTTP: the real SDK v3 clients against the local AWS fake serving the demo
 * account, through the engine, the CLI binary and the Lambda handler.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../shared/audit";
import { createAccountReader } from "../../shared/aws/reader";
import { parseConfig } from "../../shared/config";
import type { AuditReport } from "../../shared/model";
import { demoAccount } from "../fake-aws/accounts/demo";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { expectValidReport } from "../helpers/report-schema";

let fake: FakeAws;
const env = () => ({
  AWS_ENDPOINT_URL: fake.url,
  IP_RANGES: `${fake.url}/ip-ranges.json`,
  AWS_ACCESS_KEY_ID: "AKIDTEST",
  AWS_SECRET_ACCESS_KEY: "secret",
  AWS_REGION: "us-east-1",
  // One attempt: retries would hide an injected fault.
  AWS_MAX_ATTEMPTS: "1",
  // The demo's WordPress results are pinned in wordpress-audit.test.ts.
  WORDPRESS_INVENTORY: "off",
});

beforeAll(async () => {
  fake = await startFakeAws({ account: demoAccount(new Date()) });
  Object.assign(process.env, env());
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => fake.faults.clearFaults());

const audit = (raw: Parameters<typeof parseConfig>[0] = {}) =>
  runAudit(
    { reader: createAccountReader({ credentialReport: { initialDelayMs: 10 } }) },
    parseConfig({ ipRanges: `${fake.url}/ip-ranges.json`, wordpressInventory: "off", ...raw }),
  ).then(expectValidReport);

const rows = (report: AuditReport) =>
  report.results
    .map((r) => `${r.status} ${r.checkId} ${r.resource.region}/${r.resource.name}`)
    .sort();

/** Worked out by hand from the facts listed in tests/fake-aws/accounts/demo.ts (76 results). */
const DEMO_RESULTS = [
  "FAIL iam-root-mfa-enabled global/<root_account>",
  "FAIL iam-root-no-access-keys global/<root_account>",
  "FAIL iam-root-not-recently-used global/<root_account>",
  "PASS iam-admin-group-in-use global/123456789012",
  "FAIL iam-user-console-mfa-enabled global/editor",
  "PASS iam-user-console-mfa-enabled global/admin",
  "PASS iam-user-console-mfa-enabled global/deployer",
  "FAIL lightsail-instance-ssh-not-public us-east-1/wordpress-blog",
  "PASS lightsail-instance-ssh-not-public us-east-1/wordpress-shop",
  "FAIL lightsail-instance-ssh-not-public eu-west-2/agency-site",
  "FAIL lightsail-instance-ssh-not-public eu-west-2/client-staging",
  "FAIL lightsail-instance-ssh-not-public ap-southeast-2/legacy-site",
  "PASS lightsail-instance-ssh-not-public ap-southeast-2/mail-relay",
  "PASS lightsail-instance-admin-ports-not-public us-east-1/wordpress-blog",
  "PASS lightsail-instance-admin-ports-not-public us-east-1/wordpress-shop",
  "FAIL lightsail-instance-admin-ports-not-public eu-west-2/agency-site",
  "FAIL lightsail-instance-admin-ports-not-public eu-west-2/client-staging",
  "FAIL lightsail-instance-admin-ports-not-public ap-southeast-2/legacy-site",
  "PASS lightsail-instance-admin-ports-not-public ap-southeast-2/mail-relay",
  "PASS lightsail-instance-https-reachable us-east-1/wordpress-blog",
  "PASS lightsail-instance-https-reachable us-east-1/wordpress-shop",
  "PASS lightsail-instance-https-reachable eu-west-2/agency-site",
  "FAIL lightsail-instance-https-reachable eu-west-2/client-staging",
  "PASS lightsail-instance-https-reachable ap-southeast-2/legacy-site",
  "PASS lightsail-instance-auto-snapshots-enabled us-east-1/wordpress-blog",
  "PASS lightsail-instance-auto-snapshots-enabled us-east-1/wordpress-shop",
  "PASS lightsail-instance-auto-snapshots-enabled eu-west-2/agency-site",
  "FAIL lightsail-instance-auto-snapshots-enabled eu-west-2/client-staging",
  "FAIL lightsail-instance-auto-snapshots-enabled ap-southeast-2/legacy-site",
  "FAIL lightsail-instance-auto-snapshots-enabled ap-southeast-2/mail-relay",
  "PASS lightsail-instance-imdsv2-required us-east-1/wordpress-blog",
  "FAIL lightsail-instance-imdsv2-required us-east-1/wordpress-shop",
  "FAIL lightsail-instance-imdsv2-required eu-west-2/agency-site",
  "FAIL lightsail-instance-imdsv2-required eu-west-2/client-staging",
  "FAIL lightsail-instance-imdsv2-required ap-southeast-2/legacy-site",
  "PASS lightsail-instance-imdsv2-required ap-southeast-2/mail-relay",
  "PASS lightsail-instance-ssm-managed us-east-1/wordpress-blog",
  "PASS lightsail-instance-ssm-managed us-east-1/wordpress-shop",
  "PASS lightsail-instance-ssm-managed eu-west-2/agency-site",
  "FAIL lightsail-instance-ssm-managed eu-west-2/client-staging",
  "FAIL lightsail-instance-ssm-managed ap-southeast-2/legacy-site",
  "FAIL lightsail-instance-ssm-managed ap-southeast-2/mail-relay",
  "FAIL lightsail-instance-auto-updates-enforced us-east-1/wordpress-blog",
  "PASS lightsail-instance-auto-updates-enforced us-east-1/wordpress-shop",
  "FAIL lightsail-instance-auto-updates-enforced ap-southeast-2/mail-relay",
  "FAIL lightsail-lb-https-enabled us-east-1/shop-lb",
  "PASS lightsail-lb-https-enabled us-east-1/blog-lb",
  "PASS lightsail-lb-https-enabled eu-west-2/agency-lb",
  "PASS lightsail-lb-https-enabled ap-southeast-2/sydney-lb",
  "PASS lightsail-lb-http-redirects-to-https us-east-1/blog-lb",
  "FAIL lightsail-lb-http-redirects-to-https eu-west-2/agency-lb",
  "PASS lightsail-lb-http-redirects-to-https ap-southeast-2/sydney-lb",
  "PASS lightsail-lb-certificate-valid us-east-1/blog-lb",
  "PASS lightsail-lb-certificate-valid eu-west-2/agency-lb",
  "FAIL lightsail-lb-certificate-valid ap-southeast-2/sydney-lb",
  "FAIL lightsail-lb-tls-policy-current us-east-1/blog-lb",
  "FAIL lightsail-lb-tls-policy-current eu-west-2/agency-lb",
  "PASS lightsail-lb-tls-policy-current ap-southeast-2/sydney-lb",
  "PASS lightsail-distribution-https us-east-1/blog-cdn",
  "FAIL lightsail-distribution-https us-east-1/shop-cdn",
  "PASS lightsail-static-ip-attached us-east-1/wordpress-blog-ip",
  "FAIL lightsail-static-ip-attached eu-west-2/old-agency-ip",
  "PASS lightsail-database-not-public us-east-1/blog-db",
  "FAIL lightsail-database-not-public eu-west-2/agency-db",
  "PASS lightsail-database-backups-enabled us-east-1/blog-db",
  "FAIL lightsail-database-backups-enabled eu-west-2/agency-db",
  "PASS lightsail-database-minor-upgrades-on us-east-1/blog-db",
  "FAIL lightsail-database-minor-upgrades-on eu-west-2/agency-db",
  "PASS lightsail-bucket-not-public us-east-1/blog-media",
  "FAIL lightsail-bucket-not-public eu-west-2/agency-uploads",
  "PASS lightsail-bucket-versioning-enabled us-east-1/blog-media",
  "FAIL lightsail-bucket-versioning-enabled eu-west-2/agency-uploads",
  "PASS lightsail-bucket-access-keys-rotated us-east-1/blog-media",
  "FAIL lightsail-bucket-access-keys-rotated eu-west-2/agency-uploads",
  "FAIL lightsail-dns-no-dangling-records us-east-1/old-shop.example.com A 192.0.2.200",
  "FAIL lightsail-dns-no-dangling-records us-east-1/promo.example.com CNAME d0e1f2a3b4c5d6.cloudfront.net",
].sort();

describe("audit of the demo account over HTTP", () => {
  it("gives exactly the expected results, skips the disabled opt-in region, lists no failure", async () => {
    const report = await audit();
    expect(rows(report)).toEqual(DEMO_RESULTS);
    expect(report.accountId).toBe("123456789012");
    expect(report.regions.audited).toHaveLength(18);
    expect(report.regions.skipped).toEqual([
      {
        region: "ap-east-1",
        reason: "opt-in region not enabled for this account (UnrecognizedClientException)",
      },
    ]);
    expect(report.failures).toEqual([]);
    expect(report.summary).toMatchObject({ total: 76, incomplete: false });
    expect(report.summary.byStatus).toEqual({ PASS: 37, FAIL: 39, ERROR: 0, MUTED: 0 });
  });

  it("makes one call per page and per load balancer, none per instance; IAM calls per group; SSM calls per region and tagged node", async () => {
    fake.resetCalls();
    await audit();
    const lightsail = fake.calls.filter((c) => c.service === "lightsail");
    const count = (op: string) => lightsail.filter((c) => c.operation === op).length;
    expect(count("GetInstances")).toBe(19); // one page in each region (demo regions hold < 25)
    expect(count("GetLoadBalancers")).toBe(19);
    expect(count("GetLoadBalancerTlsPolicies")).toBe(19); // one page per region
    expect(count("GetStaticIps")).toBe(19); // one page per region
    expect(count("GetRelationalDatabases")).toBe(19); // one page per region
    expect(count("GetBuckets")).toBe(19); // one page per region
    expect(count("GetBucketAccessKeys")).toBe(2); // one per bucket
    expect(count("GetLoadBalancerTlsCertificates")).toBe(4);
    expect(
      lightsail
        .filter((c) => ["GetDistributions", "GetCertificates", "GetDomains"].includes(c.operation))
        .every((c) => c.region === "us-east-1"),
    ).toBe(true);
    expect(new Set(lightsail.map((c) => c.operation))).toEqual(
      new Set([
        "GetInstances",
        "GetLoadBalancers",
        "GetLoadBalancerTlsCertificates",
        "GetLoadBalancerTlsPolicies",
        "GetStaticIps",
        "GetRelationalDatabases",
        "GetBuckets",
        "GetBucketAccessKeys",
        "GetDistributions",
        "GetCertificates",
        "GetDomains",
      ]),
    );
    expect(count("GetDomains")).toBe(1); // one page, us-east-1 only
    // ip-ranges.json: one read per audit.
    expect(fake.calls.filter((c) => c.service === "ip-ranges")).toHaveLength(1);
    // Groups: one ListGroups page, one policy page per group (3), members of the 2 admin groups.
    const iam = fake.calls.filter((c) => c.service === "iam");
    const iamCount = (op: string) => iam.filter((c) => c.operation === op).length;
    expect([
      iamCount("ListGroups"),
      iamCount("ListAttachedGroupPolicies"),
      iamCount("GetGroup"),
    ]).toEqual([1, 3, 2]);
    // SSM: one hybrid-node page per region (19, the disabled one included), a tagged-node page
    // where there are nodes (us-east-1, eu-west-2), tags of each tagged node (the 2 in us-east-1),
    // and the document's runs where there are nodes: nothing per Lightsail instance.
    const ssm = fake.calls.filter((c) => c.service === "ssm");
    const ssmCount = (op: string) => ssm.filter((c) => c.operation === op).length;
    expect([
      ssmCount("DescribeInstanceInformation"),
      ssmCount("ListTagsForResource"),
      ssmCount("ListCommandInvocations"),
      ssm.length,
    ]).toEqual([19 + 2, 2, 2, 25]);
  });

  it("a throttled region yields ERROR for that region and a listed failure; the rest is unchanged", async () => {
    fake.faults.addFault({
      service: "lightsail",
      region: "eu-west-2",
      operation: "GetInstances",
      kind: "throttle",
    });
    const report = await audit();
    // Every instance check loses its eu-west-2 results and says so once for the region.
    const instanceChecks = [
      "lightsail-instance-ssh-not-public",
      "lightsail-instance-admin-ports-not-public",
      "lightsail-instance-https-reachable",
      "lightsail-instance-auto-snapshots-enabled",
      "lightsail-instance-imdsv2-required",
      "lightsail-instance-ssm-managed",
      "lightsail-instance-auto-updates-enforced",
    ];
    const expected = DEMO_RESULTS.filter(
      (r) => !/lightsail-instance-.* eu-west-2\//.test(r) && !r.includes("old-shop.example.com"),
    );
    expected.push(...instanceChecks.map((id) => `ERROR ${id} eu-west-2/eu-west-2`));
    // An eu-west-2 instance might hold the record's EC2 address: unknown, not dangling.
    expected.push(
      "ERROR lightsail-dns-no-dangling-records us-east-1/old-shop.example.com A 192.0.2.200",
    );
    expect(rows(report)).toEqual(expected.sort());
    expect(report.failures).toEqual([
      expect.objectContaining({
        source: "lightsail",
        region: "eu-west-2",
        operation: "GetInstances",
        errorName: "ThrottlingException",
      }),
    ]);
    expect(report.summary.incomplete).toBe(true);
  });

  it("access denied on the credential report: root and user checks that need it are ERROR, never PASS", async () => {
    fake.faults.addFault({
      service: "iam",
      operation: "GetCredentialReport",
      kind: "access-denied",
    });
    const report = await audit();
    const iam = rows(report).filter((r) => r.includes(" iam-"));
    expect(iam).toEqual([
      "ERROR iam-root-not-recently-used global/<root_account>",
      "ERROR iam-user-console-mfa-enabled global/credential-report",
      "FAIL iam-root-mfa-enabled global/<root_account>", // still known from GetAccountSummary
      "FAIL iam-root-no-access-keys global/<root_account>", // AccountAccessKeysPresent = 1
      "PASS iam-admin-group-in-use global/123456789012", // groups do not need the report
    ]);
    expect(report.failures).toEqual([
      expect.objectContaining({
        source: "iam",
        region: "global",
        operation: "GetCredentialReport",
        errorName: "AccessDenied",
      }),
    ]);
  });

  it("access denied on GetGroup: the admin-group check is ERROR and the failure is listed", async () => {
    fake.faults.addFault({ service: "iam", operation: "GetGroup", kind: "access-denied" });

    const report = await audit({ regions: "us-east-1", checks: "iam-admin-group-in-use" });

    expect(rows(report)).toEqual(["ERROR iam-admin-group-in-use global/123456789012"]);
    expect(report.failures).toEqual([
      expect.objectContaining({
        source: "iam",
        operation: "ListGroups",
        errorName: "AccessDenied",
      }),
    ]);
  });

  it("throttled TLS policies in a region: that region's HTTPS load balancers are ERROR for the TLS check only", async () => {
    fake.faults.addFault({
      service: "lightsail",
      region: "eu-west-2",
      operation: "GetLoadBalancerTlsPolicies",
      kind: "throttle",
    });

    const report = await audit({
      regions: "eu-west-2,ap-southeast-2",
      checks: "lightsail-lb-tls-policy-current",
    });

    expect(rows(report)).toEqual([
      "ERROR lightsail-lb-tls-policy-current eu-west-2/agency-lb",
      "PASS lightsail-lb-tls-policy-current ap-southeast-2/sydney-lb",
    ]);
  });

  it("a load balancer whose certificates cannot be read is ERROR, the others keep their result", async () => {
    fake.faults.addFault({
      service: "lightsail",
      operation: "GetLoadBalancerTlsCertificates",
      region: "eu-west-2",
      kind: "http-500",
    });
    const report = await audit({
      regions: "eu-west-2",
      checks: "lightsail-lb-https-enabled,lightsail-lb-http-redirects-to-https",
    });
    expect(rows(report)).toEqual([
      "ERROR lightsail-lb-http-redirects-to-https eu-west-2/agency-lb",
      "ERROR lightsail-lb-https-enabled eu-west-2/agency-lb",
    ]);
    expect(report.failures[0]).toMatchObject({
      operation: "GetLoadBalancerTlsCertificates",
      resource: "agency-lb",
    });
  });
});

describe("the CLI binary against the fake", () => {
  const bin = fileURLToPath(new URL("../../bin/lightsail-audit.mjs", import.meta.url));

  it("lightsail-audit --format json --fail-on high exits 2 with the demo report on stdout", async () => {
    const run = promisify(execFile)(
      process.execPath,
      [bin, "--format", "json", "--fail-on", "high"],
      {
        env: { ...process.env, ...env() },
      },
    );
    const err = await run.then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(rows(JSON.parse(err?.stdout ?? "{}") as AuditReport)).toEqual(DEMO_RESULTS);
  });
});
