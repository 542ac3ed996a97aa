/**
 * The plain data that flows through the audit: the snapshot collectors build, the results checks
 * return, and the report. Nothing here imports the AWS SDK; everything is JSON-serialisable.
 */

export const Severity = {
  critical: "critical",
  high: "high",
  medium: "medium",
  low: "low",
  info: "info",
} as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** Most severe first; the index is the rank (0 = worst). */
export const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/** True when `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return SEVERITY_ORDER.indexOf(a) <= SEVERITY_ORDER.indexOf(b);
}

export const Status = { PASS: "PASS", FAIL: "FAIL", ERROR: "ERROR", MUTED: "MUTED" } as const;
export type Status = (typeof Status)[keyof typeof Status];

// ---------------------------------------------------------------------------------------------
// Snapshot: facts as the APIs return them (field names and quirks kept), minus SDK objects.
// `null` always means "could not be collected" (the failure is in `failures`); `[]` means "none".
// ---------------------------------------------------------------------------------------------

/**
 * One collection error. Listed in the report; makes the dependent checks ERROR, never PASS.
 * `securityhub`: findings that could not be sent to Security Hub (an output, not a check's input).
 */
export interface CollectionFailure {
  /**
   * `ip-ranges`: AWS's published address ranges (ip-ranges.json), read over HTTPS;
   * `securityhub`: findings that could not be imported into Security Hub.
   */
  source: "sts" | "iam" | "lightsail" | "ssm" | "ip-ranges" | "securityhub";
  region: string;
  operation: string;
  errorName: string;
  message: string;
  /** For per-resource calls (e.g. certificates of one load balancer). */
  resource?: string;
}

/** A region that was deliberately not audited (opt-in region not enabled). Not a failure. */
export interface SkippedRegion {
  region: string;
  reason: string;
}

/** One row of the IAM credential report, parsed. Dates are ISO strings; `null` = N/A or never. */
export interface CredentialReportRow {
  user: string;
  arn: string;
  userCreationTime: string | null;
  /** Root reports `not_supported` on older accounts, `true`/`false` on newer ones. */
  passwordEnabled: boolean | "not_supported";
  passwordLastUsed: string | null;
  mfaActive: boolean;
  accessKey1Active: boolean;
  accessKey1LastUsedDate: string | null;
  accessKey2Active: boolean;
  accessKey2LastUsedDate: string | null;
}

export interface IamFacts {
  /** Parsed credential report rows, root (`<root_account>`) included when AWS sends it. */
  credentialReport: CredentialReportRow[] | null;
  /** `GetAccountSummary` SummaryMap; keys may be missing. */
  accountSummary: Record<string, number> | null;
  /** Serial numbers of assigned virtual MFA devices that belong to root. */
  rootVirtualMfaSerials: string[] | null;
  /** IAM groups with the AWS managed AdministratorAccess policy attached (only those). */
  adminGroups: IamAdminGroup[] | null;
}

/** A group with `arn:<partition>:iam::aws:policy/AdministratorAccess` attached, and its members. */
export interface IamAdminGroup {
  name: string;
  arn: string;
  userNames: string[];
}

/** `InstancePortInfo` as the API sends it: every field optional, values not normalised. */
export interface PortRule {
  fromPort?: number;
  toPort?: number;
  protocol?: string;
  accessFrom?: string;
  accessType?: string;
  accessDirection?: string;
  cidrs?: string[];
  ipv6Cidrs?: string[];
  cidrListAliases?: string[];
}

export interface Tag {
  key: string;
  value?: string;
}

export interface LightsailInstance {
  name: string;
  arn: string;
  region: string;
  blueprintId?: string;
  bundleId?: string;
  state?: string;
  publicIpAddress?: string;
  /** `ipv6Addresses`: the instance's public IPv6 addresses (dual-stack and IPv6-only bundles). */
  ipv6Addresses?: string[];
  privateIpAddress?: string;
  ipAddressType?: string;
  tags: Tag[];
  ports: PortRule[];
  addOns: { name?: string; status?: string }[];
  metadataHttpTokens?: string;
  /** `metadataOptions.httpEndpoint`: `disabled` means no instance metadata service at all. */
  metadataHttpEndpoint?: string;
}

