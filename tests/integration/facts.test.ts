/**
 * Each check declares the snapshot facts it reads (`reads`), and an audit collects only the union
 * of the selected checks' facts. The proof that the declarations are right: over HTTP, with the
 * real SDK, against the local fake serving the demo account, every check run alone (so with only
 * its declared facts collected) gives exactly the results it gives in a full audit, makes only
 * the calls of those facts, and reads no other fact of a full snapshot. Then the call counts of
 * the CLI's `--only`.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, factsToCollect, runAudit } from "../../shared/audit";
import { createAccountReader } from "../../shared/aws/reader";
import { LIGHTSAIL_REGIONS } from "../../shared/aws/regions";
import { lookUpWordPressOrg } from "../../shared/aws/wordpress-org";
import { CHECKS } from "../../shared/checks/index";
import { collectSnapshot } from "../../shared/collect/snapshot";
import { parseConfig } from "../../shared/config";
import { type AccountSnapshot, type AuditReport, FACTS, type Fact } from "../../shared/model";
import { demoAccount } from "../fake-aws/accounts/demo";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { type FakeWordPressOrg, startFakeWordPressOrg } from "../fake-aws/wordpress-org";
import { context } from "../helpers/snapshot";

let fake: FakeAws;
let org: FakeWordPressOrg;
const env = () => ({
  AWS_ENDPOINT_URL: fake.url,
  IP_RANGES: `${fake.url}/ip-ranges.json`,
  AWS_ACCESS_KEY_ID: "AKIDTEST",
  AWS_SECRET_ACCESS_KEY: "secret",
  AWS_REGION: "us-east-1",
  AWS_MAX_ATTEMPTS: "1",
});

beforeAll(async () => {
  fake = await startFakeAws({ account: demoAccount(new Date()) });
  org = await startFakeWordPressOrg();
  Object.assign(process.env, env());
});
afterAll(async () => {
  await fake?.close();
  await org?.stop();
});

const reader = () => createAccountReader({ credentialReport: { initialDelayMs: 10 } });
const audit = (raw: Parameters<typeof parseConfig>[0] = {}) =>
  runAudit(
    { reader: reader() },
    parseConfig({ ipRanges: `${fake.url}/ip-ranges.json`, wordpressOrgUrl: org.url, ...raw }),
  );

/** The API operations each fact costs (ListTagsForResource: the tags of tagged SSM nodes). */
const OPERATIONS: Record<Fact, string[]> = {
  credentialReport: ["iam:GenerateCredentialReport", "iam:GetCredentialReport"],
  accountSummary: ["iam:GetAccountSummary"],
  rootVirtualMfaSerials: ["iam:ListVirtualMFADevices"],
  adminGroups: ["iam:ListGroups", "iam:ListAttachedGroupPolicies", "iam:GetGroup"],
  instances: ["lightsail:GetInstances"],
  loadBalancers: ["lightsail:GetLoadBalancers", "lightsail:GetLoadBalancerTlsCertificates"],
  tlsPolicies: ["lightsail:GetLoadBalancerTlsPolicies"],
  staticIps: ["lightsail:GetStaticIps"],
  databases: ["lightsail:GetRelationalDatabases"],
  buckets: ["lightsail:GetBuckets"],
  bucketAccessKeys: ["lightsail:GetBuckets", "lightsail:GetBucketAccessKeys"],
  managedNodes: ["ssm:DescribeInstanceInformation", "ssm:ListTagsForResource"],
  patchRuns: [
    "ssm:DescribeInstanceInformation",
    "ssm:ListTagsForResource",
    "ssm:ListCommandInvocations",
  ],
  distributions: ["lightsail:GetDistributions"],
  certificates: ["lightsail:GetCertificates"],
  domains: ["lightsail:GetDomains"],
  awsIpRanges: ["ip-ranges:GetIpRanges"],
  // And the act stage's SendCommand: an audit that reads the inventories starts the next one.
  wordpressInventories: [
    "ssm:DescribeInstanceInformation",
    "ssm:ListTagsForResource",
    "ssm:ListCommandInvocations",
    "ssm:GetCommandInvocation",
    "ssm:SendCommand",
  ],
  // Not AWS: wordpress.org's API (its loopback fake here).
  wordpressOrg: ["wordpress.org:GET"],
};

