import { describe, expect, it } from "vitest";
import type { FirewallRule } from "../../../shared/model";
import {
  afterCalls,
  firewall,
  portCalls,
  sameFirewall,
  toFirewallRule,
} from "../../../shared/remediation/firewall";
import { legacyPort, port } from "../../helpers/snapshot";

const rule = (
  fromPort: number,
  cidrs: string[],
  ipv6Cidrs: string[] = [],
  cidrListAliases: string[] = [],
  protocol = "tcp",
): FirewallRule => ({ fromPort, toPort: fromPort, protocol, cidrs, ipv6Cidrs, cidrListAliases });

describe("firewall", () => {
  it("merges IPv4 and IPv6 entries of the same ports and protocol, sorts, drops rules that admit nobody", () => {
    const rules = firewall([
      port({ fromPort: 443, toPort: 443 }),
      port({ fromPort: 22, toPort: 22, cidrs: [], ipv6Cidrs: ["::/0"] }),
      port({ fromPort: 22, toPort: 22, cidrs: ["198.51.100.0/24"], ipv6Cidrs: [] }),
      port({ fromPort: 8080, toPort: 8080, cidrs: [], ipv6Cidrs: [] }),
    ]);
    expect(rules).toEqual([
      rule(22, ["198.51.100.0/24"], ["::/0"]),
      rule(443, ["0.0.0.0/0"], ["::/0"]),
    ]);
  });

  it("reads protocol -1 as all, and an old entry's sources from accessFrom", () => {
    expect(toFirewallRule(port({ fromPort: 0, toPort: 65535, protocol: "-1" })).protocol).toBe(
      "all",
    );
    expect(toFirewallRule(legacyPort({ accessFrom: "Anywhere (0.0.0.0/0 and ::/0)" }))).toEqual(
      rule(80, ["0.0.0.0/0"], ["::/0"]),
    );
  });

  it("compares firewalls whatever the order and the merging", () => {
    const a = [rule(80, ["0.0.0.0/0"]), rule(22, ["203.0.113.7/32"], ["2001:db8::/48"])];
    const b = [
      rule(22, [], ["2001:db8::/48"]),
      rule(22, ["203.0.113.7/32"]),
      rule(80, ["0.0.0.0/0"]),
    ];
    expect(sameFirewall(a, b)).toBe(true);
    expect(sameFirewall(a, [...b, rule(8080, ["0.0.0.0/0"])])).toBe(false);
  });
});

describe("portCalls", () => {
  const before = [
    rule(22, ["0.0.0.0/0", "198.51.100.9/32"], ["::/0"]),
    rule(80, ["0.0.0.0/0"], ["::/0"]),
  ];
  const after = [
    rule(22, ["198.51.100.9/32", "203.0.113.7/32"], [], ["lightsail-connect"]),
    rule(80, ["0.0.0.0/0"], ["::/0"]),
  ];

  it("opens what the new rule adds before closing exactly the sources it drops; other rules get no call", () => {
    expect(portCalls(before, after)).toEqual([
      { call: "open", rule: rule(22, ["203.0.113.7/32"], [], ["lightsail-connect"]) },
      { call: "close", rule: rule(22, ["0.0.0.0/0"], ["::/0"]) },
    ]);
  });

  it("undo is the same with the sides swapped, and afterCalls models the result", () => {
    const undo = portCalls(after, before);
    expect(undo).toEqual([
      { call: "open", rule: rule(22, ["0.0.0.0/0"], ["::/0"]) },
      { call: "close", rule: rule(22, ["203.0.113.7/32"], [], ["lightsail-connect"]) },
    ]);
    expect(afterCalls(before, portCalls(before, after))).toEqual(firewall(after));
    expect(afterCalls(after, undo)).toEqual(firewall(before));
  });

  it("a partial change (the Open made, the Close not) leaves both old and new sources", () => {
    const [open] = portCalls(before, after);
    expect(afterCalls(before, open ? [open] : [])[0]).toEqual(
      rule(22, ["0.0.0.0/0", "198.51.100.9/32", "203.0.113.7/32"], ["::/0"], ["lightsail-connect"]),
    );
  });
});
