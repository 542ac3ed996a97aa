/**
 * Builders for wire-shaped account data, shared by the demo and synthetic accounts. They fill in
 * the fields a real response carries (ARNs with a GUID, support codes, hardware, metadata options)
 * so an account file only states what matters about each resource.
 */
import {
  accessFrom,
  CREDENTIAL_REPORT_HEADER,
  epoch,
  type FakeManagedNode,
  type LightsailTag,
  type WireBucket,
  type WireBucketAccessKey,
  type WireDomain,
  type WireInstance,
  type WireLoadBalancer,
  type WireLoadBalancerTlsCertificate,
  type WirePort,
  type WireRelationalDatabase,
  type WireStaticIp,
} from "../account";

/** A modern port entry: IPv4 and IPv6 sources in one entry, every list present. */
export function port(
  fromPort: number,
  toPort: number,
  sources: { cidrs?: string[]; ipv6Cidrs?: string[]; cidrListAliases?: string[] },
  protocol = "tcp",
): WirePort {
  const cidrs = sources.cidrs ?? [];
  const ipv6Cidrs = sources.ipv6Cidrs ?? [];
  return {
    fromPort,
    toPort,
    protocol,
    accessFrom: accessFrom(cidrs, ipv6Cidrs),
    accessType: "public",
    commonName: "",
    accessDirection: "inbound",
    cidrs,
    ipv6Cidrs,
    cidrListAliases: sources.cidrListAliases ?? [],
  };
}

