/**
 * Builds the AccountSnapshot: IAM and every region concurrently, every failure recorded.
 * A failed call leaves `null` (never `[]`) so the checks report ERROR for that scope; so does a
 * fact not asked for (`CollectOptions.facts`), which makes no call at all.
 */
import { AWS_IP_RANGES_URL } from "../aws/ip-ranges";
import { OPT_IN_REGIONS } from "../aws/regions";
import { DEFAULTS } from "../config";
import { AuditFailedError, CredentialsError, describeError, NO_CREDENTIALS_HELP } from "../errors";
import {
  type AccountSnapshot,
  type CollectionFailure,
  FACTS,
  type Fact,
  type LightsailBucket,
  type LightsailLoadBalancer,
  type LightsailRegionFacts,
  REGIONAL_FACTS,
  type SkippedRegion,
  type WordPressOrgFacts,
} from "../model";
import { documentRef } from "../patching/act";
import { PATCH_STEP_NAME } from "../patching/parameters";
import { latestRuns, PATCH_HISTORY_DAYS } from "../patching/result";
import { INVENTORY_STEP_NAME, newestRuns, toInventoryRun } from "../wordpress/inventory";
import { mapLimit } from "./concurrency";
import { parseCredentialReport } from "./credential-report";
import type { AccountReader } from "./reader";

export interface RegionProgress {
  region: string;
  outcome: "ok" | "incomplete" | "skipped";
  done: number;
  total: number;
}

export interface CollectOptions {
  regions: readonly string[];
  /** The facts to collect (default: all). STS GetCallerIdentity is always called. */
  facts?: readonly Fact[];
  /** Regions scanned at once (default: all of them). */
  regionConcurrency?: number;
  /** Certificate calls at once within one region. */
  loadBalancerConcurrency?: number;
  onRegionDone?: (progress: RegionProgress) => void;
  /** Fires at the audit's deadline: nothing new starts after it (see shared/audit.ts). */
  deadline?: AbortSignal;
  /** Where to read AWS's address ranges (ip-ranges.json) when the `awsIpRanges` fact is asked for. */
  ipRangesUrl?: string;
  /** Whose runs to read, and from when (default: the default document, the last 30 days). */
  patchHistory?: { document: string; since: Date };
  /** The WordPress inventory document's runs: which, from when (default: as patchHistory). */
  wordpressHistory?: { document: string; since: Date };
  /**
   * Asks wordpress.org about the versions the inventories list (shared/aws/wordpress-org.ts);
   * absent: lookups are off, and `wordpressOrg` stays null.
   */
  lookUpWordPressOrg?: (wanted: {
    core: boolean;
    plugins: string[];
    themes: string[];
  }) => Promise<WordPressOrgFacts>;
}

/** How AWS answers in an opt-in region the account has not enabled. */
const NOT_ENABLED = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "OptInRequired",
  "AuthFailure",
]);

const NO_CREDENTIALS = new Set(["CredentialsProviderError", "ProviderError"]);
const BAD_CREDENTIALS = new Set([
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "AccessDenied",
]);

type Attempt = <T>(
  source: CollectionFailure["source"],
  region: string,
  operation: string,
  call: () => Promise<T>,
  resource?: string,
) => Promise<T | null>;

/** What a call cut short by the audit's deadline is recorded as. */
export const DEADLINE_EXCEEDED = "DeadlineExceeded";

/**
 * Runs a call; on error records a CollectionFailure in `sink` and yields null. Once `deadline`
 * has fired, calls are not started and the ones it aborted are recorded as DeadlineExceeded.
 */
function recorder(sink: CollectionFailure[], deadline?: AbortSignal): Attempt {
  return async (source, region, operation, call, resource) => {
    const fail = (errorName: string, message: string) => {
      sink.push({
        source,
        region,
        operation,
        errorName,
        message,
        ...(resource ? { resource } : {}),
      });
      return null;
    };
    if (deadline?.aborted)
      return fail(DEADLINE_EXCEEDED, "not started: the audit reached its time limit");
    try {
      return await call();
    } catch (err) {
      const { errorName, message } = describeError(err);
      if (deadline?.aborted) {
        return fail(DEADLINE_EXCEEDED, `stopped at the audit's time limit (${errorName})`);
      }
      return fail(errorName, message);
    }
  };
}

