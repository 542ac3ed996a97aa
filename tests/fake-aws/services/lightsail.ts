/**
 * Lightsail (awsJson1_1, target `Lightsail_20161128`). Every call is regional: the region comes
 * from the credential scope and selects `account.lightsail[region]` (absent = empty region).
 *
 * - Reads serve the stored wire objects unchanged, so every quirk reaches the SDK. GetInstance
 *   answers one instance by name (NotFoundException when there is none). GetInstances,
 *   GetLoadBalancers, GetStaticIps, GetRelationalDatabases, GetBuckets, GetDistributions, GetDomains and GetCertificates page by `settings.pageSize` (default 25);
 *   `nextPageToken` is absent on the last page. GetLoadBalancerTlsPolicies pages the same way and
 *   answers the same three policies in every region (see TLS_POLICIES).
 * - GetBucketAccessKeys answers one bucket's keys (no secrets; NotFoundException for an unknown
 *   bucket); a never-used key has lastUsed region and serviceName "N/A" and no date.
 * - GetBuckets sends `resourcesReceivingAccess` only with `includeConnectedResources`, and an
 *   `accountLevelBpaSync` that is InSync and does not block public access.
 * - GetDistributions and GetDomains answer in us-east-1 only (elsewhere InvalidInputException). GetCertificates
 *   answers everywhere with that region's certificates (container-service certificates are
 *   regional); distribution certificates live in us-east-1. Without `includeCertificateDetails`
 *   only certificateArn, certificateName, domainName and tags come back.
 * - Port writes return a terminal `Succeeded` Operation and change the stored instance: Open adds
 *   (or widens) a rule, Close removes sources (the whole rule when none are named), and Put
 *   REPLACES every rule, closing whatever it does not list. Stored rules look like real ones:
 *   lower-case protocol, "all" stored as "-1" (a served rule may carry either spelling; both
 *   match the same request), accessType "public", IPv4 and IPv6 sources merged in
 *   one entry, accessFrom computed. A PortInfo naming no sources at all opens to 0.0.0.0/0
 *   (the CLI's behaviour for `--port-info fromPort=22,toPort=22,protocol=TCP`).
 * - UpdateLoadBalancerAttribute sets one attribute from a string value; HttpsRedirectionEnabled
 *   and TlsPolicyName need HTTPS on (protocol HTTP_HTTPS).
 *
 * Lightsail errors carry `code`, `docs` and `tip` besides `__type` and `message`.
 */
import { randomUUID } from "node:crypto";
import type {
  CloseInstancePublicPortsRequest,
  GetBucketAccessKeysRequest,
  GetBucketsRequest,
  GetCertificatesRequest,
  GetDistributionsRequest,
  GetDomainsRequest,
  GetInstanceRequest,
  GetInstancesRequest,
  GetLoadBalancersRequest,
  GetLoadBalancerTlsCertificatesRequest,
  GetLoadBalancerTlsPoliciesRequest,
  GetRegionsRequest,
  GetRelationalDatabasesRequest,
  GetStaticIpsRequest,
  OpenInstancePublicPortsRequest,
  PortInfo,
  PutInstancePublicPortsRequest,
  UpdateLoadBalancerAttributeRequest,
} from "@aws-sdk/client-lightsail";
import { GLOBAL_REGION, LIGHTSAIL_REGIONS } from "../../../shared/aws/regions";
import {
  accessFrom,
  emptyRegion,
  epoch,
  type ResourceLocation,
  type WireInstance,
  type WireLoadBalancer,
  type WirePort,
} from "../account";
import { AwsError, paginate } from "../protocol";
import type { CallContext, JsonService } from "../state";

function lightsailError(type: "NotFoundException" | "InvalidInputException", message: string) {
  return new AwsError(type, message, 400, {
    code: type.replace(/Exception$/, ""),
    docs: "https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/",
    tip:
      type === "NotFoundException"
        ? "Check the resource name and region."
        : "Check the request parameters.",
  });
}

const invalidInput = (message: string) => lightsailError("InvalidInputException", message);

/** The region's data, created empty on first touch so writes have somewhere to go. */
function regionData({ state, region }: CallContext) {
  state.account.lightsail[region] ??= emptyRegion();
  return state.account.lightsail[region];
}

function pageOf<T>(ctx: CallContext, items: readonly T[], pageToken: string | undefined) {
  return paginate(items, pageToken, ctx.state.settings.pageSize, () =>
    invalidInput("The page token is invalid."),
  );
}

