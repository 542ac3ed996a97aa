/**
 * One result per distribution (CDN). FAIL when any of:
 * - it serves custom domains (`alternativeDomainNames`) but has no certificate (`certificateName`);
 * - its certificate (looked up by name in the us-east-1 Lightsail certificates) is not ISSUED, or
 *   expires within 30 days of `ctx.now` (lib/certificate.ts);
 * - `viewerMinimumTlsProtocolVersion` is below TLS 1.2 (`TLSv1.1_2016`; parsed, not listed).
 * A distribution on its default `*.cloudfront.net` domain only passes on certificate grounds
 * (HTTPS is always on there) but still fails on an old minimum TLS version.
 *
 * ERROR when the distributions could not be listed, or (unless it already FAILs) when what a
 * distribution needs cannot be read: the certificates list, its certificate in it, or a readable
 * minimum TLS version.
 */
import type { AccountSnapshot, LightsailDistribution, Outcome } from "../model";
import { defineCheck } from "../model";
import { judgeCertificate } from "./lib/certificate";
import { distributionRef, failureDetail, joinList, regionRef } from "./lib/resources";
import { isLegacy, parseProtocol, versionName } from "./lib/tls";

interface Findings {
  problems: string[];
  unknowns: string[];
  fine: string[];
}

function judgeTls(d: LightsailDistribution, f: Findings): void {
  const value = d.viewerMinimumTlsProtocolVersion;
  const version = value === undefined ? undefined : parseProtocol(value);
  if (version === undefined) {
    f.unknowns.push(
      value === undefined
        ? "it reports no minimum TLS version (viewerMinimumTlsProtocolVersion)"
        : `its minimum TLS version "${value}" cannot be read`,
    );
  } else if (isLegacy(version)) {
    f.problems.push(
      `it accepts visitors over ${versionName(version)} (minimum TLS version ${value}), an outdated protocol with known weaknesses; set the minimum to TLSv1.2_2021`,
    );
  } else {
    f.fine.push(`requires ${versionName(version)} or later (${value})`);
  }
}

function judgeCertificateOf(
  snapshot: AccountSnapshot,
  d: LightsailDistribution,
  now: number,
  f: Findings,
): void {
  const domains = joinList(d.alternativeDomainNames);
  if (d.alternativeDomainNames.length === 0) {
    f.fine.push(
      `serves only its default domain${d.domainName ? ` ${d.domainName}` : ""}, where HTTPS is always on`,
    );
    return;
  }
  if (d.certificateName === undefined || d.certificateName === "") {
    f.problems.push(
      `it serves ${domains} but has no certificate, so browsers visiting https://${d.alternativeDomainNames[0]} get a certificate error; create a certificate for ${d.alternativeDomainNames.length === 1 ? "that domain" : "those domains"}, validate it with DNS CNAME records and attach it`,
    );
    return;
  }
  const certs = snapshot.certificates;
  if (certs === null) {
    const detail = failureDetail(snapshot, { source: "lightsail", operation: "Certificates" });
    f.unknowns.push(
      `the Lightsail certificates could not be read${detail}, so whether its certificate "${d.certificateName}" is valid is unknown`,
    );
    return;
  }
  const cert = certs.find((c) => c.name === d.certificateName);
  if (cert === undefined) {
    f.unknowns.push(
      `its certificate "${d.certificateName}" is not among the account's Lightsail certificates in us-east-1`,
    );
    return;
  }
  const judged = judgeCertificate(cert, now);
  const what = `its certificate "${cert.name}"${cert.domainName ? ` (${cert.domainName})` : ""} ${judged.detail}`;
  if (judged.verdict === "invalid") f.problems.push(what);
  else if (judged.verdict === "unknown") f.unknowns.push(what);
  else f.fine.push(`serves ${domains} with certificate "${cert.name}", which ${judged.detail}`);
}

function evaluateDistribution(
  snapshot: AccountSnapshot,
  d: LightsailDistribution,
  now: number,
): Outcome {
  const f: Findings = { problems: [], unknowns: [], fine: [] };
  judgeCertificateOf(snapshot, d, now, f);
  judgeTls(d, f);
  const name = `Distribution "${d.name}"`;
  const resource = distributionRef(d);
  if (f.problems.length > 0) {
    const also = f.unknowns.length > 0 ? ` (Also, ${f.unknowns.join("; ")}.)` : "";
    return { status: "FAIL", resource, message: `${name}: ${f.problems.join("; and ")}.${also}` };
  }
  if (f.unknowns.length > 0) {
    return {
      status: "ERROR",
      resource,
      message: `Whether distribution "${d.name}" serves HTTPS safely is unknown: ${f.unknowns.join("; and ")}.`,
    };
  }
  return { status: "PASS", resource, message: `${name} ${f.fine.join(", and ")}.` };
}

export default defineCheck({
  id: "lightsail-distribution-https",
  title: "Distribution serves HTTPS with a valid certificate and TLS 1.2+",
  severity: "high",
  risk:
    "A distribution that answers for your domain without a valid certificate makes browsers show a security warning (or the site go down over HTTPS), and one that still accepts TLS 1.0/1.1 lets visitors' connections fall back to outdated encryption. " +
    "The distribution is what visitors reach, so its HTTPS is the site's HTTPS.",
  remediation: {
    summary:
      "Attach a validated (ISSUED) Lightsail certificate covering the distribution's custom domains, keep its DNS validation records in place so it renews, and set the minimum TLS version to TLSv1.2_2021.",
    steps: [
      "In the Lightsail console open Networking > <distribution-name> > Custom domains.",
      "If there is no valid certificate: choose Create certificate, enter the custom domains, add the CNAME records it shows to the domains' DNS, wait for Valid, then attach it and enable the custom domains.",
      "If the certificate is close to expiry: check that its CNAME validation records are still in DNS (renewal needs them), or create and attach a new one as above.",
      "To require TLS 1.2, run the update-distribution command below with --viewer-minimum-tls-protocol-version TLSv1.2_2021 (leave out --certificate-name if the certificate is fine).",
    ],
    cli:
      "aws lightsail get-certificates --region us-east-1 --include-certificate-details   # status, notAfter and the CNAME records to add; then: " +
      "aws lightsail update-distribution --region us-east-1 --distribution-name <distribution-name> --certificate-name <certificate-name> --viewer-minimum-tls-protocol-version TLSv1.2_2021",
    console: "Lightsail > Networking > <distribution-name> > Custom domains",
  },
  reads: ["distributions", "certificates"],
  evaluate(snapshot, ctx): Outcome[] {
    const now = Date.parse(ctx.now);
    if (Number.isNaN(now)) throw new Error(`ctx.now is not an ISO date: "${ctx.now}"`);
    if (snapshot.distributions === null) {
      const detail = failureDetail(snapshot, { source: "lightsail", operation: "Distributions" });
      return [
        {
          status: "ERROR",
          resource: regionRef("us-east-1"),
          message: `The Lightsail distributions (listed in us-east-1) could not be read${detail}, so whether they serve HTTPS safely is unknown.`,
        },
      ];
    }
    return snapshot.distributions.map((d) => evaluateDistribution(snapshot, d, now));
  },
});
