/**
 * collectSnapshot over a hand-written AccountReader (plain async functions returning model
 * objects). Failures must become `null` + a listed CollectionFailure, never `[]`.
 */
import { describe, expect, it } from "vitest";
import type { AccountReader } from "../../../shared/collect/reader";
import {
  type CollectOptions,
  collectSnapshot,
  type RegionProgress,
} from "../../../shared/collect/snapshot";
import { AuditFailedError, CredentialsError } from "../../../shared/errors";
import { type AccountSnapshot, FACTS, type LightsailLoadBalancer } from "../../../shared/model";
import {
  ACCOUNT_ID,
  adminGroup,
  bucket,
  bucketAccessKey,
  cert,
  instance,
  loadBalancer,
  managedNode,
  patchResult,
  resultLine,
  tlsPolicies,
} from "../../helpers/snapshot";

const CSV = [
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated",
  `<root_account>,arn:aws:iam::${ACCOUNT_ID}:root,2017-06-10T02:35:07+00:00,not_supported,2017-10-22T08:11:09+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
].join("\n");

/** An SDK-like error: what matters to the collector is `name` and `message`. */
const awsError = (name: string, message = `${name} from AWS`) =>
  Object.assign(new Error(message), { name });

/** What getLoadBalancers returns: the reader leaves `certificates` null. */
const lbFromReader = (name: string, region: string): LightsailLoadBalancer =>
  loadBalancer(name, {
    region,
    certificates: null,
    certificateSummaries: [{ name: `${name}-cert`, isAttached: true }],
  });

/** A healthy account: one instance and one load balancer (with one certificate) per region. */
function fakeReader(overrides: Partial<AccountReader> = {}): AccountReader {
  return {
    getCallerIdentity: async () => ({
      accountId: ACCOUNT_ID,
      arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/auditor/session`,
      partition: "aws",
    }),
    getCredentialReportCsv: async () => CSV,
    getAccountSummary: async () => ({ AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 }),
    listRootVirtualMfaSerials: async () => [
      `arn:aws:iam::${ACCOUNT_ID}:mfa/root-account-mfa-device`,
    ],
    listAdminGroups: async () => [adminGroup()],
    getInstances: async (region) => [instance(`wp-${region}`, undefined, { region })],
    getLoadBalancers: async (region) => [lbFromReader(`lb-${region}`, region)],
    getLoadBalancerCertificates: async (_region, name) => [cert(`${name}-cert`)],
    getLoadBalancerTlsPolicies: async () => tlsPolicies(),
    getStaticIps: async () => [],
    getRelationalDatabases: async () => [],
    getBuckets: async () => [],
    getBucketAccessKeys: async () => [],
    getDistributions: async () => [],
    getCertificates: async () => [],
    getDomains: async () => [],
    getAwsIpRanges: async () => ({ syncToken: "1", ipv4: [], ipv6: [] }),
    getManagedNodes: async () => [],
    getCommandRuns: async () => [],
    getCommandOutput: async () => "",
    ...overrides,
  };
}

/** Every fact but the WordPress ones, whose runs the patching tests' readers do not tell apart. */
const PATCH_FACTS = FACTS.filter((f) => !f.startsWith("wordpress"));

function regionFacts(snap: AccountSnapshot, region: string) {
  const facts = snap.lightsail.find((r) => r.region === region);
  if (!facts) throw new Error(`no facts for ${region}`);
  return facts;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}
