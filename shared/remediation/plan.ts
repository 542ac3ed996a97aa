/**
 * The remediation plan: from the audit's results and snapshot, the changes that are safe to make
 * without a person, and the reason for every finding left alone. Pure: no AWS, no clock.
 *
 * Two fixes, each the smallest change that clears its finding and never takes a site offline:
 * - `lightsail-instance-ssh-not-public`: in the SSH rule (22/tcp), the world-open side(s) admit
 *   `allowedSshCidrs` (IPv4 into `cidrs`, IPv6 into `ipv6Cidrs`) instead of 0.0.0.0/0 or ::/0,
 *   plus the `lightsail-connect` alias when IPv4 was open (the console's browser SSH keeps
 *   working). Sources the rule already had are kept; a side that was not world-open is untouched;
 *   every other rule stays as it is. SSH inside a wider rule (All protocols, a port range) is
 *   reported, never split.
 * - `lightsail-lb-http-redirects-to-https`: HttpsRedirectionEnabled true, only when an attached
 *   certificate is ISSUED.
 * A resource tagged `auto-remediate=false` is never changed.
 */
import {
  isPublic,
  isWholeIpv4Internet,
  isWholeIpv6Internet,
  tcpPortExposure,
} from "../checks/lib/firewall";
import {
  describeCertificate,
  isHttpAndHttps,
  servingCertificate,
} from "../checks/lib/load-balancer";
import { joinList } from "../checks/lib/resources";
import type {
  AccountSnapshot,
  CheckResult,
  Fact,
  FirewallRule,
  LightsailInstance,
  LightsailLoadBalancer,
  RemediationAction,
  RemediationSkip,
  RemediationTarget,
  Tag,
} from "../model";
import { describeRule, firewall, ruleFor, withRule } from "./firewall";

export const SSH_CHECK = "lightsail-instance-ssh-not-public";
export const REDIRECT_CHECK = "lightsail-lb-http-redirects-to-https";
/** The checks whose findings the plan can fix. */
export const FIXABLE_CHECKS: readonly string[] = [SSH_CHECK, REDIRECT_CHECK];
/**
 * The snapshot facts the plan reads to fix each check's findings (the instance's firewall, the
 * load balancer): collected, when remediation is on, for the selected fixable checks.
 */
export const REMEDIATION_READS: Readonly<Record<string, readonly Fact[]>> = {
  [SSH_CHECK]: ["instances"],
  [REDIRECT_CHECK]: ["loadBalancers"],
};

/** The tag that keeps a resource out of every automatic fix. */
export const OPT_OUT_TAG = { key: "auto-remediate", value: "false" } as const;
/** The alias of the Lightsail console's browser SSH/RDP address ranges. */
export const LIGHTSAIL_CONNECT = "lightsail-connect";
const SSH_RULE = { fromPort: 22, toPort: 22, protocol: "tcp" } as const;

export interface PlanSettings {
  /** Canonical CIDR blocks (config `allowedSshCidrs`); empty: SSH is never changed. */
  allowedSshCidrs: readonly string[];
}

export interface Plan {
  planned: RemediationAction[];
  skipped: RemediationSkip[];
}

/** Tagged `auto-remediate=false` (key and value compared without regard to case or spaces). */
export function optedOut(tags: readonly Tag[]): boolean {
  const norm = (s: string | undefined) => (s ?? "").trim().toLowerCase();
  return tags.some((t) => norm(t.key) === OPT_OUT_TAG.key && norm(t.value) === OPT_OUT_TAG.value);
}

const OPTED_OUT = `tagged ${OPT_OUT_TAG.key}=${OPT_OUT_TAG.value}: never changed automatically; fix it by hand (see How to fix)`;

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();
const without = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));

/**
 * The SSH rule after the fix: on each side (IPv4, IPv6) that admits the whole internet, that
 * source is replaced by the allowed CIDRs of its family; the other side is left as it is.
 */
export function restrictedSshRule(before: FirewallRule, allowed: readonly string[]): FirewallRule {
  const v4World = before.cidrs.filter(isWholeIpv4Internet);
  const v6World = before.ipv6Cidrs.filter(isWholeIpv6Internet);
  const allowedV4 = allowed.filter((c) => !c.includes(":"));
  const allowedV6 = allowed.filter((c) => c.includes(":"));
  return {
    ...before,
    cidrs: v4World.length > 0 ? union(without(before.cidrs, v4World), allowedV4) : before.cidrs,
    ipv6Cidrs:
      v6World.length > 0 ? union(without(before.ipv6Cidrs, v6World), allowedV6) : before.ipv6Cidrs,
    cidrListAliases:
      v4World.length > 0
        ? union(before.cidrListAliases, [LIGHTSAIL_CONNECT])
        : before.cidrListAliases,
  };
}

