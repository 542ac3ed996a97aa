/**
 * The data a fake AWS account holds, kept in the shapes the real APIs put on the wire.
 *
 * Lightsail and SSM objects are awsJson1_1 wire JSON: timestamps are epoch seconds (numbers), enum
 * values are spelled as AWS actually sends them (lower-case `accessType: "public"`, protocol `"-1"`
 * for "all protocols"), and optional keys may be missing altogether (old port entries carry no
 * `cidrs`, `ipv6Cidrs` or `cidrListAliases`). IAM objects are what awsQuery XML carries: timestamps
 * are ISO-8601 strings, the credential report is the exact CSV text. Nothing is normalised here:
 * the fake serves these objects as they are, so the SDK and the collectors see every quirk.
 *
 * See shared/reference/aws-api-facts.md for where each quirk comes from.
 */
import type { CommandResult } from "./state";

/** Epoch seconds, as awsJson1_1 sends timestamps (e.g. 1571332358.665). */
export type EpochSeconds = number;
/** ISO-8601 text, as awsQuery sends timestamps (e.g. "2015-06-17T19:11:50Z"). */
export type IsoTime = string;

export interface LightsailTag {
  key: string;
  value?: string;
}

export interface ResourceLocation {
  availabilityZone: string;
  regionName: string;
}

/** `networking.ports[]` of GetInstances. Every key but the ports and protocol may be missing. */
export interface WirePort {
  fromPort: number;
  toPort: number;
  /**
   * "tcp" | "udp" | "icmp" | "icmpv6", and for all protocols "-1" (what real responses send) or
   * "all" (botocore's NetworkProtocol enum value): the accounts serve both.
   */
  protocol: string;
  accessFrom?: string;
  /** The enum says "Public"; the wire says "public". */
  accessType?: string;
  commonName?: string;
  accessDirection?: string;
  cidrs?: string[];
  ipv6Cidrs?: string[];
  cidrListAliases?: string[];
}

export interface WireInstance {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: EpochSeconds;
  location: ResourceLocation;
  resourceType: "Instance";
  tags: LightsailTag[];
  blueprintId: string;
  blueprintName: string;
  bundleId: string;
  addOns?: {
    name: string;
    status: string;
    snapshotTimeOfDay?: string;
    nextSnapshotTimeOfDay?: string;
  }[];
  isStaticIp: boolean;
  privateIpAddress: string;
  publicIpAddress?: string;
  ipv6Addresses?: string[];
  ipAddressType?: "dualstack" | "ipv4" | "ipv6";
  hardware: {
    cpuCount: number;
    ramSizeInGb: number;
    disks: {
      createdAt: EpochSeconds;
      sizeInGb: number;
      isSystemDisk: boolean;
      iops: number;
      path: string;
      attachedTo: string;
      attachmentState: string;
    }[];
  };
  networking: { monthlyTransfer: { gbPerMonthAllocated: number }; ports: WirePort[] };
  state: { code: number; name: string };
  username: string;
  sshKeyName: string;
  metadataOptions?: {
    state: string;
    httpTokens: "optional" | "required";
    httpEndpoint: string;
    httpPutResponseHopLimit: number;
    httpProtocolIpv6: string;
  };
}

export interface WireLoadBalancer {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: EpochSeconds;
  location: ResourceLocation;
  resourceType: "LoadBalancer";
  tags: LightsailTag[];
  dnsName: string;
  state: string;
  protocol: "HTTP" | "HTTP_HTTPS";
  publicPorts: number[];
  healthCheckPath: string;
  instancePort: number;
  instanceHealthSummary: {
    instanceName: string;
    instanceHealth: string;
    instanceHealthReason?: string;
  }[];
  tlsCertificateSummaries: { name: string; isAttached: boolean }[];
  /** Values are strings: "false", "86400". */
  configurationOptions: Record<string, string>;
  ipAddressType: string;
  httpsRedirectionEnabled?: boolean;
  tlsPolicyName?: string;
}

