/**
 * The Lightsail read adapter over a mocked LightsailClient (aws-sdk-client-mock). Responses are
 * SDK-v3-shaped (Date objects) and keep the wire quirks of aws-api-facts.md §1-3.
 */
import "aws-sdk-client-mock-vitest/extend";
import {
  AccessDeniedException,
  type Certificate,
  GetBucketAccessKeysCommand,
  GetBucketsCommand,
  type GetBucketsCommandOutput,
  GetCertificatesCommand,
  type GetCertificatesCommandOutput,
  GetDistributionsCommand,
  type GetDistributionsCommandOutput,
  GetInstancesCommand,
  type GetInstancesCommandOutput,
  GetLoadBalancersCommand,
  GetLoadBalancerTlsCertificatesCommand,
  GetLoadBalancerTlsPoliciesCommand,
  type GetLoadBalancerTlsPoliciesCommandOutput,
  GetRelationalDatabasesCommand,
  type GetRelationalDatabasesCommandOutput,
  GetStaticIpsCommand,
  type GetStaticIpsCommandOutput,
  type Instance,
  type InstancePortInfo,
  LightsailClient,
  type LightsailDistribution,
  type LoadBalancer,
} from "@aws-sdk/client-lightsail";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  getBucketAccessKeys,
  getBuckets,
  getCertificates,
  getDistributions,
  getInstances,
  getLoadBalancerCertificates,
  getLoadBalancers,
  getLoadBalancerTlsPolicies,
  getRelationalDatabases,
  getStaticIps,
} from "../../../shared/aws/lightsail";

const REGION = "us-west-2";
const ACCOUNT = "832698950836";
const lightsail = mockClient(LightsailClient);
const client = new LightsailClient({ region: REGION });

beforeEach(() => {
  lightsail.reset();
});

/** A WordPress instance as GetInstances returns it (Appendix A.1 capture, trimmed). */
function sdkInstance(name: string, overrides: Partial<Instance> = {}): Instance {
  return {
    name,
    arn: `arn:aws:lightsail:${REGION}:${ACCOUNT}:Instance/b03e7647-87b5-441a-91db-${name}`,
    blueprintId: "wordpress",
    blueprintName: "WordPress",
    bundleId: "nano_3_0",
    createdAt: new Date("2023-08-01T19:10:46.194Z"),
    location: { availabilityZone: `${REGION}a`, regionName: REGION },
    resourceType: "Instance",
    ipAddressType: "dualstack",
    privateIpAddress: "172.26.12.13",
    publicIpAddress: "54.200.150.66",
    state: { code: 16, name: "running" },
    tags: [],
    metadataOptions: { httpTokens: "optional", state: "applied" },
    networking: { monthlyTransfer: { gbPerMonthAllocated: 1024 }, ports: [] },
    ...overrides,
  };
}

/**
 * A callsFake handler serving pages keyed by the pageToken that must be sent to get them. It
 * refuses an unknown token and more calls than there are pages, so a loop that does not follow
 * the token fails fast instead of spinning forever.
 */
function pagesByToken<T>(pages: Record<string, T>) {
  let calls = 0;
  return (input: { pageToken?: string }): T => {
    calls += 1;
    if (calls > Object.keys(pages).length) throw new Error(`more calls than pages (${calls})`);
    const page = pages[input.pageToken ?? "<first>"];
    if (!page) throw new Error(`unexpected pageToken ${String(input.pageToken)}`);
    return page;
  };
}

function serveInstancePages(pages: Record<string, GetInstancesCommandOutput>) {
  lightsail.on(GetInstancesCommand).callsFake(pagesByToken(pages));
}

