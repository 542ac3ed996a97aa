/**
 * Records in the account's Lightsail DNS zones (GetDomains, us-east-1) that point at something the
 * account no longer has: the way to a subdomain takeover. Judged:
 * - A / AAAA to an address (not `isAlias`): dangling when it is in AWS's published EC2 ranges
 *   (ip-ranges.json: where instance and static IP addresses come from, so AWS may hand it to
 *   someone else) and is none of the account's instance or static IP addresses in any region. An address outside those ranges points outside AWS and is not judged.
 * - CNAME, and alias A / AAAA, to a host name: a `*.elb.amazonaws.com` name that is none of the
 *   account's Lightsail load balancers, or a `*.cloudfront.net` name that is none of its Lightsail
 *   distributions (botocore lightsail `DomainEntry.target` documents both forms). Other hosts,
 *   container services (`*.cs.amazonlightsail.com`, not read) included, are not judged.
 * One FAIL per dangling record (muting one record is then possible); one PASS per zone without
 * any. When what a record must be compared with is missing (a region's instances, the ranges...),
 * that record is ERROR, never PASS. MX, TXT, NS and the others are not judged.
 */

import { LIGHTSAIL_REGIONS } from "../aws/regions";
import {
  type AccountSnapshot,
  type DnsRecord,
  defineCheck,
  type LightsailDomain,
  type Outcome,
  type ResourceRef,
} from "../model";
import { blockMatcher, type Cidr, parseAddress } from "../remediation/cidr";
import { failureDetail } from "./lib/resources";

const DNS_REGION = "us-east-1";

/** What the account holds now: what could be read, and whether that is all of it. */
interface Held {
  names: Set<string>;
  /** False when a listing failed: a name not in `names` may still be the account's. */
  complete: boolean;
}

interface Holdings {
  addresses: Held;
  /** Whether an address is in AWS's EC2 ranges; null when the ranges were not read. */
  inEc2: ((address: Cidr) => boolean) | null;
  loadBalancerHosts: Held;
  distributionHosts: Held;
}

const host = (name: string) => name.trim().toLowerCase().replace(/\.$/, "");

function holdings(snapshot: AccountSnapshot): Holdings {
  const regions = snapshot.lightsail;
  // A record may point at any region's resources: an audit limited by --regions cannot tell.
  const covered = new Set([...regions, ...snapshot.skippedRegions].map((r) => r.region));
  const everyRegion = LIGHTSAIL_REGIONS.every((r) => covered.has(r));
  const addresses = new Set<string>();
  const add = (text: string | undefined) => {
    // Parsed, so that equal addresses compare equal (IPv6 compressed, lower-case).
    const a = parseAddress(text ?? "");
    if (a) addresses.add(a.text);
  };
  for (const r of regions) {
    for (const i of r.instances ?? [])
      for (const a of [i.publicIpAddress, ...(i.ipv6Addresses ?? [])]) add(a);
    for (const ip of r.staticIps ?? []) add(ip.ipAddress);
  }
  const lbs = regions.flatMap((r) => (r.loadBalancers ?? []).flatMap((lb) => lb.dnsName ?? []));
  const ranges = snapshot.awsIpRanges;
  const v4 = ranges && blockMatcher(ranges.ipv4);
  const v6 = ranges && blockMatcher(ranges.ipv6);
  return {
    inEc2: v4 && v6 && ((a) => (a.family === 4 ? v4(a) : v6(a))),
    addresses: {
      names: addresses,
      complete: everyRegion && regions.every((r) => r.instances !== null && r.staticIps !== null),
    },
    loadBalancerHosts: {
      names: new Set(lbs.map(host)),
      complete: everyRegion && regions.every((r) => r.loadBalancers !== null),
    },
    distributionHosts: {
      names: new Set((snapshot.distributions ?? []).flatMap((d) => d.domainName ?? []).map(host)),
      complete: snapshot.distributions !== null,
    },
  };
}

type Verdict = { kind: "ok" } | { kind: "dangling" | "unknown"; why: string };

function judgeAddress(snapshot: AccountSnapshot, have: Holdings, target: string): Verdict {
  const address = parseAddress(target.trim());
  if (!address || have.addresses.names.has(address.text)) return { kind: "ok" };
  if (have.inEc2 === null) {
    // Not read: either the lookup failed (a recorded failure) or the owner turned it off.
    if (!snapshot.facts.includes("awsIpRanges")) return { kind: "ok" };
    const detail = failureDetail(snapshot, { source: "ip-ranges" });
    return {
      kind: "unknown",
      why: `AWS's address ranges (ip-ranges.json) could not be read${detail}, so whether this address is one AWS hands out is unknown`,
    };
  }
  if (!have.inEc2(address)) return { kind: "ok" };
  if (!have.addresses.complete) {
    return {
      kind: "unknown",
      why: "the instances or static IPs of a region were not listed (a failure, or --regions left it out), so whether this AWS address is still the account's is unknown",
    };
  }
  return {
    kind: "dangling",
    why: "an AWS address that none of the account's instances or static IPs holds any more: AWS can give it to another customer, who then serves this name",
  };
}

