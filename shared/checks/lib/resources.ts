/**
 * Shared by the checks: resource references, the root row of the credential report, and the
 * ERROR outcomes for data that could not be collected (`null` in the snapshot). Pure functions.
 */
import type {
  AccountSnapshot,
  CollectionFailure,
  CredentialReportRow,
  LightsailBucket,
  LightsailDatabase,
  LightsailDistribution,
  LightsailInstance,
  LightsailLoadBalancer,
  LightsailStaticIp,
  Outcome,
  ResourceRef,
} from "../../model";

/** The `user` value of the root row in the IAM credential report. */
export const ROOT_USER_NAME = "<root_account>";

/** Region of every IAM resource. */
export const GLOBAL_REGION = "global";

/** The root user: its ARN is built from the snapshot so the fingerprint never depends on a row. */
export function rootRef(snapshot: AccountSnapshot): ResourceRef {
  return {
    type: "AwsRootUser",
    name: ROOT_USER_NAME,
    arn: `arn:${snapshot.partition}:iam::${snapshot.accountId}:root`,
    region: GLOBAL_REGION,
  };
}

/** The AWS account itself, for account-wide findings (and checks that threw). */
export function accountRef(snapshot: AccountSnapshot): ResourceRef {
  return {
    type: "AwsAccount",
    name: snapshot.accountId,
    arn: `arn:${snapshot.partition}:iam::${snapshot.accountId}:root`,
    region: GLOBAL_REGION,
  };
}

export function iamUserRef(row: CredentialReportRow): ResourceRef {
  return { type: "IamUser", name: row.user, arn: row.arn, region: GLOBAL_REGION };
}

/** Stands for "all IAM users" when the credential report itself is missing. */
export function credentialReportRef(): ResourceRef {
  return { type: "IamCredentialReport", name: "credential-report", arn: "", region: GLOBAL_REGION };
}

export function instanceRef(instance: LightsailInstance): ResourceRef {
  return {
    type: "LightsailInstance",
    name: instance.name,
    arn: instance.arn,
    region: instance.region,
  };
}

export function loadBalancerRef(lb: LightsailLoadBalancer): ResourceRef {
  return { type: "LightsailLoadBalancer", name: lb.name, arn: lb.arn, region: lb.region };
}

export function staticIpRef(ip: LightsailStaticIp): ResourceRef {
  return { type: "LightsailStaticIp", name: ip.name, arn: ip.arn, region: ip.region };
}

export function databaseRef(db: LightsailDatabase): ResourceRef {
  return { type: "LightsailDatabase", name: db.name, arn: db.arn, region: db.region };
}

export function bucketRef(b: LightsailBucket): ResourceRef {
  return { type: "LightsailBucket", name: b.name, arn: b.arn, region: b.region };
}

/** Distributions are global but live in us-east-1. */
export function distributionRef(d: LightsailDistribution): ResourceRef {
  return { type: "LightsailDistribution", name: d.name, arn: d.arn, region: "us-east-1" };
}

/** WordPress blueprints: `wordpress`, and `wordpress_multisite`-style ids ([UNVERIFIED]). */
export function isWordPress(instance: LightsailInstance): boolean {
  return instance.blueprintId?.trim().toLowerCase().startsWith("wordpress") === true;
}

export function regionRef(region: string): ResourceRef {
  return { type: "LightsailRegion", name: region, arn: "", region };
}

/** True for the `<root_account>` row (or, defensively, a row whose ARN is the account root). */
export function isRootRow(row: CredentialReportRow): boolean {
  return row.user === ROOT_USER_NAME || row.arn.endsWith(":root");
}

/** The root row, or `undefined` when the report is missing or has none (moto never has one). */
export function findRootRow(snapshot: AccountSnapshot): CredentialReportRow | undefined {
  return snapshot.iam.credentialReport?.find(isRootRow);
}

/**
 * The PASS message when the root user has no credentials at all, as after an organization removes
 * member accounts' root credentials centrally (aws-api-facts.md §5.7); `undefined` otherwise or
 * when unknown. Needs the account summary's `AccountPasswordPresent` = 0 (key names: botocore
 * IAM 2010-05-08 `summaryKeyType`), no signing certificate, and no access keys: the summary's
 * `AccountAccessKeysPresent` = 0, else a credential report root row with neither key active.
 */