describe("getInstances", () => {
  it("follows nextPageToken over three pages and stops when it is absent", async () => {
    // Prepare
    serveInstancePages({
      "<first>": {
        instances: [sdkInstance("a"), sdkInstance("b")],
        nextPageToken: "t2",
        $metadata: {},
      },
      t2: { instances: [sdkInstance("c")], nextPageToken: "t3", $metadata: {} },
      t3: { instances: [sdkInstance("d"), sdkInstance("e")], $metadata: {} },
    });

    // Act
    const instances = await getInstances(client, REGION);

    // Assess
    expect(instances.map((i) => i.name)).toEqual(["a", "b", "c", "d", "e"]);
    expect(lightsail).toHaveReceivedCommandTimes(GetInstancesCommand, 3);
    const sent = lightsail.commandCalls(GetInstancesCommand).map((c) => c.args[0].input.pageToken);
    expect(sent).toEqual([undefined, "t2", "t3"]);
  });

  it("makes one call when the first page has no nextPageToken, and maps an empty page to []", async () => {
    serveInstancePages({ "<first>": { instances: [], $metadata: {} } });

    const instances = await getInstances(client, REGION);

    expect(instances).toEqual([]);
    expect(lightsail).toHaveReceivedCommandTimes(GetInstancesCommand, 1);
  });

  it("fails on an answer without `instances`: that is not 'no instances'", async () => {
    serveInstancePages({ "<first>": { $metadata: {} } });

    await expect(getInstances(client, REGION)).rejects.toMatchObject({
      name: "MissingListMember",
      message: "GetInstances answered without its `instances` list (page 1)",
    });
  });

  it("keeps port entries exactly as sent: '-1', lower-case 'public', missing cidrs stays missing", async () => {
    // Prepare: the A.1 merged dual-stack entry, an all-protocols rule, an IPv6-only rule, and an
    // old-style entry with no cidrs / ipv6Cidrs / cidrListAliases keys at all.
    const merged: InstancePortInfo = {
      fromPort: 22,
      toPort: 22,
      protocol: "tcp",
      accessFrom: "Anywhere (0.0.0.0/0 and ::/0)",
      accessType: "public" as InstancePortInfo["accessType"],
      commonName: "",
      accessDirection: "inbound",
      cidrs: ["0.0.0.0/0"],
      ipv6Cidrs: ["::/0"],
      cidrListAliases: [],
    };
    const allProtocols: InstancePortInfo = {
      fromPort: 0,
      toPort: 65535,
      protocol: "-1" as InstancePortInfo["protocol"],
      accessFrom: "Anywhere (0.0.0.0/0 and ::/0)",
      accessType: "public" as InstancePortInfo["accessType"],
      accessDirection: "inbound",
      cidrs: ["0.0.0.0/0"],
      ipv6Cidrs: ["::/0"],
      cidrListAliases: [],
    };
    const ipv6Only: InstancePortInfo = {
      fromPort: 443,
      toPort: 443,
      protocol: "tcp",
      accessFrom: "Anywhere (::/0)",
      accessType: "public" as InstancePortInfo["accessType"],
      cidrs: [],
      ipv6Cidrs: ["::/0"],
    };
    const legacy: InstancePortInfo = {
      fromPort: 80,
      toPort: 80,
      protocol: "tcp",
      accessFrom: "Anywhere (0.0.0.0/0)",
      accessType: "public" as InstancePortInfo["accessType"],
      accessDirection: "inbound",
    };
    serveInstancePages({
      "<first>": {
        instances: [
          sdkInstance("test-1", {
            networking: { ports: [merged, allProtocols, ipv6Only, legacy] },
            tags: [{ key: "test" }, { key: "env", value: "prod" }],
          }),
        ],
        $metadata: {},
      },
    });

    // Act
    const [instance] = await getInstances(client, REGION);

    // Assess
    expect(instance?.ports).toEqual([merged, allProtocols, ipv6Only, legacy]);
    const [, all, v6, old] = instance?.ports ?? [];
    expect(all?.protocol).toBe("-1");
    expect(all?.accessType).toBe("public");
    expect(v6?.cidrs).toEqual([]);
    expect(old).not.toHaveProperty("cidrs");
    expect(old).not.toHaveProperty("ipv6Cidrs");
    expect(old).not.toHaveProperty("cidrListAliases");
    // A tag without a value keeps no `value` key (not "" and not undefined-valued).
    expect(instance?.tags).toEqual([{ key: "test" }, { key: "env", value: "prod" }]);
    expect(instance?.tags[0]).not.toHaveProperty("value");
  });

  it("maps the instance facts and stamps the region it was asked for", async () => {
    serveInstancePages({
      "<first>": {
        instances: [
          sdkInstance("wp", {
            addOns: [{ name: "AutoSnapshot", status: "Enabled", snapshotTimeOfDay: "06:00" }],
            metadataOptions: { httpTokens: "required" },
          }),
        ],
        $metadata: {},
      },
    });

    const [instance] = await getInstances(client, REGION);

    expect(instance).toEqual({
      name: "wp",
      arn: `arn:aws:lightsail:${REGION}:${ACCOUNT}:Instance/b03e7647-87b5-441a-91db-wp`,
      region: REGION,
      blueprintId: "wordpress",
      bundleId: "nano_3_0",
      state: "running",
      publicIpAddress: "54.200.150.66",
      privateIpAddress: "172.26.12.13",
      ipAddressType: "dualstack",
      tags: [],
      ports: [],
      addOns: [{ name: "AutoSnapshot", status: "Enabled" }],
      metadataHttpTokens: "required",
    });
    // Plain data only: no SDK Date objects leak into the snapshot.
    expect(JSON.parse(JSON.stringify(instance))).toEqual(instance);
  });

  it("keeps the metadata endpoint state (httpEndpoint disabled: no IMDS at all)", async () => {
    lightsail.on(GetInstancesCommand).resolves({
      instances: [
        sdkInstance("no-imds", {
          metadataOptions: { httpTokens: "optional", httpEndpoint: "disabled" },
        }),
      ],
    });

    const [instance] = await getInstances(client, REGION);

    expect(instance).toMatchObject({
      metadataHttpTokens: "optional",
      metadataHttpEndpoint: "disabled",
    });
  });

  it("lets an SDK error propagate unchanged, name kept", async () => {
    const err = new AccessDeniedException({
      $metadata: { httpStatusCode: 400 },
      message: "User is not authorized to perform lightsail:GetInstances",
      code: "AccessDeniedException",
    });
    lightsail.on(GetInstancesCommand).rejects(err);

    const call = getInstances(client, REGION);

    await expect(call).rejects.toBe(err);
    await expect(call).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: "User is not authorized to perform lightsail:GetInstances",
    });
  });

  it("propagates an error on a later page instead of returning the pages read so far", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    lightsail
      .on(GetInstancesCommand)
      .resolvesOnce({ instances: [sdkInstance("a")], nextPageToken: "t2" })
      .rejectsOnce(throttled);

    await expect(getInstances(client, REGION)).rejects.toMatchObject({
      name: "ThrottlingException",
    });
  });
});

