/**
 * Factories for AccountSnapshot pieces, faithful to the API quirks (aws-api-facts.md): lower-case
 * `accessType`, merged IPv4+IPv6 port entries, root `password_enabled` = not_supported.
 * Every factory returns a fresh object; pass overrides for what the test is about.
 */
import type {
  AccountSnapshot,
  AwsIpRanges,
  BucketAccessKey,
  CheckContext,
  CredentialReportRow,
  IamAdminGroup,
  IamFacts,
  LightsailBucket,
  LightsailCertificate,
  LightsailDatabase,
  LightsailDistribution,
  LightsailInstance,
  LightsailLoadBalancer,
  LightsailRegionFacts,
  LightsailStaticIp,
  LoadBalancerCertificate,
  LoadBalancerTlsPolicy,
  ManagedNode,
  PatchResult,
  PatchRun,
  PortRule,
} from "../../shared/model";
import { FACTS } from "../../shared/model";

export const ACCOUNT_ID = "123456789012";
export const REGION = "us-east-1";
/** The audit's reference time in tests. */
export const NOW = "2026-08-01T12:00:00.000Z";

/** The patching document's name in tests (the default). */
export const DOCUMENT = "lightsail-auditor-prod-enforce-patching";

/** A check context: NOW, the default 90-day root usage window, patching dry-run on tagged instances. */
export function context(overrides: Partial<CheckContext> = {}): CheckContext {
  return {
    now: NOW,
    rootUsageDays: 90,
    patching: { mode: "dry-run", targets: "tagged", documentName: DOCUMENT },
    ...overrides,
  };
}

/** ISO time `days` days before NOW (fractions allowed), in the credential report's format. */
export function daysBeforeNow(days: number): string {
  return new Date(Date.parse(NOW) - days * 86_400_000).toISOString().replace(".000Z", "+00:00");
}

/** The `<root_account>` row: MFA on, no keys, password last used long ago. */
export function rootRow(overrides: Partial<CredentialReportRow> = {}): CredentialReportRow {
  return {
    user: "<root_account>",
    arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
    userCreationTime: "2017-06-10T02:35:07+00:00",
    passwordEnabled: "not_supported",
    passwordLastUsed: "2017-10-22T08:11:09+00:00",
    mfaActive: true,
    accessKey1Active: false,
    accessKey1LastUsedDate: null,
    accessKey2Active: false,
    accessKey2LastUsedDate: null,
    ...overrides,
  };
}

