/**
 * Lightsail read adapter: SDK responses -> plain snapshot facts. Field values are kept as the API
 * sends them (lower-case `public`, protocol "-1", missing `cidrs`); the checks handle the quirks.
 * SDK v3 has no Lightsail paginators, so the `pageToken` loops are written here.
 */
import {
  type Certificate,
  CloseInstancePublicPortsCommand,
  GetBucketAccessKeysCommand,
  GetBucketsCommand,
  GetCertificatesCommand,
  GetDistributionsCommand,
  GetDomainsCommand,
  GetInstanceCommand,
  GetInstancesCommand,
  GetLoadBalancersCommand,
  GetLoadBalancerTlsCertificatesCommand,
  GetLoadBalancerTlsPoliciesCommand,
  GetRelationalDatabasesCommand,
  GetStaticIpsCommand,
  type Instance,
  type LightsailClient,
  type LoadBalancer,
  type LoadBalancerAttributeName,
  type LoadBalancerTlsCertificate,
  type NetworkProtocol,
  OpenInstancePublicPortsCommand,
  type Operation,
  type PortInfo,
  type LightsailDistribution as SdkDistribution,
  UpdateLoadBalancerAttributeCommand,
} from "@aws-sdk/client-lightsail";
import type {
  BucketAccessKey,
  FirewallRule,
  LightsailBucket,
  LightsailCertificate,
  LightsailDatabase,
  LightsailDistribution,
  LightsailDomain,
  LightsailInstance,
  LightsailLoadBalancer,
  LightsailStaticIp,
  LoadBalancerCertificate,
  LoadBalancerTlsPolicy,
  PortRule,
  Tag,
} from "../model";
import { ListingError, pageGuard } from "./pages";

/** IAM actions this adapter calls (the stack must grant exactly these; see tests). */
export const LIGHTSAIL_READ_ACTIONS = [
  "lightsail:GetInstances",
  "lightsail:GetLoadBalancers",
  "lightsail:GetLoadBalancerTlsCertificates",
  "lightsail:GetLoadBalancerTlsPolicies",
  "lightsail:GetDistributions",
  "lightsail:GetCertificates",
  // No resource type in the Service Authorization Reference as far as we know (a list call, like
  // GetInstances): granted on "*" with the others. [UNVERIFIED against list_amazonlightsail]
  "lightsail:GetStaticIps",
  // The same for this list call. [UNVERIFIED against list_amazonlightsail]
  "lightsail:GetRelationalDatabases",
  // Granted on "*" like the other reads; whether GetBuckets takes the Bucket resource type is
  // [UNVERIFIED against list_amazonlightsail].
  "lightsail:GetBuckets",
  // Also on "*": whether it takes the Bucket resource type is [UNVERIFIED]. One call per bucket.
  "lightsail:GetBucketAccessKeys",
  // A list call served by us-east-1 only (Lightsail DNS is global); granted on "*" like the
  // others. [UNVERIFIED against list_amazonlightsail]
  "lightsail:GetDomains",
] as const;

/**
 * The fixes' calls (shared/remediation/act.ts). GetInstance re-reads one instance right before
 * acting; like the reads above it has no resource-level permissions.
 */
export const LIGHTSAIL_FIX_READ_ACTIONS = ["lightsail:GetInstance"] as const;
/** Firewall writes: granted on instance ARNs only. Never PutInstancePublicPorts. */
export const LIGHTSAIL_FIX_INSTANCE_ACTIONS = [
  "lightsail:OpenInstancePublicPorts",
  "lightsail:CloseInstancePublicPorts",
] as const;
/** Load-balancer attribute writes: granted on load-balancer ARNs only. */
export const LIGHTSAIL_FIX_LOAD_BALANCER_ACTIONS = [
  "lightsail:UpdateLoadBalancerAttribute",
] as const;
/**
 * The attributes a fix may change. IAM cannot narrow UpdateLoadBalancerAttribute by attribute
 * (no condition key for it; cfn-lint's Policies.json lists only the LoadBalancer resource type,
 * whose only condition key is aws:ResourceTag), so this adapter refuses any other.
 */