/** The A.2 HTTPS-enabled load balancer, SDK-shaped. */
function sdkLoadBalancer(name: string, overrides: Partial<LoadBalancer> = {}): LoadBalancer {
  return {
    name,
    arn: `arn:aws:lightsail:us-east-1:${ACCOUNT}:LoadBalancer/40486b2b-${name}`,
    createdAt: new Date("2024-01-01T00:00:00Z"),
    location: { availabilityZone: "all", regionName: "us-east-1" },
    resourceType: "LoadBalancer",
    tags: [],
    dnsName: `${name}.us-east-1.elb.amazonaws.com`,
    state: "active",
    protocol: "HTTP_HTTPS",
    publicPorts: [80, 443],
    healthCheckPath: "/",
    instancePort: 80,
    instanceHealthSummary: [
      { instanceName: "WordPress-1", instanceHealth: "healthy" },
      {
        instanceName: "WordPress-2",
        instanceHealth: "unhealthy",
        instanceHealthReason: "Instance.Timeout",
      },
    ],
    tlsCertificateSummaries: [
      { name: "example-com", isAttached: true },
      { name: "example-com-new", isAttached: false },
    ],
    configurationOptions: { SessionStickinessEnabled: "false", HttpsRedirectionEnabled: "true" },
    ipAddressType: "dualstack",
    httpsRedirectionEnabled: true,
    tlsPolicyName: "TLS-2016-08",
    ...overrides,
  };
}

