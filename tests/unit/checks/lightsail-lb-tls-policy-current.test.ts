import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-lb-tls-policy-current";
import type { LightsailLoadBalancer, LoadBalancerTlsPolicy, Outcome } from "../../../shared/model";
import {
  context,
  loadBalancer,
  region,
  snapshot,
  tlsPolicies,
  withLoadBalancers,
} from "../../helpers/snapshot";

function evaluateLbs(
  lbs: LightsailLoadBalancer[] | null,
  policies: LoadBalancerTlsPolicy[] | null = tlsPolicies(),
): Outcome[] {
  // Prepare
  const snap = snapshot({
    lightsail: [region("us-east-1", { loadBalancers: lbs, tlsPolicies: policies })],
  });
  // Act
  return check.evaluate(snap, context());
}

function evaluateLb(
  overrides: Partial<LightsailLoadBalancer>,
  policies?: LoadBalancerTlsPolicy[] | null,
): Outcome {
  const outcomes = evaluateLbs([loadBalancer("wp-lb", overrides)], policies);
  // Assess (shape): one result per HTTPS load balancer
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-lb-tls-policy-current", () => {
  describe("with the policies Lightsail lists", () => {
    it("fails the default TLS-2016-08, naming TLS 1.0 and 1.1 and the policy to switch to", () => {
      const outcome = evaluateLb({ tlsPolicyName: "TLS-2016-08" });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toBe(
        'Load balancer "wp-lb" uses TLS policy TLS-2016-08, which still accepts TLS 1.0 (TLSv1) and TLS 1.1 (TLSv1.1): outdated protocols with known weaknesses. Switch to TLS-FS-1-2-Res-2019-08, which allows only TLS 1.2 or later.',
      );
      expect(outcome.resource.type).toBe("LightsailLoadBalancer");
    });

    it("fails TLS-FS-Res-1-1-2019-08 for TLS 1.1 alone", () => {
      const outcome = evaluateLb({ tlsPolicyName: "TLS-FS-Res-1-1-2019-08" });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("still accepts TLS 1.1 (TLSv1.1):");
      expect(outcome.message).not.toContain("TLS 1.0");
    });

    it("passes TLS-FS-1-2-Res-2019-08 (TLS 1.2 only)", () => {
      const outcome = evaluateLb({ tlsPolicyName: "TLS-FS-1-2-Res-2019-08" });

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toBe(
        'Load balancer "wp-lb" uses TLS policy TLS-FS-1-2-Res-2019-08, which accepts only TLSv1.2.',
      );
    });

    it("applies Lightsail's default TLS-2016-08 when the load balancer reports no policy, and says so", () => {
      const outcome = evaluateLb({ tlsPolicyName: undefined });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        "TLS policy TLS-2016-08 (it reports none, so Lightsail's default applies)",
      );
    });
  });

  describe("decides from the collected policies, not from names", () => {
    it("passes a policy named TLS-2016-08 if the region lists it with TLS 1.2 only", () => {
      const outcome = evaluateLb({ tlsPolicyName: "TLS-2016-08" }, [
        { name: "TLS-2016-08", isDefault: true, protocols: ["TLSv1.2"] },
      ]);

      expect(outcome.status).toBe("PASS");
    });

    it.each([["TLSv1.0"], ["SSLv3"], ["Protocol-TLSv1"], ["tlsv1.1"]])(
      "reads the legacy protocol spelled %s",
      (legacy) => {
        const outcome = evaluateLb({ tlsPolicyName: "P" }, [
          { name: "P", isDefault: false, protocols: [legacy, "TLSv1.2"] },
        ]);

        expect(outcome.status).toBe("FAIL");
      },
    );

    it("passes TLS 1.3 alongside 1.2", () => {
      const outcome = evaluateLb({ tlsPolicyName: "P" }, [
        { name: "P", isDefault: false, protocols: ["TLSv1.2", "TLSv1.3"] },
      ]);

      expect(outcome.status).toBe("PASS");
    });

    it("suggests no policy when none in the region is TLS 1.2-only", () => {
      const outcome = evaluateLb({ tlsPolicyName: "TLS-2016-08" }, [
        tlsPolicies()[0] as LoadBalancerTlsPolicy,
      ]);

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).not.toContain("Switch to");
    });
  });

  describe("only load balancers with HTTPS", () => {
    it("emits nothing for a plain-HTTP load balancer (lightsail-lb-https-enabled reports it)", () => {
      expect(
        evaluateLbs([loadBalancer("plain", { protocol: "HTTP", tlsPolicyName: undefined })]),
      ).toEqual([]);
    });

    it("emits nothing for it even when the policies could not be read", () => {
      expect(evaluateLbs([loadBalancer("plain", { protocol: "HTTP" })], null)).toEqual([]);
    });
  });

  describe("missing data is an ERROR", () => {
    it("when the region's TLS policies could not be read, quoting the failure", () => {
      const snap = snapshot({
        lightsail: [
          region("us-east-1", { loadBalancers: [loadBalancer("wp-lb")], tlsPolicies: null }),
        ],
        failures: [
          {
            source: "lightsail",
            region: "us-east-1",
            operation: "GetLoadBalancerTlsPolicies",
            errorName: "ThrottlingException",
            message: "Rate exceeded",
          },
        ],
      });

      const [outcome] = check.evaluate(snap, context());

      expect(outcome?.status).toBe("ERROR");
      expect(outcome?.message).toContain("(ThrottlingException: Rate exceeded)");
      expect(outcome?.resource.name).toBe("wp-lb");
    });

    it("when the load balancer's policy is not in the list", () => {
      const outcome = evaluateLb({ tlsPolicyName: "TLS-2030-01" });

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain("not among the policies Lightsail lists in us-east-1");
    });

    it("when the policy lists no protocols, or only ones it cannot read", () => {
      expect(
        evaluateLb({ tlsPolicyName: "P" }, [{ name: "P", isDefault: false, protocols: [] }]).status,
      ).toBe("ERROR");
      const unreadable = evaluateLb({ tlsPolicyName: "P" }, [
        { name: "P", isDefault: false, protocols: ["TLSv1.2", "QUIC"] },
      ]);
      expect(unreadable.status).toBe("ERROR");
      expect(unreadable.message).toContain('"QUIC"');
    });

    it("but a legacy protocol next to an unreadable one still FAILs", () => {
      const outcome = evaluateLb({ tlsPolicyName: "P" }, [
        { name: "P", isDefault: false, protocols: ["TLSv1", "QUIC"] },
      ]);

      expect(outcome.status).toBe("FAIL");
    });

    it("when the region's load balancers could not be listed", () => {
      const [outcome] = check.evaluate(withLoadBalancers(null), context());

      expect(outcome?.status).toBe("ERROR");
      expect(outcome?.resource.type).toBe("LightsailRegion");
    });
  });
});