export interface LoadBalancerCertificate {
  name: string;
  isAttached: boolean;
  status?: string;
  domainName?: string;
  notAfter?: string;
}

export interface LightsailLoadBalancer {
  name: string;
  arn: string;
  region: string;
  protocol?: string;
  /** The DNS name DNS records point at (an alias A record or a CNAME), `*.elb.amazonaws.com`. */
  dnsName?: string;
  publicPorts: number[];
  httpsRedirectionEnabled?: boolean;
  tlsPolicyName?: string;
  state?: string;
  tags: Tag[];
  attachedInstances: string[];
  /** Summaries from `GetLoadBalancers` (name + isAttached only). */
  certificateSummaries: { name: string; isAttached: boolean }[];
  /** Full certificates from `GetLoadBalancerTlsCertificates`; `null` if that call failed. */
  certificates: LoadBalancerCertificate[] | null;
}

export interface LightsailDistribution {
  name: string;
  arn: string;
  /** The default domain, e.g. `d111111abcdef8.cloudfront.net`. */
  domainName?: string;
  alternativeDomainNames: string[];
  certificateName?: string;
  isEnabled?: boolean;
  status?: string;
  originName?: string;
  originRegion?: string;
  viewerMinimumTlsProtocolVersion?: string;
}

export interface LightsailCertificate {
  name: string;
  arn: string;
  domainName?: string;
  status?: string;
  notAfter?: string;
  inUseResourceCount?: number;
}

/** One entry of `GetLoadBalancerTlsPolicies` (ciphers and description left out). */
export interface LoadBalancerTlsPolicy {
  name: string;
  isDefault: boolean;
  /** As the API spells them, e.g. `TLSv1`, `TLSv1.1`, `TLSv1.2`. */
  protocols: string[];
}

/**
 * A node registered with SSM (`DescribeInstanceInformation`): Lightsail instances register through
 * a hybrid activation, so they are `mi-` nodes of `ResourceType` ManagedInstance.
 */
export interface ManagedNode {
  instanceId: string;
  /** The SSM region the node is registered in (commands to it are sent there). */
  region: string;
  pingStatus?: string;
  lastPingDateTime?: string;
  platformType?: string;
  platformName?: string;
  platformVersion?: string;
  agentVersion?: string;
  resourceType?: string;
  /** The activation's `DefaultInstanceName`. */
  name?: string;
  ipAddress?: string;
  computerName?: string;
  /** From ListTagsForResource, read only for nodes that carry `lightsail:instance`; else []. */
  tags: Tag[];
}

/** The JSON line a run of the patching script printed (enforce-patching.sh), parsed. */
export interface PatchResult {
  /** Files (or the package) the run had to write or install; [] when all was in place. */
  changed: string[];
  /** Whether apt sees the `<codename>-updates` origin. */
  updatesOrigin: boolean;
  /** Effective apt values (apt-config), by option name; "" when unset. */
  settings: Record<string, string>;
  /** Effective values that differ from the enforced ones (another file overrides them). */
  drift: string[];
  rebootRequired: boolean;
  /** `null` when not counted (apt-get stubbed or failed). */
  pendingSecurityUpdates: number | null;
  /** `unattended-upgrade --dry-run --debug`: ok | failed | unavailable | stubbed. */
  dryRun: string;
  errors: string[];
}

/** The latest finished run of the patching document on one node (ListCommandInvocations). */
export interface PatchRun {
  commandId: string;
  instanceId: string;
  requestedAt?: string;
  /** SSM invocation status: Success | Failed | TimedOut | Cancelled. */
  status: string;
  statusDetails?: string;
  responseCode?: number;
  documentVersion?: string;
  /** `null` when the output holds no readable result line (see `resultError`). */
  result: PatchResult | null;
  resultError?: string;
}