export interface WireLoadBalancerTlsCertificate {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: EpochSeconds;
  location: ResourceLocation;
  resourceType: "LoadBalancerTlsCertificate";
  tags: LightsailTag[];
  loadBalancerName: string;
  isAttached: boolean;
  status: string;
  domainName: string;
  domainValidationRecords: {
    name: string;
    type: string;
    value: string;
    validationStatus: string;
    domainName: string;
  }[];
  issuedAt?: EpochSeconds;
  issuer?: string;
  keyAlgorithm: string;
  notAfter?: EpochSeconds;
  notBefore?: EpochSeconds;
  renewalSummary?: { renewalStatus: string };
  serial?: string;
  signatureAlgorithm?: string;
  subject?: string;
  subjectAlternativeNames: string[];
}

export interface WireDistribution {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: EpochSeconds;
  location: ResourceLocation;
  resourceType: "Distribution";
  alternativeDomainNames: string[];
  status: string;
  isEnabled: boolean;
  domainName: string;
  bundleId: string;
  certificateName?: string;
  origin: {
    name: string;
    resourceType: string;
    regionName: string;
    protocolPolicy: string;
    responseTimeout: number;
    ipAddressType: string;
  };
  originPublicDNS: string;
  defaultCacheBehavior: { behavior: string };
  cacheBehaviors: { path: string; behavior: string }[];
  ableToUpdateBundle: boolean;
  ipAddressType: string;
  tags: LightsailTag[];
  viewerMinimumTlsProtocolVersion: string;
}

/** GetCertificates entry. `certificateDetail` is only sent with `includeCertificateDetails`. */
export interface WireCertificateSummary {
  certificateArn: string;
  certificateName: string;
  domainName: string;
  tags: LightsailTag[];
  certificateDetail: {
    arn: string;
    name: string;
    domainName: string;
    status: string;
    serialNumber?: string;
    subjectAlternativeNames: string[];
    inUseResourceCount: number;
    keyAlgorithm: string;
    createdAt: EpochSeconds;
    issuedAt?: EpochSeconds;
    issuerCA?: string;
    notBefore?: EpochSeconds;
    notAfter?: EpochSeconds;
    eligibleToRenew: string;
    renewalSummary?: { renewalStatus: string; updatedAt: EpochSeconds };
    tags: LightsailTag[];
    supportCode: string;
  };
}

/** GetStaticIps entry (botocore `StaticIp`). A detached IP has no `attachedTo` key. */
export interface WireStaticIp {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: EpochSeconds;
  location: ResourceLocation;
  resourceType: "StaticIp";
  ipAddress: string;
  isAttached: boolean;
  attachedTo?: string;
}

/**
 * GetRelationalDatabases entry (botocore `RelationalDatabase`), as the CLI example of
 * get-relational-database shows it. Backups off leave `latestRestorableTime` out.
 */
export interface WireRelationalDatabase {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: EpochSeconds;
  location: ResourceLocation;
  resourceType: "RelationalDatabase";
  tags: LightsailTag[];
  relationalDatabaseBlueprintId: string;
  relationalDatabaseBundleId: string;
  masterDatabaseName: string;
  hardware: { cpuCount: number; diskSizeInGb: number; ramSizeInGb: number };
  state: string;
  backupRetentionEnabled: boolean;
  pendingModifiedValues: { backupRetentionEnabled?: boolean; engineVersion?: string };
  engine: string;
  engineVersion: string;
  latestRestorableTime?: EpochSeconds;
  masterUsername: string;
  parameterApplyStatus: string;
  preferredBackupWindow: string;
  preferredMaintenanceWindow: string;
  publiclyAccessible: boolean;
  masterEndpoint: { port: number; address: string };
  pendingMaintenanceActions: {
    action: string;
    description: string;
    currentApplyDate?: EpochSeconds;
  }[];
  caCertificateIdentifier: string;
}

/**
 * GetBuckets entry (botocore `Bucket`), as the get-buckets CLI example shows it.
 * `resourcesReceivingAccess` is only sent with `includeConnectedResources`.
 */
export interface WireBucket {
  resourceType: "Bucket";
  accessRules: { getObject: "public" | "private"; allowPublicOverrides: boolean };
  arn: string;
  bundleId: string;
  createdAt: EpochSeconds;
  url: string;
  location: ResourceLocation;
  name: string;
  supportCode: string;
  tags: LightsailTag[];
  objectVersioning: "Enabled" | "Suspended" | "NeverEnabled";
  ableToUpdateBundle: boolean;
  readonlyAccessAccounts: string[];
  resourcesReceivingAccess: { name: string; resourceType: string }[];
  state: { code: string; message?: string };
  accessLogConfig: { enabled: boolean; destination?: string; prefix?: string };
}

