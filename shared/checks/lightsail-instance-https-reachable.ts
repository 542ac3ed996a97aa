/**
 * One result per WordPress instance (`blueprintId` starting with "wordpress"; other blueprints get
 * none): FAIL when its firewall opens HTTP (TCP 80) to the whole internet but not HTTPS (TCP 443),
 * and nothing in front of it terminates HTTPS: no load balancer in its region lists it among its
 * instances, and no distribution has it as origin (`originName` + `originRegion`). Then visitors
 * can only reach the site over plain HTTP. Whether the load balancer or distribution itself serves
 * HTTPS well is for the lightsail-lb-* and lightsail-distribution-https checks.
 *
 * IPv4 and IPv6 are separate firewalls: 80 open to ::/0 with 443 open to 0.0.0.0/0 only still
 * leaves IPv6 visitors on plain HTTP, so it counts (unless the instance has no IPv6 address:
 * `ipAddressType` ipv4; likewise for IPv4 on an ipv6-only instance). PASS when 443 is open wherever 80 is, when 80
 * is not open at all (the site is not served directly), or when a load balancer or distribution
 * fronts the instance. ERROR for a region whose instances or load balancers are missing, for an
 * instance that would FAIL unless a distribution (missing) fronts it, and when a rule covering
 * 80/443 says nothing about its sources and could change the answer.
 */
import type { AccountSnapshot, LightsailInstance, LightsailRegionFacts, Outcome } from "../model";
import { defineCheck } from "../model";
import { isPublic, type PortExposure, publicFamilies, tcpPortExposure } from "./lib/firewall";
import { failureDetail, instanceRef, isWordPress, joinList, regionRef } from "./lib/resources";

/**
 * The IP families where the whole internet reaches HTTP but not HTTPS. A family the instance has
 * no address in (`ipAddressType` ipv4 or ipv6) cannot reach it at all, so it is left out.
 */
function httpOnlyFamilies(
  instance: LightsailInstance,
  http: PortExposure,
  https: PortExposure,
): string[] {
  const type = instance.ipAddressType?.toLowerCase();
  return [
    ...(type !== "ipv6" && http.ipv4Public.length > 0 && https.ipv4Public.length === 0
      ? ["IPv4 (0.0.0.0/0)"]
      : []),
    ...(type !== "ipv4" && http.ipv6Public.length > 0 && https.ipv6Public.length === 0
      ? ["IPv6 (::/0)"]
      : []),
  ];
}

function evaluateInstance(
  snapshot: AccountSnapshot,
  regionFacts: LightsailRegionFacts,
  instance: LightsailInstance,
): Outcome {
  const resource = instanceRef(instance);
  const name = `WordPress instance "${instance.name}"`;
  const https = tcpPortExposure(instance.ports, 443);
  const http = tcpPortExposure(instance.ports, 80);
  const gaps = httpOnlyFamilies(instance, http, https);
  const rulesSayNothing = (x: PortExposure, port: string): Outcome => ({
    status: "ERROR",
    resource,
    message: `The firewall of ${name} has ${x.unknownSources.length === 1 ? "rule" : "rules"} ${joinList(x.unknownSources)} covering ${port}, but the API response says nothing about who ${x.unknownSources.length === 1 ? "it admits" : "they admit"}, so whether the site is reachable over HTTPS is unknown.`,
  });

  if (gaps.length === 0) {
    // A rule on 80 with unknown sources could still open HTTP where HTTPS is closed.
    const httpsEverywhere = https.ipv4Public.length > 0 && https.ipv6Public.length > 0;
    if (http.unknownSources.length > 0 && !httpsEverywhere)
      return rulesSayNothing(http, "HTTP (80)");
    return {
      status: "PASS",
      resource,
      message: isPublic(https)
        ? `The firewall of ${name} opens HTTPS (TCP 443) to the internet over ${publicFamilies(https)}${isPublic(http) ? ", wherever it opens HTTP (80)" : ""}, so the site can be served over HTTPS (the certificate on the server is not checked here).`
        : `The firewall of ${name} opens neither HTTP (80) nor HTTPS (443) to the whole internet, so it does not serve the site to visitors directly.`,
    };
  }
  const fronts = [
    ...(regionFacts.loadBalancers ?? [])
      .filter((lb) => lb.attachedInstances.includes(instance.name))
      .map((lb) => `load balancer "${lb.name}"`),
    ...(snapshot.distributions ?? [])
      .filter((d) => d.originName === instance.name && d.originRegion === instance.region)
      .map((d) => `distribution "${d.name}"`),
  ];
  if (fronts.length > 0) {
    return {
      status: "PASS",
      resource,
      message: `${name} does not open HTTPS (TCP 443) to the internet everywhere it opens HTTP (80), but ${joinList(fronts)} ${fronts.length === 1 ? "sits" : "sit"} in front of it and can serve the site over HTTPS.`,
    };
  }
  if (https.unknownSources.length > 0) return rulesSayNothing(https, "HTTPS (443)");
  const over = joinList(gaps);
  if (snapshot.distributions === null) {
    const detail = failureDetail(snapshot, { source: "lightsail", operation: "Distributions" });
    return {
      status: "ERROR",
      resource,
      message: `${name} opens HTTP (80) but not HTTPS (443) to the internet over ${over}, and no load balancer fronts it; the distributions could not be read${detail}, so whether one serves the site over HTTPS is unknown.`,
    };
  }
  return {
    status: "FAIL",
    resource,
    message: `${name} opens HTTP (TCP 80) to the internet over ${over} but not HTTPS (TCP 443), and no load balancer or distribution fronts it: visitors there can only reach the site over unencrypted HTTP, WordPress login included.`,
  };
}

