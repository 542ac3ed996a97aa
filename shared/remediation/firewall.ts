/**
 * Instance firewalls as the fixes see them: each rule with explicit source lists, IPv4 and IPv6
 * entries of the same ports and protocol merged (the API sends them merged or apart), so two
 * reads of the same firewall compare equal whatever their quirks. Rule matching and the source
 * quirks (protocol "-1", missing `cidrs`, `accessFrom`) come from checks/lib/firewall.ts. Pure.
 */
import { ipv4Sources, ipv6Sources, normaliseProtocol, portRange } from "../checks/lib/firewall";
import { joinList } from "../checks/lib/resources";
import type { FirewallRule, PortRule } from "../model";

const sorted = (items: Iterable<string>) => [...new Set(items)].sort();
const keyOf = (r: { fromPort: number; toPort: number; protocol: string }) =>
  `${r.fromPort}-${r.toPort}/${r.protocol}`;

/** One API rule with explicit lists (sources from `accessFrom` when the lists are missing). */
export function toFirewallRule(rule: PortRule): FirewallRule {
  const range = portRange(rule);
  return {
    fromPort: rule.fromPort ?? range.from,
    toPort: rule.toPort ?? range.to,
    protocol: normaliseProtocol(rule.protocol) ?? "unknown",
    cidrs: sorted(ipv4Sources(rule)),
    ipv6Cidrs: sorted(ipv6Sources(rule)),
    cidrListAliases: sorted(rule.cidrListAliases ?? []),
  };
}

export function hasSources(rule: FirewallRule): boolean {
  return rule.cidrs.length + rule.ipv6Cidrs.length + rule.cidrListAliases.length > 0;
}

/**
 * An instance's firewall in canonical form: one rule per ports and protocol, sources merged and
 * sorted, rules that admit nothing left out, rules sorted.
 *
 * @example
 * firewall([{ fromPort: 22, toPort: 22, protocol: "tcp", cidrs: [], ipv6Cidrs: ["::/0"] },
 *           { fromPort: 22, toPort: 22, protocol: "tcp", cidrs: ["198.51.100.0/24"], ipv6Cidrs: [] }])
 * // [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrs: ["198.51.100.0/24"], ipv6Cidrs: ["::/0"], cidrListAliases: [] }]
 */
export function firewall(rules: readonly (PortRule | FirewallRule)[]): FirewallRule[] {
  const merged = new Map<string, FirewallRule>();
  for (const rule of rules.map(toFirewallRule)) {
    const key = keyOf(rule);
    const seen = merged.get(key);
    merged.set(
      key,
      seen
        ? {
            ...seen,
            cidrs: sorted([...seen.cidrs, ...rule.cidrs]),
            ipv6Cidrs: sorted([...seen.ipv6Cidrs, ...rule.ipv6Cidrs]),
            cidrListAliases: sorted([...seen.cidrListAliases, ...rule.cidrListAliases]),
          }
        : rule,
    );
  }
  return [...merged.values()]
    .filter(hasSources)
    .sort(
      (a, b) => a.fromPort - b.fromPort || a.toPort - b.toPort || keyOf(a).localeCompare(keyOf(b)),
    );
}

/** The rule for these ports and protocol in a canonical firewall (no sources when absent). */
export function ruleFor(
  rules: readonly FirewallRule[],
  ports: { fromPort: number; toPort: number; protocol: string },
): FirewallRule {
  return (
    rules.find((r) => keyOf(r) === keyOf(ports)) ?? {
      ...ports,
      cidrs: [],
      ipv6Cidrs: [],
      cidrListAliases: [],
    }
  );
}

/** `firewall` with one rule replaced (dropped when it admits nothing). */
export function withRule(rules: readonly FirewallRule[], rule: FirewallRule): FirewallRule[] {
  return firewall([...rules.filter((r) => keyOf(r) !== keyOf(rule)), rule]);
}

export function sameFirewall(a: readonly FirewallRule[], b: readonly FirewallRule[]): boolean {
  return JSON.stringify(firewall(a)) === JSON.stringify(firewall(b));
}

/** The sources of `a` that `b` lacks, as a rule for the same ports and protocol. */
function minus(a: FirewallRule, b: FirewallRule): FirewallRule {
  const lacking = (x: string[], y: string[]) => x.filter((s) => !y.includes(s));
  return {
    fromPort: a.fromPort,
    toPort: a.toPort,
    protocol: a.protocol,
    cidrs: lacking(a.cidrs, b.cidrs),
    ipv6Cidrs: lacking(a.ipv6Cidrs, b.ipv6Cidrs),
    cidrListAliases: lacking(a.cidrListAliases, b.cidrListAliases),
  };
}

/** One Open or Close call: exactly these sources of these ports, nothing else. */
export interface PortCall {
  call: "open" | "close";
  rule: FirewallRule;
}

/**
 * The calls that turn firewall `from` into `to`, rule by rule: for each rule whose sources differ,
 * first open what `to` adds, then close what it removes, so that no source `to` keeps is ever
 * without its rule. Applying and undoing a change are the same function with the sides swapped.
 *
 * @example
 * portCalls(firewall(before), firewall(after)) // [{ call: "open", rule: 22/tcp from 203.0.113.7/32 }, { call: "close", rule: 22/tcp from 0.0.0.0/0 }]
 */
export function portCalls(from: readonly FirewallRule[], to: readonly FirewallRule[]): PortCall[] {
  const a = firewall(from);
  const b = firewall(to);
  const keys = [...new Set([...a, ...b].map(keyOf))];
  return keys.flatMap((key): PortCall[] => {
    const [ports] = [...a, ...b].filter((r) => keyOf(r) === key);
    if (!ports) return [];
    const before = ruleFor(a, ports);
    const after = ruleFor(b, ports);
    const open = minus(after, before);
    const close = minus(before, after);
    return [
      ...(hasSources(open) ? [{ call: "open" as const, rule: open }] : []),
      ...(hasSources(close) ? [{ call: "close" as const, rule: close }] : []),
    ];
  });
}

/** "22/tcp from 203.0.113.7/32, 2001:db8::/48 and lightsail-connect" */
export function describeRule(rule: FirewallRule): string {
  const ports =
    rule.fromPort === rule.toPort ? `${rule.fromPort}` : `${rule.fromPort}-${rule.toPort}`;
  const sources = [...rule.cidrs, ...rule.ipv6Cidrs, ...rule.cidrListAliases];
  return `${ports}/${rule.protocol} from ${sources.length > 0 ? joinList(sources) : "nobody"}`;
}

/**
 * The firewall once `calls` have been made: Open adds its sources to the rule of its ports and
 * protocol, Close removes them (aws-api-facts.md §4.2). For recording what a partly applied change
 * left behind when the firewall cannot be read back.
 */
export function afterCalls(
  rules: readonly FirewallRule[],
  calls: readonly PortCall[],
): FirewallRule[] {
  return calls.reduce((current, { call, rule }) => {
    const have = ruleFor(current, rule);
    const next = call === "open" ? (firewall([have, rule])[0] ?? have) : minus(have, rule);
    return withRule(current, next);
  }, firewall(rules));
}