/**
 * A static IP as `GetStaticIps` lists it (botocore lightsail 2016-11-28 `StaticIp`: every member
 * optional). `attachedTo` is the instance's name.
 */
export interface LightsailStaticIp {
  name: string;
  arn: string;
  region: string;
  ipAddress?: string;
  isAttached?: boolean;
  attachedTo?: string;
}

/**
 * A managed database as `GetRelationalDatabases` lists it (botocore lightsail 2016-11-28
 * `RelationalDatabase`: every member optional, so the booleans may be missing = unknown).
 */
export interface LightsailDatabase {
  name: string;
  arn: string;
  region: string;
  /** e.g. `mysql`; `relationalDatabaseBlueprintId` e.g. `mysql_8_0`. */
  engine?: string;
  engineVersion?: string;
  state?: string;
  /** Public mode: the endpoint accepts connections from the internet. */
  publiclyAccessible?: boolean;
  /** Automated daily backups (point-in-time restore for the last 7 days). */
  backupRetentionEnabled?: boolean;
  /** `pendingModifiedValues.backupRetentionEnabled`: a backup change waiting for maintenance. */
  pendingBackupRetentionEnabled?: boolean;
  endpointAddress?: string;
  endpointPort?: number;
  /** `pendingMaintenanceActions`, dates as ISO strings. */
  pendingMaintenanceActions: { action?: string; description?: string; currentApplyDate?: string }[];
  tags: Tag[];
}

/**
 * A bucket as `GetBuckets` (with `includeConnectedResources`) lists it. botocore lightsail
 * 2016-11-28 `Bucket`, every member optional: `accessRules.getObject` is `public` | `private`
 * (AccessType), `objectVersioning` is `Enabled` | `Suspended` | `NeverEnabled`.
 */
export interface LightsailBucket {
  name: string;
  arn: string;
  region: string;
  url?: string;
  /** `accessRules.getObject`: anonymous read access to every object. */
  getObject?: string;
  /** `accessRules.allowPublicOverrides`: object ACLs may make single objects public. */
  allowPublicOverrides?: boolean;
  objectVersioning?: string;
  /** AWS accounts given read-only access. */
  readonlyAccessAccounts: string[];
  /** Lightsail instances given access (`resourcesReceivingAccess[].name`). */
  resourcesReceivingAccess: string[];
  /**
   * The response's `accountLevelBpaSync.bpaImpactsLightsail`: S3 account-level block public
   * access applies to the account's Lightsail buckets (then nothing in them is public).
   */
  accountBlockPublicAccess?: boolean;
  tags: Tag[];
  /**
   * The bucket's access keys (GetBucketAccessKeys, one call per bucket), collected only for the
   * `bucketAccessKeys` fact: `null` when not collected or when that call failed.
   */
  accessKeys: BucketAccessKey[] | null;
}

/** A bucket access key (botocore `AccessKey`), its secret never kept. Dates are ISO strings. */
export interface BucketAccessKey {
  accessKeyId: string;
  /** `Active` | `Inactive`. */
  status?: string;
  createdAt?: string;
  lastUsedDate?: string;
}

/**
 * A Lightsail DNS zone as `GetDomains` lists it (us-east-1 only; botocore lightsail 2016-11-28
 * `Domain` / `DomainEntry`, every member optional). `target` is an address, or a host name for
 * CNAME records and alias A records (`isAlias`: a load balancer, distribution or container service).
 */
export interface LightsailDomain {
  name: string;
  arn: string;
  records: DnsRecord[];
}

export interface DnsRecord {
  name?: string;
  /** `A` | `AAAA` | `CNAME` | `MX` | `NS` | `SOA` | `SRV` | `TXT` (DomainEntryType). */
  type?: string;
  target?: string;
  isAlias?: boolean;
}