describe("getLoadBalancers", () => {
  it("maps certificate summaries, attached instance names and redirection; certificates left null", async () => {
    // Prepare
    lightsail.on(GetLoadBalancersCommand).resolves({
      loadBalancers: [
        sdkLoadBalancer("wp-lb", { tags: [{ key: "site" }] }),
        sdkLoadBalancer("plain-http", {
          protocol: "HTTP",
          publicPorts: [80],
          httpsRedirectionEnabled: false,
          instanceHealthSummary: [],
          tlsCertificateSummaries: [{ name: "example-com", isAttached: false }],
        }),
      ],
    });

    // Act
    const lbs = await getLoadBalancers(client, "us-east-1");

    // Assess
    expect(lbs).toEqual([
      {
        name: "wp-lb",
        arn: `arn:aws:lightsail:us-east-1:${ACCOUNT}:LoadBalancer/40486b2b-wp-lb`,
        region: "us-east-1",
        protocol: "HTTP_HTTPS",
        dnsName: "wp-lb.us-east-1.elb.amazonaws.com",
        publicPorts: [80, 443],
        httpsRedirectionEnabled: true,
        tlsPolicyName: "TLS-2016-08",
        state: "active",
        tags: [{ key: "site" }],
        attachedInstances: ["WordPress-1", "WordPress-2"],
        certificateSummaries: [
          { name: "example-com", isAttached: true },
          { name: "example-com-new", isAttached: false },
        ],
        certificates: null,
      },
      expect.objectContaining({
        name: "plain-http",
        protocol: "HTTP",
        publicPorts: [80],
        httpsRedirectionEnabled: false,
        attachedInstances: [],
        certificateSummaries: [{ name: "example-com", isAttached: false }],
        certificates: null,
      }),
    ]);
  });

  it("leaves httpsRedirectionEnabled undefined when the API omits it in both places (not false)", async () => {
    lightsail.on(GetLoadBalancersCommand).resolves({
      loadBalancers: [
        sdkLoadBalancer("lb", {
          httpsRedirectionEnabled: undefined,
          configurationOptions: { SessionStickinessEnabled: "false" },
        }),
      ],
    });

    const [lb] = await getLoadBalancers(client, "us-east-1");

    expect(lb?.httpsRedirectionEnabled).toBeUndefined();
  });

  it("reads redirection and the TLS policy from configurationOptions when the top-level fields are absent", async () => {
    // botocore lightsail 2016-11-28: LoadBalancer carries both httpsRedirectionEnabled /
    // tlsPolicyName and configurationOptions (LoadBalancerAttributeName keys, string values).
    lightsail.on(GetLoadBalancersCommand).resolves({
      loadBalancers: [
        sdkLoadBalancer("map-only", {
          httpsRedirectionEnabled: undefined,
          tlsPolicyName: undefined,
          configurationOptions: {
            HttpsRedirectionEnabled: "true",
            TlsPolicyName: "TLS-FS-1-2-Res-2019-08",
          },
        }),
        sdkLoadBalancer("map-off", {
          httpsRedirectionEnabled: undefined,
          configurationOptions: { HttpsRedirectionEnabled: "FALSE" },
        }),
        sdkLoadBalancer("map-odd", {
          httpsRedirectionEnabled: undefined,
          tlsPolicyName: undefined,
          configurationOptions: { HttpsRedirectionEnabled: "maybe", TlsPolicyName: "" },
        }),
      ],
    });

    const [mapOnly, mapOff, mapOdd] = await getLoadBalancers(client, "us-east-1");

    expect(mapOnly).toMatchObject({
      httpsRedirectionEnabled: true,
      tlsPolicyName: "TLS-FS-1-2-Res-2019-08",
    });
    expect(mapOff?.httpsRedirectionEnabled).toBe(false);
    // An unreadable value stays unknown (the checks say so), never false.
    expect(mapOdd?.httpsRedirectionEnabled).toBeUndefined();
    expect(mapOdd?.tlsPolicyName).toBeUndefined();
  });

  it("paginates with pageToken", async () => {
    lightsail
      .on(GetLoadBalancersCommand)
      .resolvesOnce({ loadBalancers: [sdkLoadBalancer("a")], nextPageToken: "p2" })
      .resolvesOnce({ loadBalancers: [sdkLoadBalancer("b")] });

    const lbs = await getLoadBalancers(client, "us-east-1");

    expect(lbs.map((lb) => lb.name)).toEqual(["a", "b"]);
    expect(lightsail).toHaveReceivedNthCommandWith(GetLoadBalancersCommand, 2, { pageToken: "p2" });
  });
});

describe("getLoadBalancerCertificates", () => {
  it("asks for the named load balancer and maps notAfter (Date) to an ISO string", async () => {
    // Prepare (CLI example values: notAfter 1605960000.0 epoch seconds)
    lightsail.on(GetLoadBalancerTlsCertificatesCommand).resolves({
      tlsCertificates: [
        {
          name: "example-com",
          loadBalancerName: "wp-lb",
          isAttached: false,
          status: "ISSUED",
          domainName: "example.com",
          notAfter: new Date(1605960000 * 1000),
          issuer: "Amazon",
          renewalSummary: { renewalStatus: "PENDING_AUTO_RENEWAL" },
        },
        {
          name: "pending",
          loadBalancerName: "wp-lb",
          status: "PENDING_VALIDATION",
          domainName: "new.example.com",
        },
      ],
    });

    // Act
    const certs = await getLoadBalancerCertificates(client, "wp-lb");

    // Assess
    expect(lightsail).toHaveReceivedCommandWith(GetLoadBalancerTlsCertificatesCommand, {
      loadBalancerName: "wp-lb",
    });
    expect(certs).toEqual([
      {
        name: "example-com",
        isAttached: false,
        status: "ISSUED",
        domainName: "example.com",
        notAfter: "2020-11-21T12:00:00.000Z",
      },
      {
        name: "pending",
        isAttached: false,
        status: "PENDING_VALIDATION",
        domainName: "new.example.com",
        notAfter: undefined,
      },
    ]);
  });

  it("returns [] when the load balancer has no certificate", async () => {
    lightsail.on(GetLoadBalancerTlsCertificatesCommand).resolves({});

    await expect(getLoadBalancerCertificates(client, "wp-lb")).resolves.toEqual([]);
  });
});

