/**
 * One result per load balancer with HTTPS configured (protocol HTTP_HTTPS): FAIL when its TLS
 * security policy allows TLS 1.0 or 1.1 (or SSL). Which protocols a policy allows is read from
 * the region's `GetLoadBalancerTlsPolicies` answer, never from a list kept here; a load balancer
 * that reports no `tlsPolicyName` uses Lightsail's documented default, TLS-2016-08 (LSDG
 * amazon-lightsail-configure-load-balancer-tls-security-policy.md).
 *
 * Plain-HTTP load balancers get no result (`lightsail-lb-https-enabled` reports them). ERROR when
 * the region's load balancers or TLS policies are missing, when the policy is not in the list,
 * or when its protocols cannot be read.
 */
import type { AccountSnapshot, LightsailLoadBalancer, LoadBalancerTlsPolicy } from "../model";
import { defineCheck, type Outcome } from "../model";
import { isHttpAndHttps } from "./lib/load-balancer";
import { failureDetail, joinList, loadBalancerRef, regionDataMissing } from "./lib/resources";
import { isLegacy, parseProtocol, versionName } from "./lib/tls";

/** What a load balancer uses when it names no policy (the Lightsail docs' default). */
export const DEFAULT_TLS_POLICY = "TLS-2016-08";

type Verdict = { legacy: string[] } | { unreadable: string };

/** The legacy protocols a policy allows, or why we cannot tell. */
function judgePolicy(policy: LoadBalancerTlsPolicy): Verdict {
  if (policy.protocols.length === 0) return { unreadable: "lists no protocols" };
  const parsed = policy.protocols.map((p) => ({ text: p, version: parseProtocol(p) }));
  const unknown = parsed.filter((p) => p.version === undefined).map((p) => `"${p.text}"`);
  const legacy = parsed.flatMap((p) => (p.version && isLegacy(p.version) ? [p.text] : []));
  if (legacy.length === 0 && unknown.length > 0) {
    return { unreadable: `lists protocols this audit cannot read (${joinList(unknown)})` };
  }
  return { legacy };
}

/** Policies of the region that allow no protocol below TLS 1.2: the ones to switch to. */
function modernPolicies(policies: readonly LoadBalancerTlsPolicy[]): string[] {
  return policies
    .filter((p) => {
      const verdict = judgePolicy(p);
      return "legacy" in verdict && verdict.legacy.length === 0;
    })
    .map((p) => p.name);
}

function evaluateLoadBalancer(
  snapshot: AccountSnapshot,
  lb: LightsailLoadBalancer,
  policies: readonly LoadBalancerTlsPolicy[] | null,
): Outcome {
  const resource = loadBalancerRef(lb);
  const name = lb.tlsPolicyName ?? DEFAULT_TLS_POLICY;
  const which =
    lb.tlsPolicyName === undefined
      ? `TLS policy ${name} (it reports none, so Lightsail's default applies)`
      : `TLS policy ${name}`;
  if (policies === null) {
    const detail = failureDetail(snapshot, {
      source: "lightsail",
      region: lb.region,
      operation: "TlsPolicies",
    });
    return {
      status: "ERROR",
      resource,
      message: `The load balancer TLS policies of ${lb.region} could not be read${detail}, so which TLS versions load balancer "${lb.name}" (${which}) accepts is unknown.`,
    };
  }
  const policy = policies.find((p) => p.name === name);
  if (policy === undefined) {
    return {
      status: "ERROR",
      resource,
      message: `Load balancer "${lb.name}" uses ${which}, which is not among the policies Lightsail lists in ${lb.region} (${joinList(policies.map((p) => p.name)) || "none"}), so which TLS versions it accepts is unknown.`,
    };
  }
  const verdict = judgePolicy(policy);
  if ("unreadable" in verdict) {
    return {
      status: "ERROR",
      resource,
      message: `Load balancer "${lb.name}" uses ${which}, which ${verdict.unreadable}, so whether it accepts TLS 1.0 or 1.1 is unknown.`,
    };
  }
  if (verdict.legacy.length > 0) {
    const versions = verdict.legacy.map((p) => {
      const v = parseProtocol(p);
      return v ? `${versionName(v)} (${p})` : p;
    });
    const better = modernPolicies(policies);
    const hint =
      better.length > 0
        ? ` Switch to ${joinList(better)}, which ${better.length === 1 ? "allows" : "allow"} only TLS 1.2 or later.`
        : "";
    return {
      status: "FAIL",
      resource,
      message: `Load balancer "${lb.name}" uses ${which}, which still accepts ${joinList(versions)}: outdated protocols with known weaknesses.${hint}`,
    };
  }
  return {
    status: "PASS",
    resource,
    message: `Load balancer "${lb.name}" uses ${which}, which accepts only ${joinList(policy.protocols)}.`,
  };
}

export default defineCheck({
  id: "lightsail-lb-tls-policy-current",
  title: "Load balancer accepts only TLS 1.2 or later",
  severity: "medium",
  risk:
    "TLS 1.0 and 1.1 are deprecated (RFC 8996) and have known weaknesses; accepting them lets an attacker on the network push old clients onto weaker encryption. " +
    "Current browsers all speak TLS 1.2, so turning the old versions off costs nothing for real visitors.",
  remediation: {
    summary:
      "Switch the load balancer's TLS security policy to one that allows only TLS 1.2 (for example TLS-FS-1-2-Res-2019-08).",
    steps: [
      "In the Lightsail console open Networking > <load-balancer-name> > Inbound traffic.",
      "Under TLS security protocols, choose Change protocols.",
      "Pick the option that supports TLS version 1.2 only and save; the change takes a few moments.",
    ],
    cli:
      "aws lightsail get-load-balancer-tls-policies --region <region>   # pick a policy whose protocols are only TLSv1.2, then: " +
      "aws lightsail update-load-balancer-attribute --region <region> --load-balancer-name <load-balancer-name> --attribute-name TlsPolicyName --attribute-value <tls-1.2-only-policy-name>",
    console:
      "Lightsail > Networking > <load-balancer-name> > Inbound traffic > TLS security protocols",
  },
  reads: ["loadBalancers", "tlsPolicies"],
  evaluate(snapshot): Outcome[] {
    return snapshot.lightsail.flatMap((regionFacts): Outcome[] => {
      if (regionFacts.loadBalancers === null) {
        return [
          regionDataMissing(
            snapshot,
            regionFacts.region,
            "load balancers",
            "LoadBalancers",
            "which TLS versions they accept is unknown",
          ),
        ];
      }
      return regionFacts.loadBalancers
        .filter(isHttpAndHttps) // Plain HTTP: lightsail-lb-https-enabled reports it.
        .map((lb) => evaluateLoadBalancer(snapshot, lb, regionFacts.tlsPolicies));
    });
  },
});