/**
 * The public address ranges AWS publishes for EC2 (ip-ranges.json, service `EC2`), where
 * instance and static IP addresses come from: an address there that the account no longer holds
 * may be handed to someone else.
 */
export interface AwsIpRanges {
  /** `syncToken` of the file read, to say which publication was used. */
  syncToken: string;
  ipv4: string[];
  ipv6: string[];
}

export type CoreStatus = "latest" | "outdated" | "insecure";

/** What wordpress.org says about one plugin or theme slug. */
export type ItemInfo =
  | { state: "listed"; version: string }
  | { state: "closed"; closedDate?: string; reason?: string }
  /** Not in the wordpress.org directory (premium, custom): not checked. */
  | { state: "unknown" }
  /** The question could not be answered (timeout, network, malformed answer). */
  | { state: "error"; error: string };

/** What the audit learned from wordpress.org in one run (shared/aws/wordpress-org.ts). */
export interface WordPressOrgFacts {
  /** Every released core version's status; `null` when stable-check could not be read. */
  coreStatus: Record<string, CoreStatus> | null;
  /** The latest core release; `null` when version-check could not be read. */
  latestCore: string | null;
  plugins: Record<string, ItemInfo>;
  themes: Record<string, ItemInfo>;
  /** Why core questions failed, when they did. */
  errors: string[];
}

/** A wp-config.php constant's value as inventory.sh reads it; `null`: an expression (not known). */
export type WordPressConstant = boolean | number | string | null;

/** One WordPress install on an instance, as inventory.sh reports it. Text from it is untrusted. */
export interface WordPressSite {
  /** The install directory, e.g. `/opt/bitnami/wordpress`. */
  path: string;
  /** `$wp_version` of wp-includes/version.php; `null` when unreadable. */
  core: string | null;
  /** `null`: no wp-config.php in the install directory or the one above it. */
  config: {
    path: string;
    /** Octal permission bits, e.g. `640`. */
    mode: string;
    owner: string;
    group: string;
    readable: boolean;
    /** It loads another file besides wp-settings.php, whose constants were not read. */
    loadsOtherFiles: boolean;
    /** The constants defined (absent: not defined in the file). */
    constants: Record<string, WordPressConstant>;
  } | null;
  /** A debug.log where WordPress writes it; `served`: under the site's directory tree. */
  debugLog: { path: string; bytes: number; served: boolean } | null;
  /** `[slug, version]`, at most `listCap` of each, the rest counted in `...More`. */
  plugins: [string, string][];
  pluginsMore: number;
  muPlugins: [string, string][];
  muPluginsMore: number;
  themes: [string, string][];
  themesMore: number;
  /** Known without the database only when a single theme is installed; else `null`. */
  activeTheme: string | null;
}

/** What one run of inventory.sh printed (its JSON document), parsed. */
export interface WordPressInventory {
  sites: WordPressSite[];
  listCap: number;
  errors: string[];
}

/** The newest completed run of the WordPress inventory document on one node. */
export interface WordPressInventoryRun {
  commandId: string;
  instanceId: string;
  requestedAt?: string;
  /** SSM invocation status: Success, or (when no run succeeded) Failed | TimedOut | Cancelled. */
  status: string;
  statusDetails?: string;
  /** `null` when the output could not be read (see `resultError`). */
  inventory: WordPressInventory | null;
  resultError?: string;
}

export interface LightsailRegionFacts {
  region: string;
  instances: LightsailInstance[] | null;
  loadBalancers: LightsailLoadBalancer[] | null;
  /** The TLS security policies load balancers in this region may use. */
  tlsPolicies: LoadBalancerTlsPolicy[] | null;
  /** SSM managed nodes registered in this region (any Lightsail region's instances may be among them). */
  managedNodes: ManagedNode[] | null;
  /** Latest finished run of the patching document per node of this region. */
  patchRuns: PatchRun[] | null;
  /** The region's static IPs (GetStaticIps). */
  staticIps: LightsailStaticIp[] | null;
  /** The region's managed databases (GetRelationalDatabases). */
  databases: LightsailDatabase[] | null;
  /** The region's buckets (GetBuckets). */
  buckets: LightsailBucket[] | null;
  /**
   * The newest completed WordPress inventory per node of this region; present only when the
   * fact was asked for (absent or null: not collected).
   */
  wordpressInventories?: WordPressInventoryRun[] | null;
}