describe("getLoadBalancerTlsPolicies", () => {
  /** A policy as the API sends it (description and ciphers included, which the snapshot drops). */
  const policy = (name: string, protocols: string[], isDefault = false) => ({
    name,
    isDefault,
    description: `${name} policy`,
    protocols,
    ciphers: ["ECDHE-RSA-AES128-GCM-SHA256"],
  });

  it("follows nextPageToken and keeps name, isDefault and protocols as sent", async () => {
    // Prepare
    const pages: Record<string, GetLoadBalancerTlsPoliciesCommandOutput> = {
      "<first>": {
        tlsPolicies: [policy("TLS-2016-08", ["TLSv1", "TLSv1.1", "TLSv1.2"], true)],
        nextPageToken: "t2",
        $metadata: {},
      },
      t2: { tlsPolicies: [policy("TLS-FS-1-2-Res-2019-08", ["TLSv1.2"])], $metadata: {} },
    };
    lightsail.on(GetLoadBalancerTlsPoliciesCommand).callsFake(pagesByToken(pages));

    // Act
    const policies = await getLoadBalancerTlsPolicies(client);

    // Assess
    expect(policies).toEqual([
      { name: "TLS-2016-08", isDefault: true, protocols: ["TLSv1", "TLSv1.1", "TLSv1.2"] },
      { name: "TLS-FS-1-2-Res-2019-08", isDefault: false, protocols: ["TLSv1.2"] },
    ]);
    expect(
      lightsail
        .commandCalls(GetLoadBalancerTlsPoliciesCommand)
        .map((c) => c.args[0].input.pageToken),
    ).toEqual([undefined, "t2"]);
  });

  it("maps missing fields to safe values: isDefault false, protocols []", async () => {
    lightsail.on(GetLoadBalancerTlsPoliciesCommand).resolves({ tlsPolicies: [{ name: "P" }] });

    await expect(getLoadBalancerTlsPolicies(client)).resolves.toEqual([
      { name: "P", isDefault: false, protocols: [] },
    ]);
  });

  it("fails when the answer has no tlsPolicies, and lets errors propagate", async () => {
    lightsail.on(GetLoadBalancerTlsPoliciesCommand).resolvesOnce({});
    await expect(getLoadBalancerTlsPolicies(client)).rejects.toMatchObject({
      name: "MissingListMember",
    });

    const err = new AccessDeniedException({ $metadata: {}, message: "denied" });
    lightsail.on(GetLoadBalancerTlsPoliciesCommand).rejects(err);
    await expect(getLoadBalancerTlsPolicies(client)).rejects.toBe(err);
  });
});

describe("getCertificates", () => {
  it("sends includeCertificateDetails: true and maps certificateDetail", async () => {
    // Prepare
    const detail: Certificate = {
      arn: "arn:aws:lightsail:us-east-1:832698950836:Certificate/abc",
      name: "cdn-cert",
      domainName: "www.example.com",
      status: "ISSUED",
      inUseResourceCount: 1,
      notAfter: new Date("2027-03-01T00:00:00Z"),
      renewalSummary: { renewalStatus: "PendingAutoRenewal" },
    };
    lightsail.on(GetCertificatesCommand).resolves({
      certificates: [
        {
          certificateArn: detail.arn,
          certificateName: "cdn-cert",
          domainName: "www.example.com",
          certificateDetail: detail,
        },
      ],
    });

    // Act
    const certs = await getCertificates(client);

    // Assess
    expect(lightsail).toHaveReceivedCommandWith(GetCertificatesCommand, {
      includeCertificateDetails: true,
    });
    expect(certs).toEqual([
      {
        name: "cdn-cert",
        arn: "arn:aws:lightsail:us-east-1:832698950836:Certificate/abc",
        domainName: "www.example.com",
        status: "ISSUED",
        notAfter: "2027-03-01T00:00:00.000Z",
        inUseResourceCount: 1,
      },
    ]);
  });

  it("keeps includeCertificateDetails on every page", async () => {
    const page = (name: string, next?: string): GetCertificatesCommandOutput => ({
      certificates: [{ certificateName: name, certificateArn: `arn:${name}` }],
      ...(next ? { nextPageToken: next } : {}),
      $metadata: {},
    });
    lightsail.on(GetCertificatesCommand).resolvesOnce(page("a", "n2")).resolvesOnce(page("b"));

    const certs = await getCertificates(client);

    expect(certs.map((c) => c.name)).toEqual(["a", "b"]);
    const sent = lightsail.commandCalls(GetCertificatesCommand).map((c) => c.args[0].input);
    expect(sent).toEqual([
      { includeCertificateDetails: true, pageToken: undefined },
      { includeCertificateDetails: true, pageToken: "n2" },
    ]);
  });
});

