import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-distribution-https";
import type { LightsailCertificate, LightsailDistribution, Outcome } from "../../../shared/model";
import { context, distribution, lightsailCertificate, NOW, snapshot } from "../../helpers/snapshot";

const daysAfterNow = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

function evaluateAll(
  distributions: LightsailDistribution[] | null,
  certificates: LightsailCertificate[] | null = [lightsailCertificate()],
): Outcome[] {
  // Prepare
  const snap = snapshot({ distributions, certificates });
  // Act
  return check.evaluate(snap, context());
}

function evaluateOne(
  overrides: Partial<LightsailDistribution>,
  certificates?: LightsailCertificate[] | null,
): Outcome {
  const outcomes = evaluateAll([distribution("blog-cdn", overrides)], certificates);
  // Assess (shape): one result per distribution
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as Outcome;
}

/** A distribution on its *.cloudfront.net domain only: no custom domain, no certificate. */
const defaultDomainOnly = { alternativeDomainNames: [], certificateName: undefined };

describe("lightsail-distribution-https", () => {
  describe("custom domains", () => {
    it("passes a custom domain with an ISSUED certificate and TLS 1.2, saying so", () => {
      const outcome = evaluateOne({});

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toBe(
        'Distribution "blog-cdn" serves www.example.com with certificate "example-com-cdn", which is ISSUED and valid until 2027-06-01 00:00 UTC, in 304 days, and requires TLS 1.2 or later (TLSv1.2_2021).',
      );
      expect(outcome.resource).toEqual({
        type: "LightsailDistribution",
        name: "blog-cdn",
        arn: "arn:aws:lightsail:us-east-1:123456789012:Distribution/blog-cdn-0000-4000-8000-000000000000",
        region: "us-east-1",
      });
    });

    it("fails custom domains without a certificate", () => {
      const outcome = evaluateOne({
        alternativeDomainNames: ["www.example.com", "example.com"],
        certificateName: undefined,
      });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        "it serves www.example.com and example.com but has no certificate",
      );
    });

    it("fails a certificate still waiting for DNS validation, with the CNAME step", () => {
      const outcome = evaluateOne({}, [
        lightsailCertificate("example-com-cdn", { status: "PENDING_VALIDATION" }),
      ]);

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        'its certificate "example-com-cdn" (www.example.com) is waiting for DNS validation',
      );
      expect(outcome.message).toContain("CNAME");
    });

    it("fails a certificate expiring in 29 days and passes one expiring in 31", () => {
      const soon = evaluateOne({}, [
        lightsailCertificate("example-com-cdn", { notAfter: daysAfterNow(29) }),
      ]);
      const later = evaluateOne({}, [
        lightsailCertificate("example-com-cdn", { notAfter: daysAfterNow(31) }),
      ]);

      expect(soon.status).toBe("FAIL");
      expect(soon.message).toContain("in 29 days");
      expect(later.status).toBe("PASS");
    });

    it("finds the certificate by name among several", () => {
      const outcome = evaluateOne({ certificateName: "b" }, [
        lightsailCertificate("a", { status: "EXPIRED" }),
        lightsailCertificate("b"),
      ]);

      expect(outcome.status).toBe("PASS");
    });
  });

  describe("the default *.cloudfront.net domain only", () => {
    it("passes on certificate grounds: HTTPS is always on there", () => {
      const outcome = evaluateOne(defaultDomainOnly);

      expect(outcome.status).toBe("PASS");
      expect(outcome.message).toBe(
        'Distribution "blog-cdn" serves only its default domain d1a2b3c4d5e6f7.cloudfront.net, where HTTPS is always on, and requires TLS 1.2 or later (TLSv1.2_2021).',
      );
    });

    it("still fails on a minimum TLS version below 1.2", () => {
      const outcome = evaluateOne({
        ...defaultDomainOnly,
        viewerMinimumTlsProtocolVersion: "TLSv1.1_2016",
      });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(
        "accepts visitors over TLS 1.1 (minimum TLS version TLSv1.1_2016)",
      );
      expect(outcome.message).toContain("TLSv1.2_2021");
    });

    it("needs no certificate list: it passes even when the certificates could not be read", () => {
      expect(evaluateOne(defaultDomainOnly, null).status).toBe("PASS");
    });
  });

  describe("minimum TLS version", () => {
    it.each(["TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021"])("passes %s", (version) => {
      expect(evaluateOne({ viewerMinimumTlsProtocolVersion: version }).status).toBe("PASS");
    });

    it.each([
      ["TLSv1.1_2016", "TLS 1.1"],
      ["TLSv1_2016", "TLS 1.0"],
      ["TLSv1", "TLS 1.0"],
      ["SSLv3", "SSL 3.0"],
    ])("fails %s as %s", (version, name) => {
      const outcome = evaluateOne({ viewerMinimumTlsProtocolVersion: version });

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain(`over ${name} (minimum TLS version ${version})`);
    });

    it("names both problems when the certificate and the TLS version are wrong", () => {
      const outcome = evaluateOne({ viewerMinimumTlsProtocolVersion: "TLSv1.1_2016" }, [
        lightsailCertificate("example-com-cdn", { status: "EXPIRED" }),
      ]);

      expect(outcome.status).toBe("FAIL");
      expect(outcome.message).toContain("has expired (EXPIRED)");
      expect(outcome.message).toContain("TLS 1.1");
    });
  });

  describe("missing data is an ERROR", () => {
    it("when the distributions could not be listed: one ERROR, quoting the failure", () => {
      const snap = snapshot({
        distributions: null,
        failures: [
          {
            source: "lightsail",
            region: "us-east-1",
            operation: "GetDistributions",
            errorName: "AccessDeniedException",
            message: "denied",
          },
        ],
      });

      const outcomes = check.evaluate(snap, context());

      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]?.status).toBe("ERROR");
      expect(outcomes[0]?.message).toContain("(AccessDeniedException: denied)");
    });

    it("when the certificates could not be read and a custom domain needs one", () => {
      const outcome = evaluateOne({}, null);

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain(
        'whether its certificate "example-com-cdn" is valid is unknown',
      );
    });

    it("but FAIL wins when the TLS version already fails", () => {
      expect(evaluateOne({ viewerMinimumTlsProtocolVersion: "TLSv1.1_2016" }, null).status).toBe(
        "FAIL",
      );
    });

    it("when its certificate is not among the account's certificates", () => {
      const outcome = evaluateOne({ certificateName: "gone" });

      expect(outcome.status).toBe("ERROR");
      expect(outcome.message).toContain('"gone" is not among');
    });

    it("when the minimum TLS version is missing or unreadable", () => {
      expect(evaluateOne({ viewerMinimumTlsProtocolVersion: undefined }).status).toBe("ERROR");
      expect(evaluateOne({ viewerMinimumTlsProtocolVersion: "modern" }).status).toBe("ERROR");
    });
  });

  it("gives one result per distribution and none when there are none", () => {
    expect(evaluateAll([])).toEqual([]);
    expect(
      evaluateAll([distribution("a"), distribution("b", defaultDomainOnly)]).map(
        (o) => o.resource.name,
      ),
    ).toEqual(["a", "b"]);
  });
});
