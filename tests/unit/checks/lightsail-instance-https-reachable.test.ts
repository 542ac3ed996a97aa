import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-instance-https-reachable";
import type { LightsailInstance, Outcome, PortRule } from "../../../shared/model";
import {
  context,
  distribution,
  instance,
  legacyPort,
  loadBalancer,
  port,
  REGION,
  region,
  type SnapshotOverrides,
  snapshot,
} from "../../helpers/snapshot";

const http = (overrides: PortRule = {}) => port(overrides);
const https = (overrides: PortRule = {}) => port({ fromPort: 443, toPort: 443, ...overrides });
const v4Only = { cidrs: ["0.0.0.0/0"], ipv6Cidrs: [], accessFrom: "Anywhere (0.0.0.0/0)" };
const v6Only = { cidrs: [], ipv6Cidrs: ["::/0"], accessFrom: "Anywhere (::/0)" };

/** Evaluates one instance "wp-1" in REGION; nothing fronts it unless `rest` says so. */
function evaluateInstance(
  ports: PortRule[],
  overrides: Partial<LightsailInstance> = {},
  rest: SnapshotOverrides = {},
): Outcome {
  // Prepare
  const snap = snapshot({
    lightsail: [region(REGION, { instances: [instance("wp-1", ports, overrides)] })],
    ...rest,
  });
  // Act
  const outcomes = check.evaluate(snap, context());
  // Assess (shape): one result per WordPress instance
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-instance-https-reachable", () => {
  it("passes a WordPress instance with HTTP and HTTPS open to everyone", () => {
    const outcome = evaluateInstance([http(), https()]);

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toContain(
      "opens HTTPS (TCP 443) to the internet over IPv4 (0.0.0.0/0) and IPv6 (::/0)",
    );
  });

  it("fails HTTP open without HTTPS when nothing fronts the instance", () => {
    const outcome = evaluateInstance([http(), port({ fromPort: 22, toPort: 22 })]);

    expect(outcome.status).toBe("FAIL");
    expect(outcome.message).toBe(
      'WordPress instance "wp-1" opens HTTP (TCP 80) to the internet over IPv4 (0.0.0.0/0) and IPv6 (::/0) but not HTTPS (TCP 443), and no load balancer or distribution fronts it: visitors there can only reach the site over unencrypted HTTP, WordPress login included.',
    );
    expect(outcome.resource.type).toBe("LightsailInstance");
  });

  it("passes an instance that opens neither 80 nor 443", () => {
    const outcome = evaluateInstance([port({ fromPort: 22, toPort: 22 })]);

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toContain("opens neither HTTP (80) nor HTTPS (443)");
  });

  it("passes an All protocols rule, which opens 443 too", () => {
    expect(evaluateInstance([port({ fromPort: 0, toPort: 65535, protocol: "-1" })]).status).toBe(
      "PASS",
    );
  });

  it("fails HTTPS open to a few addresses only", () => {
    const outcome = evaluateInstance([http(), https({ cidrs: ["203.0.113.7/32"], ipv6Cidrs: [] })]);

    expect(outcome.status).toBe("FAIL");
  });

  describe("IPv4 and IPv6 separately", () => {
    it("fails 80 on both with 443 on IPv4 only, naming IPv6", () => {
      const outcome = evaluateInstance([http(), https(v4Only)]);

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("over IPv6 (::/0) but not HTTPS");
    });

    it("fails an IPv6-only HTTP rule with no HTTPS", () => {
      const outcome = evaluateInstance([http(v6Only)]);

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("over IPv6 (::/0) but not HTTPS");
    });

    it("passes 80 and 443 both IPv6-only", () => {
      expect(evaluateInstance([http(v6Only), https(v6Only)]).status).toBe("PASS");
    });

    it("ignores the IPv6 firewall of an IPv4-only instance (no IPv6 address to reach)", () => {
      expect(evaluateInstance([http(), https(v4Only)], { ipAddressType: "ipv4" }).status).toBe(
        "PASS",
      );
    });

    it("reads old entries without cidrs keys (accessFrom only)", () => {
      const outcome = evaluateInstance([legacyPort({ accessFrom: "Anywhere (0.0.0.0/0)" })], {
        ipAddressType: "ipv4",
      });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("over IPv4 (0.0.0.0/0) but not HTTPS");
    });
  });

  describe("fronted instances", () => {
    it("passes an instance behind a load balancer in its region, naming it", () => {
      const outcome = evaluateInstance(
        [http()],
        {},
        {
          lightsail: [
            region(REGION, {
              instances: [instance("wp-1", [http()])],
              loadBalancers: [loadBalancer("blog-lb", { attachedInstances: ["wp-1"] })],
            }),
          ],
        },
      );

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain('load balancer "blog-lb" sits in front of it');
    });

    it("does not count a load balancer in another region attached to a same-named instance", () => {
      const snap = snapshot({
        lightsail: [
          region(REGION, { instances: [instance("wp-1", [http()])] }),
          region("eu-west-2", {
            loadBalancers: [
              loadBalancer("eu-lb", { region: "eu-west-2", attachedInstances: ["wp-1"] }),
            ],
          }),
        ],
      });

      const [outcome] = check.evaluate(snap, context());

      expect(outcome?.status).toBe("FAIL");
    });

    it("passes an instance that is a distribution's origin (originName and originRegion)", () => {
      const outcome = evaluateInstance(
        [http()],
        {},
        {
          distributions: [distribution("blog-cdn", { originName: "wp-1", originRegion: REGION })],
        },
      );

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toContain('distribution "blog-cdn"');
    });

    it("does not count a distribution whose origin has the same name in another region", () => {
      const outcome = evaluateInstance(
        [http()],
        {},
        {
          distributions: [
            distribution("eu-cdn", { originName: "wp-1", originRegion: "eu-west-2" }),
          ],
        },
      );

      expect(outcome.status).toBe("FAIL");
    });
  });

  it("gives no result for instances that are not WordPress", () => {
    const snap = snapshot({
      lightsail: [
        region(REGION, {
          instances: [
            instance("mail", [http()], { blueprintId: "debian_12" }),
            instance("multi", [http()], { blueprintId: "wordpress_multisite" }),
          ],
        }),
      ],
    });

    const outcomes = check.evaluate(snap, context());

    expect(outcomes.map((o) => o.resource.name)).toEqual(["multi"]);
  });

  describe("missing data is an ERROR", () => {
    it.each([
      ["instances", { instances: null }],
      ["load balancers", { loadBalancers: null }],
    ])("when the region's %s could not be listed: one ERROR for the region", (what, facts) => {
      const snap = snapshot({
        lightsail: [region(REGION, { instances: [instance("wp-1", [http()])], ...facts })],
      });

      const outcomes = check.evaluate(snap, context());

      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]?.status).toBe("ERROR");
      expect(outcomes[0]?.resource.type).toBe("LightsailRegion");
      expect(outcomes[0]?.message).toContain(`Could not list the Lightsail ${what} in ${REGION}`);
    });

    it("when the distributions are missing and the instance would otherwise FAIL", () => {
      const outcome = evaluateInstance([http()], {}, { distributions: null });

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain("the distributions could not be read");
    });

    it("but not when the instance opens 443 anyway", () => {
      expect(evaluateInstance([http(), https()], {}, { distributions: null }).status).toBe("PASS");
    });

    it("when a rule on 443 says nothing about whom it admits and 80 is open", () => {
      const { accessFrom: _a, ...bare } = legacyPort({ fromPort: 443, toPort: 443 });

      const outcome = evaluateInstance([http(), bare]);

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain("rule 443/tcp covering HTTPS (443)");
    });
  });
});