export async function collectSnapshot(
  reader: AccountReader,
  options: CollectOptions,
): Promise<AccountSnapshot> {
  const failures: CollectionFailure[] = [];
  const attempt = recorder(failures, options.deadline);
  const facts = FACTS.filter((f) => (options.facts ?? FACTS).includes(f));
  const wants = (fact: Fact) => facts.includes(fact);
  const regional = facts.some((f) => REGIONAL_FACTS.includes(f));

  const [identity, iam, regions, distributions, certificates, [domains, awsIpRanges]] =
    await Promise.all([
      identify(reader),
      collectIam(reader, attempt, wants),
      regional
        ? collectRegions(reader, options, failures, wants)
        : // Nothing regional asked for: no region is scanned, and its facts stay unknown (null).
          { audited: options.regions.map(uncollectedRegion), skipped: [] },
      wants("distributions")
        ? attempt("lightsail", "us-east-1", "GetDistributions", () => reader.getDistributions())
        : null,
      wants("certificates")
        ? attempt("lightsail", "us-east-1", "GetCertificates", () => reader.getCertificates())
        : null,
      collectDns(reader, attempt, wants, options.ipRangesUrl ?? AWS_IP_RANGES_URL),
    ]);

  // After the inventories: wordpress.org is asked about what they list, once per slug.
  const items = inventoriedItems(regions.audited);
  const anything = items.core || items.plugins.length > 0 || items.themes.length > 0;
  const wordpressOrg =
    wants("wordpressOrg") && options.lookUpWordPressOrg && !options.deadline?.aborted
      ? anything
        ? await options.lookUpWordPressOrg(items)
        : // Nothing inventoried: nothing to ask (and no request leaves).
          { coreStatus: null, latestCore: null, plugins: {}, themes: {}, errors: [] }
      : null;

  return {
    accountId: identity.accountId,
    partition: identity.partition,
    regions: [...options.regions],
    skippedRegions: regions.skipped,
    iam,
    lightsail: regions.audited,
    distributions,
    certificates,
    domains,
    awsIpRanges,
    ...(wants("wordpressOrg") ? { wordpressOrg } : {}),
    failures: sortFailures(failures, options.regions),
    facts,
  };
}

/**
 * The DNS zones, then AWS's address ranges only when a zone has an address record to judge: the
 * 2 MB file is not read for an account without Lightsail DNS (most of them).
 */
async function collectDns(
  reader: AccountReader,
  attempt: Attempt,
  wants: (fact: Fact) => boolean,
  ipRangesUrl: string,
) {
  const domains = wants("domains")
    ? await attempt("lightsail", "us-east-1", "GetDomains", () => reader.getDomains())
    : null;
  const addresses = (domains ?? []).some((d) =>
    d.records.some((r) => /^(A|AAAA)$/i.test(r.type ?? "") && r.isAlias !== true),
  );
  const ranges =
    wants("awsIpRanges") && (addresses || !wants("domains"))
      ? await attempt("ip-ranges", "global", "ip-ranges.json", () =>
          reader.getAwsIpRanges(ipRangesUrl),
        )
      : null;
  return [domains, ranges] as const;
}

/** The distinct plugin and theme slugs (must-use plugins are not in the directory) listed. */
function inventoriedItems(regions: LightsailRegionFacts[]) {
  const plugins = new Set<string>();
  const themes = new Set<string>();
  let core = false;
  for (const run of regions.flatMap((r) => r.wordpressInventories ?? [])) {
    for (const site of run.inventory?.sites ?? []) {
      core ||= site.core !== null;
      for (const [slug] of site.plugins) plugins.add(slug);
      for (const [slug] of site.themes) themes.add(slug);
    }
  }
  return { core, plugins: [...plugins].sort(), themes: [...themes].sort() };
}

function uncollectedRegion(region: string): LightsailRegionFacts {
  return {
    region,
    instances: null,
    loadBalancers: null,
    tlsPolicies: null,
    managedNodes: null,
    patchRuns: null,
    staticIps: null,
    databases: null,
    buckets: null,
  };
}

/** Global first, then by region as asked, operation and resource: the same run, the same list. */
function sortFailures(
  failures: CollectionFailure[],
  regions: readonly string[],
): CollectionFailure[] {
  const rank = (f: CollectionFailure) => (f.region === "global" ? -1 : regions.indexOf(f.region));
  return failures.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.operation.localeCompare(b.operation) ||
      (a.resource ?? "").localeCompare(b.resource ?? ""),
  );
}

async function identify(reader: AccountReader) {
  try {
    return await reader.getCallerIdentity();
  } catch (err) {
    const { errorName, message } = describeError(err);
    if (NO_CREDENTIALS.has(errorName)) {
      throw new CredentialsError(NO_CREDENTIALS_HELP, { cause: err, missing: true });
    }
    if (BAD_CREDENTIALS.has(errorName)) {
      throw new CredentialsError(
        `AWS rejected the credentials (${errorName}: ${message}). Refresh them and retry.`,
        {
          cause: err,
        },
      );
    }
    throw new AuditFailedError(`Cannot identify the AWS account (${errorName}: ${message})`, {
      cause: err,
    });
  }
}