export const FIXABLE_LOAD_BALANCER_ATTRIBUTES: readonly string[] = ["HttpsRedirectionEnabled"];

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);
const tags = (t: { key?: string; value?: string }[] | undefined): Tag[] =>
  (t ?? []).map((x) =>
    x.value === undefined ? { key: x.key ?? "" } : { key: x.key ?? "", value: x.value },
  );

/**
 * Follows `nextPageToken` until it is absent, collecting every page's items; a repeated token or
 * MAX_PAGES pages stop it (pages.ts). A page without its list member (no body, or a body without
 * `instances`...) is a failure, never "no resources": the model marks the member optional
 * (botocore lightsail/2016-11-28 GetInstancesResult), but such an answer cannot be told from a
 * broken one (an empty body parses the same way), so only an explicit `[]` means "none".
 */
async function allPages<T>(
  operation: string,
  member: string,
  fetch: (pageToken?: string) => Promise<{ items?: T[]; next?: string }>,
) {
  const out: T[] = [];
  const guard = pageGuard(operation);
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await fetch(token);
    pages += 1;
    if (!Array.isArray(page.items)) {
      throw new ListingError(
        "MissingListMember",
        `${operation} answered without its \`${member}\` list (page ${pages})`,
      );
    }
    out.push(...page.items);
    token = guard(page.next);
  } while (token);
  return out;
}

function toInstance(i: Instance, region: string): LightsailInstance {
  return {
    name: i.name ?? "",
    arn: i.arn ?? "",
    region,
    blueprintId: i.blueprintId,
    bundleId: i.bundleId,
    state: i.state?.name,
    publicIpAddress: i.publicIpAddress,
    ipv6Addresses: i.ipv6Addresses,
    privateIpAddress: i.privateIpAddress,
    ipAddressType: i.ipAddressType,
    tags: tags(i.tags),
    // Spread keeps only the keys the API sent: a missing `cidrs` stays missing (old responses).
    ports: (i.networking?.ports ?? []).map((p) => ({ ...p }) as PortRule),
    addOns: (i.addOns ?? []).map((a) => ({ name: a.name, status: a.status })),
    metadataHttpTokens: i.metadataOptions?.httpTokens,
    metadataHttpEndpoint: i.metadataOptions?.httpEndpoint,
  };
}

/** "true" / "false" (any case) as the map's string values say; anything else unknown. */
function optionBoolean(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  return v === "true" ? true : v === "false" ? false : undefined;
}

function toLoadBalancer(lb: LoadBalancer, region: string): LightsailLoadBalancer {
  // botocore lightsail 2016-11-28 `LoadBalancer` carries these twice: top-level
  // httpsRedirectionEnabled / tlsPolicyName, and configurationOptions (LoadBalancerAttributeName
  // keys HttpsRedirectionEnabled / TlsPolicyName, string values). Read the typed field, else the map.
  const options = lb.configurationOptions ?? {};
  return {
    name: lb.name ?? "",
    arn: lb.arn ?? "",
    region,
    protocol: lb.protocol,
    dnsName: lb.dnsName,
    publicPorts: lb.publicPorts ?? [],
    httpsRedirectionEnabled:
      lb.httpsRedirectionEnabled ?? optionBoolean(options.HttpsRedirectionEnabled),
    tlsPolicyName: lb.tlsPolicyName ?? (options.TlsPolicyName?.trim() || undefined),
    state: lb.state,
    tags: tags(lb.tags),
    attachedInstances: (lb.instanceHealthSummary ?? []).flatMap((h) => h.instanceName ?? []),
    certificateSummaries: (lb.tlsCertificateSummaries ?? []).map((c) => ({
      name: c.name ?? "",
      isAttached: c.isAttached === true,
    })),
    certificates: null,
  };
}

const toLbCertificate = (c: LoadBalancerTlsCertificate): LoadBalancerCertificate => ({
  name: c.name ?? "",
  isAttached: c.isAttached === true,
  status: c.status,
  domainName: c.domainName,
  notAfter: iso(c.notAfter),
});