/** An IAM user row: console password with MFA, no keys. */
export function userRow(
  name: string,
  overrides: Partial<CredentialReportRow> = {},
): CredentialReportRow {
  return {
    user: name,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/${name}`,
    userCreationTime: "2019-01-01T00:00:00+00:00",
    passwordEnabled: true,
    passwordLastUsed: "2026-07-30T09:00:00+00:00",
    mfaActive: true,
    accessKey1Active: false,
    accessKey1LastUsedDate: null,
    accessKey2Active: false,
    accessKey2LastUsedDate: null,
    ...overrides,
  };
}

/** A firewall rule as GetInstances returns it: TCP 80 open to both IPv4 and IPv6 (merged entry). */
export function port(overrides: PortRule = {}): PortRule {
  return {
    fromPort: 80,
    toPort: 80,
    protocol: "tcp",
    accessFrom: "Anywhere (0.0.0.0/0 and ::/0)",
    accessType: "public",
    accessDirection: "inbound",
    cidrs: ["0.0.0.0/0"],
    ipv6Cidrs: ["::/0"],
    cidrListAliases: [],
    ...overrides,
  };
}

/** A rule as an old response sends it: no `cidrs`, `ipv6Cidrs` or `cidrListAliases` keys at all. */
export function legacyPort(overrides: PortRule = {}): PortRule {
  const { cidrs: _c, ipv6Cidrs: _v6, cidrListAliases: _a, ...rule } = port(overrides);
  return rule;
}

/** The WordPress default firewall (LSDG): 22, 80 and 443 open to everyone over IPv4 and IPv6. */
export function wordpressDefaultPorts(): PortRule[] {
  return [22, 80, 443].map((p) => port({ fromPort: p, toPort: p }));
}

/**
 * A running WordPress instance with the given rules (default: only 80 and 443 open), automatic
 * snapshots on and IMDSv2 required.
 */
export function instance(
  name: string,
  ports: PortRule[] = [port(), port({ fromPort: 443, toPort: 443 })],
  overrides: Partial<LightsailInstance> = {},
): LightsailInstance {
  const region = overrides.region ?? REGION;
  return {
    name,
    arn: `arn:aws:lightsail:${region}:${ACCOUNT_ID}:Instance/${name}-0000-4000-8000-000000000000`,
    region,
    blueprintId: "wordpress",
    bundleId: "nano_3_0",
    state: "running",
    publicIpAddress: "54.200.150.66",
    privateIpAddress: "172.26.12.13",
    ipAddressType: "dualstack",
    tags: [],
    ports,
    addOns: [{ name: "AutoSnapshot", status: "Enabled" }],
    metadataHttpTokens: "required",
    ...overrides,
  };
}

/** A load-balancer certificate: ISSUED and attached unless overridden. */
export function cert(
  name = "example-com",
  overrides: Partial<LoadBalancerCertificate> = {},
): LoadBalancerCertificate {
  return {
    name,
    isAttached: true,
    status: "ISSUED",
    domainName: "example.com",
    notAfter: "2027-06-01T00:00:00.000Z",
    ...overrides,
  };
}

/**
 * A load balancer with HTTPS fully on (HTTP_HTTPS, attached ISSUED certificate, redirection on)
 * unless overridden. `certificateSummaries` follows `certificates` when not given.
 */
export function loadBalancer(
  name: string,
  overrides: Partial<LightsailLoadBalancer> = {},
): LightsailLoadBalancer {
  const region = overrides.region ?? REGION;
  const certificates = overrides.certificates === undefined ? [cert()] : overrides.certificates;
  return {
    name,
    arn: `arn:aws:lightsail:${region}:${ACCOUNT_ID}:LoadBalancer/${name}-0000-4000-8000-000000000000`,
    region,
    protocol: "HTTP_HTTPS",
    publicPorts: [80, 443],
    httpsRedirectionEnabled: true,
    tlsPolicyName: "TLS-2016-08",
    state: "active",
    tags: [],
    attachedInstances: ["WordPress-1"],
    certificateSummaries: (certificates ?? []).map((c) => ({
      name: c.name,
      isAttached: c.isAttached,
    })),
    ...overrides,
    certificates,
  };
}

/**
 * The load-balancer TLS policies as GetLoadBalancerTlsPolicies lists them (ciphers left out):
 * the default TLS-2016-08 (TLS 1.0-1.2), TLS-FS-Res-1-1-2019-08 (1.1-1.2) and
 * TLS-FS-1-2-Res-2019-08 (1.2 only). Names from LSDG; the 1-1 policy and the protocol spelling
 * are [UNVERIFIED] (see tests/fake-aws/services/lightsail.ts).
 */
export function tlsPolicies(): LoadBalancerTlsPolicy[] {
  return [
    { name: "TLS-2016-08", isDefault: true, protocols: ["TLSv1", "TLSv1.1", "TLSv1.2"] },
    { name: "TLS-FS-Res-1-1-2019-08", isDefault: false, protocols: ["TLSv1.1", "TLSv1.2"] },
    { name: "TLS-FS-1-2-Res-2019-08", isDefault: false, protocols: ["TLSv1.2"] },
  ];
}

/**
 * A distribution serving www.example.com with certificate "example-com-cdn" and TLS 1.2
 * (`TLSv1.2_2021`), its origin instance WordPress-1 in us-east-1, unless overridden.
 */
export function distribution(
  name: string,
  overrides: Partial<LightsailDistribution> = {},
): LightsailDistribution {
  return {
    name,
    arn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Distribution/${name}-0000-4000-8000-000000000000`,
    domainName: "d1a2b3c4d5e6f7.cloudfront.net",
    alternativeDomainNames: ["www.example.com"],
    certificateName: "example-com-cdn",
    isEnabled: true,
    status: "Enabled",
    originName: "WordPress-1",
    originRegion: "us-east-1",
    viewerMinimumTlsProtocolVersion: "TLSv1.2_2021",
    ...overrides,
  };
}