export default defineCheck({
  id: "lightsail-instance-https-reachable",
  title: "WordPress site can be reached over HTTPS",
  severity: "medium",
  risk:
    "A WordPress site served over plain HTTP sends passwords, cookies and form data unencrypted: anyone on the same network (public Wi-Fi, a compromised router) can read or change them, including the WordPress admin login. " +
    "Browsers mark such sites as Not secure.",
  remediation: {
    summary:
      "Open HTTPS (TCP 443) in the instance firewall and install a certificate on the server (Lightsail's Let's Encrypt setup, or bncert on Bitnami), or put a Lightsail load balancer or distribution with a certificate in front of it.",
    steps: [
      "In the Lightsail console open Instances > <instance-name> > Networking and, in the IPv4 and IPv6 firewalls, add a rule for HTTPS (TCP 443) from anywhere.",
      "Get a certificate on the server: on the instance's page use the HTTPS setup Lightsail offers (Let's Encrypt) if shown, or connect with SSH and run sudo /opt/bitnami/bncert-tool on Bitnami WordPress.",
      "In WordPress (Settings > General), make the WordPress Address and Site Address start with https://.",
      "Alternatively, create a Lightsail distribution or load balancer for the instance with a validated certificate for the site's domain, and point the domain at it.",
    ],
    cli:
      "aws lightsail open-instance-public-ports --region <region> --instance-name <instance-name> " +
      `--port-info '{"fromPort":443,"toPort":443,"protocol":"tcp","cidrs":["0.0.0.0/0"],"ipv6Cidrs":["::/0"],"cidrListAliases":[]}'   ` +
      "# then, on the instance: sudo /opt/bitnami/bncert-tool",
    console: "Lightsail > Instances > <instance-name> > Networking > IPv4 firewall / IPv6 firewall",
  },
  reads: ["instances", "loadBalancers", "distributions"],
  evaluate(snapshot): Outcome[] {
    return snapshot.lightsail.flatMap((regionFacts): Outcome[] => {
      const missing = [
        ...(regionFacts.instances === null ? ["instances"] : []),
        ...(regionFacts.loadBalancers === null ? ["load balancers"] : []),
      ];
      if (regionFacts.instances === null || regionFacts.loadBalancers === null) {
        const detail = failureDetail(snapshot, { source: "lightsail", region: regionFacts.region });
        return [
          {
            status: "ERROR",
            resource: regionRef(regionFacts.region),
            message: `Could not list the Lightsail ${joinList(missing)} in ${regionFacts.region}${detail}, so whether its WordPress sites can be reached over HTTPS is unknown. Audit incomplete for this region.`,
          },
        ];
      }
      return regionFacts.instances
        .filter(isWordPress)
        .map((instance) => evaluateInstance(snapshot, regionFacts, instance));
    });
  },
});
