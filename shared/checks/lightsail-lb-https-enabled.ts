/**
 * One result per load balancer: FAIL when it serves HTTP only, i.e. protocol `HTTP` (always,
 * whatever the certificates say) or no certificate that is both attached and ISSUED. When
 * `certificates` is null (GetLoadBalancerTlsCertificates failed) and the protocol is not plain
 * HTTP, the answer is unknown: ERROR. An ISSUED but unattached certificate is named in the
 * message, because attaching it is the whole fix.
 */
import type { AccountSnapshot, LightsailLoadBalancer, LoadBalancerCertificate } from "../model";
import { defineCheck, type Outcome } from "../model";
import {
  describeCertificate,
  isPlainHttp,
  issuedButUnattached,
  servingCertificate,
} from "./lib/load-balancer";
import {
  eachLoadBalancer,
  joinList,
  lbCertificatesMissing,
  loadBalancerRef,
} from "./lib/resources";

/** What the owner can do next, given the certificates we know of. */
function nextStep(certs: readonly LoadBalancerCertificate[] | null): string {
  if (certs === null) return "";
  const ready = issuedButUnattached(certs);
  if (ready.length > 0) {
    const list = joinList(ready.map(describeCertificate));
    return ` Certificate ${list} is validated but not attached: attach it to turn on HTTPS.`;
  }
  const attached = certs.filter((c) => c.isAttached);
  if (attached.length > 0) {
    return ` The attached certificate ${joinList(attached.map(describeCertificate))} is not ISSUED, so it cannot serve HTTPS; a PENDING_VALIDATION certificate needs its DNS CNAME validation records added.`;
  }
  if (certs.length > 0) {
    return ` Its certificate ${joinList(certs.map(describeCertificate))} is not ISSUED yet: add its DNS CNAME validation records, then attach it.`;
  }
  return " It has no certificate: create one, validate it with DNS CNAME records, then attach it.";
}

function evaluateLoadBalancer(snapshot: AccountSnapshot, lb: LightsailLoadBalancer): Outcome {
  const resource = loadBalancerRef(lb);
  const name = `Load balancer "${lb.name}"`;
  if (isPlainHttp(lb)) {
    return {
      status: "FAIL",
      resource,
      message: `${name} serves HTTP only (protocol HTTP, port 80): visitors' traffic, including WordPress logins, is not encrypted.${nextStep(lb.certificates)}`,
    };
  }
  if (lb.certificates === null) {
    return lbCertificatesMissing(
      snapshot,
      lb,
      `whether it serves HTTPS is unknown (protocol ${lb.protocol ?? "not reported"})`,
    );
  }
  const serving = servingCertificate(lb.certificates);
  if (serving !== undefined) {
    return {
      status: "PASS",
      resource,
      message: `${name} serves HTTPS with certificate ${describeCertificate(serving)}, which is attached and ISSUED.`,
    };
  }
  return {
    status: "FAIL",
    resource,
    message: `${name} has no attached, ISSUED certificate, so it serves HTTP only (protocol ${lb.protocol ?? "not reported"}).${nextStep(lb.certificates)}`,
  };
}

export default defineCheck({
  id: "lightsail-lb-https-enabled",
  title: "Load balancer serves HTTPS",
  severity: "high",
  risk:
    "Over plain HTTP, passwords, cookies and form data travel unencrypted: anyone on the same network (public Wi-Fi, a compromised router) can read or change them, including WordPress admin logins. " +
    "Browsers also mark such sites as Not secure.",
  remediation: {
    summary:
      "Create a TLS certificate for the site's domain on the load balancer, validate it with DNS CNAME records, and attach it.",
    steps: [
      "In the Lightsail console open Networking > <load-balancer-name> > Inbound traffic.",
      "Under Certificates, choose Create certificate and enter the domain (for example example.com and www.example.com).",
      "Add the CNAME records Lightsail shows to your DNS zone and wait until the certificate status is Valid (ISSUED).",
      "Choose the certificate and attach it; the load balancer then listens on HTTPS (443) as well as HTTP (80).",
      "If a validated certificate already exists but is not attached, only the last step is needed.",
    ],
    cli:
      "aws lightsail create-load-balancer-tls-certificate --region <region> --load-balancer-name <load-balancer-name> --certificate-name <certificate-name> --certificate-domain-name <example.com> --certificate-alternative-names <www.example.com> && " +
      "aws lightsail get-load-balancer-tls-certificates --region <region> --load-balancer-name <load-balancer-name>   # add the CNAME records shown, wait for ISSUED, then: " +
      "aws lightsail attach-load-balancer-tls-certificate --region <region> --load-balancer-name <load-balancer-name> --certificate-name <certificate-name>",
    console: "Lightsail > Networking > <load-balancer-name> > Inbound traffic > Certificates",
  },
  reads: ["loadBalancers"],
  evaluate(snapshot): Outcome[] {
    return eachLoadBalancer(snapshot, "whether they serve HTTPS is unknown", (lb) =>
      evaluateLoadBalancer(snapshot, lb),
    );
  },
});