describe("getDistributions", () => {
  const distribution = (name: string): LightsailDistribution => ({
    name,
    arn: `arn:aws:lightsail:us-east-1:${ACCOUNT}:Distribution/${name}`,
    domainName: "d111111abcdef8.cloudfront.net",
    alternativeDomainNames: ["www.example.com"],
    certificateName: "cdn-cert",
    isEnabled: true,
    status: "Deployed",
    origin: { name: "WordPress-1", regionName: "eu-west-2", protocolPolicy: "http-only" },
    viewerMinimumTlsProtocolVersion: "TLSv1.2_2021",
  });

  it("follows nextPageToken and maps every page", async () => {
    // Prepare
    const pages: Record<string, GetDistributionsCommandOutput> = {
      "<first>": { distributions: [distribution("cdn-a")], nextPageToken: "d2", $metadata: {} },
      d2: { distributions: [distribution("cdn-b")], nextPageToken: "d3", $metadata: {} },
      d3: { distributions: [distribution("cdn-c")], $metadata: {} },
    };
    lightsail.on(GetDistributionsCommand).callsFake(pagesByToken(pages));

    // Act
    const distributions = await getDistributions(client);

    // Assess
    expect(distributions.map((d) => d.name)).toEqual(["cdn-a", "cdn-b", "cdn-c"]);
    const sent = lightsail
      .commandCalls(GetDistributionsCommand)
      .map((c) => c.args[0].input.pageToken);
    expect(sent).toEqual([undefined, "d2", "d3"]);
    expect(distributions[0]).toEqual({
      name: "cdn-a",
      arn: `arn:aws:lightsail:us-east-1:${ACCOUNT}:Distribution/cdn-a`,
      domainName: "d111111abcdef8.cloudfront.net",
      alternativeDomainNames: ["www.example.com"],
      certificateName: "cdn-cert",
      isEnabled: true,
      status: "Deployed",
      originName: "WordPress-1",
      originRegion: "eu-west-2",
      viewerMinimumTlsProtocolVersion: "TLSv1.2_2021",
    });
  });
});

describe("getStaticIps", () => {
  it("follows nextPageToken, stamps the region and keeps a detached IP without attachedTo", async () => {
    // Prepare: botocore `StaticIp`; a detached IP carries isAttached false and no attachedTo.
    const pages: Record<string, GetStaticIpsCommandOutput> = {
      "<first>": {
        staticIps: [
          {
            name: "StaticIp-1",
            arn: `arn:aws:lightsail:${REGION}:${ACCOUNT}:StaticIp/9cbb4a9e-f8e3-4dfe-b57e-12345EXAMPLE`,
            supportCode: "698950836832/54.200.150.66",
            createdAt: new Date("2023-08-01T19:10:46.194Z"),
            location: { availabilityZone: "all", regionName: REGION },
            resourceType: "StaticIp",
            ipAddress: "54.200.150.66",
            attachedTo: "test-1",
            isAttached: true,
          },
        ],
        nextPageToken: "s2",
        $metadata: {},
      },
      s2: {
        staticIps: [{ name: "StaticIp-2", arn: "arn-2", ipAddress: "54.1.2.3", isAttached: false }],
        $metadata: {},
      },
    };
    lightsail.on(GetStaticIpsCommand).callsFake(pagesByToken(pages));

    // Act
    const ips = await getStaticIps(client, REGION);

    // Assess
    expect(
      lightsail.commandCalls(GetStaticIpsCommand).map((c) => c.args[0].input.pageToken),
    ).toEqual([undefined, "s2"]);
    expect(ips).toEqual([
      {
        name: "StaticIp-1",
        arn: `arn:aws:lightsail:${REGION}:${ACCOUNT}:StaticIp/9cbb4a9e-f8e3-4dfe-b57e-12345EXAMPLE`,
        region: REGION,
        ipAddress: "54.200.150.66",
        isAttached: true,
        attachedTo: "test-1",
      },
      {
        name: "StaticIp-2",
        arn: "arn-2",
        region: REGION,
        ipAddress: "54.1.2.3",
        isAttached: false,
        attachedTo: undefined,
      },
    ]);
  });

  it("fails on an answer without `staticIps`: that is not 'no static IPs'", async () => {
    lightsail.on(GetStaticIpsCommand).resolves({ $metadata: {} });

    await expect(getStaticIps(client, REGION)).rejects.toMatchObject({ name: "MissingListMember" });
  });
});

