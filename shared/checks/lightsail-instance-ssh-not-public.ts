/**
 * One result per instance: FAIL when a firewall rule admits TCP 22 from the whole internet
 * (`0.0.0.0/0` or `::/0`). IPv4 and IPv6 are separate firewalls and are evaluated separately.
 * Only port 22 matters: HTTP/HTTPS (80/443) being open is what a web server is for.
 * Quirks handled in lib/firewall.ts: protocol "-1"/"all" any case, lower-case accessType, merged
 * IPv4+IPv6 entries, missing `cidrs`/`ipv6Cidrs` (read `accessFrom`), the lightsail-connect alias.
 * A rule covering 22 with no source information at all is an ERROR for that instance (unless
 * another rule already proves it public).
 */
import { defineCheck, type Outcome } from "../model";
import { tcpPortExposure } from "./lib/firewall";
import { eachInstance, instanceRef, joinList } from "./lib/resources";

const SSH_PORT = 22;

function rules(labels: readonly string[]): string {
  return `${labels.length === 1 ? "rule" : "rules"} ${joinList(labels)}`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function describeSource(source: string): string {
  return source === "lightsail-connect"
    ? "lightsail-connect (the Lightsail browser SSH console)"
    : source;
}

export default defineCheck({
  id: "lightsail-instance-ssh-not-public",
  title: "SSH is not open to the whole internet",
  severity: "high",
  cis: ["CIS AWS Compute Services v1.0.0 3.3", "CIS AWS Compute Services v1.0.0 3.4"],
  risk:
    "With SSH (TCP 22) open to everyone, bots around the world try to log in to the server all day; one leaked key or weak password gives them the server and the WordPress site on it. " +
    "Restricting SSH to your own IP address removes that exposure without affecting visitors, who only need ports 80 and 443.",
  remediation: {
    summary:
      "Restrict the SSH rule to your own IP address and keep the lightsail-connect alias so the browser SSH console still works; leave HTTP (80) and HTTPS (443) open.",
    steps: [
      "In the Lightsail console open Instances > <instance-name> > Networking.",
      "In the IPv4 firewall, edit the SSH (TCP 22) rule: tick Restrict to IP address, enter your own public IP address, and keep Allow Lightsail browser SSH/RDP ticked. Save.",
      "In the IPv6 firewall, edit or delete the SSH rule the same way (delete it if you never connect over IPv6).",
      "If SSH is open through an All protocols or All TCP rule, delete that rule and add back only the ports the site needs (HTTP 80 and HTTPS 443 from anywhere, SSH 22 from your IP).",
      "Do not touch the HTTP and HTTPS rules: visitors need them.",
    ],
    cli:
      "aws lightsail close-instance-public-ports --region <region> --instance-name <instance-name> " +
      `--port-info '{"fromPort":22,"toPort":22,"protocol":"tcp","cidrs":["0.0.0.0/0"],"ipv6Cidrs":["::/0"]}' && ` +
      "aws lightsail open-instance-public-ports --region <region> --instance-name <instance-name> " +
      `--port-info '{"fromPort":22,"toPort":22,"protocol":"tcp","cidrs":["<your-ip-address>/32"],"ipv6Cidrs":[],"cidrListAliases":["lightsail-connect"]}'`,
    console: "Lightsail > Instances > <instance-name> > Networking > IPv4 firewall / IPv6 firewall",
  },
  reads: ["instances"],
  evaluate(snapshot): Outcome[] {
    return eachInstance(
      snapshot,
      "whether their SSH port is open to the internet is unknown",
      (instance): Outcome => {
        const resource = instanceRef(instance);
        const name = `instance "${instance.name}"`;
        const x = tcpPortExposure(instance.ports, SSH_PORT);

        if (x.ipv4Public.length > 0 || x.ipv6Public.length > 0) {
          let how: string;
          if (x.ipv4Public.length > 0 && x.ipv6Public.length > 0) {
            how = sameSet(x.ipv4Public, x.ipv6Public)
              ? `over both IPv4 (0.0.0.0/0) and IPv6 (::/0) via ${rules(x.ipv4Public)}`
              : `over IPv4 (0.0.0.0/0) via ${rules(x.ipv4Public)} and over IPv6 (::/0) via ${rules(x.ipv6Public)}`;
          } else if (x.ipv4Public.length > 0) {
            how = `over IPv4 (0.0.0.0/0) via ${rules(x.ipv4Public)}`;
          } else {
            how = `over IPv6 (::/0) via ${rules(x.ipv6Public)}`;
          }
          return {
            status: "FAIL",
            resource,
            message: `SSH (TCP 22) on ${name} is open to the whole internet ${how}.`,
          };
        }
        if (x.unknownSources.length > 0) {
          return {
            status: "ERROR",
            resource,
            message: `The firewall of ${name} has ${rules(x.unknownSources)} covering SSH (TCP 22), but the API response says nothing about who it admits (no cidrs, ipv6Cidrs, cidrListAliases or accessFrom), so whether SSH is public is unknown.`,
          };
        }
        if (x.coveringRules.length === 0) {
          return {
            status: "PASS",
            resource,
            message: `The firewall of ${name} has no rule that opens SSH (TCP 22) to the internet.`,
          };
        }
        if (x.restrictedSources.length === 0) {
          return {
            status: "PASS",
            resource,
            message: `SSH (TCP 22) on ${name} is covered by ${rules(x.coveringRules)}, which admit no source address, so it is not open to the internet.`,
          };
        }
        return {
          status: "PASS",
          resource,
          message: `SSH (TCP 22) on ${name} is open only to ${joinList(x.restrictedSources.map(describeSource))}, not to the whole internet.`,
        };
      },
    );
  },
});