const toDistribution = (d: SdkDistribution): LightsailDistribution => ({
  name: d.name ?? "",
  arn: d.arn ?? "",
  domainName: d.domainName,
  alternativeDomainNames: d.alternativeDomainNames ?? [],
  certificateName: d.certificateName,
  isEnabled: d.isEnabled,
  status: d.status,
  originName: d.origin?.name,
  originRegion: d.origin?.regionName,
  viewerMinimumTlsProtocolVersion: d.viewerMinimumTlsProtocolVersion,
});

const toCertificate = (
  c: Certificate | undefined,
  name: string,
  arn: string,
): LightsailCertificate => ({
  name,
  arn,
  domainName: c?.domainName,
  status: c?.status,
  notAfter: iso(c?.notAfter),
  inUseResourceCount: c?.inUseResourceCount,
});

// Each page is mapped as it arrives: the SDK's objects are several times the size of ours, and
// holding 50,000 of them until the last page came was most of the audit's peak memory.
export async function getInstances(client: LightsailClient, region: string) {
  return allPages("GetInstances", "instances", async (pageToken) => {
    const r = await client.send(new GetInstancesCommand({ pageToken }));
    return { items: r.instances?.map((i) => toInstance(i, region)), next: r.nextPageToken };
  });
}

export async function getLoadBalancers(client: LightsailClient, region: string) {
  return allPages("GetLoadBalancers", "loadBalancers", async (pageToken) => {
    const r = await client.send(new GetLoadBalancersCommand({ pageToken }));
    return {
      items: r.loadBalancers?.map((lb) => toLoadBalancer(lb, region)),
      next: r.nextPageToken,
    };
  });
}

export async function getLoadBalancerCertificates(
  client: LightsailClient,
  loadBalancerName: string,
) {
  const r = await client.send(new GetLoadBalancerTlsCertificatesCommand({ loadBalancerName }));
  return (r.tlsCertificates ?? []).map(toLbCertificate);
}

/** The TLS security policies load balancers of the client's region may use (all pages). */
export async function getLoadBalancerTlsPolicies(
  client: LightsailClient,
): Promise<LoadBalancerTlsPolicy[]> {
  const items = await allPages("GetLoadBalancerTlsPolicies", "tlsPolicies", async (pageToken) => {
    const r = await client.send(new GetLoadBalancerTlsPoliciesCommand({ pageToken }));
    return { items: r.tlsPolicies, next: r.nextPageToken };
  });
  return items.map((p) => ({
    name: p.name ?? "",
    isDefault: p.isDefault === true,
    protocols: p.protocols ?? [],
  }));
}

/**
 * The region's static IPs (all pages). botocore lightsail 2016-11-28 `StaticIp`: name, arn,
 * ipAddress, isAttached, attachedTo (the instance's name), all optional.
 */
export async function getStaticIps(
  client: LightsailClient,
  region: string,
): Promise<LightsailStaticIp[]> {
  const items = await allPages("GetStaticIps", "staticIps", async (pageToken) => {
    const r = await client.send(new GetStaticIpsCommand({ pageToken }));
    return { items: r.staticIps, next: r.nextPageToken };
  });
  return items.map((ip) => ({
    name: ip.name ?? "",
    arn: ip.arn ?? "",
    region,
    ipAddress: ip.ipAddress,
    isAttached: ip.isAttached,
    attachedTo: ip.attachedTo,
  }));
}

/**
 * The region's managed databases (all pages). botocore lightsail 2016-11-28 `RelationalDatabase`:
 * publiclyAccessible, backupRetentionEnabled, pendingModifiedValues.backupRetentionEnabled,
 * masterEndpoint {address, port}, pendingMaintenanceActions [{action, description,
 * currentApplyDate}], all optional; a missing boolean stays undefined (unknown), never false.
 */