/** GetBucketAccessKeys entry (botocore `AccessKey`); the secret is only sent on creation. */
export interface WireBucketAccessKey {
  accessKeyId: string;
  status: "Active" | "Inactive";
  createdAt: EpochSeconds;
  lastUsed: { lastUsedDate?: EpochSeconds; region: string; serviceName: string };
}

/** One Lightsail region's resources. A region missing from `FakeAccount.lightsail` is empty. */
export interface LightsailRegionData {
  instances: WireInstance[];
  loadBalancers: WireLoadBalancer[];
  /** Every load balancer's certificates, each naming its `loadBalancerName`. */
  loadBalancerTlsCertificates: WireLoadBalancerTlsCertificate[];
  /** Lightsail certificates (distribution certificates live in us-east-1). */
  certificates: WireCertificateSummary[];
  /** Static IPs (absent = none). */
  staticIps?: WireStaticIp[];
  /** Managed databases (absent = none). */
  relationalDatabases?: WireRelationalDatabase[];
  /** Buckets (absent = none). */
  buckets?: WireBucket[];
  /** Bucket name to its access keys. */
  bucketAccessKeys?: Record<string, WireBucketAccessKey[]>;
}

export interface IamUser {
  Path: string;
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: IsoTime;
  PasswordLastUsed?: IsoTime;
}

export interface IamGroup {
  Path: string;
  GroupName: string;
  GroupId: string;
  Arn: string;
  CreateDate: IsoTime;
}

/** The root device's `User` has only `UserId`, `Arn` and dates: no `UserName`, no `Path`. */
export interface IamVirtualMfaDevice {
  SerialNumber: string;
  EnableDate?: IsoTime;
  User?: Partial<IamUser> & { UserId: string; Arn: string };
}

export interface IamMfaDevice {
  UserName: string;
  SerialNumber: string;
  EnableDate: IsoTime;
}

export interface IamData {
  /** The credential report exactly as AWS returns it (CSV text, lower-case true/false). */
  credentialReportCsv: string;
  /** GetAccountSummary's SummaryMap. */
  accountSummary: Record<string, number>;
  users: IamUser[];
  groups: IamGroup[];
  /** Group name to member user names. */
  groupMembers: Record<string, string[]>;
  /** Group name to attached managed policies. */
  groupPolicies: Record<string, { PolicyName: string; PolicyArn: string }[]>;
  virtualMfaDevices: IamVirtualMfaDevice[];
  mfaDevices: IamMfaDevice[];
}

/** DescribeInstanceInformation entry (SSM wire JSON). */
export interface SsmInstanceInformation {
  InstanceId: string;
  PingStatus: string;
  LastPingDateTime: EpochSeconds;
  AgentVersion: string;
  IsLatestVersion: boolean;
  PlatformType: string;
  PlatformName: string;
  PlatformVersion: string;
  ActivationId: string;
  IamRole: string;
  RegistrationDate: EpochSeconds;
  ResourceType: string;
  Name: string;
  IPAddress: string;
  ComputerName: string;
  AssociationStatus?: string;
  SourceId: string;
  SourceType: string;
}

/**
 * A command run before the fake started (SSM keeps 30 days of history): finished on every target,
 * each with its own result. Listed by ListCommandInvocations and GetCommandInvocation from the
 * first look.
 */
export interface FakeCommandRecord {
  region: string;
  CommandId: string;
  DocumentName: string;
  Comment?: string;
  RequestedDateTime: EpochSeconds;
  /** Target instance id to its final result. */
  results: Record<string, CommandResult>;
}

/**
 * A hybrid-activated node. Tags are not in DescribeInstanceInformation output: filters match them,
 * and ListTagsForResource (ResourceType ManagedInstance) returns them.
 */
export interface FakeManagedNode {
  info: SsmInstanceInformation;
  tags: { Key: string; Value: string }[];
}

/** GetDomains entry (botocore `Domain`): a Lightsail DNS zone, served from us-east-1 only. */
export interface WireDomain {
  name: string;
  arn: string;
  supportCode: string;
  createdAt: EpochSeconds;
  location: ResourceLocation;
  resourceType: "Domain";
  tags: LightsailTag[];
  domainEntries: WireDomainEntry[];
}

