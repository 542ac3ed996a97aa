/**
 * Lightsail instance firewall rules (`networking.ports[]`) as the API really sends them:
 * protocol `"-1"` for all, lower-case `accessType`, IPv4 and IPv6 merged in one entry, and old
 * responses without `cidrs` / `ipv6Cidrs` (then `accessFrom` is the only source of truth).
 * See aws-api-facts.md §1.3.
 */
import type { PortRule } from "../../model";

/** Lower-case protocol with `"-1"` read as `"all"`; `undefined` when the rule has none. */
export function normaliseProtocol(protocol: string | undefined): string | undefined {
  const p = protocol?.trim().toLowerCase();
  if (p === undefined || p === "") return undefined;
  return p === "-1" ? "all" : p;
}

/** Only inbound rules exist today; a missing direction means inbound. */
export function isInbound(rule: PortRule): boolean {
  return rule.accessDirection === undefined || rule.accessDirection.toLowerCase() === "inbound";
}

/** `accessType` "Private" (any case): the rule is not reachable from the internet. */
export function isPrivateAccess(rule: PortRule): boolean {
  return rule.accessType?.toLowerCase() === "private";
}

/**
 * The port range a TCP/all rule covers. A rule without ports covers every port (documented for
 * protocol all; assumed for TCP, where it cannot be narrower than what we can prove). `-1` (the
 * ICMP "any" marker) is read as an open end.
 */
export function portRange(rule: PortRule): { from: number; to: number } {
  if (rule.fromPort === undefined && rule.toPort === undefined) return { from: 0, to: 65535 };
  const from = rule.fromPort ?? rule.toPort ?? 0;
  const to = rule.toPort ?? rule.fromPort ?? 65535;
  return { from: Math.max(from, 0), to: to < 0 ? 65535 : to };
}

/** True when the rule lets TCP traffic reach `port` (protocol tcp or all/-1, range containing it). */
export function admitsTcpPort(rule: PortRule, port: number): boolean {
  const protocol = normaliseProtocol(rule.protocol);
  if (protocol !== "tcp" && protocol !== "all") return false;
  const { from, to } = portRange(rule);
  return from <= port && port <= to;
}

/** "22/tcp", "0-65535/all": the way Lightsail names a rule in its operation details. */
export function ruleLabel(rule: PortRule): string {
  const protocol = normaliseProtocol(rule.protocol) ?? "unknown-protocol";
  const { from, to } = portRange(rule);
  return from === to ? `${from}/${protocol}` : `${from}-${to}/${protocol}`;
}

const CIDR_IN_TEXT = /[0-9a-f:.]+\/\d{1,3}/gi;

/** CIDRs written in `accessFrom`, e.g. "Anywhere (0.0.0.0/0 and ::/0)" -> both. */
export function cidrsInAccessFrom(accessFrom: string | undefined): string[] {
  return accessFrom?.match(CIDR_IN_TEXT) ?? [];
}

/** IPv4 sources: `cidrs` when the key is there (even empty), else what `accessFrom` says. */
export function ipv4Sources(rule: PortRule): string[] {
  if (Array.isArray(rule.cidrs)) return rule.cidrs;
  return cidrsInAccessFrom(rule.accessFrom).filter((c) => !c.includes(":"));
}

/** IPv6 sources: `ipv6Cidrs` when the key is there (even empty), else what `accessFrom` says. */
export function ipv6Sources(rule: PortRule): string[] {
  if (Array.isArray(rule.ipv6Cidrs)) return rule.ipv6Cidrs;
  return cidrsInAccessFrom(rule.accessFrom).filter((c) => c.includes(":"));
}

/** True when nothing in the rule says whom it admits (no lists and no `accessFrom` text). */
export function sourcesUnknown(rule: PortRule): boolean {
  return (
    !Array.isArray(rule.cidrs) &&
    !Array.isArray(rule.ipv6Cidrs) &&
    !Array.isArray(rule.cidrListAliases) &&
    (rule.accessFrom === undefined || rule.accessFrom.trim() === "")
  );
}

/** Exactly `0.0.0.0/0`. */
export function isWholeIpv4Internet(cidr: string): boolean {
  return cidr.trim() === "0.0.0.0/0";
}

/** `::/0` and its other spellings with an all-zero address (`::0/0`, `0::/0`, `0:0:…:0/0`). */
export function isWholeIpv6Internet(cidr: string): boolean {
  const [address, prefix, ...rest] = cidr.trim().split("/");
  if (address === undefined || prefix !== "0" || rest.length > 0 || !address.includes(":")) {
    return false;
  }
  return address.split(":").every((group) => /^0{0,4}$/.test(group));
}

/** Who can reach one TCP port, over all the inbound rules of an instance. */
export interface TcpPortExposure {
  /** Labels of the rules that open the port to 0.0.0.0/0. */
  ipv4Public: string[];
  /** Labels of the rules that open the port to ::/0. */
  ipv6Public: string[];
  /** Narrower sources the port is open to (CIDRs and aliases such as lightsail-connect). */
  restrictedSources: string[];
  /** Labels of rules that cover the port but say nothing about their sources. */
  unknownSources: string[];
  /** Labels of every internet-facing inbound rule that covers the port. */
  coveringRules: string[];
}

/**
 * Evaluates IPv4 and IPv6 separately over every inbound, non-private rule admitting TCP `port`.
 *
 * @example
 * tcpPortExposure(instance.ports, 22).ipv6Public // ["22/tcp"] when ::/0 may reach SSH
 */
export function tcpPortExposure(rules: readonly PortRule[], port: number): TcpPortExposure {
  const exposure: TcpPortExposure = {
    ipv4Public: [],
    ipv6Public: [],
    restrictedSources: [],
    unknownSources: [],
    coveringRules: [],
  };
  for (const rule of rules) {
    if (!isInbound(rule) || isPrivateAccess(rule) || !admitsTcpPort(rule, port)) continue;
    const label = ruleLabel(rule);
    exposure.coveringRules.push(label);
    if (sourcesUnknown(rule)) {
      exposure.unknownSources.push(label);
      continue;
    }
    for (const cidr of ipv4Sources(rule)) {
      if (isWholeIpv4Internet(cidr)) exposure.ipv4Public.push(label);
      else exposure.restrictedSources.push(cidr);
    }
    for (const cidr of ipv6Sources(rule)) {
      if (isWholeIpv6Internet(cidr)) exposure.ipv6Public.push(label);
      else exposure.restrictedSources.push(cidr);
    }
    exposure.restrictedSources.push(...(rule.cidrListAliases ?? []));
  }
  exposure.ipv4Public = [...new Set(exposure.ipv4Public)];
  exposure.ipv6Public = [...new Set(exposure.ipv6Public)];
  exposure.restrictedSources = [...new Set(exposure.restrictedSources)];
  return exposure;
}