/** A port open to the world on both firewalls, as the WordPress blueprint creates it. */
export const worldPort = (p: number, to = p) =>
  port(p, to, { cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"] });

/** An old-style entry: no `cidrs`, `ipv6Cidrs` or `cidrListAliases` keys at all. */
export function oldPort(p: number, accessFromText: string): WirePort {
  return {
    fromPort: p,
    toPort: p,
    protocol: "tcp",
    accessFrom: accessFromText,
    accessType: "public",
    commonName: "",
    accessDirection: "inbound",
  };
}

export interface InstanceSpec {
  accountId: string;
  region: string;
  name: string;
  guid: string;
  /** The hidden EC2 instance id's 17 hex digits, for the support code. */
  ec2Id: string;
  createdAt: Date;
  privateIp: string;
  publicIp: string;
  ports: WirePort[];
  blueprintId?: string;
  blueprintName?: string;
  bundleId?: string;
  /** Set for a dual-stack instance; IPv4-only otherwise. */
  ipv6Address?: string;
  httpTokens?: "optional" | "required";
  autoSnapshot?: boolean;
  tags?: LightsailTag[];
  /**
   * A response from an instance predating IPv6 and IMDS options: no ipAddressType,
   * ipv6Addresses or metadataOptions keys.
   */
  old?: boolean;
}

export function instance(spec: InstanceSpec): WireInstance {
  const wordpress = (spec.blueprintId ?? "wordpress").startsWith("wordpress");
  const created = epoch(spec.createdAt);
  const built: WireInstance = {
    name: spec.name,
    arn: `arn:aws:lightsail:${spec.region}:${spec.accountId}:Instance/${spec.guid}`,
    supportCode: `${spec.accountId.slice(3)}${spec.accountId.slice(0, 3)}/i-${spec.ec2Id}`,
    createdAt: created,
    location: { availabilityZone: `${spec.region}a`, regionName: spec.region },
    resourceType: "Instance",
    tags: spec.tags ?? [],
    blueprintId: spec.blueprintId ?? "wordpress",
    blueprintName: spec.blueprintName ?? "WordPress",
    bundleId: spec.bundleId ?? "small_3_0",
    addOns: spec.autoSnapshot
      ? [
          {
            name: "AutoSnapshot",
            status: "Enabled",
            snapshotTimeOfDay: "06:00",
            nextSnapshotTimeOfDay: "06:00",
          },
        ]
      : [],
    isStaticIp: true,
    privateIpAddress: spec.privateIp,
    publicIpAddress: spec.publicIp,
    ipv6Addresses: spec.ipv6Address ? [spec.ipv6Address] : [],
    ipAddressType: spec.ipv6Address ? "dualstack" : "ipv4",
    hardware: {
      cpuCount: 2,
      ramSizeInGb: 2,
      disks: [
        {
          createdAt: created,
          sizeInGb: 60,
          isSystemDisk: true,
          iops: 180,
          path: "/dev/xvda",
          attachedTo: spec.name,
          attachmentState: "attached",
        },
      ],
    },
    networking: { monthlyTransfer: { gbPerMonthAllocated: 3072 }, ports: spec.ports },
    state: { code: 16, name: "running" },
    username: wordpress ? "bitnami" : "admin",
    sshKeyName: "LightsailDefaultKeyPair",
    metadataOptions: {
      state: "applied",
      httpTokens: spec.httpTokens ?? "optional",
      httpEndpoint: "enabled",
      httpPutResponseHopLimit: 1,
      httpProtocolIpv6: "disabled",
    },
  };
  if (spec.old) {
    delete built.ipAddressType;
    delete built.ipv6Addresses;
    delete built.metadataOptions;
  }
  return built;
}

export interface LoadBalancerSpec {
  accountId: string;
  region: string;
  name: string;
  guid: string;
  createdAt: Date;
  /** HTTPS on: protocol HTTP_HTTPS, ports 80 and 443, TLS policy `tlsPolicyName`. */
  https: boolean;
  httpsRedirection?: boolean;
  /** The TLS policy once HTTPS is on (default TLS-2016-08, Lightsail's default). */
  tlsPolicyName?: string;
  /**
   * False: redirection and the TLS policy appear only in `configurationOptions`, not as the
   * top-level `httpsRedirectionEnabled` / `tlsPolicyName` (botocore's LoadBalancer carries both;
   * a response may fill either).
   */
  topLevelAttributes?: boolean;
  certificates: { name: string; isAttached: boolean }[];
  instanceNames: string[];
}

export function loadBalancer(spec: LoadBalancerSpec): WireLoadBalancer {
  const stickiness = {
    SessionStickinessEnabled: "false",
    SessionStickiness_LB_CookieDurationSeconds: "86400",
  };
  const redirect = spec.httpsRedirection ?? false;
  const tlsPolicyName = spec.tlsPolicyName ?? "TLS-2016-08";
  return {
    name: spec.name,
    arn: `arn:aws:lightsail:${spec.region}:${spec.accountId}:LoadBalancer/${spec.guid}`,
    supportCode: `${spec.accountId.slice(3)}${spec.accountId.slice(0, 3)}/arn:aws:elasticloadbalancing:${spec.region}:${spec.accountId}:loadbalancer/app/${spec.guid.slice(0, 8)}/${spec.guid.slice(-16)}`,
    createdAt: epoch(spec.createdAt),
    location: { availabilityZone: "all", regionName: spec.region },
    resourceType: "LoadBalancer",
    tags: [],
    dnsName: `${spec.guid.replaceAll("-", "")}-${spec.guid.slice(0, 8)}.${spec.region}.elb.amazonaws.com`,
    state: "active",
    protocol: spec.https ? "HTTP_HTTPS" : "HTTP",
    publicPorts: spec.https ? [80, 443] : [80],
    healthCheckPath: "/",
    instancePort: 80,
    instanceHealthSummary: spec.instanceNames.map((instanceName) => ({
      instanceName,
      instanceHealth: "healthy",
    })),
    tlsCertificateSummaries: spec.certificates,
    configurationOptions: spec.https
      ? { ...stickiness, HttpsRedirectionEnabled: String(redirect), TlsPolicyName: tlsPolicyName }
      : stickiness,
    ipAddressType: "dualstack",
    ...(spec.topLevelAttributes !== false && {
      httpsRedirectionEnabled: redirect,
      ...(spec.https && { tlsPolicyName }),
    }),
  };
}

export interface StaticIpSpec {
  accountId: string;
  region: string;
  name: string;
  guid: string;
  createdAt: Date;
  ipAddress: string;
  /** The instance it is attached to; detached when absent (then no `attachedTo` key at all). */
  attachedTo?: string;
}

export function staticIp(spec: StaticIpSpec): WireStaticIp {
  return {
    name: spec.name,
    arn: `arn:aws:lightsail:${spec.region}:${spec.accountId}:StaticIp/${spec.guid}`,
    supportCode: `${spec.accountId.slice(3)}${spec.accountId.slice(0, 3)}/${spec.ipAddress}`,
    createdAt: epoch(spec.createdAt),
    location: { availabilityZone: "all", regionName: spec.region },
    resourceType: "StaticIp",
    ipAddress: spec.ipAddress,
    isAttached: spec.attachedTo !== undefined,
    ...(spec.attachedTo !== undefined && { attachedTo: spec.attachedTo }),
  };
}

export interface DatabaseSpec {
  accountId: string;
  region: string;
  name: string;
  guid: string;
  createdAt: Date;
  /** The latest restorable time when backups are on (a few minutes ago). */
  now: Date;
  publiclyAccessible: boolean;
  backupRetentionEnabled: boolean;
  /** A minor engine upgrade still pending, due this long ago (days); none when absent. */
  upgradeDueDaysAgo?: number;
}

/** A MySQL 8.0 managed database (micro bundle), as get-relational-database shows one. */
export function relationalDatabase(spec: DatabaseSpec): WireRelationalDatabase {
  const host = spec.guid.replaceAll("-", "").slice(0, 32);
  return {
    name: spec.name,
    arn: `arn:aws:lightsail:${spec.region}:${spec.accountId}:RelationalDatabase/${spec.guid}`,
    supportCode: `${spec.accountId.slice(3)}${spec.accountId.slice(0, 3)}/ls-${host}`,
    createdAt: epoch(spec.createdAt),
    location: { availabilityZone: `${spec.region}a`, regionName: spec.region },
    resourceType: "RelationalDatabase",
    tags: [],
    relationalDatabaseBlueprintId: "mysql_8_0",
    relationalDatabaseBundleId: "micro_2_0",
    masterDatabaseName: "wordpress",
    hardware: { cpuCount: 2, diskSizeInGb: 40, ramSizeInGb: 1.0 },
    state: "available",
    backupRetentionEnabled: spec.backupRetentionEnabled,
    pendingModifiedValues: {},
    engine: "mysql",
    engineVersion: "8.0.35",
    ...(spec.backupRetentionEnabled && {
      latestRestorableTime: epoch(new Date(spec.now.getTime() - 5 * 60_000)),
    }),
    masterUsername: "dbmasteruser",
    parameterApplyStatus: "in-sync",
    preferredBackupWindow: "03:00-03:30",
    preferredMaintenanceWindow: "sun:04:00-sun:04:30",
    publiclyAccessible: spec.publiclyAccessible,
    masterEndpoint: {
      port: 3306,
      address: `ls-${host}.czowadgeezqi.${spec.region}.rds.amazonaws.com`,
    },
    // RDS-style values (Lightsail databases run on RDS): `db-upgrade`, with the target version.
    pendingMaintenanceActions:
      spec.upgradeDueDaysAgo === undefined
        ? []
        : [
            {
              action: "db-upgrade",
              description: "Automatic minor version upgrade to 8.0.40",
              currentApplyDate: epoch(
                new Date(spec.now.getTime() - spec.upgradeDueDaysAgo * 86_400_000),
              ),
            },
          ],
    caCertificateIdentifier: "rds-ca-rsa2048-g1",
  };
}

export interface BucketSpec {
  accountId: string;
  region: string;
  name: string;
  guid: string;
  createdAt: Date;
  getObject: "public" | "private";
  allowPublicOverrides: boolean;
  objectVersioning: "Enabled" | "Suspended" | "NeverEnabled";
  /** Instances given access (SetResourceAccessForBucket). */
  instances?: string[];
}

export function bucket(spec: BucketSpec): WireBucket {
  return {
    resourceType: "Bucket",
    accessRules: { getObject: spec.getObject, allowPublicOverrides: spec.allowPublicOverrides },
    arn: `arn:aws:lightsail:${spec.region}:${spec.accountId}:Bucket/${spec.guid}`,
    bundleId: "small_1_0",
    createdAt: epoch(spec.createdAt),
    url: `https://${spec.name}.s3.${spec.region}.amazonaws.com/`,
    location: { availabilityZone: "all", regionName: spec.region },
    name: spec.name,
    supportCode: `${spec.accountId.slice(3)}${spec.accountId.slice(0, 3)}/s3bucket/${spec.name}`,
    tags: [],
    objectVersioning: spec.objectVersioning,
    ableToUpdateBundle: true,
    readonlyAccessAccounts: [],
    resourcesReceivingAccess: (spec.instances ?? []).map((name) => ({
      name,
      resourceType: "Instance",
    })),
    state: { code: "OK" },
    accessLogConfig: { enabled: false },
  };
}

/** A bucket access key; never used when `lastUsedAt` is absent. */
export function bucketAccessKey(
  accessKeyId: string,
  createdAt: Date,
  lastUsedAt?: Date,
  region = "N/A",
): WireBucketAccessKey {
  return {
    accessKeyId,
    status: "Active",
    createdAt: epoch(createdAt),
    lastUsed: lastUsedAt
      ? { lastUsedDate: epoch(lastUsedAt), region, serviceName: "s3" }
      : { region: "N/A", serviceName: "N/A" },
  };
}

export interface LbCertificateSpec {
  accountId: string;
  region: string;
  name: string;
  guid: string;
  loadBalancerName: string;
  domainName: string;
  isAttached: boolean;
  status: "ISSUED" | "PENDING_VALIDATION" | "EXPIRED";
  createdAt: Date;
  notAfter: Date;
}

export function lbCertificate(spec: LbCertificateSpec): WireLoadBalancerTlsCertificate {
  const issued = spec.status !== "PENDING_VALIDATION";
  const notBefore = new Date(spec.notAfter.getTime() - 395 * 86_400_000);
  return {
    name: spec.name,
    arn: `arn:aws:lightsail:${spec.region}:${spec.accountId}:LoadBalancerTlsCertificate/${spec.guid}`,
    supportCode: `${spec.accountId.slice(3)}${spec.accountId.slice(0, 3)}/arn:aws:acm:${spec.region}:${spec.accountId}:certificate/${spec.guid}`,
    createdAt: epoch(spec.createdAt),
    location: { availabilityZone: "all", regionName: spec.region },
    resourceType: "LoadBalancerTlsCertificate",
    tags: [],
    loadBalancerName: spec.loadBalancerName,
    isAttached: spec.isAttached,
    status: spec.status,
    domainName: spec.domainName,
    domainValidationRecords: [
      {
        name: `_c3f1a9e2d4b6.${spec.domainName}.`,
        type: "CNAME",
        value: "_7d2e4f6a8b0c.acm-validations.aws.",
        validationStatus: issued ? "SUCCESS" : "PENDING_VALIDATION",
        domainName: spec.domainName,
      },
    ],
    keyAlgorithm: "RSA-2048",
    subjectAlternativeNames: [spec.domainName],
    ...(issued && {
      issuedAt: epoch(notBefore),
      issuer: "Amazon",
      notAfter: epoch(spec.notAfter),
      notBefore: epoch(notBefore),
      renewalSummary: { renewalStatus: "PENDING_AUTO_RENEWAL" },
      serial: "0e:5c:8a:44:1f:2b:93:d7:66:aa:10:3c:59:e4:b2:71",
      signatureAlgorithm: "SHA256WITHRSA",
      subject: `CN=${spec.domainName}`,
    }),
  };
}

export interface ManagedNodeSpec {
  instanceId: string;
  lightsailName: string;
  lightsailRegion: string;
  privateIp: string;
  registeredAt: Date;
  lastPingAt: Date;
  activationId: string;
  /** False: the activation had a default instance name but no tags (default true). */
  tagged?: boolean;
}

/**
 * A Lightsail instance registered with SSM through a hybrid activation named after it and, unless
 * `tagged` is false, tagged as recommended.
 */
export function managedNode(spec: ManagedNodeSpec): FakeManagedNode {
  return {
    info: {
      InstanceId: spec.instanceId,
      PingStatus: "Online",
      LastPingDateTime: epoch(spec.lastPingAt),
      AgentVersion: "3.3.1142.0",
      IsLatestVersion: false,
      PlatformType: "Linux",
      PlatformName: "Debian GNU/Linux",
      PlatformVersion: "12",
      ActivationId: spec.activationId,
      IamRole: "lightsail-auditor-ssm-role",
      RegistrationDate: epoch(spec.registeredAt),
      ResourceType: "ManagedInstance",
      Name: spec.lightsailName,
      IPAddress: spec.privateIp,
      ComputerName: `ip-${spec.privateIp.replaceAll(".", "-")}`,
      AssociationStatus: "Success",
      SourceId: spec.instanceId,
      SourceType: "AWS::SSM::ManagedInstance",
    },
    tags:
      spec.tagged === false
        ? []
        : [
            { Key: "lightsail:instance", Value: spec.lightsailName },
            { Key: "lightsail:region", Value: spec.lightsailRegion },
          ],
  };
}

/** The fields of the patching script's result line (enforce-patching.sh). */
export interface PatchLineSpec {
  changed?: string[];
  rebootRequired?: boolean;
  pendingSecurityUpdates?: number | null;
  drift?: string[];
  errors?: string[];
  dryRun?: string;
}

/** The one JSON line enforce-patching.sh prints, with the default settings in effect. */
export function patchResultLine(spec: PatchLineSpec = {}): string {
  return JSON.stringify({
    lightsailAuditorPatch: 1,
    changed: spec.changed ?? [],
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
    drift: spec.drift ?? [],
    rebootRequired: spec.rebootRequired ?? false,
    pendingSecurityUpdates:
      spec.pendingSecurityUpdates === undefined ? 0 : spec.pendingSecurityUpdates,
    dryRun: spec.dryRun ?? "ok",
    errors: spec.errors ?? [],
  });
}

const COLUMNS = CREDENTIAL_REPORT_HEADER.split(",");

/**
 * The report CSV. Each row names only its non-default columns; the rest are what AWS writes for
 * an absent credential: "false" for the *_active and password_enabled/mfa_active flags, "N/A"
 * for everything else.
 */
export function credentialReport(rows: Record<string, string>[]): string {
  const fallback = (column: string) =>
    column.endsWith("_active") || column === "password_enabled" ? "false" : "N/A";
  const lines = rows.map((row) => COLUMNS.map((c) => row[c] ?? fallback(c)).join(","));
  return [CREDENTIAL_REPORT_HEADER, ...lines].join("\n");
}

export interface DomainSpec {
  accountId: string;
  name: string;
  guid: string;
  createdAt: Date;
  /** [name, type, target, isAlias?] per record; the zone's NS and SOA records are added. */
  records: [name: string, type: string, target: string, isAlias?: boolean][];
}

/** A Lightsail DNS zone as GetDomains returns it (us-east-1); entry ids are opaque numbers. */
export function domain(spec: DomainSpec): WireDomain {
  const entries: DomainSpec["records"] = [
    [spec.name, "NS", "ns-1111.awsdns-11.org"],
    [spec.name, "SOA", "ns-1111.awsdns-11.org"],
    ...spec.records,
  ];
  return {
    name: spec.name,
    arn: `arn:aws:lightsail:global:${spec.accountId}:Domain/${spec.guid}`,
    supportCode: `${spec.accountId.slice(3)}${spec.accountId.slice(0, 3)}/${spec.name}`,
    createdAt: epoch(spec.createdAt),
    location: { availabilityZone: "all", regionName: "global" },
    resourceType: "Domain",
    tags: [],
    domainEntries: entries.map(([name, type, target, isAlias], i) => ({
      id: `${-1_000_000_000 - i * 7919}`,
      name,
      target,
      ...(isAlias !== undefined && { isAlias }),
      type,
    })),
  };
}