async function collectIam(
  reader: AccountReader,
  attempt: Attempt,
  wants: (fact: Fact) => boolean,
): Promise<AccountSnapshot["iam"]> {
  const [csv, accountSummary, rootVirtualMfaSerials, adminGroups] = await Promise.all([
    wants("credentialReport")
      ? attempt("iam", "global", "GetCredentialReport", () => reader.getCredentialReportCsv())
      : null,
    wants("accountSummary")
      ? attempt("iam", "global", "GetAccountSummary", () => reader.getAccountSummary())
      : null,
    wants("rootVirtualMfaSerials")
      ? attempt("iam", "global", "ListVirtualMFADevices", () => reader.listRootVirtualMfaSerials())
      : null,
    // One failure name for the walk: ListGroups, ListAttachedGroupPolicies or GetGroup.
    wants("adminGroups")
      ? attempt("iam", "global", "ListGroups", () => reader.listAdminGroups())
      : null,
  ]);
  const credentialReport =
    csv === null
      ? null
      : await attempt("iam", "global", "GetCredentialReport", async () => {
          try {
            return parseCredentialReport(csv);
          } catch (err) {
            throw Object.assign(new Error(describeError(err).message), {
              name: "InvalidCredentialReport",
            });
          }
        });
  return { credentialReport, accountSummary, rootVirtualMfaSerials, adminGroups };
}

async function collectRegions(
  reader: AccountReader,
  options: CollectOptions,
  failures: CollectionFailure[],
  wants: (fact: Fact) => boolean,
) {
  const audited: LightsailRegionFacts[] = [];
  const skipped: SkippedRegion[] = [];
  let done = 0;
  await mapLimit(
    options.regions,
    options.regionConcurrency ?? options.regions.length,
    async (region) => {
      // Held back until we know whether the region is merely not enabled (then it is skipped).
      const regionFailures: CollectionFailure[] = [];
      const attempt = recorder(regionFailures, options.deadline);
      const [instances, [loadBalancers, later], ssm] = await Promise.all([
        wants("instances")
          ? attempt("lightsail", region, "GetInstances", () => reader.getInstances(region))
          : null,
        (wants("loadBalancers")
          ? attempt("lightsail", region, "GetLoadBalancers", () =>
              reader
                .getLoadBalancers(region)
                .then((lbs) => withCertificates(reader, region, lbs, attempt, options)),
            )
          : Promise.resolve(null)
        ).then(
          // After the load balancers, not beside them: the opening burst of requests (every
          // region at once, on one connection pool) stays as small as it was.
          async (lbs) => [lbs, await collectLater(reader, region, attempt, wants)] as const,
        ),
        collectSsm(reader, region, attempt, options, wants),
      ]);
      const notEnabled = regionFailures.find(
        (f) => OPT_IN_REGIONS.has(region) && NOT_ENABLED.has(f.errorName),
      );
      let outcome: RegionProgress["outcome"];
      if (notEnabled) {
        skipped.push({
          region,
          reason: `opt-in region not enabled for this account (${notEnabled.errorName})`,
        });
        outcome = "skipped";
      } else {
        failures.push(...regionFailures);
        audited.push({ region, instances, loadBalancers, ...later, ...ssm });
        outcome = regionFailures.length > 0 ? "incomplete" : "ok";
      }
      done += 1;
      options.onRegionDone?.({ region, outcome, done, total: options.regions.length });
    },
  );
  // Stable order for reports and diffs, whatever order the regions finished in.
  const order = (r: string) => options.regions.indexOf(r);
  audited.sort((a, b) => order(a.region) - order(b.region));
  skipped.sort((a, b) => order(a.region) - order(b.region));
  return { audited, skipped };
}

/**
 * The region's reads made one after another once the load balancers are in: TLS policies, static
 * IPs, managed databases, buckets (one page each on most accounts).
 */
async function collectLater(
  reader: AccountReader,
  region: string,
  attempt: Attempt,
  wants: (fact: Fact) => boolean,
): Promise<Pick<LightsailRegionFacts, "tlsPolicies" | "staticIps" | "databases" | "buckets">> {
  const tlsPolicies = wants("tlsPolicies")
    ? await attempt("lightsail", region, "GetLoadBalancerTlsPolicies", () =>
        reader.getLoadBalancerTlsPolicies(region),
      )
    : null;
  const staticIps = wants("staticIps")
    ? await attempt("lightsail", region, "GetStaticIps", () => reader.getStaticIps(region))
    : null;
  const databases = wants("databases")
    ? await attempt("lightsail", region, "GetRelationalDatabases", () =>
        reader.getRelationalDatabases(region),
      )
    : null;
  const listed =
    wants("buckets") || wants("bucketAccessKeys")
      ? await attempt("lightsail", region, "GetBuckets", () => reader.getBuckets(region))
      : null;
  const buckets =
    listed !== null && wants("bucketAccessKeys")
      ? await withAccessKeys(reader, region, listed, attempt)
      : listed;
  return { tlsPolicies, staticIps, databases, buckets };
}