function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Lets every pending promise callback run (a macrotask turn; no clock involved). */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe("collectSnapshot", () => {
  it("builds the full snapshot from a healthy account with no failures", async () => {
    // Act
    const snap = await collectSnapshot(fakeReader(), { regions: ["us-east-1", "eu-west-2"] });

    // Assess
    expect(snap.accountId).toBe(ACCOUNT_ID);
    expect(snap.partition).toBe("aws");
    expect(snap.regions).toEqual(["us-east-1", "eu-west-2"]);
    expect(snap.failures).toEqual([]);
    expect(snap.skippedRegions).toEqual([]);
    expect(snap.iam.credentialReport?.map((r) => r.user)).toEqual(["<root_account>"]);
    expect(snap.iam.accountSummary).toEqual({ AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 });
    expect(snap.iam.adminGroups).toEqual([adminGroup()]);
    expect(snap.distributions).toEqual([]);
    expect(snap.certificates).toEqual([]);
    expect(regionFacts(snap, "eu-west-2").instances?.map((i) => i.name)).toEqual(["wp-eu-west-2"]);
    expect(regionFacts(snap, "eu-west-2").loadBalancers?.[0]?.certificates).toEqual([
      cert("lb-eu-west-2-cert"),
    ]);
    expect(regionFacts(snap, "eu-west-2").tlsPolicies).toEqual(tlsPolicies());
    // JSON-serialisable, as the design requires.
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  describe("failures", () => {
    it("a throttled GetInstances leaves that region's instances null, keeps its load balancers", async () => {
      // Prepare
      const reader = fakeReader({
        getInstances: async (region) => {
          if (region === "eu-west-2") throw awsError("ThrottlingException", "Rate exceeded");
          return [instance(`wp-${region}`, undefined, { region })];
        },
      });

      // Act
      const snap = await collectSnapshot(reader, { regions: ["us-east-1", "eu-west-2"] });

      // Assess
      const euWest2 = regionFacts(snap, "eu-west-2");
      expect(euWest2.instances).toBeNull();
      expect(euWest2.loadBalancers?.map((lb) => lb.name)).toEqual(["lb-eu-west-2"]);
      expect(regionFacts(snap, "us-east-1").instances).toHaveLength(1);
      expect(snap.failures).toEqual([
        {
          source: "lightsail",
          region: "eu-west-2",
          operation: "GetInstances",
          errorName: "ThrottlingException",
          message: "Rate exceeded",
        },
      ]);
      expect(snap.skippedRegions).toEqual([]);
    });

    it("a failed GetLoadBalancers leaves loadBalancers null, not []", async () => {
      const reader = fakeReader({
        getLoadBalancers: async () => {
          throw awsError(
            "AccessDeniedException",
            "not authorized to perform lightsail:GetLoadBalancers",
          );
        },
      });

      const snap = await collectSnapshot(reader, { regions: ["us-east-1"] });

      expect(regionFacts(snap, "us-east-1").loadBalancers).toBeNull();
      expect(regionFacts(snap, "us-east-1").instances).toHaveLength(1);
      expect(snap.failures).toEqual([
        expect.objectContaining({
          operation: "GetLoadBalancers",
          errorName: "AccessDeniedException",
        }),
      ]);
    });

    it("a failed GetLoadBalancerTlsPolicies leaves that region's tlsPolicies null, nothing else", async () => {
      // Prepare
      const reader = fakeReader({
        getLoadBalancerTlsPolicies: async (region) => {
          if (region === "eu-west-2") throw awsError("ThrottlingException", "Rate exceeded");
          return tlsPolicies();
        },
      });

      // Act
      const snap = await collectSnapshot(reader, { regions: ["us-east-1", "eu-west-2"] });

      // Assess
      expect(regionFacts(snap, "eu-west-2").tlsPolicies).toBeNull();
      expect(regionFacts(snap, "eu-west-2").loadBalancers).toHaveLength(1);
      expect(regionFacts(snap, "us-east-1").tlsPolicies).toEqual(tlsPolicies());
      expect(snap.failures).toEqual([
        {
          source: "lightsail",
          region: "eu-west-2",
          operation: "GetLoadBalancerTlsPolicies",
          errorName: "ThrottlingException",
          message: "Rate exceeded",
        },
      ]);
    });

    it("a failed admin-group walk leaves adminGroups null (not []) and the other IAM facts", async () => {
      const reader = fakeReader({
        listAdminGroups: async () => {
          throw awsError("NoSuchEntity", "The group with name Administrators cannot be found.");
        },
      });

      const snap = await collectSnapshot(reader, { regions: ["us-east-1"] });

      expect(snap.iam.adminGroups).toBeNull();
      expect(snap.iam.accountSummary).not.toBeNull();
      expect(snap.failures).toEqual([
        expect.objectContaining({
          source: "iam",
          operation: "ListGroups",
          errorName: "NoSuchEntity",
        }),
      ]);
    });

    it("a failed certificate call nulls only that load balancer's certificates, naming it", async () => {
      // Prepare
      const reader = fakeReader({
        getLoadBalancers: async (region) => [
          lbFromReader("shop-lb", region),
          lbFromReader("blog-lb", region),
        ],
        getLoadBalancerCertificates: async (_region, name) => {
          if (name === "shop-lb") throw awsError("ServiceException", "Internal failure");
          return [cert(`${name}-cert`)];
        },
      });

      // Act
      const snap = await collectSnapshot(reader, { regions: ["eu-west-2"] });

      // Assess
      const lbs = regionFacts(snap, "eu-west-2").loadBalancers ?? [];
      expect(lbs.map((lb) => [lb.name, lb.certificates])).toEqual([
        ["shop-lb", null],
        ["blog-lb", [cert("blog-lb-cert")]],
      ]);
      expect(snap.failures).toEqual([
        {
          source: "lightsail",
          region: "eu-west-2",
          operation: "GetLoadBalancerTlsCertificates",
          errorName: "ServiceException",
          message: "Internal failure",
          resource: "shop-lb",
        },
      ]);
    });

    it("IAM calls that fail leave null and are listed with region 'global'", async () => {
      // Prepare
      const denied = (action: string) => async (): Promise<never> => {
        throw awsError("AccessDenied", `not authorized to perform: ${action}`);
      };
      const reader = fakeReader({
        getCredentialReportCsv: denied("iam:GetCredentialReport"),
        getAccountSummary: denied("iam:GetAccountSummary"),
        listRootVirtualMfaSerials: denied("iam:ListVirtualMFADevices"),
        listAdminGroups: denied("iam:GetGroup"),
      });

      // Act
      const snap = await collectSnapshot(reader, { regions: ["us-east-1"] });

      // Assess
      expect(snap.iam).toEqual({
        credentialReport: null,
        accountSummary: null,
        rootVirtualMfaSerials: null,
        adminGroups: null,
      });
      const iamFailures = snap.failures.filter((f) => f.source === "iam");
      expect(iamFailures).toHaveLength(4);
      expect(iamFailures).toEqual(
        expect.arrayContaining([
          {
            source: "iam",
            region: "global",
            operation: "GetCredentialReport",
            errorName: "AccessDenied",
            message: "not authorized to perform: iam:GetCredentialReport",
          },
          {
            source: "iam",
            region: "global",
            operation: "GetAccountSummary",
            errorName: "AccessDenied",
            message: "not authorized to perform: iam:GetAccountSummary",
          },
          {
            source: "iam",
            region: "global",
            operation: "ListVirtualMFADevices",
            errorName: "AccessDenied",
            message: "not authorized to perform: iam:ListVirtualMFADevices",
          },
          {
            source: "iam",
            region: "global",
            operation: "ListGroups",
            errorName: "AccessDenied",
            message: "not authorized to perform: iam:GetGroup",
          },
        ]),
      );
      // Lightsail is unaffected.
      expect(snap.failures).toHaveLength(4);
      expect(regionFacts(snap, "us-east-1").instances).toHaveLength(1);
    });

    it("a malformed credential report becomes null and an InvalidCredentialReport failure", async () => {
      // Prepare: a report without the mfa_active column.
      const broken =
        "user,arn,password_enabled\n<root_account>,arn:aws:iam::1:root,not_supported\n";
      const reader = fakeReader({ getCredentialReportCsv: async () => broken });

      // Act
      const snap = await collectSnapshot(reader, { regions: ["us-east-1"] });

      // Assess
      expect(snap.iam.credentialReport).toBeNull();
      expect(snap.iam.accountSummary).not.toBeNull();
      expect(snap.failures).toHaveLength(1);
      expect(snap.failures[0]).toMatchObject({
        source: "iam",
        region: "global",
        operation: "GetCredentialReport",
        errorName: "InvalidCredentialReport",
      });
      expect(snap.failures[0]?.message).toContain("mfa_active");
    });

    it("failed global Lightsail reads are null and listed under us-east-1", async () => {
      const reader = fakeReader({
        getDistributions: async () => {
          throw awsError("AccessDeniedException", "no GetDistributions");
        },
        getCertificates: async () => {
          throw awsError("ThrottlingException", "slow down");
        },
      });

      const snap = await collectSnapshot(reader, { regions: ["eu-west-2"] });

      expect(snap.distributions).toBeNull();
      expect(snap.certificates).toBeNull();
      expect(snap.failures).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ region: "us-east-1", operation: "GetDistributions" }),
          expect.objectContaining({ region: "us-east-1", operation: "GetCertificates" }),
        ]),
      );
    });
  });

  describe("opt-in regions", () => {
    const notEnabled = (optIn: string) =>
      fakeReader({
        getInstances: async (region) => {
          if (region === optIn)
            throw awsError("UnrecognizedClientException", "The security token is invalid");
          return [instance(`wp-${region}`, undefined, { region })];
        },
        getLoadBalancers: async (region) => {
          if (region === optIn)
            throw awsError("UnrecognizedClientException", "The security token is invalid");
          return [lbFromReader(`lb-${region}`, region)];
        },
      });

    it("skips an opt-in region that is not enabled: not audited, not a failure", async () => {
      // Act
      const snap = await collectSnapshot(notEnabled("ap-east-1"), {
        regions: ["us-east-1", "ap-east-1"],
      });

      // Assess
      expect(snap.skippedRegions).toHaveLength(1);
      expect(snap.skippedRegions[0]?.region).toBe("ap-east-1");
      expect(snap.skippedRegions[0]?.reason).toMatch(/opt-in region not enabled/);
      expect(snap.skippedRegions[0]?.reason).toContain("UnrecognizedClientException");
      expect(snap.lightsail.map((r) => r.region)).toEqual(["us-east-1"]);
      expect(snap.failures).toEqual([]);
      // Still listed among the regions asked for.
      expect(snap.regions).toEqual(["us-east-1", "ap-east-1"]);
    });

    it("treats the same error in a region that is not opt-in as a failure, not a skip", async () => {
      const snap = await collectSnapshot(notEnabled("eu-west-2"), {
        regions: ["us-east-1", "eu-west-2"],
      });

      expect(snap.skippedRegions).toEqual([]);
      expect(regionFacts(snap, "eu-west-2")).toEqual({
        region: "eu-west-2",
        instances: null,
        loadBalancers: null,
        tlsPolicies: tlsPolicies(),
        managedNodes: [],
        patchRuns: [],
        staticIps: [],
        databases: [],
        buckets: [],
        wordpressInventories: [],
      });
      expect(snap.failures.map((f) => [f.region, f.operation, f.errorName])).toEqual(
        expect.arrayContaining([
          ["eu-west-2", "GetInstances", "UnrecognizedClientException"],
          ["eu-west-2", "GetLoadBalancers", "UnrecognizedClientException"],
        ]),
      );
      expect(snap.failures).toHaveLength(2);
    });

    it("records a throttled opt-in region as a failure, not a skip", async () => {
      const reader = fakeReader({
        getInstances: async (region) => {
          if (region === "ap-east-1") throw awsError("ThrottlingException", "Rate exceeded");
          return [];
        },
      });

      const snap = await collectSnapshot(reader, { regions: ["ap-east-1"] });

      expect(snap.skippedRegions).toEqual([]);
      expect(regionFacts(snap, "ap-east-1").instances).toBeNull();
      expect(snap.failures).toEqual([
        expect.objectContaining({ region: "ap-east-1", errorName: "ThrottlingException" }),
      ]);
    });
  });

  describe("identity", () => {
    it("turns a CredentialsProviderError into a CredentialsError that says how to provide credentials", async () => {
      // Prepare
      const cause = awsError(
        "CredentialsProviderError",
        "Could not load credentials from any providers",
      );
      const reader = fakeReader({
        getCallerIdentity: async () => {
          throw cause;
        },
      });

      // Act
      const error = await collectSnapshot(reader, { regions: ["us-east-1"] }).catch(
        (e: unknown) => e,
      );

      // Assess
      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as CredentialsError).name).toBe("CredentialsError");
      expect((error as CredentialsError).message).toContain("No AWS credentials found");
      expect((error as CredentialsError).message).toContain("AWS_PROFILE");
      expect((error as CredentialsError).message).toContain("AWS_ACCESS_KEY_ID");
      expect((error as CredentialsError).cause).toBe(cause);
    });

    it("turns InvalidClientTokenId into a CredentialsError saying the credentials were rejected", async () => {
      const cause = awsError(
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
      );
      const reader = fakeReader({
        getCallerIdentity: async () => {
          throw cause;
        },
      });

      const error = await collectSnapshot(reader, { regions: ["us-east-1"] }).catch(
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(CredentialsError);
      expect((error as Error).message).toMatch(/rejected/);
      expect((error as Error).message).toContain("InvalidClientTokenId");
      expect((error as Error).cause).toBe(cause);
    });

    it("turns any other identity error into an AuditFailedError", async () => {
      const cause = awsError("ServiceUnavailable", "STS is down");
      const reader = fakeReader({
        getCallerIdentity: async () => {
          throw cause;
        },
      });

      const error = await collectSnapshot(reader, { regions: ["us-east-1"] }).catch(
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(AuditFailedError);
      expect(error).not.toBeInstanceOf(CredentialsError);
      expect((error as Error).message).toContain("ServiceUnavailable: STS is down");
      expect((error as Error).cause).toBe(cause);
    });

    it("takes the partition from the caller identity", async () => {
      const reader = fakeReader({
        getCallerIdentity: async () => ({
          accountId: ACCOUNT_ID,
          arn: `arn:aws-cn:iam::${ACCOUNT_ID}:user/a`,
          partition: "aws-cn",
        }),
      });

      const snap = await collectSnapshot(reader, { regions: [] });

      expect(snap.partition).toBe("aws-cn");
      expect(snap.lightsail).toEqual([]);
    });
  });

  describe("regions", () => {
    it("calls onRegionDone once per region, done counting up to total, with each outcome", async () => {
      // Prepare
      const regions = ["us-east-1", "eu-west-2", "ap-east-1", "ca-central-1"];
      const reader = fakeReader({
        getInstances: async (region) => {
          if (region === "eu-west-2") throw awsError("ThrottlingException");
          if (region === "ap-east-1") throw awsError("UnrecognizedClientException");
          return [];
        },
      });
      const progress: RegionProgress[] = [];

      // Act
      await collectSnapshot(reader, { regions, onRegionDone: (p) => progress.push(p) });

      // Assess
      expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
      expect(progress.every((p) => p.total === 4)).toBe(true);
      expect(progress.map((p) => p.region).sort()).toEqual([...regions].sort());
      const outcome = Object.fromEntries(progress.map((p) => [p.region, p.outcome]));
      expect(outcome).toEqual({
        "us-east-1": "ok",
        "eu-west-2": "incomplete",
        "ap-east-1": "skipped",
        "ca-central-1": "ok",
      });
    });

    it("orders lightsail[] like options.regions whatever order the regions finish in", async () => {
      // Prepare: each region's GetInstances waits for a gate the test opens, last region first.
      const regions = ["us-east-1", "eu-west-2", "ap-south-1", "ca-central-1"];
      const gates = new Map(regions.map((r) => [r, deferred()]));
      const finished = new Map(regions.map((r) => [r, deferred()]));
      const completion: string[] = [];
      const reader = fakeReader({
        getInstances: async (region) => {
          await gates.get(region)?.promise;
          return [instance(`wp-${region}`, undefined, { region })];
        },
      });
      const options: CollectOptions = {
        regions,
        onRegionDone: ({ region }) => {
          completion.push(region);
          finished.get(region)?.resolve();
        },
      };

      // Act
      const run = collectSnapshot(reader, options);
      for (const region of [...regions].reverse()) {
        gates.get(region)?.resolve();
        await finished.get(region)?.promise;
      }
      const snap = await run;

      // Assess
      expect(completion).toEqual([...regions].reverse());
      expect(snap.lightsail.map((r) => r.region)).toEqual(regions);
      expect(snap.lightsail.map((r) => r.instances?.[0]?.name)).toEqual(
        regions.map((r) => `wp-${r}`),
      );
    });

    it("orders skippedRegions like options.regions too", async () => {
      const regions = ["eu-south-2", "us-east-1", "ap-east-1", "ap-southeast-3"];
      const optIn = new Set(["eu-south-2", "ap-east-1", "ap-southeast-3"]);
      const gates = new Map(regions.map((r) => [r, deferred()]));
      const finished = new Map(regions.map((r) => [r, deferred()]));
      const reader = fakeReader({
        getInstances: async (region) => {
          await gates.get(region)?.promise;
          if (optIn.has(region)) throw awsError("UnrecognizedClientException");
          return [];
        },
      });

      const run = collectSnapshot(reader, {
        regions,
        onRegionDone: ({ region }) => finished.get(region)?.resolve(),
      });
      for (const region of [...regions].reverse()) {
        gates.get(region)?.resolve();
        await finished.get(region)?.promise;
      }
      const snap = await run;

      expect(snap.skippedRegions.map((s) => s.region)).toEqual([
        "eu-south-2",
        "ap-east-1",
        "ap-southeast-3",
      ]);
    });

    it("with regionConcurrency 2 never has more than 2 regions in flight", async () => {
      // Prepare: GetInstances blocks until released; count how many run at once.
      const regions = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2"];
      const waiting: (() => void)[] = [];
      const started: string[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      const reader = fakeReader({
        getInstances: async (region) => {
          started.push(region);
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise<void>((release) => waiting.push(release));
          inFlight -= 1;
          return [];
        },
      });

      // Act: release one blocked call at a time until the audit finishes.
      let done = false;
      const run = collectSnapshot(reader, { regions, regionConcurrency: 2 }).finally(() => {
        done = true;
      });
      await settle();
      const startedAtFirst = [...started];
      for (let turn = 0; !done && turn < 100; turn += 1) {
        waiting.shift()?.();
        await settle();
      }
      const snap = await run;

      // Assess
      expect(startedAtFirst).toEqual(["us-east-1", "us-east-2"]);
      expect(maxInFlight).toBe(2);
      expect(started.sort()).toEqual([...regions].sort());
      expect(snap.lightsail.map((r) => r.region)).toEqual(regions);
    });
  });

  describe("SSM", () => {
    const SINCE = new Date("2026-07-02T12:00:00.000Z");
    const history = { document: "lightsail-auditor-prod-enforce-patching", since: SINCE };
    const run = (instanceId: string, requestedAt: string, status = "Success") => ({
      commandId: `cmd-${requestedAt}`,
      instanceId,
      requestedAt,
      status,
      output: `${resultLine(patchResult())}\n`,
    });

    it("collects each region's nodes and the latest finished run per node, asking for runs only where there are nodes", async () => {
      // Prepare
      const asked: unknown[][] = [];
      const reader = fakeReader({
        getManagedNodes: async (region) =>
          region === "us-east-1" ? [managedNode("mi-0123456789abcdef0", "wp-us-east-1")] : [],
        getCommandRuns: async (...args) => {
          asked.push(args);
          return [
            run("mi-0123456789abcdef0", "2026-07-30T06:00:00.000Z", "Failed"),
            run("mi-0123456789abcdef0", "2026-07-31T06:00:00.000Z"),
          ];
        },
      });

      // Act
      const snap = await collectSnapshot(reader, {
        regions: ["us-east-1", "eu-west-2"],
        facts: PATCH_FACTS,
        patchHistory: {
          document:
            "arn:aws:ssm:us-east-1:123456789012:document/lightsail-auditor-prod-enforce-patching",
          since: SINCE,
        },
      });

      // Assess
      expect(asked).toEqual([
        ["us-east-1", "lightsail-auditor-prod-enforce-patching", SINCE, "enforcePatching"],
      ]);
      const east = regionFacts(snap, "us-east-1");
      expect(east.managedNodes?.map((n) => n.instanceId)).toEqual(["mi-0123456789abcdef0"]);
      expect(east.patchRuns).toEqual([
        {
          commandId: "cmd-2026-07-31T06:00:00.000Z",
          instanceId: "mi-0123456789abcdef0",
          requestedAt: "2026-07-31T06:00:00.000Z",
          status: "Success",
          result: patchResult(),
        },
      ]);
      expect(regionFacts(snap, "eu-west-2")).toMatchObject({ managedNodes: [], patchRuns: [] });
      expect(snap.failures).toEqual([]);
    });

    it("leaves nodes and runs null when the nodes cannot be listed, and records why", async () => {
      const reader = fakeReader({
        getManagedNodes: async () => {
          throw awsError(
            "AccessDeniedException",
            "not authorized to perform ssm:DescribeInstanceInformation",
          );
        },
      });

      const snap = await collectSnapshot(reader, { regions: ["us-east-1"], patchHistory: history });

      expect(regionFacts(snap, "us-east-1")).toMatchObject({
        managedNodes: null,
        patchRuns: null,
        instances: [expect.objectContaining({ name: "wp-us-east-1" })],
      });
      expect(snap.failures).toEqual([
        {
          source: "ssm",
          region: "us-east-1",
          operation: "DescribeInstanceInformation",
          errorName: "AccessDeniedException",
          message: "not authorized to perform ssm:DescribeInstanceInformation",
        },
      ]);
    });

    it("leaves the runs null when the history cannot be read, keeping the nodes", async () => {
      const reader = fakeReader({
        getManagedNodes: async () => [managedNode("mi-0123456789abcdef0", "wp-us-east-1")],
        getCommandRuns: async () => {
          throw awsError("ThrottlingException", "Rate exceeded");
        },
      });

      const snap = await collectSnapshot(reader, {
        regions: ["us-east-1"],
        facts: PATCH_FACTS,
        patchHistory: history,
      });

      expect(regionFacts(snap, "us-east-1").managedNodes).toHaveLength(1);
      expect(regionFacts(snap, "us-east-1").patchRuns).toBeNull();
      expect(snap.failures.map((f) => [f.source, f.operation, f.errorName])).toEqual([
        ["ssm", "ListCommandInvocations", "ThrottlingException"],
      ]);
    });
  });

  describe("facts asked for", () => {
    const REGIONS = ["us-east-1", "eu-west-2"];

    /** The reader, recording which of its methods were called (with the region, if any). */
    function countingReader(overrides: Partial<AccountReader> = {}) {
      const calls: string[] = [];
      const base = fakeReader(overrides);
      const reader = Object.fromEntries(
        Object.entries(base).map(([name, fn]) => [
          name,
          (...args: unknown[]) => {
            calls.push(typeof args[0] === "string" ? `${name} ${args[0]}` : name);
            return (fn as (...a: unknown[]) => unknown)(...args);
          },
        ]),
      ) as unknown as AccountReader;
      return { reader, calls };
    }

    it("IAM facts only: STS and those calls, no region scanned, every other fact null", async () => {
      // Prepare
      const { reader, calls } = countingReader();
      const progress: RegionProgress[] = [];

      // Act
      const snap = await collectSnapshot(reader, {
        regions: REGIONS,
        facts: ["rootVirtualMfaSerials", "accountSummary"],
        onRegionDone: (p) => progress.push(p),
      });

      // Assess
      expect(calls.sort()).toEqual([
        "getAccountSummary",
        "getCallerIdentity",
        "listRootVirtualMfaSerials",
      ]);
      expect(snap.facts).toEqual(["accountSummary", "rootVirtualMfaSerials"]);
      expect(snap.iam).toEqual({
        credentialReport: null,
        accountSummary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
        rootVirtualMfaSerials: [`arn:aws:iam::${ACCOUNT_ID}:mfa/root-account-mfa-device`],
        adminGroups: null,
      });
      // Not collected reads as unknown (null), never as "none" ([]).
      expect(snap.lightsail).toEqual(
        REGIONS.map((region) => ({
          region,
          instances: null,
          loadBalancers: null,
          tlsPolicies: null,
          managedNodes: null,
          patchRuns: null,
          staticIps: null,
          databases: null,
          buckets: null,
        })),
      );
      expect([snap.distributions, snap.certificates]).toEqual([null, null]);
      expect(snap.failures).toEqual([]);
      expect(progress).toEqual([]);
    });

    it("instances only: one GetInstances per region and nothing else regional", async () => {
      const { reader, calls } = countingReader();

      const snap = await collectSnapshot(reader, { regions: REGIONS, facts: ["instances"] });

      expect(calls.sort()).toEqual([
        "getCallerIdentity",
        "getInstances eu-west-2",
        "getInstances us-east-1",
      ]);
      expect(regionFacts(snap, "eu-west-2")).toEqual({
        region: "eu-west-2",
        instances: [instance("wp-eu-west-2", undefined, { region: "eu-west-2" })],
        loadBalancers: null,
        tlsPolicies: null,
        managedNodes: null,
        patchRuns: null,
        staticIps: null,
        databases: null,
        buckets: null,
      });
      expect(snap.iam.credentialReport).toBeNull();
    });

    it("TLS policies without load balancers: the policies alone", async () => {
      const { reader, calls } = countingReader();

      const snap = await collectSnapshot(reader, {
        regions: ["eu-west-2"],
        facts: ["tlsPolicies"],
      });

      expect(calls.sort()).toEqual(["getCallerIdentity", "getLoadBalancerTlsPolicies eu-west-2"]);
      expect(regionFacts(snap, "eu-west-2")).toMatchObject({
        loadBalancers: null,
        tlsPolicies: tlsPolicies(),
      });
    });

    it("patch runs without nodes: the nodes are listed (runs are read only where there are some) but not kept", async () => {
      const { reader, calls } = countingReader({
        getManagedNodes: async () => [managedNode("mi-0123456789abcdef0", "wp-us-east-1")],
      });

      const snap = await collectSnapshot(reader, { regions: ["us-east-1"], facts: ["patchRuns"] });

      expect(calls.sort()).toEqual([
        "getCallerIdentity",
        "getCommandRuns us-east-1",
        "getManagedNodes us-east-1",
      ]);
      expect(regionFacts(snap, "us-east-1")).toMatchObject({ managedNodes: null, patchRuns: [] });
    });

    it("an opt-in region not enabled is still skipped when only SSM is asked", async () => {
      const { reader } = countingReader({
        getManagedNodes: async (region) => {
          if (region === "ap-east-1") throw awsError("UnrecognizedClientException");
          return [];
        },
      });

      const snap = await collectSnapshot(reader, {
        regions: ["us-east-1", "ap-east-1"],
        facts: ["managedNodes"],
      });

      expect(snap.skippedRegions.map((r) => r.region)).toEqual(["ap-east-1"]);
      expect(snap.lightsail.map((r) => r.region)).toEqual(["us-east-1"]);
      expect(snap.failures).toEqual([]);
    });

    describe("buckets and their access keys", () => {
      const listed = [
        bucket("media", { accessKeys: null }),
        bucket("backups", { accessKeys: null }),
      ];

      it("buckets only: GetBuckets, no key call, keys left null", async () => {
        const { reader, calls } = countingReader({
          getBuckets: async () => structuredClone(listed),
        });

        const snap = await collectSnapshot(reader, { regions: ["us-east-1"], facts: ["buckets"] });

        expect(calls.sort()).toEqual(["getBuckets us-east-1", "getCallerIdentity"]);
        expect(regionFacts(snap, "us-east-1").buckets?.map((b) => b.accessKeys)).toEqual([
          null,
          null,
        ]);
      });

      it("keys: one call per bucket; a failed one leaves that bucket's keys null and is listed", async () => {
        const { reader, calls } = countingReader({
          getBuckets: async () => structuredClone(listed),
          getBucketAccessKeys: async (_region, name) => {
            if (name === "backups") throw awsError("AccessDeniedException", "denied");
            return [bucketAccessKey("AKIA1")];
          },
        });

        const snap = await collectSnapshot(reader, {
          regions: ["us-east-1"],
          facts: ["bucketAccessKeys"],
        });

        expect(calls.filter((c) => c.startsWith("getBucket")).sort()).toEqual([
          "getBucketAccessKeys us-east-1",
          "getBucketAccessKeys us-east-1",
          "getBuckets us-east-1",
        ]);
        expect(regionFacts(snap, "us-east-1").buckets?.map((b) => [b.name, b.accessKeys])).toEqual([
          ["media", [bucketAccessKey("AKIA1")]],
          ["backups", null],
        ]);
        expect(snap.failures).toEqual([
          {
            source: "lightsail",
            region: "us-east-1",
            operation: "GetBucketAccessKeys",
            errorName: "AccessDeniedException",
            message: "denied",
            resource: "backups",
          },
        ]);
      });
    });
  });
});