/** botocore `DomainEntry`; `options` is discontinued and not sent. */
export interface WireDomainEntry {
  id: string;
  name: string;
  target: string;
  isAlias?: boolean;
  type: string;
}

/** ip-ranges.json as AWS publishes it (VPC User Guide, "Syntax for AWS IP address range JSON"). */
export interface IpRangesFile {
  syncToken: string;
  createDate: string;
  prefixes: { ip_prefix: string; region: string; service: string; network_border_group: string }[];
  ipv6_prefixes: {
    ipv6_prefix: string;
    region: string;
    service: string;
    network_border_group: string;
  }[];
}

export interface FakeAccount {
  accountId: string;
  /** What STS GetCallerIdentity answers. */
  caller: { Arn: string; UserId: string };
  /** Opt-in regions the owner has not enabled: every Lightsail call there fails. */
  disabledRegions: string[];
  lightsail: Record<string, LightsailRegionData>;
  /** Distributions are global and only reachable through us-east-1. */
  distributions: WireDistribution[];
  /** Lightsail DNS zones (absent = none), global like distributions. */
  domains?: WireDomain[];
  /** What `GET /ip-ranges.json` serves (absent: 404), standing in for ip-ranges.amazonaws.com. */
  ipRanges?: IpRangesFile;
  iam: IamData;
  /** Region to the managed nodes registered there. */
  ssmNodes: Record<string, FakeManagedNode[]>;
  /** Run Command history from before the fake started. */
  ssmCommands?: FakeCommandRecord[];
  /**
   * What the WordPress inventory document prints on each node (its stdout), for the runs sent
   * while the fake runs, unless `settings.commandResult` is a function (then it decides). A node
   * not listed prints an inventory with no install.
   */
  wordpressInventories?: Record<string, string>;
  /** IAM role names that exist in the account: STS AssumeRole into any other is AccessDenied. */
  roles?: string[];
}

/** An account as AWS Organizations lists it (botocore organizations 2016-11-28 `Account`). */
export interface FakeOrgAccount {
  Id: string;
  Name: string;
  Email: string;
  /** `Status` is being retired for `State` (botocore's note): both are served. */
  Status: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
  JoinedMethod: "INVITED" | "CREATED";
  JoinedTimestamp: EpochSeconds;
  /** The root or OU the account sits in. */
  parentId: string;
}

/** An AWS Organization: its root, OUs (a tree through `parentId`) and accounts. */
export interface FakeOrganization {
  /** `o-` and 10 to 32 lower-case letters or digits. */
  id: string;
  /** `r-` and 4 to 32 lower-case letters or digits. */
  rootId: string;
  managementAccountId: string;
  /** Accounts registered as delegated administrators (they may list the organization too). */
  delegatedAdministrators?: string[];
  ous: { Id: string; Name: string; parentId: string }[];
  accounts: FakeOrgAccount[];
}

/** An empty region, for building or mutating accounts. */
export function emptyRegion(): LightsailRegionData {
  return { instances: [], loadBalancers: [], loadBalancerTlsCertificates: [], certificates: [] };
}

/** Epoch seconds of a Date, with milliseconds, as Lightsail sends them. */
export function epoch(date: Date): EpochSeconds {
  return date.getTime() / 1000;
}

/** ISO-8601 without milliseconds, as IAM's XML carries it. */
export function isoTime(date: Date): IsoTime {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The credential report's date format: `2019-05-05T00:00:00+00:00`. */
export function reportTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** The `accessFrom` text Lightsail writes for a rule's sources. */
export function accessFrom(cidrs: readonly string[], ipv6Cidrs: readonly string[]): string {
  const v4 = cidrs.includes("0.0.0.0/0");
  const v6 = ipv6Cidrs.includes("::/0");
  if (v4 && v6) return "Anywhere (0.0.0.0/0 and ::/0)";
  if (v4) return "Anywhere (0.0.0.0/0)";
  if (v6) return "Anywhere (::/0)";
  return "Custom";
}

/** The 22 credential report columns, in AWS's order. */
export const CREDENTIAL_REPORT_HEADER =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed," +
  "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated," +
  "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
  "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date," +
  "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active," +
  "cert_1_last_rotated,cert_2_active,cert_2_last_rotated";