export function rootCredentialFree(snapshot: AccountSnapshot): string | undefined {
  const summary = snapshot.iam.accountSummary;
  if (summary?.AccountPasswordPresent !== 0 || summary.AccountSigningCertificatesPresent === 1) {
    return undefined;
  }
  const keys = summary.AccountAccessKeysPresent;
  if (keys === 0) {
    return "The root user has no password or access keys (AccountPasswordPresent = 0 and AccountAccessKeysPresent = 0 in the IAM account summary), as when the organization removes member accounts' root credentials centrally: no one can sign in as root, so it needs no MFA.";
  }
  const root = keys === undefined ? findRootRow(snapshot) : undefined;
  if (root === undefined || root.accessKey1Active || root.accessKey2Active) return undefined;
  return "The root user has no password or access keys (AccountPasswordPresent = 0 in the IAM account summary; the credential report shows no active root access key), as when the organization removes member accounts' root credentials centrally: no one can sign in as root, so it needs no MFA.";
}

/**
 * " (ThrottlingException: Rate exceeded)" for the first recorded failure that matches, or "" when
 * none does. `operation` is matched case-insensitively as a substring, e.g. "Instances".
 */
export function failureDetail(
  snapshot: AccountSnapshot,
  match: {
    source: CollectionFailure["source"];
    region?: string;
    operation?: string;
    resource?: string;
  },
): string {
  const op = match.operation?.toLowerCase();
  const found = snapshot.failures.find(
    (f) =>
      f.source === match.source &&
      (match.region === undefined || f.region === match.region) &&
      (op === undefined || f.operation.toLowerCase().includes(op)) &&
      (match.resource === undefined || f.resource === undefined || f.resource === match.resource),
  );
  return found ? ` (${found.errorName}: ${found.message})` : "";
}

/**
 * The ERROR outcome for a region whose list (`instances` or `loadBalancers`) is `null`.
 *
 * @example
 * regionDataMissing(snapshot, "eu-west-1", "load balancers", "LoadBalancers",
 *   "whether their HTTPS is on is unknown")
 */
export function regionDataMissing(
  snapshot: AccountSnapshot,
  region: string,
  what: string,
  operation: string,
  consequence: string,
): Outcome {
  const detail = failureDetail(snapshot, { source: "lightsail", region, operation });
  return {
    status: "ERROR",
    resource: regionRef(region),
    message: `Could not list the Lightsail ${what} in ${region}${detail}, so ${consequence}. Audit incomplete for this region.`,
  };
}

/**
 * Evaluates every instance of every audited region. A region whose instances could not be listed
 * gives one ERROR saying what is therefore `unknown`, never a PASS.
 */
export function eachInstance(
  snapshot: AccountSnapshot,
  unknown: string,
  evaluate: (instance: LightsailInstance) => Outcome | Outcome[],
): Outcome[] {
  return snapshot.lightsail.flatMap((r) =>
    r.instances === null
      ? [regionDataMissing(snapshot, r.region, "instances", "Instances", unknown)]
      : r.instances.flatMap(evaluate),
  );
}

/** The same for every load balancer of every audited region. */
export function eachLoadBalancer(
  snapshot: AccountSnapshot,
  unknown: string,
  evaluate: (lb: LightsailLoadBalancer) => Outcome | Outcome[],
): Outcome[] {
  return snapshot.lightsail.flatMap((r) =>
    r.loadBalancers === null
      ? [regionDataMissing(snapshot, r.region, "load balancers", "LoadBalancers", unknown)]
      : r.loadBalancers.flatMap(evaluate),
  );
}

/** The same for every managed database of every audited region. */
export function eachDatabase(
  snapshot: AccountSnapshot,
  unknown: string,
  evaluate: (db: LightsailDatabase) => Outcome | Outcome[],
): Outcome[] {
  return snapshot.lightsail.flatMap((r) =>
    r.databases === null
      ? [regionDataMissing(snapshot, r.region, "managed databases", "RelationalDatabases", unknown)]
      : r.databases.flatMap(evaluate),
  );
}

/** The same for every bucket of every audited region. */
export function eachBucket(
  snapshot: AccountSnapshot,
  unknown: string,
  evaluate: (b: LightsailBucket) => Outcome | Outcome[],
): Outcome[] {
  return snapshot.lightsail.flatMap((r) =>
    r.buckets === null
      ? [regionDataMissing(snapshot, r.region, "buckets", "Buckets", unknown)]
      : r.buckets.flatMap(evaluate),
  );
}

/** ERROR for a load balancer whose certificates (GetLoadBalancerTlsCertificates) are missing. */
export function lbCertificatesMissing(
  snapshot: AccountSnapshot,
  lb: LightsailLoadBalancer,
  consequence: string,
): Outcome {
  const detail = failureDetail(snapshot, {
    source: "lightsail",
    region: lb.region,
    operation: "TlsCertificates",
    resource: lb.name,
  });
  return {
    status: "ERROR",
    resource: loadBalancerRef(lb),
    message: `The TLS certificates of load balancer "${lb.name}" could not be read${detail}, so ${consequence}.`,
  };
}

/** "a", "a and b", "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "2024-06-01 12:03 UTC" from an ISO time or epoch milliseconds. */
export function formatUtc(time: string | number): string {
  return `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