const operations = () =>
  new Set([
    ...fake.calls.map((c) => `${c.service}:${c.operation}`),
    ...(org.requests.length > 0 ? ["wordpress.org:GET"] : []),
  ]);

/** A view of `snapshot` that records every fact read from it. */
function tracking(snapshot: AccountSnapshot, seen: Set<string>): AccountSnapshot {
  const facts: readonly string[] = FACTS;
  const watch = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === "string" && facts.includes(key)) seen.add(key);
        return Reflect.get(t, key, receiver);
      },
    });
  return watch({
    ...snapshot,
    iam: watch(snapshot.iam),
    lightsail: snapshot.lightsail.map(watch),
  });
}

/**
 * The demo account; without the root flags in its IAM summary (the root checks then fall back on
 * the credential report, a path the plain demo never takes); and with root MFA on (so that
 * iam-root-hardware-mfa, silent when root has no MFA at all, gives a result).
 */
const withSummary = (flags: Record<string, number | undefined>) => () => {
  const summary = { ...fake.account.iam.accountSummary, ...flags };
  for (const [key, value] of Object.entries(flags)) if (value === undefined) delete summary[key];
  fake.account.iam.accountSummary = summary as Record<string, number>;
};
const ACCOUNTS: [string, () => void][] = [
  ["the demo account", () => {}],
  [
    "the demo account without AccountMFAEnabled and AccountAccessKeysPresent",
    withSummary({ AccountMFAEnabled: undefined, AccountAccessKeysPresent: undefined }),
  ],
  ["the demo account with root MFA on", withSummary({ AccountMFAEnabled: 1 })],
  [
    "the demo account with root's password and keys removed (centralized root access)",
    withSummary({ AccountPasswordPresent: 0, AccountAccessKeysPresent: 0 }),
  ],
];

/** Results per check over all the accounts: each check must have been compared on some. */
const compared = new Map<string, number>();

describe.each(ACCOUNTS)("%s: each check alone", (_name, prepare) => {
  let full: AuditReport;
  let snapshot: AccountSnapshot;

  let saved: Record<string, number>;
  beforeAll(async () => {
    saved = structuredClone(fake.account.iam.accountSummary);
    prepare();
    full = await audit();
    snapshot = await collectSnapshot(reader(), {
      regions: LIGHTSAIL_REGIONS,
      ipRangesUrl: `${fake.url}/ip-ranges.json`,
      lookUpWordPressOrg: (wanted) => lookUpWordPressOrg(wanted, { baseUrl: org.url }),
    });
  });
  afterAll(() => {
    fake.account.iam.accountSummary = saved;
  });

  it.each(CHECKS.map((c) => [c.id, c]))(
    "%s: only its declared facts collected, the same results as in the full audit",
    async (id, check) => {
      // Prepare
      fake.resetCalls();
      org.requests.length = 0;

      // Act
      const alone = await audit({ checks: id, patching: "off" });

      // Assess
      const expected = full.results.filter((r) => r.checkId === id);
      compared.set(id, (compared.get(id) ?? 0) + expected.length);
      expect(alone.results).toEqual(expected);
      expect(alone.failures).toEqual([]);
      // Only the calls of its facts (and STS), and every fact it declares was asked for.
      const allowed = new Set([
        "sts:GetCallerIdentity",
        ...check.reads.flatMap((f) => OPERATIONS[f]),
      ]);
      expect([...operations()].filter((op) => !allowed.has(op))).toEqual([]);
      const called = operations();
      expect(check.reads.filter((f) => !OPERATIONS[f].some((op) => called.has(op)))).toEqual([]);
    },
  );

  it.each(CHECKS.map((c) => [c.id, c]))(
    "%s reads no fact it does not declare, on any path the account takes",
    (_id, check) => {
      const seen = new Set<string>();

      const results = evaluate([check], tracking(snapshot, seen), context({ now: full.startedAt }));

      // The demo's two WordPress instances without a managed node are ERROR by design.
      const noNode = /cannot be inventoried: no SSM managed node maps to it/;
      expect(results.every((r) => r.status !== "ERROR" || noNode.test(r.message))).toBe(true);
      expect([...seen].filter((f) => !check.reads.includes(f as Fact))).toEqual([]);
    },
  );
});