/**
 * The facts the collector can gather, one name per snapshot field it fills (shared/collect).
 * Each check declares the ones it reads (`reads`), as do patching and the fix planner; an audit
 * collects only their union, and a fact not collected stays `null`, so a check that reads a fact
 * it did not declare yields ERROR, never PASS.
 */
/** Facts read region by region: when none is needed, no region is scanned at all. */
const REGIONAL = [
  // Lightsail
  "instances",
  /** The load balancers and, one call each, their TLS certificates. */
  "loadBalancers",
  "tlsPolicies",
  "staticIps",
  "databases",
  "buckets",
  /** The buckets' access keys, one call per bucket (needs the buckets listed). */
  "bucketAccessKeys",
  // SSM
  "managedNodes",
  "patchRuns",
  /** The newest WordPress inventory per node (ListCommandInvocations + GetCommandInvocation). */
  "wordpressInventories",
] as const;

export const FACTS = [
  // IAM (global)
  "credentialReport",
  "accountSummary",
  "rootVirtualMfaSerials",
  "adminGroups",
  ...REGIONAL,
  // Lightsail in us-east-1 (global resources)
  "distributions",
  "certificates",
  "domains",
  /** AWS's published EC2 address ranges (ip-ranges.json; not an API call). */
  "awsIpRanges",
  // wordpress.org's public API, about the versions the inventories list
  "wordpressOrg",
] as const;
export type Fact = (typeof FACTS)[number];

export const REGIONAL_FACTS: readonly Fact[] = REGIONAL;

export interface AccountSnapshot {
  accountId: string;
  partition: string;
  /** Regions asked for (audited + skipped). */
  regions: string[];
  skippedRegions: SkippedRegion[];
  iam: IamFacts;
  /**
   * One entry per region asked for and not skipped (skipped regions have none). When no regional
   * fact was asked for, no region was scanned: every region has an entry with every field null.
   */
  lightsail: LightsailRegionFacts[];
  /** us-east-1 only (global resources). */
  distributions: LightsailDistribution[] | null;
  certificates: LightsailCertificate[] | null;
  /** us-east-1 only: Lightsail DNS zones are served there. */
  domains: LightsailDomain[] | null;
  /** `null` when not read: the lookup failed (see `failures`) or is turned off. */
  awsIpRanges: AwsIpRanges | null;
  /**
   * What wordpress.org says about the versions the inventories list; present only when asked
   * for and the lookup is on (absent or null: not looked up).
   */
  wordpressOrg?: WordPressOrgFacts | null;
  failures: CollectionFailure[];
  /** The facts asked for (the others were not collected and are null). */
  facts: Fact[];
}

// ---------------------------------------------------------------------------------------------
// Checks and results
// ---------------------------------------------------------------------------------------------

export interface ResourceRef {
  type: string;
  name: string;
  arn: string;
  /** AWS region, or `global` for IAM. */
  region: string;
}

export interface Remediation {
  /** One sentence: what to do. */
  summary: string;
  /** Numbered steps in the Lightsail / IAM console. */
  steps: string[];
  /** A CLI command, with placeholders in angle brackets. */
  cli?: string;
  /** Where in the console, e.g. "Lightsail > Instances > <name> > Networking". */
  console?: string;
}

/**
 * One result: what is specific to this resource. The check's own text (title, risk, remediation,
 * CIS) is in the report once, under `checks[checkId]` (schema 2), not copied into every result.
 * Built as one fixed-shape literal (shared/audit.ts): absent optional fields are `undefined`,
 * which JSON leaves out.
 */
