import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-lb-http-redirects-to-https";
import type { LightsailLoadBalancer } from "../../../shared/model";
import {
  cert,
  context,
  loadBalancer,
  region,
  snapshot,
  withLoadBalancers,
} from "../../helpers/snapshot";

function evaluateLb(overrides: Partial<LightsailLoadBalancer>) {
  // Prepare
  const snap = withLoadBalancers([loadBalancer("wp-lb", overrides)]);
  // Act
  return check.evaluate(snap, context());
}

describe("lightsail-lb-http-redirects-to-https", () => {
  it("passes when HTTPS is on and redirection is enabled", () => {
    const outcomes = evaluateLb({ httpsRedirectionEnabled: true });

    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]?.status).toBe("PASS");
    expect(outcomes[0]?.message).toContain("redirects HTTP visitors to HTTPS");
    expect(outcomes[0]?.resource.type).toBe("LightsailLoadBalancer");
  });

  it("fails when HTTPS is on and redirection is off", () => {
    const outcomes = evaluateLb({ httpsRedirectionEnabled: false });

    expect(outcomes).toEqual([
      expect.objectContaining({
        status: "FAIL",
        message:
          'Load balancer "wp-lb" serves HTTPS, but HTTPS redirection is off: visitors arriving over http:// stay on the unencrypted site.',
      }),
    ]);
  });

  it("fails when HTTPS is on and redirection is not reported", () => {
    const lb = loadBalancer("wp-lb");
    delete lb.httpsRedirectionEnabled;

    const [outcome] = check.evaluate(withLoadBalancers([lb]), context());

    expect(outcome?.status).toBe("FAIL");
    expect(outcome?.message).toContain("not reported as enabled");
  });

  it("accepts the protocol in any case", () => {
    expect(evaluateLb({ protocol: "http_https", httpsRedirectionEnabled: false })[0]?.status).toBe(
      "FAIL",
    );
  });

  describe("emits nothing when HTTPS is not on (lightsail-lb-https-enabled reports it)", () => {
    it("for protocol HTTP", () => {
      expect(evaluateLb({ protocol: "HTTP", httpsRedirectionEnabled: false })).toEqual([]);
    });

    it("for HTTP_HTTPS with only a PENDING_VALIDATION certificate", () => {
      const certificates = [cert("c", { status: "PENDING_VALIDATION" })];

      expect(evaluateLb({ certificates, httpsRedirectionEnabled: false })).toEqual([]);
    });

    it("for HTTP_HTTPS with an ISSUED certificate that is not attached", () => {
      const certificates = [cert("c", { isAttached: false })];

      expect(evaluateLb({ certificates, httpsRedirectionEnabled: false })).toEqual([]);
    });
  });

  describe("missing data is an ERROR", () => {
    it("when an HTTP_HTTPS load balancer's certificates are null", () => {
      const [outcome, ...rest] = evaluateLb({ certificates: null, httpsRedirectionEnabled: true });

      expect(rest).toEqual([]);
      expect(outcome?.status).toBe("ERROR");
    });

    it("but not for protocol HTTP with null certificates (nothing to say)", () => {
      expect(evaluateLb({ protocol: "HTTP", certificates: null })).toEqual([]);
    });

    it("one per region whose load balancers are null", () => {
      const snap = snapshot({ lightsail: [region("ap-south-1", { loadBalancers: null })] });

      const outcomes = check.evaluate(snap, context());

      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]?.status).toBe("ERROR");
      expect(outcomes[0]?.resource).toEqual({
        type: "LightsailRegion",
        name: "ap-south-1",
        arn: "",
        region: "ap-south-1",
      });
    });
  });
});
