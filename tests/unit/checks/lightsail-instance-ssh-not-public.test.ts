import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-instance-ssh-not-public";
import type { Outcome, PortRule } from "../../../shared/model";
import {
  context,
  instance,
  legacyPort,
  port,
  REGION,
  region,
  snapshot,
  withInstances,
  wordpressDefaultPorts,
} from "../../helpers/snapshot";

/** Evaluates one instance whose firewall is exactly `ports` plus the web ports 80/443. */
function evaluateRules(...ports: PortRule[]): Outcome {
  // Prepare
  const webPorts = [port(), port({ fromPort: 443, toPort: 443 })];
  const snap = withInstances([instance("wp-1", [...webPorts, ...ports])]);
  // Act
  const outcomes = check.evaluate(snap, context());
  // Assess (shape): one result per instance
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

const ssh = (overrides: PortRule = {}) => port({ fromPort: 22, toPort: 22, ...overrides });

describe("lightsail-instance-ssh-not-public", () => {
  describe("the default WordPress firewall", () => {
    it("fails an instance with SSH open over IPv4 and IPv6 in one merged entry, naming both and the rule", () => {
      const outcome = evaluateRules(ssh());

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toBe(
        'SSH (TCP 22) on instance "wp-1" is open to the whole internet over both IPv4 (0.0.0.0/0) and IPv6 (::/0) via rule 22/tcp.',
      );
    });

    it("returns the instance as the resource", () => {
      const snap = withInstances([instance("wp-1", wordpressDefaultPorts())]);

      const [outcome] = check.evaluate(snap, context());

      expect(outcome?.resource).toEqual({
        type: "LightsailInstance",
        name: "wp-1",
        arn: `arn:aws:lightsail:${REGION}:123456789012:Instance/wp-1-0000-4000-8000-000000000000`,
        region: REGION,
      });
    });
  });

  describe("web ports", () => {
    it("passes an instance whose only public ports are 80 and 443", () => {
      const outcome = evaluateRules();

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("no rule that opens SSH (TCP 22)");
    });

    it("does not flag 80/443 even when they are open to everyone on IPv4 and IPv6 next to a restricted SSH rule", () => {
      const outcome = evaluateRules(
        ssh({ cidrs: ["203.0.113.10/32"], ipv6Cidrs: [], accessFrom: "Custom" }),
      );

      expect(outcome.status).toBe("PASS");
    });
  });

  describe("protocol", () => {
    it.each(["-1", "all", "ALL", "All"])(
      'fails an all-protocols rule written "%s" (0-65535)',
      (protocol) => {
        const outcome = evaluateRules(port({ fromPort: 0, toPort: 65535, protocol }));

        expect(outcome.status).toBe("FAIL");
        expect(outcome.message).toContain("via rule 0-65535/all");
      },
    );

    it('fails a rule whose protocol is upper-case "TCP" (as the CLI example sends it)', () => {
      expect(evaluateRules(ssh({ protocol: "TCP" })).status).toBe("FAIL");
    });

    it("treats an all-protocols rule without ports as covering every port", () => {
      const rule = port({ protocol: "-1" });
      delete rule.fromPort;
      delete rule.toPort;

      expect(evaluateRules(rule).status).toBe("FAIL");
    });

    it.each(["udp", "icmp", "icmpv6"])("does not flag a %s rule on 22", (protocol) => {
      expect(evaluateRules(ssh({ protocol })).status).toBe("PASS");
    });
  });

  describe("port ranges", () => {
    it.each([
      [0, 65535, "0-65535/tcp"],
      [20, 25, "20-25/tcp"],
      [22, 22, "22/tcp"],
    ])("fails a TCP range %i-%i that contains 22", (fromPort, toPort, label) => {
      const outcome = evaluateRules(port({ fromPort, toPort }));

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(`via rule ${label}`);
    });

    it.each([
      [2200, 2300],
      [23, 80],
      [0, 21],
    ])("passes a TCP range %i-%i that does not contain 22", (fromPort, toPort) => {
      expect(evaluateRules(port({ fromPort, toPort })).status).toBe("PASS");
    });
  });

  describe("IPv4 and IPv6 are separate firewalls", () => {
    it("fails an IPv6-only entry (cidrs []) and says IPv6 only", () => {
      const outcome = evaluateRules(
        ssh({ cidrs: [], ipv6Cidrs: ["::/0"], accessFrom: "Anywhere (::/0)" }),
      );

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toBe(
        'SSH (TCP 22) on instance "wp-1" is open to the whole internet over IPv6 (::/0) via rule 22/tcp.',
      );
    });

    it("fails an IPv4-only entry (ipv6Cidrs []) and says IPv4 only", () => {
      const outcome = evaluateRules(
        ssh({ cidrs: ["0.0.0.0/0"], ipv6Cidrs: [], accessFrom: "Anywhere (0.0.0.0/0)" }),
      );

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("over IPv4 (0.0.0.0/0) via rule 22/tcp");
      expect(outcome.message).not.toContain("IPv6");
    });

    it("names each family's rules when IPv4 and IPv6 are opened by different rules", () => {
      const outcome = evaluateRules(
        ssh({ cidrs: ["0.0.0.0/0"], ipv6Cidrs: [] }),
        port({ fromPort: 0, toPort: 65535, protocol: "-1", cidrs: [], ipv6Cidrs: ["::/0"] }),
      );

      expect(outcome.message).toContain(
        "over IPv4 (0.0.0.0/0) via rule 22/tcp and over IPv6 (::/0) via rule 0-65535/all",
      );
    });

    it.each(["::0/0", "0::/0", "0:0:0:0:0:0:0:0/0"])(
      "recognises %s as the whole IPv6 internet",
      (cidr) => {
        const outcome = evaluateRules(ssh({ cidrs: [], ipv6Cidrs: [cidr] }));

        expect(outcome.status).toBe("FAIL");
        expect(outcome.message).toContain("IPv6 (::/0)");
      },
    );

    it("does not treat a narrower IPv6 range as public", () => {
      const outcome = evaluateRules(ssh({ cidrs: [], ipv6Cidrs: ["2001:db8::/32"] }));

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("2001:db8::/32");
    });
  });

  describe("old responses without cidrs / ipv6Cidrs fall back to accessFrom", () => {
    it('reads "Anywhere (0.0.0.0/0)" as IPv4 only', () => {
      const outcome = evaluateRules(
        legacyPort({ fromPort: 22, toPort: 22, accessFrom: "Anywhere (0.0.0.0/0)" }),
      );

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("over IPv4 (0.0.0.0/0) via rule 22/tcp");
      expect(outcome.message).not.toContain("IPv6");
    });

    it('reads "Anywhere (0.0.0.0/0 and ::/0)" as both', () => {
      const outcome = evaluateRules(
        legacyPort({ fromPort: 22, toPort: 22, accessFrom: "Anywhere (0.0.0.0/0 and ::/0)" }),
      );

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("over both IPv4 (0.0.0.0/0) and IPv6 (::/0)");
    });

    it('reads "Anywhere (::/0)" as IPv6 only', () => {
      const outcome = evaluateRules(
        legacyPort({ fromPort: 22, toPort: 22, accessFrom: "Anywhere (::/0)" }),
      );

      expect(outcome.message).toContain("over IPv6 (::/0) via rule 22/tcp");
    });

    it('passes "Custom" with no lists', () => {
      expect(
        evaluateRules(legacyPort({ fromPort: 22, toPort: 22, accessFrom: "Custom" })).status,
      ).toBe("PASS");
    });

    it("uses accessFrom only for the missing key: cidrs present, ipv6Cidrs missing", () => {
      const rule = ssh({ cidrs: ["203.0.113.10/32"], accessFrom: "Anywhere (0.0.0.0/0 and ::/0)" });
      delete rule.ipv6Cidrs;

      const outcome = evaluateRules(rule);

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("over IPv6 (::/0)");
      expect(outcome.message).not.toContain("IPv4");
    });

    it("trusts present empty arrays over the accessFrom text", () => {
      const outcome = evaluateRules(
        ssh({ cidrs: [], ipv6Cidrs: [], accessFrom: "Anywhere (0.0.0.0/0 and ::/0)" }),
      );

      expect(outcome.status).toBe("PASS");
    });

    it("is an ERROR, not a PASS, when a rule on 22 says nothing about its sources", () => {
      const rule = legacyPort({ fromPort: 22, toPort: 22 });
      delete rule.accessFrom;

      const outcome = evaluateRules(rule);

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain("rule 22/tcp");
    });

    it("still FAILs when another rule proves SSH public next to a rule without sources", () => {
      const unknown = legacyPort({ fromPort: 20, toPort: 30 });
      delete unknown.accessFrom;

      expect(evaluateRules(unknown, ssh()).status).toBe("FAIL");
    });
  });

  describe("restricted sources", () => {
    it("passes the lightsail-connect alias alone and says so", () => {
      const outcome = evaluateRules(
        ssh({
          cidrs: [],
          ipv6Cidrs: [],
          cidrListAliases: ["lightsail-connect"],
          accessFrom: "Custom",
        }),
      );

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toBe(
        'SSH (TCP 22) on instance "wp-1" is open only to lightsail-connect (the Lightsail browser SSH console), not to the whole internet.',
      );
    });

    it("passes SSH restricted to 203.0.113.10/32 plus lightsail-connect", () => {
      const outcome = evaluateRules(
        ssh({
          cidrs: ["203.0.113.10/32"],
          ipv6Cidrs: [],
          cidrListAliases: ["lightsail-connect"],
          accessFrom: "Custom",
        }),
      );

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("open only to 203.0.113.10/32 and lightsail-connect");
    });

    it("fails when a public CIDR sits next to a private one in the same rule", () => {
      const outcome = evaluateRules(
        ssh({ cidrs: ["203.0.113.10/32", "0.0.0.0/0"], ipv6Cidrs: [] }),
      );

      expect(outcome.status).toBe("FAIL");
    });
  });

  describe("accessType and accessDirection", () => {
    it.each(["public", "Public", "PUBLIC"])(
      'evaluates accessType "%s" as internet-facing',
      (accessType) => {
        expect(evaluateRules(ssh({ accessType })).status).toBe("FAIL");
      },
    );

    it("evaluates a rule without accessType as internet-facing", () => {
      const rule = ssh();
      delete rule.accessType;

      expect(evaluateRules(rule).status).toBe("FAIL");
    });

    it.each(["private", "Private"])(
      'ignores accessType "%s" (not reachable from the internet)',
      (accessType) => {
        expect(evaluateRules(ssh({ accessType })).status).toBe("PASS");
      },
    );

    it("evaluates a rule without accessDirection as inbound", () => {
      const rule = ssh();
      delete rule.accessDirection;

      expect(evaluateRules(rule).status).toBe("FAIL");
    });

    it("ignores an outbound rule", () => {
      expect(evaluateRules(ssh({ accessDirection: "outbound" })).status).toBe("PASS");
    });
  });

  describe("scopes", () => {
    it("returns one result per instance", () => {
      const snap = withInstances([instance("open", wordpressDefaultPorts()), instance("closed")]);

      const outcomes = check.evaluate(snap, context());

      expect(outcomes.map((o) => [o.resource.name, o.status])).toEqual([
        ["open", "FAIL"],
        ["closed", "PASS"],
      ]);
    });

    it("emits nothing for a region with no instances", () => {
      expect(check.evaluate(withInstances([]), context())).toEqual([]);
    });

    it("yields an ERROR (never a PASS) for a region whose instances are null, and still evaluates the others", () => {
      const snap = snapshot({
        lightsail: [
          region("eu-west-1", { instances: null }),
          region("us-east-1", { instances: [instance("wp-1", wordpressDefaultPorts())] }),
        ],
        failures: [
          {
            source: "lightsail",
            region: "eu-west-1",
            operation: "GetInstances",
            errorName: "ThrottlingException",
            message: "Rate exceeded",
          },
        ],
      });

      const outcomes = check.evaluate(snap, context());

      expect(outcomes).toHaveLength(2);
      expect(outcomes[0]).toEqual({
        status: "ERROR",
        resource: { type: "LightsailRegion", name: "eu-west-1", arn: "", region: "eu-west-1" },
        message: expect.stringContaining("eu-west-1 (ThrottlingException: Rate exceeded)"),
      });
      expect(outcomes[1]?.status).toBe("FAIL");
    });

    it("ignores load-balancer failures when explaining a missing instance list", () => {
      const snap = snapshot({
        lightsail: [region("eu-west-1", { instances: null })],
        failures: [
          {
            source: "lightsail",
            region: "eu-west-1",
            operation: "GetLoadBalancers",
            errorName: "AccessDeniedException",
            message: "no",
          },
        ],
      });

      const [outcome] = check.evaluate(snap, context());

      expect(outcome?.status).toBe("ERROR");
      expect(outcome?.message).not.toContain("AccessDeniedException");
    });
  });
});