export interface CheckResult {
  checkId: string;
  status: Status;
  severity: Severity;
  message: string;
  resource: ResourceRef;
  accountId: string;
  /** On FAIL and MUTED: stable identity of the finding (checkId + account + resource). */
  fingerprint?: string;
  /** On MUTED: the suppression that silenced this finding. */
  suppressedBy?: { reason: string; expires: string };
}

/** A check's text as the report carries it, once per check (`AuditReport.checks`). */
export interface CheckText {
  title: string;
  severity: Severity;
  risk: string;
  remediation: Remediation;
  /** CIS Benchmark recommendations the check maps to. */
  cis?: string[];
}

/** What a check's `evaluate` returns: the engine adds the check's prose and identity. */
export interface Outcome {
  status: "PASS" | "FAIL" | "ERROR";
  resource: ResourceRef;
  message: string;
  /** This result's severity when it differs from the check's (e.g. insecure vs outdated core). */
  severity?: Severity;
}

export const PATCHING_MODES = ["off", "dry-run", "enforce"] as const;
export type PatchingMode = (typeof PATCHING_MODES)[number];
export const PATCH_TARGETS = ["tagged", "all"] as const;
/** Which instances patching may touch: those tagged `auto-patch=true`, or all of them. */
export type PatchTargets = (typeof PATCH_TARGETS)[number];

/** Everything a check may know besides the snapshot. Checks never read the clock or env. */
export interface CheckContext {
  /** The audit's reference time (ISO 8601). */
  now: string;
  rootUsageDays: number;
  patching: { mode: PatchingMode; targets: PatchTargets; documentName: string };
  /** The WordPress checks' settings (defaults: lookups on, 2 days, the default document). */
  wordpress?: {
    /** wordpress.org lookups are on (else only the local facts are judged). */
    lookups: boolean;
    /** Seconds after which an inventory is stale. */
    maxAgeSeconds: number;
    documentName: string;
  };
}

export interface CheckDefinition {
  /** kebab-case, named after the secure state; equals the file name. */
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters, one or two sentences. */
  risk: string;
  remediation: Remediation;
  /**
   * CIS Benchmark recommendations this check maps to, e.g. "CIS AWS Foundations v3.0.0 1.5" or
   * "CIS AWS Compute Services v1.0.0 3.4". Absent when no recommendation covers it.
   */
  cis?: string[];
  /**
   * Every snapshot fact `evaluate` may read, on any path: only these are collected when the check
   * is run alone (`--only`); anything else is null and makes the check ERROR.
   */
  reads: readonly Fact[];
  evaluate(snapshot: AccountSnapshot, ctx: CheckContext): Outcome[];
}

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Declares a check. Validates the prose and the facts it reads at load so a malformed check fails fast.
 *
 * @example
 * export default defineCheck({
 *   id: "iam-root-mfa-enabled", title: "Root user has MFA", severity: "critical",
 *   risk: "...", remediation: { summary: "...", steps: ["..."] },
 *   reads: ["accountSummary", "rootVirtualMfaSerials", "credentialReport"],
 *   evaluate: (snapshot, ctx) => [...],
 * });
 */
export function defineCheck(def: CheckDefinition): CheckDefinition {
  if (!ID_PATTERN.test(def.id)) throw new Error(`check id "${def.id}" is not kebab-case`);
  if (!def.title || !def.risk || !def.remediation.summary || def.remediation.steps.length === 0) {
    throw new Error(`check ${def.id} needs a title, a risk and remediation steps`);
  }
  if (!SEVERITY_ORDER.includes(def.severity)) {
    throw new Error(`check ${def.id} has unknown severity "${def.severity}"`);
  }
  if (def.reads.length === 0) throw new Error(`check ${def.id} must declare the facts it reads`);
  const unknown = def.reads.filter((f) => !(FACTS as readonly string[]).includes(f));
  if (unknown.length > 0 || new Set(def.reads).size !== def.reads.length) {
    throw new Error(
      `check ${def.id} reads unknown or repeated facts (${def.reads.join(", ")}); known: ${FACTS.join(", ")}`,
    );
  }
  if (def.cis?.some((ref) => !/^CIS .+ v\d+\.\d+\.\d+ \d+(\.\d+)*$/.test(ref))) {
    throw new Error(
      `check ${def.id} has a CIS reference not of the form "CIS <benchmark> v1.0.0 3.4"`,
    );
  }
  return Object.freeze(def);
}