describe("collectSnapshot: DNS zones and AWS's address ranges", () => {
  const zone = (records: { name: string; type: string; target: string; isAlias?: boolean }[]) => [
    { name: "example.com", arn: `arn:aws:lightsail:global:${ACCOUNT_ID}:Domain/x`, records },
  ];
  async function collect(records: Parameters<typeof zone>[0]) {
    const urls: string[] = [];
    const snap = await collectSnapshot(
      fakeReader({
        getDomains: async () => zone(records),
        getAwsIpRanges: async (url) => {
          urls.push(url);
          return { syncToken: "1", ipv4: ["3.8.0.0/14"], ipv6: [] };
        },
      }),
      {
        regions: ["us-east-1"],
        facts: ["domains", "awsIpRanges"],
        ipRangesUrl: "http://mirror/r.json",
      },
    );
    return { snap, urls };
  }

  it("reads the ranges, from the URL given, when a zone has an address record", async () => {
    const { snap, urls } = await collect([{ name: "example.com", type: "A", target: "3.8.0.1" }]);

    expect(urls).toEqual(["http://mirror/r.json"]);
    expect(snap.awsIpRanges).toEqual({ syncToken: "1", ipv4: ["3.8.0.0/14"], ipv6: [] });
  });

  it("does not read the 2 MB file when no record is an address (CNAMEs and aliases only)", async () => {
    const { snap, urls } = await collect([
      { name: "www.example.com", type: "CNAME", target: "d1.cloudfront.net" },
      { name: "example.com", type: "A", target: "x.us-east-1.elb.amazonaws.com", isAlias: true },
    ]);

    expect(urls).toEqual([]);
    expect(snap.awsIpRanges).toBeNull();
    expect(snap.failures).toEqual([]);
  });
});
