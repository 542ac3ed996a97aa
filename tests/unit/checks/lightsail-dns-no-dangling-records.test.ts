import { describe, expect, it } from "vitest";
import { LIGHTSAIL_REGIONS } from "../../../shared/aws/regions";
import check from "../../../shared/checks/lightsail-dns-no-dangling-records";
import type { AccountSnapshot, DnsRecord, LightsailDomain, Outcome } from "../../../shared/model";
import {
  ACCOUNT_ID,
  context,
  distribution,
  instance,
  loadBalancer,
  REGION,
  region,
  type SnapshotOverrides,
  snapshot,
  staticIp,
} from "../../helpers/snapshot";

const LB_HOST = "0a1b2c3d4e5f60718293a4b5c6d7e8f9-0a1b2c3d.us-east-1.elb.amazonaws.com";

function zone(records: DnsRecord[], name = "example.com"): LightsailDomain {
  return {
    name,
    arn: `arn:aws:lightsail:global:${ACCOUNT_ID}:Domain/824cede0-abc7-4f84-8dbc-12345EXAMPLE`,
    records: [
      { name, type: "NS", target: "ns-1111.awsdns-11.org" },
      { name, type: "SOA", target: "ns-1111.awsdns-11.org" },
      ...records,
    ],
  };
}

/**
 * An account audited in every Lightsail region, with instance WordPress-1 (3.8.10.20, 2a05:d01c:3a:9e00::10), static IP 3.8.10.21
 * (detached, still the account's), load balancer LB_HOST and distribution d1a2b3c4d5e6f7.
 */
function account(records: DnsRecord[], overrides: SnapshotOverrides = {}): AccountSnapshot {
  return snapshot({
    lightsail: [
      region(REGION, {
        instances: [
          instance("WordPress-1", undefined, {
            publicIpAddress: "3.8.10.20",
            ipv6Addresses: ["2a05:d01c:3a:9e00:0:0:0:10"],
          }),
        ],
        staticIps: [staticIp("ip-1", { ipAddress: "3.8.10.21", isAttached: false })],
        loadBalancers: [loadBalancer("lb-1", { dnsName: LB_HOST })],
      }),
      ...LIGHTSAIL_REGIONS.filter((r) => r !== REGION).map((r) => region(r)),
    ],
    distributions: [distribution("cdn-1")],
    domains: [zone(records)],
    ...overrides,
  });
}

const run = (snap: AccountSnapshot): Outcome[] => check.evaluate(snap, context());
const statuses = (outcomes: Outcome[]) => outcomes.map((o) => o.status);