const REGION_NAMES: Record<string, [continent: string, displayName: string]> = {
  "us-east-1": ["NA", "Virginia"],
  "us-east-2": ["NA", "Ohio"],
  "us-west-2": ["NA", "Oregon"],
  "ca-central-1": ["NA", "Montreal"],
  "sa-east-1": ["SA", "São Paulo"],
  "eu-west-1": ["EU", "Ireland"],
  "eu-west-2": ["EU", "London"],
  "eu-west-3": ["EU", "Paris"],
  "eu-central-1": ["EU", "Frankfurt"],
  "eu-north-1": ["EU", "Stockholm"],
  "eu-south-2": ["EU", "Spain"],
  "ap-east-1": ["AP", "Hong Kong"],
  "ap-south-1": ["AP", "Mumbai"],
  "ap-northeast-1": ["AP", "Tokyo"],
  "ap-northeast-2": ["AP", "Seoul"],
  "ap-southeast-1": ["AP", "Singapore"],
  "ap-southeast-2": ["AP", "Sydney"],
  "ap-southeast-3": ["AP", "Jakarta"],
  "ap-southeast-5": ["AP", "Malaysia"],
};

const CIPHERS_2016 = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES128-SHA256",
  "ECDHE-RSA-AES128-SHA256",
  "ECDHE-ECDSA-AES128-SHA",
  "ECDHE-RSA-AES128-SHA",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-AES256-SHA384",
  "ECDHE-RSA-AES256-SHA384",
  "AES128-GCM-SHA256",
  "AES128-SHA256",
  "AES128-SHA",
  "AES256-GCM-SHA384",
  "AES256-SHA256",
  "AES256-SHA",
];

/**
 * What GetLoadBalancerTlsPolicies answers, in every region. TLS-2016-08 (the default, TLS 1.0-1.2)
 * and TLS-FS-1-2-Res-2019-08 (TLS 1.2 only) are named in LSDG
 * amazon-lightsail-configure-load-balancer-tls-security-policy.md. TLS-FS-Res-1-1-2019-08 (TLS
 * 1.1-1.2), the protocol spelling (`TLSv1`, `TLSv1.1`, `TLSv1.2`), the descriptions and the cipher
 * lists are [UNVERIFIED]: no captured response was found, and the docs show them as an image.
 */
const TLS_POLICIES = [
  {
    name: "TLS-2016-08",
    isDefault: true,
    description: "This security policy supports TLSv1.0, TLSv1.1 and TLSv1.2.",
    protocols: ["TLSv1", "TLSv1.1", "TLSv1.2"],
    ciphers: CIPHERS_2016,
  },
  {
    name: "TLS-FS-Res-1-1-2019-08",
    isDefault: false,
    description: "This security policy supports TLSv1.1 and TLSv1.2 with forward secrecy ciphers.",
    protocols: ["TLSv1.1", "TLSv1.2"],
    ciphers: CIPHERS_2016.filter((c) => c.startsWith("ECDHE")),
  },
  {
    name: "TLS-FS-1-2-Res-2019-08",
    isDefault: false,
    description: "This security policy supports TLSv1.2 with forward secrecy ciphers only.",
    protocols: ["TLSv1.2"],
    ciphers: CIPHERS_2016.filter((c) => c.startsWith("ECDHE") && !c.endsWith("-SHA")),
  },
];

function findInstance(ctx: CallContext, name: string | undefined): WireInstance {
  const instance = regionData(ctx).instances.find((i) => i.name === name);
  if (!instance) throw lightsailError("NotFoundException", `The Instance does not exist: ${name}`);
  return instance;
}

/** A request PortInfo as the API stores and returns it. */
function toWirePort(info: PortInfo | undefined): WirePort {
  const protocol = (info?.protocol ?? "").toLowerCase();
  // A missing port defaults to -2, which fails the range check.
  const { fromPort = -2, toPort = -2 } = info ?? {};
  const icmp = protocol === "icmp" || protocol === "icmpv6";
  const low = icmp ? -1 : 0;
  const valid =
    ["tcp", "udp", "all", "icmp", "icmpv6"].includes(protocol) &&
    fromPort >= low &&
    toPort >= low &&
    fromPort <= 65535 &&
    toPort <= 65535 &&
    (icmp || fromPort <= toPort);
  if (!valid) {
    throw invalidInput(
      `Invalid port info: ${fromPort}-${toPort}/${info?.protocol ?? "(no protocol)"}`,
    );
  }
  const namesSources = info?.cidrs ?? info?.ipv6Cidrs ?? info?.cidrListAliases;
  const rule = {
    fromPort,
    toPort,
    protocol: protocol === "all" ? "-1" : protocol,
    accessType: "public",
    commonName: "",
    accessDirection: "inbound",
  };
  return withSources(
    rule,
    namesSources === undefined ? ["0.0.0.0/0"] : (info?.cidrs ?? []),
    info?.ipv6Cidrs ?? [],
    info?.cidrListAliases ?? [],
  );
}