/** Each bucket with its access keys (one call each, a few at once); a failed call leaves null. */
async function withAccessKeys(
  reader: AccountReader,
  region: string,
  buckets: LightsailBucket[],
  attempt: Attempt,
): Promise<LightsailBucket[]> {
  return mapLimit(buckets, 5, async (b) => ({
    ...b,
    accessKeys: await attempt(
      "lightsail",
      region,
      "GetBucketAccessKeys",
      () => reader.getBucketAccessKeys(region, b.name),
      b.name,
    ),
  }));
}

/**
 * The region's managed nodes and, where there are any, the latest run of the patching document on
 * each. Runs stay null when the nodes could not be listed (that failure is recorded).
 */
async function collectSsm(
  reader: AccountReader,
  region: string,
  attempt: Attempt,
  options: CollectOptions,
  wants: (fact: Fact) => boolean,
): Promise<Pick<LightsailRegionFacts, "managedNodes" | "patchRuns" | "wordpressInventories">> {
  const inventories = wants("wordpressInventories");
  if (!wants("managedNodes") && !wants("patchRuns") && !inventories) {
    return { managedNodes: null, patchRuns: null };
  }
  // The runs are read only where there are nodes, so they need the node list too; it is kept
  // only when asked for.
  const nodes = await attempt("ssm", region, "DescribeInstanceInformation", () =>
    reader.getManagedNodes(region),
  );
  const managedNodes = wants("managedNodes") ? nodes : null;
  const wordpress = inventories
    ? { wordpressInventories: await collectInventories(reader, region, attempt, options, nodes) }
    : {};
  if (!wants("patchRuns")) return { managedNodes, patchRuns: null, ...wordpress };
  if (nodes === null || nodes.length === 0) {
    return { managedNodes, patchRuns: nodes === null ? null : [], ...wordpress };
  }
  const history = options.patchHistory ?? {
    document: DEFAULTS.patchDocument,
    since: new Date(Date.now() - PATCH_HISTORY_DAYS * 86_400_000),
  };
  const { name } = documentRef(history.document, region);
  const runs = await attempt("ssm", region, "ListCommandInvocations", () =>
    reader.getCommandRuns(region, name, history.since, PATCH_STEP_NAME),
  );
  return { managedNodes, patchRuns: runs === null ? null : latestRuns(runs), ...wordpress };
}

/**
 * The newest completed WordPress inventory of each node of the region: the document's runs
 * (ListCommandInvocations, whose output is cut at 2,500 characters), then each newest run's
 * whole output (GetCommandInvocation: up to 24,000 characters), a few at once. A node whose
 * output cannot be read keeps its run with the error.
 */
async function collectInventories(
  reader: AccountReader,
  region: string,
  attempt: Attempt,
  options: CollectOptions,
  nodes: readonly unknown[] | null,
) {
  if (nodes === null) return null;
  if (nodes.length === 0) return [];
  const history = options.wordpressHistory ?? {
    document: DEFAULTS.wordpressDocument,
    since: new Date(Date.now() - PATCH_HISTORY_DAYS * 86_400_000),
  };
  const { name } = documentRef(history.document, region);
  const runs = await attempt("ssm", region, "ListCommandInvocations", () =>
    reader.getCommandRuns(region, name, history.since, INVENTORY_STEP_NAME),
  );
  if (runs === null) return null;
  return mapLimit(newestRuns(runs), 5, async (run) => {
    if (run.status !== "Success") return toInventoryRun(run, undefined);
    const output = await attempt(
      "ssm",
      region,
      "GetCommandInvocation",
      () => reader.getCommandOutput(region, run.commandId, run.instanceId, INVENTORY_STEP_NAME),
      run.instanceId,
    );
    return toInventoryRun(run, output);
  });
}

async function withCertificates(
  reader: AccountReader,
  region: string,
  lbs: LightsailLoadBalancer[],
  attempt: Attempt,
  options: CollectOptions,
): Promise<LightsailLoadBalancer[]> {
  return mapLimit(lbs, options.loadBalancerConcurrency ?? 5, async (lb) => ({
    ...lb,
    certificates: await attempt(
      "lightsail",
      region,
      "GetLoadBalancerTlsCertificates",
      () => reader.getLoadBalancerCertificates(region, lb.name),
      lb.name,
    ),
  }));
}