describe("lightsail-dns-no-dangling-records", () => {
  it("passes a zone whose records all point at the account's resources or outside AWS", () => {
    const outcomes = run(
      account([
        { name: "example.com", type: "A", target: "3.8.10.20" },
        // The same address spelt out in full: compared as addresses, not as text.
        { name: "example.com", type: "AAAA", target: "2A05:D01C:3A:9E00::10" },
        { name: "old.example.com", type: "A", target: "3.8.10.21" },
        { name: "www.example.com", type: "CNAME", target: "D1A2B3C4D5E6F7.cloudfront.net." },
        { name: "shop.example.com", type: "A", target: LB_HOST, isAlias: true },
        { name: "mail.example.com", type: "A", target: "198.51.100.25" },
        { name: "app.example.com", type: "CNAME", target: "app.herokudns.com" },
        { name: "example.com", type: "MX", target: "10 mail.example.com" },
      ]),
    );

    expect(outcomes).toEqual([
      {
        status: "PASS",
        resource: {
          type: "LightsailDomain",
          name: "example.com",
          arn: `arn:aws:lightsail:global:${ACCOUNT_ID}:Domain/824cede0-abc7-4f84-8dbc-12345EXAMPLE`,
          region: "us-east-1",
        },
        message:
          'No record of zone "example.com" (10 records) points at an AWS address, load balancer or distribution the account no longer has.',
      },
    ]);
  });

  it("fails an A record to an EC2 address the account no longer holds, one result per record", () => {
    const outcomes = run(
      account([
        { name: "example.com", type: "A", target: "3.8.10.20" },
        { name: "old.example.com", type: "A", target: "3.8.99.1" },
        { name: "v6.example.com", type: "AAAA", target: "2a05:d01c:ff0::1" },
      ]),
    );

    expect(statuses(outcomes)).toEqual(["FAIL", "FAIL"]);
    expect(outcomes[0]?.resource).toEqual({
      type: "LightsailDomainEntry",
      name: "old.example.com A 3.8.99.1",
      arn: "",
      region: "us-east-1",
    });
    expect(outcomes[0]?.message).toContain(
      'DNS record old.example.com A 3.8.99.1 in zone "example.com" is dangling: an AWS address that none of the account\'s instances or static IPs holds',
    );
    expect(outcomes[1]?.resource.name).toBe("v6.example.com AAAA 2a05:d01c:ff0::1");
  });

  it("fails a CNAME or alias to a load balancer or distribution the account no longer has", () => {
    const outcomes = run(
      account([
        { name: "a.example.com", type: "CNAME", target: "d0e1f2a3b4c5d6.cloudfront.net" },
        {
          name: "b.example.com",
          type: "A",
          target: "ffffffffffffffffffffffffffffffff-ffffffff.eu-west-2.elb.amazonaws.com",
          isAlias: true,
        },
        // Container services are not read: not judged.
        {
          name: "c.example.com",
          type: "CNAME",
          target: "svc.abc123.us-west-2.cs.amazonlightsail.com",
        },
      ]),
    );

    expect(statuses(outcomes)).toEqual(["FAIL", "FAIL"]);
    expect(outcomes[0]?.message).toContain("none of the account's Lightsail distributions");
    expect(outcomes[1]?.message).toContain("none of the account's Lightsail load balancers");
    expect(outcomes[1]?.resource.name).toBe(
      "b.example.com A (alias) ffffffffffffffffffffffffffffffff-ffffffff.eu-west-2.elb.amazonaws.com",
    );
  });

  it("is ERROR, never PASS, for an unmatched address when the AWS ranges could not be read", () => {
    const outcomes = run(
      account([{ name: "x.example.com", type: "A", target: "3.8.99.1" }], {
        awsIpRanges: null,
        failures: [
          {
            source: "ip-ranges",
            region: "global",
            operation: "ip-ranges.json",
            errorName: "IpRangesUnavailable",
            message: "reading https://ip-ranges.amazonaws.com/ip-ranges.json timed out",
          },
        ],
      }),
    );

    expect(statuses(outcomes)).toEqual(["ERROR"]);
    expect(outcomes[0]?.message).toContain(
      "could not be judged: AWS's address ranges (ip-ranges.json) could not be read (IpRangesUnavailable: reading https://ip-ranges.amazonaws.com/ip-ranges.json timed out)",
    );
  });

  it("does not judge addresses outside the account when the lookup is off, and says so", () => {
    const snap = account([{ name: "x.example.com", type: "A", target: "3.8.99.1" }], {
      awsIpRanges: null,
    });
    snap.facts = snap.facts.filter((f) => f !== "awsIpRanges");

    const outcomes = run(snap);

    expect(statuses(outcomes)).toEqual(["PASS"]);
    expect(outcomes[0]?.message).toContain("the AWS address ranges lookup is off");
  });

  it("is ERROR for an AWS address when a region's instances or static IPs are unknown", () => {
    const snap = account([
      { name: "x.example.com", type: "A", target: "3.8.99.1" },
      { name: "y.example.com", type: "A", target: "198.51.100.1" },
    ]);
    snap.lightsail = snap.lightsail.map((r) =>
      r.region === "eu-west-2" ? { ...r, staticIps: null } : r,
    );

    const outcomes = run(snap);

    expect(statuses(outcomes)).toEqual(["ERROR"]);
    expect(outcomes[0]?.message).toContain(
      "the instances or static IPs of a region were not listed (a failure, or --regions left it out)",
    );
  });

  it("is ERROR, not FAIL, when --regions left regions out: the record may point at one of them", () => {
    const snap = account([
      { name: "x.example.com", type: "A", target: "3.8.99.1" },
      { name: "b.example.com", type: "CNAME", target: "gone-1.eu-west-2.elb.amazonaws.com" },
    ]);
    snap.lightsail = snap.lightsail.filter((r) => r.region === REGION);

    expect(statuses(run(snap))).toEqual(["ERROR", "ERROR"]);
  });

  it("counts a skipped opt-in region (not enabled, so empty) as covered", () => {
    const snap = account([{ name: "x.example.com", type: "A", target: "3.8.99.1" }]);
    snap.lightsail = snap.lightsail.filter((r) => r.region !== "ap-east-1");
    snap.skippedRegions = [{ region: "ap-east-1", reason: "not enabled" }];

    expect(statuses(run(snap))).toEqual(["FAIL"]);
  });

  it("is ERROR for a load balancer host when a region's load balancers are unknown", () => {
    const snap = account([
      { name: "b.example.com", type: "CNAME", target: "gone-1.us-east-1.elb.amazonaws.com" },
    ]);
    snap.lightsail = snap.lightsail.map((r) =>
      r.region === "eu-west-2" ? { ...r, loadBalancers: null } : r,
    );

    expect(statuses(run(snap))).toEqual(["ERROR"]);
  });

  it("is ERROR for a distribution host when the distributions are unknown", () => {
    const outcomes = run(
      account([{ name: "a.example.com", type: "CNAME", target: "d0e1f2a3b4c5d6.cloudfront.net" }], {
        distributions: null,
      }),
    );

    expect(statuses(outcomes)).toEqual(["ERROR"]);
    expect(outcomes[0]?.message).toContain("Lightsail distributions were not all listed");
  });

  it("is one ERROR when the zones could not be listed, quoting the failure", () => {
    const outcomes = run(
      account([], {
        domains: null,
        failures: [
          {
            source: "lightsail",
            region: "us-east-1",
            operation: "GetDomains",
            errorName: "AccessDeniedException",
            message: "not authorized",
          },
        ],
      }),
    );

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("ERROR");
    expect(outcomes[0]?.message).toBe(
      "Could not list the Lightsail DNS zones (GetDomains, us-east-1) (AccessDeniedException: not authorized), so whether a record is dangling is unknown.",
    );
  });

  it("gives no result when the account has no zones", () => {
    expect(run(account([], { domains: [] }))).toEqual([]);
  });
});