describe("getRelationalDatabases", () => {
  it("follows nextPageToken and maps public mode, backups, the endpoint and pending changes", async () => {
    // Prepare: the get-relational-database CLI example's shape (botocore `RelationalDatabase`).
    const pages: Record<string, GetRelationalDatabasesCommandOutput> = {
      "<first>": {
        relationalDatabases: [
          {
            name: "Database-1",
            arn: `arn:aws:lightsail:${REGION}:${ACCOUNT}:RelationalDatabase/7ea932b1-b85a-4bd5-9b3e-bEXAMPLE8cc4`,
            supportCode: "621291663362/ls-9EXAMPLE3fbd7d7c05f2bf9ec7c8cff7f62e6a9e",
            createdAt: new Date("2019-10-17T18:17:38.665Z"),
            location: { availabilityZone: `${REGION}a`, regionName: REGION },
            resourceType: "RelationalDatabase",
            tags: [],
            relationalDatabaseBlueprintId: "mysql_8_0",
            relationalDatabaseBundleId: "micro_1_0",
            masterDatabaseName: "dbmaster",
            hardware: { cpuCount: 1, diskSizeInGb: 40, ramSizeInGb: 1.0 },
            state: "available",
            backupRetentionEnabled: false,
            pendingModifiedValues: { backupRetentionEnabled: true },
            engine: "mysql",
            engineVersion: "8.0.16",
            masterUsername: "dbmasteruser",
            parameterApplyStatus: "in-sync",
            preferredBackupWindow: "10:01-10:31",
            preferredMaintenanceWindow: "sat:11:14-sat:11:44",
            publiclyAccessible: true,
            masterEndpoint: {
              port: 3306,
              address: `ls-9EXAMPLE3fbd7d7c05f2bf9ec7c8cff7f62e6a9e.czowadgeezqi.${REGION}.rds.amazonaws.com`,
            },
            pendingMaintenanceActions: [
              {
                action: "system-update",
                description: "New Operating System update is available",
                currentApplyDate: new Date("2019-11-02T11:14:00.000Z"),
              },
            ],
            caCertificateIdentifier: "rds-ca-2019",
          },
        ],
        nextPageToken: "r2",
        $metadata: {},
      },
      r2: { relationalDatabases: [{ name: "Database-2", arn: "arn-2" }], $metadata: {} },
    };
    lightsail.on(GetRelationalDatabasesCommand).callsFake(pagesByToken(pages));

    // Act
    const dbs = await getRelationalDatabases(client, REGION);

    // Assess
    expect(
      lightsail.commandCalls(GetRelationalDatabasesCommand).map((c) => c.args[0].input.pageToken),
    ).toEqual([undefined, "r2"]);
    expect(dbs[0]).toEqual({
      name: "Database-1",
      arn: `arn:aws:lightsail:${REGION}:${ACCOUNT}:RelationalDatabase/7ea932b1-b85a-4bd5-9b3e-bEXAMPLE8cc4`,
      region: REGION,
      engine: "mysql",
      engineVersion: "8.0.16",
      state: "available",
      publiclyAccessible: true,
      backupRetentionEnabled: false,
      pendingBackupRetentionEnabled: true,
      endpointAddress: `ls-9EXAMPLE3fbd7d7c05f2bf9ec7c8cff7f62e6a9e.czowadgeezqi.${REGION}.rds.amazonaws.com`,
      endpointPort: 3306,
      pendingMaintenanceActions: [
        {
          action: "system-update",
          description: "New Operating System update is available",
          currentApplyDate: "2019-11-02T11:14:00.000Z",
        },
      ],
      tags: [],
    });
    // Missing booleans stay unknown (undefined), never false.
    expect(dbs[1]).toMatchObject({
      name: "Database-2",
      publiclyAccessible: undefined,
      backupRetentionEnabled: undefined,
      pendingMaintenanceActions: [],
    });
  });

  it("fails on an answer without `relationalDatabases`", async () => {
    lightsail.on(GetRelationalDatabasesCommand).resolves({ $metadata: {} });

    await expect(getRelationalDatabases(client, REGION)).rejects.toMatchObject({
      name: "MissingListMember",
    });
  });
});

