/**
 * Lightsail read adapter: SDK responses -> plain snapshot facts. Field values are kept as the API
 * sends them (lower-case `public`, protocol "-1", missing `cidrs`); the checks handle the quirks.
 * SDK v3 has no Lightsail paginators, so the `pageToken` loops are written here.
 */
import {
  type Certificate,
  GetCertificatesCommand,
  GetDistributionsCommand,
  GetInstancesCommand,
  GetLoadBalancersCommand,
  GetLoadBalancerTlsCertificatesCommand,
  GetLoadBalancerTlsPoliciesCommand,
  type Instance,
  type LightsailClient,
  type LoadBalancer,
  type LoadBalancerTlsCertificate,
  type LightsailDistribution as SdkDistribution,
} from "@aws-sdk/client-lightsail";
import type {
  LightsailCertificate,
  LightsailDistribution,
  LightsailInstance,
  LightsailLoadBalancer,
  LoadBalancerCertificate,
  LoadBalancerTlsPolicy,
  PortRule,
  Tag,
} from "../model";

/** IAM actions this adapter calls (the stack must grant exactly these; see tests). */
export const LIGHTSAIL_READ_ACTIONS = [
  "lightsail:GetInstances",
  "lightsail:GetLoadBalancers",
  "lightsail:GetLoadBalancerTlsCertificates",
  "lightsail:GetLoadBalancerTlsPolicies",
  "lightsail:GetDistributions",
  "lightsail:GetCertificates",
] as const;

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);
const tags = (t: { key?: string; value?: string }[] | undefined): Tag[] =>
  (t ?? []).map((x) =>
    x.value === undefined ? { key: x.key ?? "" } : { key: x.key ?? "", value: x.value },
  );

/** Follows `nextPageToken` until it is absent, collecting every page's items. */
async function allPages<T>(fetch: (pageToken?: string) => Promise<{ items?: T[]; next?: string }>) {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    out.push(...(page.items ?? []));
    token = page.next;
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
    privateIpAddress: i.privateIpAddress,
    ipAddressType: i.ipAddressType,
    tags: tags(i.tags),
    // Spread keeps only the keys the API sent: a missing `cidrs` stays missing (old responses).
    ports: (i.networking?.ports ?? []).map((p) => ({ ...p }) as PortRule),
    addOns: (i.addOns ?? []).map((a) => ({ name: a.name, status: a.status })),
    metadataHttpTokens: i.metadataOptions?.httpTokens,
  };
}

function toLoadBalancer(lb: LoadBalancer, region: string): LightsailLoadBalancer {
  return {
    name: lb.name ?? "",
    arn: lb.arn ?? "",
    region,
    protocol: lb.protocol,
    publicPorts: lb.publicPorts ?? [],
    httpsRedirectionEnabled: lb.httpsRedirectionEnabled,
    tlsPolicyName: lb.tlsPolicyName,
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

export async function getInstances(client: LightsailClient, region: string) {
  const items = await allPages(async (pageToken) => {
    const r = await client.send(new GetInstancesCommand({ pageToken }));
    return { items: r.instances, next: r.nextPageToken };
  });
  return items.map((i) => toInstance(i, region));
}

export async function getLoadBalancers(client: LightsailClient, region: string) {
  const items = await allPages(async (pageToken) => {
    const r = await client.send(new GetLoadBalancersCommand({ pageToken }));
    return { items: r.loadBalancers, next: r.nextPageToken };
  });
  return items.map((lb) => toLoadBalancer(lb, region));
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
  const items = await allPages(async (pageToken) => {
    const r = await client.send(new GetLoadBalancerTlsPoliciesCommand({ pageToken }));
    return { items: r.tlsPolicies, next: r.nextPageToken };
  });
  return items.map((p) => ({
    name: p.name ?? "",
    isDefault: p.isDefault === true,
    protocols: p.protocols ?? [],
  }));
}

/** Call with the us-east-1 client: distributions are global and served there only. */
export async function getDistributions(client: LightsailClient) {
  const items = await allPages(async (pageToken) => {
    const r = await client.send(new GetDistributionsCommand({ pageToken }));
    return { items: r.distributions, next: r.nextPageToken };
  });
  return items.map(toDistribution);
}

/** Call with the us-east-1 client. Without `includeCertificateDetails` only names come back. */
export async function getCertificates(client: LightsailClient) {
  const items = await allPages(async (pageToken) => {
    const r = await client.send(
      new GetCertificatesCommand({ includeCertificateDetails: true, pageToken }),
    );
    return { items: r.certificates, next: r.nextPageToken };
  });
  return items.map((c) =>
    toCertificate(c.certificateDetail, c.certificateName ?? "", c.certificateArn ?? ""),
  );
}
