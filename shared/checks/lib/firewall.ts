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

/** True when the rule opens every port: protocol all/-1 or TCP, over 0-65535 ("All TCP"). */
export function opensEveryPort(rule: PortRule): boolean {
  const protocol = normaliseProtocol(rule.protocol);
  const { from, to } = portRange(rule);
  return (protocol === "all" || protocol === "tcp") && from === 0 && to === 65535;
}

/** Who can reach what some of an instance's inbound rules open (one TCP port, every port…). */
export interface PortExposure {
  /** Labels of the rules that open it to 0.0.0.0/0. */
  ipv4Public: string[];
  /** Labels of the rules that open it to ::/0. */
  ipv6Public: string[];
  /** Narrower sources it is open to (CIDRs and aliases such as lightsail-connect). */
  restrictedSources: string[];
  /** Labels of rules that cover it but say nothing about their sources. */
  unknownSources: string[];
  /** Labels of every internet-facing inbound rule that covers it. */
  coveringRules: string[];
}

/** What one inbound, internet-facing rule admits, read once however many ports it is asked about. */
export interface RuleReach {
  label: string;
  /** Nothing in the rule says whom it admits. */
  unknown: boolean;
  ipv4Public: boolean;
  ipv6Public: boolean;
  /** Narrower sources: IPv4 CIDRs, IPv6 CIDRs, then aliases, in the rule's order. */
  restricted: string[];
}

/** Reads a rule's sources (IPv4 and IPv6 separately). Call only for inbound, non-private rules. */
export function ruleReach(rule: PortRule): RuleReach {
  const reach: RuleReach = {
    label: ruleLabel(rule),
    unknown: sourcesUnknown(rule),
    ipv4Public: false,
    ipv6Public: false,
    restricted: [],
  };
  if (reach.unknown) return reach;
  for (const cidr of ipv4Sources(rule)) {
    if (isWholeIpv4Internet(cidr)) reach.ipv4Public = true;
    else reach.restricted.push(cidr);
  }
  for (const cidr of ipv6Sources(rule)) {
    if (isWholeIpv6Internet(cidr)) reach.ipv6Public = true;
    else reach.restricted.push(cidr);
  }
  reach.restricted.push(...(rule.cidrListAliases ?? []));
  return reach;
}

export function emptyExposure(): PortExposure {
  return {
    ipv4Public: [],
    ipv6Public: [],
    restrictedSources: [],
    unknownSources: [],
    coveringRules: [],
  };
}

/** Adds one covering rule to an exposure being built; `finishExposure` when all are in. */
export function addReach(x: PortExposure, reach: RuleReach): void {
  x.coveringRules.push(reach.label);
  if (reach.unknown) {
    x.unknownSources.push(reach.label);
    return;
  }
  if (reach.ipv4Public) x.ipv4Public.push(reach.label);
  if (reach.ipv6Public) x.ipv6Public.push(reach.label);
  x.restrictedSources.push(...reach.restricted);
}

/** Each public label and source once, in first-seen order. */
export function finishExposure(x: PortExposure): PortExposure {
  x.ipv4Public = [...new Set(x.ipv4Public)];
  x.ipv6Public = [...new Set(x.ipv6Public)];
  x.restrictedSources = [...new Set(x.restrictedSources)];
  return x;
}

/**
 * Evaluates IPv4 and IPv6 separately over every inbound, non-private rule that `covers` selects.
 *
 * @example
 * exposure(instance.ports, opensEveryPort).ipv4Public // ["0-65535/all"] for an All protocols rule
 */
export function exposure(
  rules: readonly PortRule[],
  covers: (rule: PortRule) => boolean,
): PortExposure {
  const x = emptyExposure();
  for (const rule of rules) {
    if (isInbound(rule) && !isPrivateAccess(rule) && covers(rule)) addReach(x, ruleReach(rule));
  }
  return finishExposure(x);
}

/**
 * Who can reach one TCP port (rules with protocol tcp or all/-1 whose range contains it).
 *
 * @example
 * tcpPortExposure(instance.ports, 22).ipv6Public // ["22/tcp"] when ::/0 may reach SSH
 */
export function tcpPortExposure(rules: readonly PortRule[], port: number): PortExposure {
  return exposure(rules, (rule) => admitsTcpPort(rule, port));
}

/** True when 0.0.0.0/0 or ::/0 can reach it. */
export function isPublic(x: PortExposure): boolean {
  return x.ipv4Public.length > 0 || x.ipv6Public.length > 0;
}

/** "IPv4 (0.0.0.0/0) and IPv6 (::/0)", "IPv6 (::/0)"…: which internets reach it. */
export function publicFamilies(x: PortExposure): string {
  const families = [
    ...(x.ipv4Public.length > 0 ? ["IPv4 (0.0.0.0/0)"] : []),
    ...(x.ipv6Public.length > 0 ? ["IPv6 (::/0)"] : []),
  ];
  return families.join(" and ");
}