describe("getBuckets", () => {
  it("asks for connected resources on every page and maps the access rules, versioning and BPA", async () => {
    // Prepare: the get-buckets CLI example's shape (botocore `Bucket`, `AccessRules`).
    const pages: Record<string, GetBucketsCommandOutput> = {
      "<first>": {
        buckets: [
          {
            resourceType: "Bucket",
            accessRules: { getObject: "private", allowPublicOverrides: true },
            arn: `arn:aws:lightsail:${REGION}:${ACCOUNT}:Bucket/bEXAMPLE-7c4b-4a9f-a4fe-7EXAMPLE4b72`,
            bundleId: "small_1_0",
            createdAt: new Date("2021-09-22T17:20:46.000Z"),
            url: `https://bucket-1.s3.${REGION}.amazonaws.com/`,
            location: { availabilityZone: "all", regionName: REGION },
            name: "bucket-1",
            supportCode: "6EXAMPLE3362/s3bucket/bucket-1",
            tags: [],
            objectVersioning: "NeverEnabled",
            ableToUpdateBundle: true,
            readonlyAccessAccounts: ["111122223333"],
            resourcesReceivingAccess: [{ name: "Instance-1", resourceType: "Instance" }],
            state: { code: "OK" },
            accessLogConfig: { enabled: false },
          },
        ],
        nextPageToken: "b2",
        accountLevelBpaSync: { status: "InSync", bpaImpactsLightsail: false },
        $metadata: {},
      },
      b2: { buckets: [{ name: "bucket-2", arn: "arn-2" }], $metadata: {} },
    };
    lightsail.on(GetBucketsCommand).callsFake(pagesByToken(pages));

    // Act
    const buckets = await getBuckets(client, REGION);

    // Assess
    expect(lightsail.commandCalls(GetBucketsCommand).map((c) => c.args[0].input)).toEqual([
      { includeConnectedResources: true, pageToken: undefined },
      { includeConnectedResources: true, pageToken: "b2" },
    ]);
    expect(buckets[0]).toEqual({
      name: "bucket-1",
      arn: `arn:aws:lightsail:${REGION}:${ACCOUNT}:Bucket/bEXAMPLE-7c4b-4a9f-a4fe-7EXAMPLE4b72`,
      region: REGION,
      url: `https://bucket-1.s3.${REGION}.amazonaws.com/`,
      getObject: "private",
      allowPublicOverrides: true,
      objectVersioning: "NeverEnabled",
      readonlyAccessAccounts: ["111122223333"],
      resourcesReceivingAccess: ["Instance-1"],
      accountBlockPublicAccess: false,
      tags: [],
      accessKeys: null,
    });
    // No access rules sent: unknown, not private.
    expect(buckets[1]).toMatchObject({
      name: "bucket-2",
      getObject: undefined,
      objectVersioning: undefined,
      accountBlockPublicAccess: undefined,
    });
  });

  it("fails on an answer without `buckets`: a broken answer is not 'no buckets'", async () => {
    lightsail.on(GetBucketsCommand).resolves({ $metadata: {} });

    await expect(getBuckets(client, REGION)).rejects.toMatchObject({ name: "MissingListMember" });
  });
});

describe("getBucketAccessKeys", () => {
  it("asks for the named bucket, keeps id, status and dates, and never the secret", async () => {
    lightsail.on(GetBucketAccessKeysCommand).resolves({
      accessKeys: [
        {
          accessKeyId: "AKIAIOSFODNN7EXAMPLE",
          secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          status: "Active",
          createdAt: new Date("2021-09-22T17:40:56.000Z"),
          lastUsed: {
            lastUsedDate: new Date("2021-09-23T10:00:00.000Z"),
            region: REGION,
            serviceName: "s3",
          },
        },
        {
          accessKeyId: "AKIAI44QH8DHBEXAMPLE",
          status: "Inactive",
          createdAt: new Date("2021-09-22T17:40:57.000Z"),
          lastUsed: { region: "N/A", serviceName: "N/A" },
        },
      ],
      $metadata: {},
    });

    const keys = await getBucketAccessKeys(client, "bucket-1");

    expect(lightsail.commandCalls(GetBucketAccessKeysCommand)[0]?.args[0].input).toEqual({
      bucketName: "bucket-1",
    });
    expect(keys).toEqual([
      {
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        status: "Active",
        createdAt: "2021-09-22T17:40:56.000Z",
        lastUsedDate: "2021-09-23T10:00:00.000Z",
      },
      {
        accessKeyId: "AKIAI44QH8DHBEXAMPLE",
        status: "Inactive",
        createdAt: "2021-09-22T17:40:57.000Z",
        lastUsedDate: undefined,
      },
    ]);
    expect(JSON.stringify(keys)).not.toContain("wJalrXUtnFEMI");
  });

  it("fails on an answer without `accessKeys`", async () => {
    lightsail.on(GetBucketAccessKeysCommand).resolves({ $metadata: {} });

    await expect(getBucketAccessKeys(client, "bucket-1")).rejects.toMatchObject({
      name: "MissingListMember",
    });
  });
});
