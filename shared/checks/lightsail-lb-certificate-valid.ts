/**
 * One result per load balancer with an attached certificate: FAIL unless that certificate is
 * ISSUED and `notAfter` is more than 30 days after `ctx.now` (30 days or fewer fails). Each
 * non-ISSUED status (PENDING_VALIDATION, FAILED, VALIDATION_TIMED_OUT, EXPIRED, REVOKED, INACTIVE)
 * is explained with its next step (lib/certificate.ts); UNKNOWN or a missing expiry date is an ERROR.
 *
 * Deliberate choice: a load balancer with no attached certificate gets no result here;
 * `lightsail-lb-https-enabled` already FAILs it. ERROR when the region's load balancers, or a load
 * balancer's certificates (GetLoadBalancerTlsCertificates), could not be read.
 */
import type { AccountSnapshot, LightsailLoadBalancer, Outcome } from "../model";
import { defineCheck } from "../model";
import { judgeCertificate } from "./lib/certificate";
import { eachLoadBalancer, lbCertificatesMissing, loadBalancerRef } from "./lib/resources";

function evaluateLoadBalancer(
  snapshot: AccountSnapshot,
  lb: LightsailLoadBalancer,
  now: number,
): Outcome[] {
  const resource = loadBalancerRef(lb);
  if (lb.certificates === null) {
    return [lbCertificatesMissing(snapshot, lb, "whether its certificate is valid is unknown")];
  }
  const attached = lb.certificates.filter((c) => c.isAttached);
  if (attached.length === 0) return []; // No HTTPS certificate: lightsail-lb-https-enabled reports it.

  const judged = attached.map((cert) => ({ cert, ...judgeCertificate(cert, now) }));
  const say = ({ cert, detail }: (typeof judged)[number]) =>
    `certificate "${cert.name}"${cert.domainName ? ` (${cert.domainName})` : ""}, which ${detail}`;
  const invalid = judged.filter((j) => j.verdict === "invalid");
  if (invalid.length > 0) {
    return [
      {
        status: "FAIL",
        resource,
        message: `Load balancer "${lb.name}" serves HTTPS with ${invalid.map(say).join("; and ")}.`,
      },
    ];
  }
  const unknown = judged.filter((j) => j.verdict === "unknown");
  if (unknown.length > 0) {
    return [
      {
        status: "ERROR",
        resource,
        message: `Whether load balancer "${lb.name}" has a valid certificate is unknown: its attached ${unknown.map(say).join("; and ")}.`,
      },
    ];
  }
  return [
    {
      status: "PASS",
      resource,
      message: `Load balancer "${lb.name}" serves HTTPS with ${judged.map(say).join("; and ")}.`,
    },
  ];
}

export default defineCheck({
  id: "lightsail-lb-certificate-valid",
  title: "Load balancer certificate is valid and not about to expire",
  severity: "high",
  risk:
    "When the load balancer's certificate is not issued, has expired or is about to, browsers show a full-page security warning and most visitors leave; an HTTPS-only site simply goes down. " +
    "Lightsail renews certificates automatically only while their DNS validation records stay in place.",
  remediation: {
    summary:
      "Make sure the attached certificate is ISSUED and renewing: keep its DNS CNAME validation records in place, or create a new certificate, validate it with DNS CNAME records and attach it.",
    steps: [
      "In the Lightsail console open Networking > <load-balancer-name> > Inbound traffic and look at the certificate's status.",
      "If it is waiting for validation or close to expiry: open the certificate, copy each CNAME record (name and value) it shows, and add or restore them in the DNS zone of the domain (Lightsail DNS or your registrar). Validation and renewal follow once AWS sees them.",
      "If it FAILED, timed out, expired or was revoked: choose Create certificate, enter the same domains, add the CNAME records it shows to DNS, wait for Valid (ISSUED), then choose it and attach it.",
      "Keep the CNAME validation records in DNS for as long as the certificate is in use: automatic renewal needs them.",
    ],
    cli:
      "aws lightsail get-load-balancer-tls-certificates --region <region> --load-balancer-name <load-balancer-name>   # status, notAfter and domainValidationRecords (the CNAMEs to add); for a new one: " +
      "aws lightsail create-load-balancer-tls-certificate --region <region> --load-balancer-name <load-balancer-name> --certificate-name <new-certificate-name> --certificate-domain-name <example.com> && " +
      "aws lightsail attach-load-balancer-tls-certificate --region <region> --load-balancer-name <load-balancer-name> --certificate-name <new-certificate-name>   # attach once it is ISSUED",
    console: "Lightsail > Networking > <load-balancer-name> > Inbound traffic > Certificates",
  },
  reads: ["loadBalancers"],
  evaluate(snapshot, ctx): Outcome[] {
    const now = Date.parse(ctx.now);
    if (Number.isNaN(now)) throw new Error(`ctx.now is not an ISO date: "${ctx.now}"`);
    return eachLoadBalancer(snapshot, "whether their certificates are valid is unknown", (lb) =>
      evaluateLoadBalancer(snapshot, lb, now),
    );
  },
});