export async function getRelationalDatabases(
  client: LightsailClient,
  region: string,
): Promise<LightsailDatabase[]> {
  return allPages("GetRelationalDatabases", "relationalDatabases", async (pageToken) => {
    const r = await client.send(new GetRelationalDatabasesCommand({ pageToken }));
    return {
      items: r.relationalDatabases?.map(
        (db): LightsailDatabase => ({
          name: db.name ?? "",
          arn: db.arn ?? "",
          region,
          engine: db.engine,
          engineVersion: db.engineVersion,
          state: db.state,
          publiclyAccessible: db.publiclyAccessible,
          backupRetentionEnabled: db.backupRetentionEnabled,
          pendingBackupRetentionEnabled: db.pendingModifiedValues?.backupRetentionEnabled,
          endpointAddress: db.masterEndpoint?.address,
          endpointPort: db.masterEndpoint?.port,
          pendingMaintenanceActions: (db.pendingMaintenanceActions ?? []).map((a) => ({
            action: a.action,
            description: a.description,
            currentApplyDate: iso(a.currentApplyDate),
          })),
          tags: tags(db.tags),
        }),
      ),
      next: r.nextPageToken,
    };
  });
}

/**
 * The region's buckets (all pages), with the instances given access (`includeConnectedResources`).
 * botocore lightsail 2016-11-28 `Bucket`: accessRules {getObject (public|private),
 * allowPublicOverrides}, objectVersioning, readonlyAccessAccounts, resourcesReceivingAccess; the
 * response's accountLevelBpaSync.bpaImpactsLightsail is stamped on every bucket of the page.
 */
export async function getBuckets(client: LightsailClient, region: string) {
  return allPages("GetBuckets", "buckets", async (pageToken) => {
    const r = await client.send(
      new GetBucketsCommand({ includeConnectedResources: true, pageToken }),
    );
    const bpa = r.accountLevelBpaSync?.bpaImpactsLightsail;
    return {
      items: r.buckets?.map(
        (b): LightsailBucket => ({
          name: b.name ?? "",
          arn: b.arn ?? "",
          region,
          url: b.url,
          getObject: b.accessRules?.getObject,
          allowPublicOverrides: b.accessRules?.allowPublicOverrides,
          objectVersioning: b.objectVersioning,
          readonlyAccessAccounts: b.readonlyAccessAccounts ?? [],
          resourcesReceivingAccess: (b.resourcesReceivingAccess ?? []).flatMap((a) => a.name ?? []),
          accountBlockPublicAccess: bpa,
          tags: tags(b.tags),
          accessKeys: null,
        }),
      ),
      next: r.nextPageToken,
    };
  });
}

/**
 * One bucket's access keys (GetBucketAccessKeys; not paginated). botocore `AccessKey`:
 * accessKeyId, status (Active|Inactive), createdAt, lastUsed.lastUsedDate. The secret (sent only
 * on creation) is never kept.
 */
export async function getBucketAccessKeys(
  client: LightsailClient,
  bucketName: string,
): Promise<BucketAccessKey[]> {
  const r = await client.send(new GetBucketAccessKeysCommand({ bucketName }));
  if (!Array.isArray(r.accessKeys)) {
    throw new ListingError(
      "MissingListMember",
      "GetBucketAccessKeys answered without its `accessKeys` list",
    );
  }
  return r.accessKeys.map((k) => ({
    accessKeyId: k.accessKeyId ?? "",
    status: k.status,
    createdAt: iso(k.createdAt),
    lastUsedDate: iso(k.lastUsed?.lastUsedDate),
  }));
}

/** Call with the us-east-1 client: distributions are global and served there only. */
export async function getDistributions(client: LightsailClient) {
  const items = await allPages("GetDistributions", "distributions", async (pageToken) => {
    const r = await client.send(new GetDistributionsCommand({ pageToken }));
    return { items: r.distributions, next: r.nextPageToken };
  });
  return items.map(toDistribution);
}

/**
 * Call with the us-east-1 client: Lightsail DNS zones are global and served there only (the
 * "Lightsail DNS" docs: domains are managed in us-east-1). The discontinued `options` are dropped.
 */
