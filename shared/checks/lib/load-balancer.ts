/** Load-balancer HTTPS facts shared by the two LB checks (aws-api-facts.md §2). */
import type { LightsailLoadBalancer, LoadBalancerCertificate } from "../../model";

/** Protocol `HTTP` (any case): the LB listens on port 80 only. */
export function isPlainHttp(lb: LightsailLoadBalancer): boolean {
  return lb.protocol?.trim().toUpperCase() === "HTTP";
}

/** Protocol `HTTP_HTTPS` (any case): port 443 is configured. */
export function isHttpAndHttps(lb: LightsailLoadBalancer): boolean {
  return lb.protocol?.trim().toUpperCase() === "HTTP_HTTPS";
}

export function isIssued(cert: LoadBalancerCertificate): boolean {
  return cert.status?.trim().toUpperCase() === "ISSUED";
}

/** The certificate actually serving HTTPS: attached and ISSUED. */
export function servingCertificate(
  certs: readonly LoadBalancerCertificate[],
): LoadBalancerCertificate | undefined {
  return certs.find((c) => c.isAttached && isIssued(c));
}

/** ISSUED certificates that are not attached: attaching one is the whole fix. */
export function issuedButUnattached(
  certs: readonly LoadBalancerCertificate[],
): LoadBalancerCertificate[] {
  return certs.filter((c) => !c.isAttached && isIssued(c));
}

/** `"example-com" (example.com, ISSUED)` */
export function describeCertificate(cert: LoadBalancerCertificate): string {
  const facts = [cert.domainName, cert.status ?? "status unknown"].filter(Boolean);
  return `"${cert.name}" (${facts.join(", ")})`;
}
