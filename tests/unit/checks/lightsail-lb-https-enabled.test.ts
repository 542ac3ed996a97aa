import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-lb-https-enabled";
import type { LightsailLoadBalancer, Outcome } from "../../../shared/model";
import {
  cert,
  context,
  loadBalancer,
  region,
  snapshot,
  withLoadBalancers,
} from "../../helpers/snapshot";

function evaluateLb(overrides: Partial<LightsailLoadBalancer>): Outcome {
  // Prepare
  const snap = withLoadBalancers([loadBalancer("wp-lb", overrides)]);
  // Act
  const outcomes = check.evaluate(snap, context());
  // Assess (shape): one result per load balancer
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-lb-https-enabled", () => {
  it("passes HTTP_HTTPS with an attached ISSUED certificate, naming it", () => {
    const outcome = evaluateLb({});

    expect(outcome.status).toBe("PASS");
    expect(outcome.message).toBe(
      'Load balancer "wp-lb" serves HTTPS with certificate "example-com" (example.com, ISSUED), which is attached and ISSUED.',
    );
    expect(outcome.resource).toEqual({
      type: "LightsailLoadBalancer",
      name: "wp-lb",
      arn: "arn:aws:lightsail:us-east-1:123456789012:LoadBalancer/wp-lb-0000-4000-8000-000000000000",
      region: "us-east-1",
    });
  });

  it("compares the certificate status case-insensitively", () => {
    expect(evaluateLb({ certificates: [cert("c", { status: "issued" })] }).status).toBe("PASS");
  });

  describe("protocol HTTP", () => {
    it.each(["HTTP", "http"])('fails protocol "%s"', (protocol) => {
      const outcome = evaluateLb({ protocol, certificates: [] });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("serves HTTP only (protocol HTTP, port 80)");
      expect(outcome.message).toContain("It has no certificate");
    });

    it("fails regardless of an attached ISSUED certificate", () => {
      expect(evaluateLb({ protocol: "HTTP", certificates: [cert()] }).status).toBe("FAIL");
    });

    it("fails (not ERROR) even when the certificates could not be read", () => {
      expect(evaluateLb({ protocol: "HTTP", certificates: null }).status).toBe("FAIL");
    });

    it("names an ISSUED but unattached certificate and says to attach it (CLI example LB)", () => {
      const outcome = evaluateLb({
        protocol: "HTTP",
        publicPorts: [80],
        certificates: [cert("example-com", { isAttached: false })],
      });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        'Certificate "example-com" (example.com, ISSUED) is validated but not attached: attach it to turn on HTTPS.',
      );
    });
  });

  describe("no attached ISSUED certificate", () => {
    it("fails an attached PENDING_VALIDATION certificate and points at DNS validation", () => {
      const outcome = evaluateLb({ certificates: [cert("c", { status: "PENDING_VALIDATION" })] });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain('"c" (example.com, PENDING_VALIDATION) is not ISSUED');
      expect(outcome.message).toContain("CNAME");
    });

    it("fails an ISSUED certificate that is not attached, mentioning attach", () => {
      const outcome = evaluateLb({
        certificates: [cert("old", { status: "EXPIRED" }), cert("new", { isAttached: false })],
      });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain('Certificate "new"');
      expect(outcome.message).toContain("attach it");
    });

    it("fails when there is no certificate at all", () => {
      const outcome = evaluateLb({ certificates: [] });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("no certificate");
    });
  });

  describe("missing data is an ERROR", () => {
    it("when the certificates of an HTTP_HTTPS load balancer are null, quoting the failure", () => {
      const snap = snapshot({
        lightsail: [
          region("us-east-1", { loadBalancers: [loadBalancer("wp-lb", { certificates: null })] }),
        ],
        failures: [
          {
            source: "lightsail",
            region: "us-east-1",
            operation: "GetLoadBalancerTlsCertificates",
            errorName: "AccessDeniedException",
            message: "denied",
            resource: "wp-lb",
          },
        ],
      });

      const [outcome] = check.evaluate(snap, context());

      expect(outcome?.status).toBe("ERROR");
      expect(outcome?.message).toContain("(AccessDeniedException: denied)");
    });

    it("when the certificates are null and the protocol is not reported", () => {
      const lb = loadBalancer("wp-lb", { certificates: null });
      delete lb.protocol;

      expect(check.evaluate(withLoadBalancers([lb]), context())[0]?.status).toBe("ERROR");
    });

    it("one per region whose load balancers are null", () => {
      const snap = snapshot({
        lightsail: [region("eu-west-1", { loadBalancers: null }), region("us-east-1")],
      });

      const outcomes = check.evaluate(snap, context());

      expect(outcomes).toEqual([
        {
          status: "ERROR",
          resource: { type: "LightsailRegion", name: "eu-west-1", arn: "", region: "eu-west-1" },
          message: expect.stringContaining("load balancers in eu-west-1"),
        },
      ]);
    });
  });

  it("emits nothing for a region without load balancers", () => {
    expect(check.evaluate(withLoadBalancers([]), context())).toEqual([]);
  });
});