function planSsh(
  instance: LightsailInstance,
  target: RemediationTarget,
  settings: PlanSettings,
): RemediationAction | string {
  if (optedOut(instance.tags)) return OPTED_OUT;
  if (settings.allowedSshCidrs.length === 0) {
    return "allowedSshCidrs is not set, so SSH is never changed: set it to the addresses you connect from (e.g. 203.0.113.7/32) to have SSH restricted to them and to the Lightsail browser console";
  }
  const x = tcpPortExposure(instance.ports, SSH_RULE.fromPort);
  if (x.unknownSources.length > 0) {
    return `rule ${joinList(x.unknownSources)} covers SSH but the API does not say whom it admits: fix it by hand`;
  }
  const wider = [...new Set([...x.ipv4Public, ...x.ipv6Public])].filter((l) => l !== "22/tcp");
  if (wider.length > 0) {
    const one = wider.length === 1;
    return `SSH is open through ${one ? "rule" : "rules"} ${joinList(wider)}, which also ${one ? "opens" : "open"} other ports; splitting ${one ? "it" : "them"} automatically could cut off the site, so edit ${one ? "it" : "them"} by hand (see How to fix)`;
  }
  if (!isPublic(x)) return "no rule opens SSH to the whole internet any more";

  const rules = firewall(instance.ports);
  const before = ruleFor(rules, SSH_RULE);
  const after = restrictedSshRule(before, settings.allowedSshCidrs);
  // Never leave SSH open to nobody: some source (here or in another rule) must still admit it.
  const left = tcpPortExposure(withRule(rules, after), SSH_RULE.fromPort).restrictedSources;
  const ipv6Only = instance.ipAddressType?.toLowerCase() === "ipv6";
  if (left.length === 0 || (ipv6Only && !left.some((s) => s.includes(":")))) {
    // IPv4 never ends empty (the lightsail-connect alias stays), so the missing side is IPv6.
    return "the fix would leave SSH open to nobody over IPv6 (allowedSshCidrs has no IPv6 address and no other rule admits SSH): add the IPv6 address you connect from to allowedSshCidrs, or fix it by hand";
  }
  return {
    kind: "restrict-ssh",
    ...target,
    summary: `Restrict SSH on instance "${instance.name}": ${describeRule(before)} becomes ${describeRule(after)}`,
    firewall: rules,
    before,
    after,
  };
}

function planRedirect(
  lb: LightsailLoadBalancer,
  target: RemediationTarget,
): RemediationAction | string {
  if (optedOut(lb.tags)) return OPTED_OUT;
  if (lb.certificates === null) return "its certificates could not be read";
  const serving = isHttpAndHttps(lb) ? servingCertificate(lb.certificates) : undefined;
  if (!serving) {
    return "no ISSUED certificate is attached: redirecting would send visitors to an address that cannot answer; attach a valid certificate first";
  }
  if (lb.httpsRedirectionEnabled === true) return "HTTPS redirection is already on";
  return {
    kind: "enable-https-redirect",
    ...target,
    summary: `Turn on HTTP to HTTPS redirection on load balancer "${lb.name}" (it serves certificate ${describeCertificate(serving)})`,
    attribute: "HttpsRedirectionEnabled",
    before: "false",
    after: "true",
  };
}

/**
 * Plans the fixes for the FAIL results of the fixable checks. MUTED findings (accepted by a
 * suppression) are listed as skipped; every other check is ignored.
 *
 * @example
 * const { planned, skipped } = planRemediation(report.results, snapshot, { allowedSshCidrs: ["203.0.113.7/32"] });
 */
export function planRemediation(
  results: readonly CheckResult[],
  snapshot: AccountSnapshot,
  settings: PlanSettings,
): Plan {
  const plan: Plan = { planned: [], skipped: [] };
  for (const r of results) {
    if (!FIXABLE_CHECKS.includes(r.checkId) || (r.status !== "FAIL" && r.status !== "MUTED")) {
      continue;
    }
    const target = { checkId: r.checkId, fingerprint: r.fingerprint ?? "", resource: r.resource };
    const facts = snapshot.lightsail.find((f) => f.region === r.resource.region);
    const same = (x: { arn: string; name: string }) =>
      x.arn === r.resource.arn && x.name === r.resource.name;
    let outcome: RemediationAction | string;
    if (r.status === "MUTED") {
      outcome = `suppressed ("${r.suppressedBy?.reason ?? "no reason"}", until ${r.suppressedBy?.expires ?? "?"})`;
    } else if (r.checkId === SSH_CHECK) {
      const instance = facts?.instances?.find(same);
      outcome = instance ? planSsh(instance, target, settings) : "not found in the audit's data";
    } else {
      const lb = facts?.loadBalancers?.find(same);
      outcome = lb ? planRedirect(lb, target) : "not found in the audit's data";
    }
    if (typeof outcome === "string") plan.skipped.push({ ...target, reason: outcome });
    else plan.planned.push(outcome);
  }
  return plan;
}