/** "-1" and "all" are one protocol: stored rules may carry either spelling (see account.ts). */
const protocolOf = (p: WirePort) => (p.protocol === "-1" ? "all" : p.protocol);
const sameRule = (a: WirePort, b: WirePort) =>
  a.fromPort === b.fromPort && a.toPort === b.toPort && protocolOf(a) === protocolOf(b);

function operation(
  ctx: CallContext,
  resourceName: string,
  resourceType: string,
  location: ResourceLocation,
  operationType: string,
  details: string,
) {
  const now = epoch(ctx.state.now());
  return {
    id: randomUUID(),
    resourceName,
    resourceType,
    createdAt: now,
    location,
    isTerminal: true,
    operationDetails: details,
    operationType,
    status: "Succeeded",
    statusChangedAt: now,
  };
}

const portLabel = (p: WirePort) =>
  `${p.fromPort === p.toPort ? p.fromPort : `${p.fromPort}-${p.toPort}`}/${p.protocol}`;

function portOperation(ctx: CallContext, instance: WireInstance, type: string, details: string) {
  return { operation: operation(ctx, instance.name, "Instance", instance.location, type, details) };
}

/**
 * A stored rule's sources. An old-style entry has no lists; its `accessFrom` text still says whom
 * it admits (the service knows; only the old response leaves the lists out).
 */
function sourcesOf(p: WirePort) {
  return {
    cidrs: p.cidrs ?? (p.accessFrom?.includes("0.0.0.0/0") ? ["0.0.0.0/0"] : []),
    ipv6Cidrs: p.ipv6Cidrs ?? (p.accessFrom?.includes("::/0") ? ["::/0"] : []),
    cidrListAliases: p.cidrListAliases ?? [],
  };
}

/** `rule` with its source lists set and its `accessFrom` recomputed. */
function withSources(
  rule: WirePort,
  cidrs: string[],
  ipv6Cidrs: string[],
  cidrListAliases: string[],
): WirePort {
  return { ...rule, cidrs, ipv6Cidrs, cidrListAliases, accessFrom: accessFrom(cidrs, ipv6Cidrs) };
}

const union = (a: string[], b: string[] = []) => [...new Set([...a, ...b])];
const minus = (a: string[], b: string[] = []) => a.filter((x) => !b.includes(x));

function findLoadBalancer(ctx: CallContext, name: string | undefined): WireLoadBalancer {
  const lb = regionData(ctx).loadBalancers.find((l) => l.name === name);
  if (!lb) throw lightsailError("NotFoundException", `The LoadBalancer does not exist: ${name}`);
  return lb;
}

const LB_ATTRIBUTES = [
  "HealthCheckPath",
  "SessionStickinessEnabled",
  "SessionStickiness_LB_CookieDurationSeconds",
  "HttpsRedirectionEnabled",
  "TlsPolicyName",
];

/** Why `value` cannot be set as attribute `name` of `lb`; undefined when it can. */
function attributeProblem(lb: WireLoadBalancer, name: string, value: string): string | undefined {
  if (!LB_ATTRIBUTES.includes(name)) return `Invalid attribute name: ${name}`;
  if (value.length < 1 || value.length > 256) return "attributeValue must be 1 to 256 characters.";
  const isBoolean = name === "SessionStickinessEnabled" || name === "HttpsRedirectionEnabled";
  if (isBoolean && value !== "true" && value !== "false")
    return `${name} must be "true" or "false".`;
  if (name === "SessionStickiness_LB_CookieDurationSeconds" && !/^\d+$/.test(value)) {
    return `${name} must be a number of seconds.`;
  }
  const needsHttps = name === "HttpsRedirectionEnabled" || name === "TlsPolicyName";
  if (needsHttps && lb.protocol !== "HTTP_HTTPS") {
    return `${name} can only be set when HTTPS is enabled on the load balancer.`;
  }
  if (name === "TlsPolicyName" && !TLS_POLICIES.some((p) => p.name === value)) {
    return `Invalid TLS policy name: ${value}`;
  }
  return undefined;
}

