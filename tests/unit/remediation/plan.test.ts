/**
 * The pure planner on fixtures that look like the API: protocol "-1", lower-case `public`, IPv4
 * and IPv6 merged in one entry (or apart), missing `cidrs` (then `accessFrom`), tags without a
 * value. Results come from the real checks, as in an audit.
 */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../../shared/audit";
import { CHECKS } from "../../../shared/checks/index";
import { applySuppressions } from "../../../shared/findings/suppressions";
import type {
  AccountSnapshot,
  LightsailInstance,
  PortRule,
  RestrictSshAction,
} from "../../../shared/model";
import { planRemediation, restrictedSshRule } from "../../../shared/remediation/plan";
import {
  cert,
  context,
  instance,
  legacyPort,
  loadBalancer,
  NOW,
  port,
  REGION,
  region,
  snapshot,
  withInstances,
  wordpressDefaultPorts,
} from "../../helpers/snapshot";

const MINE = ["203.0.113.7/32", "2001:db8:1234::/48"];
const V4_ONLY = ["203.0.113.7/32"];

function plan(s: AccountSnapshot, allowedSshCidrs: readonly string[] = MINE) {
  return planRemediation(evaluate(CHECKS, s, context()), s, { allowedSshCidrs });
}
const planFor = (i: LightsailInstance, allowed?: readonly string[]) =>
  plan(withInstances([i]), allowed);
const only = (p: ReturnType<typeof plan>) => p.planned[0] as RestrictSshAction;
const ssh = (overrides: PortRule = {}) => port({ fromPort: 22, toPort: 22, ...overrides });
const rule = (cidrs: string[], ipv6Cidrs: string[], cidrListAliases: string[] = []) => ({
  fromPort: 22,
  toPort: 22,
  protocol: "tcp",
  cidrs,
  ipv6Cidrs,
  cidrListAliases,
});

describe("planRemediation: SSH", () => {
  it("the WordPress default (one merged entry open to 0.0.0.0/0 and ::/0) becomes the allowed CIDRs per family plus lightsail-connect; 80 and 443 are not part of the change", () => {
    const p = planFor(instance("blog", wordpressDefaultPorts()));

    expect(p.skipped).toEqual([]);
    expect(only(p)).toMatchObject({
      kind: "restrict-ssh",
      checkId: "lightsail-instance-ssh-not-public",
      resource: { name: "blog", region: REGION },
      before: rule(["0.0.0.0/0"], ["::/0"]),
      after: rule(["203.0.113.7/32"], ["2001:db8:1234::/48"], ["lightsail-connect"]),
      summary:
        'Restrict SSH on instance "blog": 22/tcp from 0.0.0.0/0 and ::/0 becomes 22/tcp from 203.0.113.7/32, 2001:db8:1234::/48 and lightsail-connect',
    });
    expect(only(p).fingerprint).toMatch(/^[0-9a-f]{20}$/);
    expect(only(p).firewall.map((r) => r.fromPort)).toEqual([22, 80, 443]);
  });

  it("with IPv4 addresses only, SSH over IPv6 is closed (the IPv4 side keeps the owner and the console)", () => {
    const p = planFor(instance("blog", wordpressDefaultPorts()), V4_ONLY);
    expect(only(p).after).toEqual(rule(["203.0.113.7/32"], [], ["lightsail-connect"]));
  });

  it("IPv6-only exposure changes only the IPv6 side: the IPv4 sources stay, no alias is added", () => {
    const ports = [
      ssh({ cidrs: [], ipv6Cidrs: ["::/0"], accessFrom: "Anywhere (::/0)" }),
      port(),
      ssh({ cidrs: ["198.51.100.0/24"], ipv6Cidrs: [], accessFrom: "Custom" }), // a separate entry
    ];
    const p = planFor(instance("staging", ports));

    expect(only(p).before).toEqual(rule(["198.51.100.0/24"], ["::/0"]));
    expect(only(p).after).toEqual(rule(["198.51.100.0/24"], ["2001:db8:1234::/48"]));
  });

  it("keeps the owner's own addresses already in the rule (never revokes them)", () => {
    const p = planFor(
      instance("blog", [ssh({ cidrs: ["0.0.0.0/0", "198.51.100.9/32"], ipv6Cidrs: [] })]),
    );
    expect(only(p).after).toEqual(
      rule(["198.51.100.9/32", "203.0.113.7/32"], [], ["lightsail-connect"]),
    );
  });

  it("reads an old-style entry without source lists from accessFrom", () => {
    const p = planFor(
      instance("legacy", [
        legacyPort({ fromPort: 22, toPort: 22, accessFrom: "Anywhere (0.0.0.0/0)" }),
      ]),
    );
    expect(only(p).before).toEqual(rule(["0.0.0.0/0"], []));
    expect(only(p).after).toEqual(rule(["203.0.113.7/32"], [], ["lightsail-connect"]));
  });

  it("matches the protocol and accessType without regard to case (TCP, Public)", () => {
    const p = planFor(instance("blog", [ssh({ protocol: "TCP", accessType: "Public" })]));
    expect(only(p).before.protocol).toBe("tcp");
  });

  it.each<[string, PortRule]>([
    ["an All protocols rule (protocol -1)", port({ fromPort: 0, toPort: 65535, protocol: "-1" })],
    ["an All protocols rule (protocol all)", port({ fromPort: 0, toPort: 65535, protocol: "all" })],
    ["an All TCP rule", port({ fromPort: 0, toPort: 65535, protocol: "tcp" })],
    ["a port range", port({ fromPort: 20, toPort: 25 })],
  ])("SSH inside %s is skipped with the reason, never split", (_, wide) => {
    const p = planFor(instance("agency", [wide, ssh()]));

    expect(p.planned).toEqual([]);
    expect(p.skipped).toEqual([
      expect.objectContaining({
        checkId: "lightsail-instance-ssh-not-public",
        reason: expect.stringMatching(
          /^SSH is open through rule \d+-\d+\/(all|tcp), which also opens other ports; splitting it automatically could cut off the site/,
        ),
      }),
    ]);
  });

  it("plans nothing for an instance without an SSH rule, or with SSH already restricted", () => {
    const restricted = ssh({
      cidrs: ["203.0.113.10/32"],
      ipv6Cidrs: [],
      cidrListAliases: ["lightsail-connect"],
    });
    const s = withInstances([instance("web"), instance("shop", [restricted, port()])]);
    expect(plan(s)).toEqual({ planned: [], skipped: [] });
  });

  it("an instance tagged auto-remediate=false (any case) is skipped; another value is not an opt-out", () => {
    const tagged = (value: string) =>
      instance(`blog-${value}`, wordpressDefaultPorts(), {
        tags: [{ key: "wordpress" }, { key: " Auto-Remediate", value }],
      });
    const p = plan(withInstances([tagged("FALSE"), tagged("true")]));

    expect(p.skipped.map((s) => [s.resource.name, s.reason])).toEqual([
      [
        "blog-FALSE",
        expect.stringMatching(/^tagged auto-remediate=false: never changed automatically/),
      ],
    ]);
    expect(p.planned.map((a) => a.resource.name)).toEqual(["blog-true"]);
  });

  it("without allowedSshCidrs SSH is never touched, and the plan says why", () => {
    const p = planFor(instance("blog", wordpressDefaultPorts()), []);
    expect(p.planned).toEqual([]);
    expect(p.skipped[0]?.reason).toMatch(/^allowedSshCidrs is not set, so SSH is never changed/);
  });

  it("never leaves SSH open to nobody: IPv6-only exposure and no IPv6 address allowed is skipped", () => {
    const p = planFor(instance("v6", [ssh({ cidrs: [], ipv6Cidrs: ["::/0"] }), port()]), V4_ONLY);
    expect(p.planned).toEqual([]);
    expect(p.skipped[0]?.reason).toMatch(/^the fix would leave SSH open to nobody over IPv6/);
  });

  it("an IPv6-only instance needs an IPv6 address among the allowed ones", () => {
    const v6only = instance("v6", wordpressDefaultPorts(), { ipAddressType: "ipv6" });
    expect(planFor(v6only, V4_ONLY).skipped[0]?.reason).toMatch(/open to nobody over IPv6/);
    expect(planFor(v6only, MINE).planned).toHaveLength(1);
  });

  it("a suppressed (MUTED) finding is listed as skipped with its reason", () => {
    const s = withInstances([instance("bastion", wordpressDefaultPorts())]);
    const { results } = applySuppressions(
      evaluate(CHECKS, s, context()),
      [
        {
          checkId: "lightsail-instance-ssh-not-public",
          resource: "bastion",
          reason: "jump host",
          expires: "2999-01-01",
        },
      ],
      new Date(NOW),
    );
    const p = planRemediation(results, s, { allowedSshCidrs: MINE });
    expect(p.skipped.map((x) => x.reason)).toEqual(['suppressed ("jump host", until 2999-01-01)']);
  });

  it("ignores every other check (admin ports open, IMDSv2...)", () => {
    const s = withInstances([
      instance("db", [port({ fromPort: 3306, toPort: 3306 })], { metadataHttpTokens: "optional" }),
    ]);
    expect(plan(s)).toEqual({ planned: [], skipped: [] });
  });
});