export async function getDomains(client: LightsailClient): Promise<LightsailDomain[]> {
  return allPages("GetDomains", "domains", async (pageToken) => {
    const r = await client.send(new GetDomainsCommand({ pageToken }));
    return {
      items: r.domains?.map((d) => ({
        name: d.name ?? "",
        arn: d.arn ?? "",
        records: (d.domainEntries ?? []).map((e) => ({
          name: e.name,
          type: e.type,
          target: e.target,
          isAlias: e.isAlias,
        })),
      })),
      next: r.nextPageToken,
    };
  });
}

/** Call with the us-east-1 client. Without `includeCertificateDetails` only names come back. */
export async function getCertificates(client: LightsailClient) {
  const items = await allPages("GetCertificates", "certificates", async (pageToken) => {
    const r = await client.send(
      new GetCertificatesCommand({ includeCertificateDetails: true, pageToken }),
    );
    return { items: r.certificates, next: r.nextPageToken };
  });
  return items.map((c) =>
    toCertificate(c.certificateDetail, c.certificateName ?? "", c.certificateArn ?? ""),
  );
}

/** One instance (GetInstance), for re-reading its firewall right before a fix. */
export async function getInstance(client: LightsailClient, region: string, instanceName: string) {
  const r = await client.send(new GetInstanceCommand({ instanceName }));
  if (!r.instance) throw new Error(`GetInstance returned no instance for ${instanceName}`);
  return toInstance(r.instance, region);
}

/** Every list sent explicitly: what the API does with a missing one is undocumented. */
const portInfo = (rule: FirewallRule): PortInfo => ({
  fromPort: rule.fromPort,
  toPort: rule.toPort,
  protocol: rule.protocol as NetworkProtocol,
  cidrs: rule.cidrs,
  ipv6Cidrs: rule.ipv6Cidrs,
  cidrListAliases: rule.cidrListAliases,
});

/** Port and attribute writes answer with an Operation; a Failed one is an error. */
function checkOperation(op: Operation | undefined, call: string): void {
  if (op?.status === "Failed") {
    throw Object.assign(
      new Error(
        `${call} operation ${op.id ?? ""} failed: ${op.errorDetails ?? op.errorCode ?? "no details"}`,
      ),
      { name: op.errorCode || "OperationFailed" },
    );
  }
}

/** Adds one rule's sources (OpenInstancePublicPorts); the other rules are left alone. */
export async function openInstancePublicPorts(
  client: LightsailClient,
  instanceName: string,
  rule: FirewallRule,
) {
  const r = await client.send(
    new OpenInstancePublicPortsCommand({ instanceName, portInfo: portInfo(rule) }),
  );
  checkOperation(r.operation, "OpenInstancePublicPorts");
}

/** Removes exactly these sources of one rule (CloseInstancePublicPorts). */
export async function closeInstancePublicPorts(
  client: LightsailClient,
  instanceName: string,
  rule: FirewallRule,
) {
  const r = await client.send(
    new CloseInstancePublicPortsCommand({ instanceName, portInfo: portInfo(rule) }),
  );
  checkOperation(r.operation, "CloseInstancePublicPorts");
}

/** Sets one attribute (the API takes one at a time; values are strings such as "true"). */
export async function updateLoadBalancerAttribute(
  client: LightsailClient,
  loadBalancerName: string,
  attributeName: string,
  attributeValue: string,
) {
  if (!FIXABLE_LOAD_BALANCER_ATTRIBUTES.includes(attributeName)) {
    throw new Error(
      `UpdateLoadBalancerAttribute: ${attributeName} is not an attribute the fixes may change (${FIXABLE_LOAD_BALANCER_ATTRIBUTES.join(", ")})`,
    );
  }
  const r = await client.send(
    new UpdateLoadBalancerAttributeCommand({
      loadBalancerName,
      attributeName: attributeName as LoadBalancerAttributeName,
      attributeValue,
    }),
  );
  for (const op of r.operations ?? []) checkOperation(op, "UpdateLoadBalancerAttribute");
}