describe("the comparison", () => {
  it("covered every check with at least one result", () => {
    expect(CHECKS.filter((c) => !compared.get(c.id)).map((c) => c.id)).toEqual([]);
  });
});

describe("what the CLI's --only collects", () => {
  const bin = fileURLToPath(new URL("../../bin/lightsail-audit.mjs", import.meta.url));
  const INSTANCE_CHECKS = [
    "lightsail-instance-ssh-not-public",
    "lightsail-instance-admin-ports-not-public",
    "lightsail-instance-imdsv2-required",
  ];

  /** Runs the CLI binary against the fake; the JSON report and the calls it made. */
  async function cli(...args: string[]) {
    fake.resetCalls();
    const run = await promisify(execFile)(process.execPath, [bin, "--format", "json", ...args], {
      env: { ...process.env, ...env() },
    });
    const report = JSON.parse(run.stdout) as AuditReport;
    const calls = [...fake.calls];
    const count = (service: string, operation?: string) =>
      calls.filter((c) => c.service === service && (!operation || c.operation === operation))
        .length;
    return { report, calls, count };
  }

  it("--only iam-root-mfa-enabled: no Lightsail or SSM call, no region scanned, no patching plan", async () => {
    const { report, count, calls } = await cli("--only", "iam-root-mfa-enabled");

    expect(count("lightsail")).toBe(0);
    expect(count("ssm")).toBe(0);
    expect(new Set(calls.map((c) => `${c.service}:${c.operation}`))).toEqual(
      new Set([
        "sts:GetCallerIdentity",
        "iam:GetAccountSummary",
        "iam:ListVirtualMFADevices",
        "iam:GenerateCredentialReport",
        "iam:GetCredentialReport",
      ]),
    );
    expect(report.regions).toEqual({ audited: [], skipped: [] });
    expect(report.patching).toBeUndefined();
    expect(report.results.map((r) => `${r.status} ${r.checkId}`)).toEqual([
      "FAIL iam-root-mfa-enabled",
    ]);
  });

  it("--only three instance checks: one GetInstances per region, no load balancer, SSM or IAM call", async () => {
    const { report, count, calls } = await cli("--only", INSTANCE_CHECKS.join(","));

    expect(new Set(calls.map((c) => `${c.service}:${c.operation}`))).toEqual(
      new Set(["sts:GetCallerIdentity", "lightsail:GetInstances"]),
    );
    expect(count("lightsail", "GetInstances")).toBe(LIGHTSAIL_REGIONS.length);
    expect(report.regions.audited).toHaveLength(LIGHTSAIL_REGIONS.length - 1); // ap-east-1 is off
    expect(report.regions.skipped.map((r) => r.region)).toEqual(["ap-east-1"]);
    expect(new Set(report.results.map((r) => r.checkId))).toEqual(new Set(INSTANCE_CHECKS));
  });

  it("--only load-balancer checks: no instance, SSM, distribution or IAM call", async () => {
    const { calls } = await cli(
      "--only",
      "lightsail-lb-https-enabled,lightsail-lb-certificate-valid,lightsail-lb-tls-policy-current",
    );

    expect(new Set(calls.map((c) => `${c.service}:${c.operation}`))).toEqual(
      new Set([
        "sts:GetCallerIdentity",
        "lightsail:GetLoadBalancers",
        "lightsail:GetLoadBalancerTlsCertificates",
        "lightsail:GetLoadBalancerTlsPolicies",
      ]),
    );
  });

  it("--only with an explicit --patching dry-run: the plan is made, so instances and SSM nodes are read", async () => {
    const { report, count } = await cli("--only", "iam-root-mfa-enabled", "--patching", "dry-run");

    expect(report.patching?.plan.length).toBeGreaterThan(0);
    expect(count("lightsail", "GetInstances")).toBe(LIGHTSAIL_REGIONS.length);
    expect(count("ssm", "DescribeInstanceInformation")).toBeGreaterThan(0);
    expect(count("lightsail", "GetLoadBalancers")).toBe(0);
  });

  it("without --only, every fact is collected (patching dry-run by default)", () => {
    expect(factsToCollect(parseConfig({}))).toEqual([...FACTS]);
  });
});