describe("restrictedSshRule", () => {
  it("replaces every spelling of the whole IPv6 internet, and adds nothing twice", () => {
    expect(
      restrictedSshRule(
        rule(["0.0.0.0/0", "203.0.113.7/32"], ["::0/0"], ["lightsail-connect"]),
        MINE,
      ),
    ).toEqual(rule(["203.0.113.7/32"], ["2001:db8:1234::/48"], ["lightsail-connect"]));
  });
});

describe("planRemediation: HTTPS redirect", () => {
  const withLb = (...lbs: ReturnType<typeof loadBalancer>[]) =>
    snapshot({ lightsail: [region(REGION, { loadBalancers: lbs })] });

  it("turns redirection on when an ISSUED certificate is attached", () => {
    const p = plan(withLb(loadBalancer("wp-lb", { httpsRedirectionEnabled: false })));
    expect(p.planned).toEqual([
      expect.objectContaining({
        kind: "enable-https-redirect",
        checkId: "lightsail-lb-http-redirects-to-https",
        resource: expect.objectContaining({ name: "wp-lb", type: "LightsailLoadBalancer" }),
        attribute: "HttpsRedirectionEnabled",
        before: "false",
        after: "true",
      }),
    ]);
  });

  it.each([
    ["no certificate attached", { certificates: [cert("c", { isAttached: false })] }],
    [
      "an attached certificate still pending",
      { certificates: [cert("c", { status: "PENDING_VALIDATION" })] },
    ],
    ["plain HTTP", { protocol: "HTTP", publicPorts: [80] }],
  ])("changes nothing with %s", (_, overrides) => {
    const p = plan(withLb(loadBalancer("wp-lb", { httpsRedirectionEnabled: false, ...overrides })));
    expect(p.planned).toEqual([]);
  });

  it("a load balancer tagged auto-remediate=false is skipped", () => {
    const lb = loadBalancer("wp-lb", {
      httpsRedirectionEnabled: false,
      tags: [{ key: "auto-remediate", value: "false" }],
    });
    expect(plan(withLb(lb)).skipped[0]?.reason).toMatch(/^tagged auto-remediate=false/);
  });
});
