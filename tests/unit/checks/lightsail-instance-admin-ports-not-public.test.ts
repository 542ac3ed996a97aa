import { describe, expect, it } from "vitest";
import check, {
  ADMIN_PORTS,
} from "../../../shared/checks/lightsail-instance-admin-ports-not-public";
import type { Outcome, PortRule } from "../../../shared/model";
import {
  context,
  instance,
  legacyPort,
  port,
  region,
  snapshot,
  withInstances,
} from "../../helpers/snapshot";

/** Evaluates one instance whose firewall is the web ports 80/443 plus `ports`. */
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

const tcp = (p: number, overrides: PortRule = {}) => port({ fromPort: p, toPort: p, ...overrides });

describe("lightsail-instance-admin-ports-not-public", () => {
  describe("ports that are never flagged", () => {
    it("passes an instance whose only public ports are HTTP 80 and HTTPS 443", () => {
      const outcome = evaluateRules();

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toBe(
        'The firewall of instance "wp-1" opens no database, file-transfer or remote-admin port to the internet.',
      );
    });

    it("leaves SSH 22 to lightsail-instance-ssh-not-public (no double report)", () => {
      expect(evaluateRules(tcp(22)).status).toBe("PASS");
    });

    it("lists neither 22, 80 nor 443 among the admin ports", () => {
      for (const p of ["22", "80", "443"]) expect(Object.keys(ADMIN_PORTS)).not.toContain(p);
    });
  });

  describe("an admin port open to the whole internet", () => {
    it.each([
      3306, 5432, 21, 3389, 8080, 8443, 23, 1433, 27017, 6379, 11211, 9200, 2375, 10000, 2083,
    ])("fails TCP %i open to 0.0.0.0/0 and ::/0", (p) => {
      const outcome = evaluateRules(tcp(p));

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        `TCP ${p}, ${ADMIN_PORTS[p]}, over IPv4 (0.0.0.0/0) and IPv6 (::/0) via rule ${p}/tcp`,
      );
    });

    it("says why in the message, e.g. MySQL is the WordPress database", () => {
      const outcome = evaluateRules(tcp(3306));

      expect(outcome.message).toBe(
        'On instance "wp-1", an admin port is open to the whole internet: TCP 3306, MySQL/MariaDB (the WordPress database), over IPv4 (0.0.0.0/0) and IPv6 (::/0) via rule 3306/tcp.',
      );
    });

    it("fails an IPv6-only rule (cidrs [], ipv6Cidrs ::/0), naming IPv6 only", () => {
      const outcome = evaluateRules(
        tcp(3389, { cidrs: [], ipv6Cidrs: ["::/0"], accessFrom: "Anywhere (::/0)" }),
      );

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        "TCP 3389, RDP (Windows remote desktop), over IPv6 (::/0) via rule 3389/tcp",
      );
      expect(outcome.message).not.toContain("IPv4");
    });

    it("evaluates IPv4 and IPv6 separately: a restricted IPv4 rule does not hide an open IPv6 one", () => {
      const outcome = evaluateRules(
        tcp(5432, { cidrs: ["198.51.100.0/24"], ipv6Cidrs: [] }),
        tcp(5432, { cidrs: [], ipv6Cidrs: ["::0/0"] }),
      );

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("over IPv6 (::/0)");
    });

    it("names every admin port inside an open range", () => {
      const outcome = evaluateRules(port({ fromPort: 3000, toPort: 4000 }));

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("admin ports are open to the whole internet: TCP 3306");
      expect(outcome.message).toContain("TCP 3389, RDP");
      expect(outcome.message).toContain("via rule 3000-4000/tcp");
    });

    it("fails an old-style entry without cidrs keys when accessFrom says Anywhere", () => {
      const outcome = evaluateRules(
        legacyPort({ fromPort: 21, toPort: 21, accessFrom: "Anywhere (0.0.0.0/0)" }),
      );

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        "TCP 21, FTP (passwords travel unencrypted), over IPv4 (0.0.0.0/0) via rule 21/tcp",
      );
    });

    it.each(["TCP", "Tcp"])('reads protocol "%s" like tcp', (protocol) => {
      expect(evaluateRules(tcp(3306, { protocol })).status).toBe("FAIL");
    });
  });

  describe("every port open", () => {
    it.each(["-1", "all", "ALL"])('fails an All protocols rule written "%s"', (protocol) => {
      const outcome = evaluateRules(port({ fromPort: 0, toPort: 65535, protocol }));

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toBe(
        'On instance "wp-1", every port, databases and remote administration included, is open to the whole internet over IPv4 (0.0.0.0/0) and IPv6 (::/0) via rule 0-65535/all.',
      );
    });

    it("fails an All TCP rule (0-65535/tcp) open over IPv4 only", () => {
      const outcome = evaluateRules(
        port({ fromPort: 0, toPort: 65535, cidrs: ["0.0.0.0/0"], ipv6Cidrs: [] }),
      );

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("every port");
      expect(outcome.message).toContain("over IPv4 (0.0.0.0/0) via rule 0-65535/tcp");
    });

    it("names, besides the every-port rule, an admin port opened by a rule of its own", () => {
      const outcome = evaluateRules(
        port({ fromPort: 0, toPort: 65535, protocol: "-1", ipv6Cidrs: [] }),
        tcp(3306, { cidrs: [], ipv6Cidrs: ["::/0"] }),
      );

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("every port");
      expect(outcome.message).toContain(
        "Also, an admin port is open to the whole internet: TCP 3306",
      );
    });

    it("passes an All protocols rule restricted to one address, summarising the ports", () => {
      const outcome = evaluateRules(
        port({
          fromPort: 0,
          toPort: 65535,
          protocol: "-1",
          cidrs: ["203.0.113.7/32"],
          ipv6Cidrs: [],
        }),
      );

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toMatch(/only to specific addresses/);
      expect(outcome.message).toContain(`and ${Object.keys(ADMIN_PORTS).length - 5} more`);
    });
  });

  describe("rules that do not make a port public", () => {
    it.each([3306, 11211])("passes a UDP-only rule on TCP admin port %i", (p) => {
      expect(evaluateRules(tcp(p, { protocol: "udp" })).status).toBe("PASS");
    });

    it("passes a rule restricted to an IP address", () => {
      const outcome = evaluateRules(
        tcp(3306, { cidrs: ["203.0.113.7/32"], ipv6Cidrs: [], accessFrom: "Custom" }),
      );

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain("(TCP 3306) only to specific addresses");
    });

    it("passes RDP open only to the lightsail-connect alias (the browser RDP console)", () => {
      const outcome = evaluateRules(
        tcp(3389, {
          cidrs: [],
          ipv6Cidrs: [],
          cidrListAliases: ["lightsail-connect"],
          accessFrom: "Custom",
        }),
      );

      expect(outcome.status).toBe("PASS");
    });

    it("passes a rule whose accessType is Private, in any case", () => {
      expect(evaluateRules(tcp(3306, { accessType: "PRIVATE" })).status).toBe("PASS");
    });
  });

  describe("missing data is an ERROR", () => {
    it("when a rule on an admin port says nothing about its sources", () => {
      const { accessFrom: _a, ...bare } = legacyPort({ fromPort: 3306, toPort: 3306 });

      const outcome = evaluateRules(bare);

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain("rule 3306/tcp");
    });

    it("but FAIL wins when another rule already proves a port public", () => {
      const { accessFrom: _a, ...bare } = legacyPort({ fromPort: 3306, toPort: 3306 });

      expect(evaluateRules(bare, tcp(21)).status).toBe("FAIL");
    });

    it("when a region's instances could not be listed: one ERROR for the region", () => {
      const snap = snapshot({
        lightsail: [
          region("eu-west-2", { instances: null }),
          region("us-east-1", { instances: [instance("ok")] }),
        ],
      });

      const outcomes = check.evaluate(snap, context());

      expect(outcomes.map((o) => [o.status, o.resource.name])).toEqual([
        ["ERROR", "eu-west-2"],
        ["PASS", "ok"],
      ]);
    });
  });
});