// ---------------------------------------------------------------------------------------------
// The report (public contract: `--format json` and the Lambda's return value)
// ---------------------------------------------------------------------------------------------

/**
 * 2: check text once in `checks`, results without title/remediation/cis (1 copied them into
 * every result). Readers reject other versions (shared/report/schema.ts).
 */
export const REPORT_SCHEMA_VERSION = 2;

export interface ReportSummary {
  total: number;
  byStatus: Record<Status, number>;
  /** FAIL count per severity. */
  failBySeverity: Record<Severity, number>;
  /** True when some data could not be collected or a check errored. */
  incomplete: boolean;
}

/** A finding the owner accepted for a while (shared/findings/suppressions.ts). */
export interface Suppression {
  checkId: string;
  /** Glob (`*` = any run of characters) on the resource name, `region/name`, or ARN. */
  resource: string;
  reason: string;
  /** Last day it applies (YYYY-MM-DD, UTC, inclusive). */
  expires: string;
}

/** How a managed node was tied to a Lightsail instance; `ip` is a weak match (never acted on). */
export type NodeMatchKind = "tag" | "name" | "ip";

/** One audited instance in the patching plan: what would be (or was) done, and why. */
export interface PatchPlanEntry {
  instance: { name: string; region: string; arn: string };
  /** Tagged `auto-patch=true`, or patch targets `all`. */
  optedIn: boolean;
  /** The node the instance maps to, when exactly one does. */
  node?: { instanceId: string; region: string; matchedBy: NodeMatchKind; pingStatus?: string };
  action: "send" | "skip";
  /** Why it is skipped, or what is sent. */
  reason: string;
  /** Document parameters (send only). */
  parameters?: Record<string, string>;
}

/** What happened on one instance the document was sent to (enforce mode). */
export interface PatchOutcome {
  instance: { name: string; region: string };
  node: { instanceId: string; region: string };
  commandId?: string;
  status: "succeeded" | "failed" | "timed-out" | "cancelled" | "pending" | "not-sent";
  /** SSM's status details, e.g. "Execution Timed Out". */
  statusDetails?: string;
  responseCode?: number;
  /** The run's JSON line, parsed; absent when it has not finished or printed none. */
  result?: PatchResult;
  message: string;
}

/** The act stage: present unless patching is `off`. */
export interface PatchingReport {
  mode: "dry-run" | "enforce";
  targets: PatchTargets;
  document: { name: string; version: string; region: string };
  /** Every audited instance, sent or skipped. */
  plan: PatchPlanEntry[];
  /** One per instance the document was sent to; always [] in dry-run. */
  outcomes: PatchOutcome[];
}

export interface AuditReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  accountId: string;
  startedAt: string;
  finishedAt: string;
  regions: { audited: string[]; skipped: SkippedRegion[] };
  summary: ReportSummary;
  /** The text of every check that ran, keyed by check id (results refer to it by `checkId`). */
  checks: Record<string, CheckText>;
  results: CheckResult[];
  failures: CollectionFailure[];
  /** Suppressions past their date: they no longer mute anything. */
  expiredSuppressions: Suppression[];
  /** Patch enforcement (plan and outcomes); absent when patching is off. */
  patching?: PatchingReport;
  /** The fixes planned (dry-run) or made (enforce); absent when remediation is off. */
  remediation?: RemediationReport;
}