export const lightsail: JsonService = {
  protocol: "json",
  target: "Lightsail_20161128",
  operations: {
    GetRegions: (req: GetRegionsRequest) => {
      return {
        regions: LIGHTSAIL_REGIONS.map((name) => {
          const [continentCode, displayName] = REGION_NAMES[name] ?? ["", name];
          const zones = ["a", "b", "c"].map((z) => ({
            zoneName: `${name}${z}`,
            state: "available",
          }));
          return {
            continentCode,
            description: `This region is recommended to serve users in and around ${displayName}`,
            displayName,
            name,
            availabilityZones: req.includeAvailabilityZones ? zones : [],
            relationalDatabaseAvailabilityZones: req.includeRelationalDatabaseAvailabilityZones
              ? zones
              : [],
          };
        }),
      };
    },

    GetInstance: (req: GetInstanceRequest, ctx) => ({
      instance: findInstance(ctx, req.instanceName),
    }),

    GetInstances: (req: GetInstancesRequest, ctx) => {
      const { page, next } = pageOf(ctx, regionData(ctx).instances, req.pageToken);
      return { instances: page, nextPageToken: next };
    },

    GetLoadBalancers: (req: GetLoadBalancersRequest, ctx) => {
      const { page, next } = pageOf(ctx, regionData(ctx).loadBalancers, req.pageToken);
      return { loadBalancers: page, nextPageToken: next };
    },

    GetLoadBalancerTlsCertificates: (req: GetLoadBalancerTlsCertificatesRequest, ctx) => {
      const lb = findLoadBalancer(ctx, req.loadBalancerName);
      const certificates = regionData(ctx).loadBalancerTlsCertificates;
      return { tlsCertificates: certificates.filter((c) => c.loadBalancerName === lb.name) };
    },

    GetLoadBalancerTlsPolicies: (req: GetLoadBalancerTlsPoliciesRequest, ctx) => {
      const { page, next } = pageOf(ctx, TLS_POLICIES, req.pageToken);
      return { tlsPolicies: page, nextPageToken: next };
    },

    GetStaticIps: (req: GetStaticIpsRequest, ctx) => {
      const { page, next } = pageOf(ctx, regionData(ctx).staticIps ?? [], req.pageToken);
      return { staticIps: page, nextPageToken: next };
    },

    GetRelationalDatabases: (req: GetRelationalDatabasesRequest, ctx) => {
      const databases = regionData(ctx).relationalDatabases ?? [];
      const { page, next } = pageOf(ctx, databases, req.pageToken);
      return { relationalDatabases: page, nextPageToken: next };
    },

    GetBuckets: (req: GetBucketsRequest, ctx) => {
      const buckets = (regionData(ctx).buckets ?? []).filter(
        (b) => req.bucketName === undefined || b.name === req.bucketName,
      );
      const { page, next } = pageOf(ctx, buckets, req.pageToken);
      return {
        buckets: page.map(({ resourcesReceivingAccess, ...b }) =>
          req.includeConnectedResources ? { ...b, resourcesReceivingAccess } : b,
        ),
        nextPageToken: next,
        // S3 account-level block public access: synchronised, and not blocking anything.
        accountLevelBpaSync: {
          status: "InSync",
          lastSyncedAt: epoch(ctx.state.now()) - 3600,
          bpaImpactsLightsail: false,
        },
      };
    },

    GetBucketAccessKeys: (req: GetBucketAccessKeysRequest, ctx) => {
      const data = regionData(ctx);
      if (!(data.buckets ?? []).some((b) => b.name === req.bucketName)) {
        throw lightsailError("NotFoundException", `The Bucket does not exist: ${req.bucketName}`);
      }
      return { accessKeys: data.bucketAccessKeys?.[req.bucketName ?? ""] ?? [] };
    },

    GetDistributions: (req: GetDistributionsRequest, ctx) => {
      if (ctx.region !== GLOBAL_REGION) {
        throw invalidInput(
          "Domain and distribution APIs are only available in the N. Virginia (us-east-1) Region.",
        );
      }
      const distributions = ctx.state.account.distributions.filter(
        (d) => req.distributionName === undefined || d.name === req.distributionName,
      );
      const { page, next } = pageOf(ctx, distributions, req.pageToken);
      return { distributions: page, nextPageToken: next };
    },

    GetDomains: (req: GetDomainsRequest, ctx) => {
      if (ctx.region !== GLOBAL_REGION) {
        throw invalidInput(
          "Domain and distribution APIs are only available in the N. Virginia (us-east-1) Region.",
        );
      }
      const { page, next } = pageOf(ctx, ctx.state.account.domains ?? [], req.pageToken);
      return { domains: page, nextPageToken: next };
    },

    GetCertificates: (req: GetCertificatesRequest, ctx) => {
      const certificates = regionData(ctx).certificates.filter(
        (c) =>
          (req.certificateName === undefined || c.certificateName === req.certificateName) &&
          (!req.certificateStatuses?.length ||
            req.certificateStatuses.some((s) => s === c.certificateDetail.status)),
      );
      const { page, next } = pageOf(ctx, certificates, req.pageToken);
      return {
        certificates: page.map(({ certificateDetail, ...summary }) =>
          req.includeCertificateDetails ? { ...summary, certificateDetail } : summary,
        ),
        nextPageToken: next,
      };
    },

    OpenInstancePublicPorts: (req: OpenInstancePublicPortsRequest, ctx) => {
      const instance = findInstance(ctx, req.instanceName);
      const rule = toWirePort(req.portInfo);
      const ports = instance.networking.ports;
      const index = ports.findIndex((p) => sameRule(p, rule));
      const existing = ports[index];
      if (existing) {
        const have = sourcesOf(existing);
        ports[index] = withSources(
          existing,
          union(have.cidrs, rule.cidrs),
          union(have.ipv6Cidrs, rule.ipv6Cidrs),
          union(have.cidrListAliases, rule.cidrListAliases),
        );
      } else {
        ports.push(rule);
      }
      return portOperation(ctx, instance, "OpenInstancePublicPorts", portLabel(rule));
    },

    CloseInstancePublicPorts: (req: CloseInstancePublicPortsRequest, ctx) => {
      const instance = findInstance(ctx, req.instanceName);
      const info = req.portInfo;
      const rule = toWirePort(info);
      const namesSources = info?.cidrs ?? info?.ipv6Cidrs ?? info?.cidrListAliases;
      instance.networking.ports = instance.networking.ports.flatMap((p) => {
        if (!sameRule(p, rule)) return [p];
        if (namesSources === undefined) return [];
        const have = sourcesOf(p);
        const cidrs = minus(have.cidrs, rule.cidrs);
        const ipv6Cidrs = minus(have.ipv6Cidrs, rule.ipv6Cidrs);
        const cidrListAliases = minus(have.cidrListAliases, rule.cidrListAliases);
        if (cidrs.length + ipv6Cidrs.length + cidrListAliases.length === 0) return [];
        return [withSources(p, cidrs, ipv6Cidrs, cidrListAliases)];
      });
      return portOperation(ctx, instance, "CloseInstancePublicPorts", portLabel(rule));
    },

    PutInstancePublicPorts: (req: PutInstancePublicPortsRequest, ctx) => {
      const instance = findInstance(ctx, req.instanceName);
      if (req.portInfos === undefined) throw invalidInput("portInfos is required.");
      const ports = req.portInfos.map(toWirePort);
      instance.networking.ports = ports;
      return portOperation(
        ctx,
        instance,
        "PutInstancePublicPorts",
        ports.map(portLabel).join(", "),
      );
    },

    UpdateLoadBalancerAttribute: (req: UpdateLoadBalancerAttributeRequest, ctx) => {
      const { attributeName = "", attributeValue = "" } = req;
      const lb = findLoadBalancer(ctx, req.loadBalancerName);
      const problem = attributeProblem(lb, attributeName, attributeValue);
      if (problem) throw invalidInput(problem);
      lb.configurationOptions[attributeName] = attributeValue;
      if (attributeName === "HttpsRedirectionEnabled") {
        lb.httpsRedirectionEnabled = attributeValue === "true";
      }
      if (attributeName === "TlsPolicyName") lb.tlsPolicyName = attributeValue;
      if (attributeName === "HealthCheckPath") lb.healthCheckPath = attributeValue;
      const type = "UpdateLoadBalancerAttribute";
      return {
        operations: [operation(ctx, lb.name, "LoadBalancer", lb.location, type, attributeName)],
      };
    },
  },
};
