import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-lb-certificate-valid";
import type { LoadBalancerCertificate, Outcome } from "../../../shared/model";
import {
  cert,
  context,
  loadBalancer,
  NOW,
  region,
  snapshot,
  withLoadBalancers,
} from "../../helpers/snapshot";

const daysAfterNow = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

function evaluateCertificates(certificates: LoadBalancerCertificate[] | null): Outcome[] {
  // Prepare
  const snap = withLoadBalancers([loadBalancer("wp-lb", { certificates })]);
  // Act
  return check.evaluate(snap, context());
}

function evaluateOne(overrides: Partial<LoadBalancerCertificate>): Outcome {
  const outcomes = evaluateCertificates([cert("example-com", overrides)]);
  // Assess (shape): one result per load balancer with an attached certificate
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

describe("lightsail-lb-certificate-valid", () => {
  describe("expiry, measured from ctx.now", () => {
    it("passes an ISSUED certificate expiring in 31 days, saying until when", () => {
      const outcome = evaluateOne({ notAfter: daysAfterNow(31) });

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toBe(
        'Load balancer "wp-lb" serves HTTPS with certificate "example-com" (example.com), which is ISSUED and valid until 2026-09-01 12:00 UTC, in 31 days.',
      );
      expect(outcome.resource.type).toBe("LightsailLoadBalancer");
    });

    it("fails one expiring in 29 days and says to check the DNS CNAME records renewal needs", () => {
      const outcome = evaluateOne({ notAfter: daysAfterNow(29) });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("expires on 2026-08-30 12:00 UTC, in 29 days");
      expect(outcome.message).toContain("DNS CNAME validation records");
    });

    it("fails one expiring in exactly 30 days (the boundary is inclusive)", () => {
      expect(evaluateOne({ notAfter: daysAfterNow(30) }).status).toBe("FAIL");
    });

    it("fails an ISSUED certificate whose notAfter has passed, as expired", () => {
      const outcome = evaluateOne({ notAfter: daysAfterNow(-2) });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("expired on 2026-07-30 12:00 UTC");
    });

    it("uses ctx.now, not the clock: the same certificate passes earlier", () => {
      const snap = withLoadBalancers([
        loadBalancer("wp-lb", { certificates: [cert("c", { notAfter: daysAfterNow(29) })] }),
      ]);

      const [early] = check.evaluate(snap, context({ now: daysAfterNow(-10) }));

      expect(early?.status).toBe("PASS");
    });
  });

  describe("status", () => {
    it.each([
      ["PENDING_VALIDATION", "is waiting for DNS validation"],
      ["FAILED", "could not be issued"],
      ["VALIDATION_TIMED_OUT", "was never validated"],
      ["EXPIRED", "has expired"],
      ["REVOKED", "has been revoked"],
      ["INACTIVE", "is inactive"],
    ])("fails an attached %s certificate, explaining it and the CNAME step", (status, meaning) => {
      const outcome = evaluateOne({ status });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        `"example-com" (example.com), which ${meaning} (${status})`,
      );
      expect(outcome.message).toContain("CNAME");
    });

    it("compares the status case-insensitively", () => {
      expect(evaluateOne({ status: "issued" }).status).toBe("PASS");
    });

    it("is an ERROR for status UNKNOWN or no status", () => {
      expect(evaluateOne({ status: "UNKNOWN" }).status).toBe("ERROR");
      expect(evaluateOne({ status: undefined }).status).toBe("ERROR");
    });

    it("is an ERROR for an ISSUED certificate without notAfter", () => {
      const outcome = evaluateOne({ notAfter: undefined });

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain("no readable expiry date");
    });
  });

  describe("which certificate", () => {
    it("judges the attached certificate only, not an unattached one", () => {
      const outcomes = evaluateCertificates([
        cert("old", { isAttached: false, status: "EXPIRED" }),
        cert("current", { notAfter: daysAfterNow(200) }),
      ]);

      expect(outcomes.map((o) => o.status)).toEqual(["PASS"]);
      expect(outcomes[0]?.message).toContain('"current"');
      expect(outcomes[0]?.message).not.toContain('"old"');
    });

    it("emits nothing for a load balancer with no attached certificate (lightsail-lb-https-enabled reports it)", () => {
      expect(evaluateCertificates([cert("c", { isAttached: false })])).toEqual([]);
      expect(evaluateCertificates([])).toEqual([]);
    });
  });

  describe("missing data is an ERROR", () => {
    it("when the load balancer's certificates could not be read, quoting the failure", () => {
      const snap = snapshot({
        lightsail: [
          region("us-east-1", { loadBalancers: [loadBalancer("wp-lb", { certificates: null })] }),
        ],
        failures: [
          {
            source: "lightsail",
            region: "us-east-1",
            operation: "GetLoadBalancerTlsCertificates",
            errorName: "ServiceException",
            message: "boom",
            resource: "wp-lb",
          },
        ],
      });

      const [outcome] = check.evaluate(snap, context());

      expect(outcome?.status).toBe("ERROR");
      expect(outcome?.message).toContain("(ServiceException: boom)");
    });

    it("when the region's load balancers could not be listed", () => {
      const [outcome] = check.evaluate(withLoadBalancers(null), context());

      expect(outcome?.status).toBe("ERROR");
      expect(outcome?.resource.type).toBe("LightsailRegion");
    });
  });
});