function judgeHost(have: Holdings, target: string): Verdict {
  const name = host(target);
  const [owned, what] = name.endsWith(".elb.amazonaws.com")
    ? [have.loadBalancerHosts, "load balancers"]
    : name.endsWith(".cloudfront.net")
      ? [have.distributionHosts, "distributions"]
      : [undefined, ""];
  if (owned === undefined || owned.names.has(name)) return { kind: "ok" };
  if (!owned.complete) {
    return {
      kind: "unknown",
      why: `the account's Lightsail ${what} were not all listed (a failure, or --regions left a region out), so whether this host is still one of them is unknown`,
    };
  }
  return {
    kind: "dangling",
    why: `none of the account's Lightsail ${what} has this name any more: whoever creates a resource that answers for it serves this name`,
  };
}

function judge(snapshot: AccountSnapshot, have: Holdings, record: DnsRecord): Verdict {
  const type = record.type?.toUpperCase();
  const target = record.target ?? "";
  if (type === "CNAME" || ((type === "A" || type === "AAAA") && record.isAlias === true)) {
    return judgeHost(have, target);
  }
  if (type === "A" || type === "AAAA") return judgeAddress(snapshot, have, target);
  return { kind: "ok" };
}

const describe = (r: DnsRecord) =>
  `${r.name ?? "(no name)"} ${r.type ?? "?"}${r.isAlias ? " (alias)" : ""} ${r.target ?? ""}`.trim();

function recordRef(record: DnsRecord): ResourceRef {
  // The record has no ARN; its name, type and target identify it within the account's zones.
  return { type: "LightsailDomainEntry", name: describe(record), arn: "", region: DNS_REGION };
}

function evaluateDomain(snapshot: AccountSnapshot, have: Holdings, domain: LightsailDomain) {
  const outcomes: Outcome[] = [];
  for (const record of domain.records) {
    const verdict = judge(snapshot, have, record);
    if (verdict.kind === "ok") continue;
    outcomes.push({
      status: verdict.kind === "dangling" ? "FAIL" : "ERROR",
      resource: recordRef(record),
      message: `DNS record ${describe(record)} in zone "${domain.name}" ${verdict.kind === "dangling" ? "is dangling" : "could not be judged"}: ${verdict.why}.`,
    });
  }
  if (outcomes.length > 0) return outcomes;
  const off =
    snapshot.awsIpRanges === null && !snapshot.facts.includes("awsIpRanges")
      ? " Addresses were compared with the account's own only: the AWS address ranges lookup is off (--ip-ranges off), so an address that is not the account's was not judged."
      : "";
  return [
    {
      status: "PASS" as const,
      resource: { type: "LightsailDomain", name: domain.name, arn: domain.arn, region: DNS_REGION },
      message: `No record of zone "${domain.name}" (${domain.records.length} records) points at an AWS address, load balancer or distribution the account no longer has.${off}`,
    },
  ];
}

export default defineCheck({
  id: "lightsail-dns-no-dangling-records",
  title: "DNS records point only at resources the account still has",
  severity: "high",
  risk:
    "A DNS record that still points at a released static IP, a deleted load balancer or a deleted distribution is a subdomain takeover waiting to happen: AWS hands the address or name to someone else, and your domain then serves their content, with your name on it, to your visitors, and can receive cookies scoped to your domain or pass domain validation for a certificate. " +
    "It happens after the site moves to a new instance or the old load balancer is deleted and the zone is not cleaned up.",
  remediation: {
    summary:
      "Point the record at the resource that serves the site now, or delete it if nothing should answer for that name.",
    steps: [
      "In the Lightsail console open Domains & DNS > <domain> > DNS records.",
      "Find the record named in the finding; check what should serve that name today (an instance's static IP, a load balancer, a distribution).",
      "Edit the record to point at it (use an alias A record for a load balancer or distribution), or delete the record if the name is no longer used.",
      "If a static IP was released by mistake and the record must keep its address, it cannot be got back: update the record instead.",
    ],
    cli:
      "aws lightsail get-domain --region us-east-1 --domain-name <domain>   # then: " +
      'aws lightsail delete-domain-entry --region us-east-1 --domain-name <domain> --domain-entry "id=<entry-id>,name=<record-name>,type=<type>,target=<target>"',
    console: "Lightsail > Domains & DNS > <domain> > DNS records",
  },
  reads: ["domains", "instances", "staticIps", "loadBalancers", "distributions", "awsIpRanges"],
  evaluate(snapshot): Outcome[] {
    if (snapshot.domains === null) {
      const detail = failureDetail(snapshot, { source: "lightsail", operation: "GetDomains" });
      return [
        {
          status: "ERROR",
          resource: { type: "LightsailRegion", name: DNS_REGION, arn: "", region: DNS_REGION },
          message: `Could not list the Lightsail DNS zones (GetDomains, us-east-1)${detail}, so whether a record is dangling is unknown.`,
        },
      ];
    }
    const have = holdings(snapshot);
    return snapshot.domains.flatMap((d) => evaluateDomain(snapshot, have, d));
  },
});