/** A Lightsail (distribution) certificate in us-east-1: ISSUED, expiring 2027-06-01, unless overridden. */
export function lightsailCertificate(
  name = "example-com-cdn",
  overrides: Partial<LightsailCertificate> = {},
): LightsailCertificate {
  return {
    name,
    arn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Certificate/${name}-0000-4000-8000-000000000000`,
    domainName: "www.example.com",
    status: "ISSUED",
    notAfter: "2027-06-01T00:00:00.000Z",
    inUseResourceCount: 1,
    ...overrides,
  };
}

/** A static IP of REGION attached to instance WordPress-1, unless overridden. */
export function staticIp(
  name: string,
  overrides: Partial<LightsailStaticIp> = {},
): LightsailStaticIp {
  const ipRegion = overrides.region ?? REGION;
  return {
    name,
    arn: `arn:aws:lightsail:${ipRegion}:${ACCOUNT_ID}:StaticIp/${name}-0000-4000-8000-000000000000`,
    region: ipRegion,
    ipAddress: "54.200.150.66",
    isAttached: true,
    attachedTo: "WordPress-1",
    ...overrides,
  };
}

/**
 * A MySQL 8.0 managed database of REGION: private, automated backups on, nothing pending, unless
 * overridden.
 */
export function database(
  name: string,
  overrides: Partial<LightsailDatabase> = {},
): LightsailDatabase {
  const dbRegion = overrides.region ?? REGION;
  return {
    name,
    arn: `arn:aws:lightsail:${dbRegion}:${ACCOUNT_ID}:RelationalDatabase/${name}-0000-4000-8000-000000000000`,
    region: dbRegion,
    engine: "mysql",
    engineVersion: "8.0.35",
    state: "available",
    publiclyAccessible: false,
    backupRetentionEnabled: true,
    endpointAddress: `ls-0123456789abcdef0123456789abcdef01234567.czowadgeezqi.${dbRegion}.rds.amazonaws.com`,
    endpointPort: 3306,
    pendingMaintenanceActions: [],
    tags: [],
    ...overrides,
  };
}

/** An Active bucket access key created 30 days before NOW and used a day before NOW. */
export function bucketAccessKey(
  accessKeyId: string,
  overrides: Partial<BucketAccessKey> = {},
): BucketAccessKey {
  return {
    accessKeyId,
    status: "Active",
    createdAt: new Date(Date.parse(NOW) - 30 * 86_400_000).toISOString(),
    lastUsedDate: new Date(Date.parse(NOW) - 86_400_000).toISOString(),
    ...overrides,
  };
}

/**
 * A bucket of REGION: private, single objects may not be made public, versioning on, WordPress-1
 * given access, account-level block public access not in effect, unless overridden.
 */
export function bucket(name: string, overrides: Partial<LightsailBucket> = {}): LightsailBucket {
  const bucketRegion = overrides.region ?? REGION;
  return {
    name,
    arn: `arn:aws:lightsail:${bucketRegion}:${ACCOUNT_ID}:Bucket/${name}-0000-4000-8000-000000000000`,
    region: bucketRegion,
    url: `https://${name}.s3.${bucketRegion}.amazonaws.com/`,
    getObject: "private",
    allowPublicOverrides: false,
    objectVersioning: "Enabled",
    readonlyAccessAccounts: [],
    resourcesReceivingAccess: ["WordPress-1"],
    accountBlockPublicAccess: false,
    tags: [],
    accessKeys: [bucketAccessKey("AKIAIOSFODNN7EXAMPLE")],
    ...overrides,
  };
}

/** One audited region's facts (no resources and no managed nodes unless given; the real TLS policies). */
export function region(
  name: string,
  facts: Partial<Omit<LightsailRegionFacts, "region">> = {},
): LightsailRegionFacts {
  return {
    region: name,
    instances: [],
    loadBalancers: [],
    tlsPolicies: tlsPolicies(),
    managedNodes: [],
    patchRuns: [],
    staticIps: [],
    databases: [],
    buckets: [],
    ...facts,
  };
}

/**
 * An Online Debian hybrid node of REGION tagged for the instance `name` (lightsail:instance and
 * lightsail:region), named after it, with its private IP: override what the test is about.
 */
export function managedNode(
  id: string,
  name: string,
  overrides: Partial<ManagedNode> = {},
): ManagedNode {
  const nodeRegion = overrides.region ?? REGION;
  return {
    instanceId: id,
    region: nodeRegion,
    pingStatus: "Online",
    lastPingDateTime: "2026-08-01T11:58:00.000Z",
    platformType: "Linux",
    platformName: "Debian GNU/Linux",
    platformVersion: "12",
    agentVersion: "3.3.1142.0",
    resourceType: "ManagedInstance",
    name,
    ipAddress: "172.26.12.13",
    computerName: "ip-172-26-12-13",
    tags: [
      { key: "lightsail:instance", value: name },
      { key: "lightsail:region", value: nodeRegion },
    ],
    ...overrides,
  };
}

