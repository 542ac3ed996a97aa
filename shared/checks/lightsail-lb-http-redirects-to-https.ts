/**
 * FAIL when HTTPS is on (protocol HTTP_HTTPS and an attached, ISSUED certificate) but
 * `httpsRedirectionEnabled` is not true, so visitors typing http:// stay on plain HTTP.
 *
 * Deliberate choice: when HTTPS is NOT on, this check emits nothing for that load balancer.
 * `lightsail-lb-https-enabled` already FAILs it, and redirection cannot even be enabled before a
 * certificate is attached; a second finding would only repeat the first. The catch: this check's
 * PASS count is not the number of load balancers.
 * ERROR when the region's load balancers, or an HTTP_HTTPS load balancer's certificates, are null.
 */
import { defineCheck, type Outcome } from "../model";
import { describeCertificate, isHttpAndHttps, servingCertificate } from "./lib/load-balancer";
import { eachLoadBalancer, lbCertificatesMissing, loadBalancerRef } from "./lib/resources";

export default defineCheck({
  id: "lightsail-lb-http-redirects-to-https",
  title: "Load balancer redirects HTTP to HTTPS",
  severity: "medium",
  risk: "Without redirection, visitors who type the address without https:// or follow an old http:// link keep using the unencrypted site, so their logins and cookies can still be read or changed on the way.",
  remediation: {
    summary: "Turn on HTTP to HTTPS redirection on the load balancer.",
    steps: [
      "In the Lightsail console open Networking > <load-balancer-name> > Inbound traffic.",
      "Under HTTPS redirection (available once a valid certificate is attached), switch redirection on.",
      "In WordPress (Settings > General), make sure the WordPress Address and Site Address start with https://.",
    ],
    cli: "aws lightsail update-load-balancer-attribute --region <region> --load-balancer-name <load-balancer-name> --attribute-name HttpsRedirectionEnabled --attribute-value true",
    console: "Lightsail > Networking > <load-balancer-name> > Inbound traffic > HTTPS redirection",
  },
  reads: ["loadBalancers"],
  evaluate(snapshot): Outcome[] {
    return eachLoadBalancer(
      snapshot,
      "whether they redirect HTTP to HTTPS is unknown",
      (lb): Outcome[] => {
        if (!isHttpAndHttps(lb)) return []; // HTTPS is off: lightsail-lb-https-enabled reports it.
        const resource = loadBalancerRef(lb);
        const name = `Load balancer "${lb.name}"`;
        if (lb.certificates === null) {
          return [
            lbCertificatesMissing(
              snapshot,
              lb,
              "whether HTTPS is on, and redirection can apply, is unknown",
            ),
          ];
        }
        const serving = servingCertificate(lb.certificates);
        if (serving === undefined) return []; // HTTPS is off: lightsail-lb-https-enabled reports it.
        if (lb.httpsRedirectionEnabled === true) {
          return [
            {
              status: "PASS",
              resource,
              message: `${name} serves HTTPS with certificate ${describeCertificate(serving)} and redirects HTTP visitors to HTTPS.`,
            },
          ];
        }
        const state =
          lb.httpsRedirectionEnabled === false
            ? "HTTPS redirection is off"
            : "HTTPS redirection is not reported as enabled";
        return [
          {
            status: "FAIL",
            resource,
            message: `${name} serves HTTPS, but ${state}: visitors arriving over http:// stay on the unencrypted site.`,
          },
        ];
      },
    );
  },
});