// ---------------------------------------------------------------------------------------------
// Remediation (the act stage: shared/remediation/). Part of the report when it is not off.
// ---------------------------------------------------------------------------------------------

export const RemediationMode = { off: "off", dryRun: "dry-run", enforce: "enforce" } as const;
export type RemediationMode = (typeof RemediationMode)[keyof typeof RemediationMode];
export const REMEDIATION_MODES: readonly RemediationMode[] = Object.values(RemediationMode);

/**
 * One instance firewall rule as `OpenInstancePublicPorts`/`CloseInstancePublicPorts` take it:
 * every source list explicit, protocol lower-case (`all` where the API answers `-1`). IPv4 and
 * IPv6 entries of the same ports and protocol are merged into one, as the API usually sends them.
 */
export interface FirewallRule {
  fromPort: number;
  toPort: number;
  protocol: string;
  cidrs: string[];
  ipv6Cidrs: string[];
  cidrListAliases: string[];
}

/** The finding a remediation answers. */
export interface RemediationTarget {
  checkId: string;
  fingerprint: string;
  resource: ResourceRef;
}

/** Replace the world-open sources of the SSH rule (22/tcp) with `allowedSshCidrs`. */
export interface RestrictSshAction extends RemediationTarget {
  kind: "restrict-ssh";
  summary: string;
  /** The instance's whole firewall as audited: the fix is skipped if it differs when applied. */
  firewall: FirewallRule[];
  /** The SSH rule before and after (sources the other rules have are never touched). */
  before: FirewallRule;
  after: FirewallRule;
}

/** Turn on a load balancer's HTTP to HTTPS redirection (an ISSUED certificate is attached). */
export interface HttpsRedirectAction extends RemediationTarget {
  kind: "enable-https-redirect";
  summary: string;
  attribute: "HttpsRedirectionEnabled";
  /** Attribute values, as the API takes them: "true" / "false". */
  before: string;
  after: string;
}

export type RemediationAction = RestrictSshAction | HttpsRedirectAction;

/** A finding the remediation leaves alone, and why. */
export interface RemediationSkip extends RemediationTarget {
  reason: string;
}

/**
 * A change made (or being made) to the account, recorded in the state table before the first
 * write so that it can always be undone (`lightsail-audit undo --change <id>`).
 * `pending`: recorded, writes under way or interrupted; `applied`: done; `failed`: a write failed
 * (`after` is what the resource looked like afterwards); `undone`: reverted.
 */
export type ChangeStatus = "pending" | "applied" | "failed" | "undone";

interface ChangeBase extends RemediationTarget {
  id: string;
  summary: string;
  /** When the first write was about to be made (ISO 8601). */
  appliedAt: string;
  status: ChangeStatus;
  error?: string;
  undoneAt?: string;
}

/** The instance's whole firewall (merged rules) right before and right after the change. */
export interface FirewallChange extends ChangeBase {
  kind: "restrict-ssh";
  before: FirewallRule[];
  after: FirewallRule[];
}

export interface AttributeChange extends ChangeBase {
  kind: "enable-https-redirect";
  attribute: "HttpsRedirectionEnabled";
  before: string;
  after: string;
}

export type Change = FirewallChange | AttributeChange;

/** A planned action that could not be (fully) applied. */
export interface RemediationFailure extends RemediationTarget {
  kind: RemediationAction["kind"];
  summary: string;
  error: string;
  /** Set when something was changed before the failure: that change is recorded and undoable. */
  changeId?: string;
}

export interface RemediationReport {
  mode: "dry-run" | "enforce";
  /** What the plan would change (dry-run), or set out to change (enforce). */
  planned: RemediationAction[];
  /** Findings left alone, each with the reason (also actions skipped when applying). */
  skipped: RemediationSkip[];
  /** enforce: the changes made, each recorded under its id. */
  applied: Change[];
  /** enforce: the actions that failed (the others went on). */
  failed: RemediationFailure[];
}