/** What a clean run prints: everything in place, no drift, no reboot pending. */
export function patchResult(overrides: Partial<PatchResult> = {}): PatchResult {
  return {
    changed: [],
    updatesOrigin: true,
    settings: {
      "Unattended-Upgrade::Remove-Unused-Kernel-Packages": "true",
      "Unattended-Upgrade::Remove-New-Unused-Dependencies": "true",
      "Unattended-Upgrade::Automatic-Reboot": "true",
      "Unattended-Upgrade::Automatic-Reboot-Time": "02:00",
      "APT::Periodic::Update-Package-Lists": "1",
      "APT::Periodic::Download-Upgradeable-Packages": "1",
      "APT::Periodic::Unattended-Upgrade": "1",
      "APT::Periodic::AutocleanInterval": "7",
    },
    drift: [],
    rebootRequired: false,
    pendingSecurityUpdates: 0,
    dryRun: "ok",
    errors: [],
    ...overrides,
  };
}

/** The result line the script prints for `result`. */
export function resultLine(result: PatchResult): string {
  return JSON.stringify({ lightsailAuditorPatch: 1, ...result });
}

/** A successful run of the patching document on node `instanceId`, a day before NOW. */
export function patchRun(instanceId: string, overrides: Partial<PatchRun> = {}): PatchRun {
  return {
    commandId: "ef7fdfd8-9b57-4151-a15c-db9a12345678",
    instanceId,
    requestedAt: "2026-07-31T06:00:00.000Z",
    status: "Success",
    statusDetails: "Success",
    responseCode: 0,
    documentVersion: "3",
    result: patchResult(),
    ...overrides,
  };
}

/** An IAM group holding AdministratorAccess (default: "Administrators" with member alice). */
export function adminGroup(name = "Administrators", userNames = ["alice"]): IamAdminGroup {
  return { name, arn: `arn:aws:iam::${ACCOUNT_ID}:group/${name}`, userNames };
}

/**
 * A small slice of ip-ranges.json's EC2 subset (real eu-west-2 EC2 prefixes as published in
 * 2024-2026: 3.8.0.0/14, 18.130.0.0/16, 2a05:d01c::/36). Addresses in them that the account does
 * not hold are "AWS addresses no longer ours"; 198.51.100.0/24 (TEST-NET-2) stands for outside AWS.
 */
export const EC2_RANGES: AwsIpRanges = {
  syncToken: "1764547200",
  ipv4: ["3.8.0.0/14", "18.130.0.0/16"],
  ipv6: ["2a05:d01c::/36"],
};

export interface SnapshotOverrides extends Partial<Omit<AccountSnapshot, "iam">> {
  iam?: Partial<IamFacts>;
}

/**
 * A complete, healthy snapshot: root with hardware MFA and no keys, one user with MFA in an
 * Administrators group, one region with no Lightsail resources, no failures. `iam` overrides are
 * merged key by key.
 */
export function snapshot(overrides: SnapshotOverrides = {}): AccountSnapshot {
  const { iam, ...rest } = overrides;
  return {
    accountId: ACCOUNT_ID,
    partition: "aws",
    regions: [REGION],
    skippedRegions: [],
    lightsail: [region(REGION)],
    distributions: [],
    certificates: [],
    domains: [],
    awsIpRanges: EC2_RANGES,
    failures: [],
    facts: [...FACTS],
    ...rest,
    iam: {
      credentialReport: [rootRow(), userRow("alice")],
      accountSummary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, Users: 1 },
      rootVirtualMfaSerials: [],
      adminGroups: [adminGroup()],
      ...iam,
    },
  };
}

/** A snapshot whose only Lightsail region holds these instances. */
export function withInstances(instances: LightsailInstance[] | null): AccountSnapshot {
  return snapshot({ lightsail: [region(REGION, { instances })] });
}

/** A snapshot whose only Lightsail region holds these load balancers. */
export function withLoadBalancers(loadBalancers: LightsailLoadBalancer[] | null): AccountSnapshot {
  return snapshot({ lightsail: [region(REGION, { loadBalancers })] });
}
