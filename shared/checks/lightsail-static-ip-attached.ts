/**
 * One result per static IP (GetStaticIps, every region): PASS when it is attached to an instance
 * (`isAttached` true, or no `isAttached` but an `attachedTo` name), FAIL when `isAttached` is
 * false. ERROR when the static IPs of a region could not be listed, or when an entry says neither
 * (botocore lightsail 2016-11-28 marks every `StaticIp` member optional).
 */
import { defineCheck, type LightsailStaticIp, type Outcome } from "../model";
import { regionDataMissing, staticIpRef } from "./lib/resources";

function evaluateStaticIp(ip: LightsailStaticIp): Outcome {
  const resource = staticIpRef(ip);
  const address = ip.ipAddress ? ` (${ip.ipAddress})` : "";
  const name = `Static IP "${ip.name}"${address}`;
  const attachedTo = ip.attachedTo?.trim() ?? "";
  if (ip.isAttached === true || (ip.isAttached === undefined && attachedTo !== "")) {
    return {
      status: "PASS",
      resource,
      message: `${name} is attached to ${attachedTo ? `instance "${attachedTo}"` : "an instance"}.`,
    };
  }
  if (ip.isAttached === false) {
    return {
      status: "FAIL",
      resource,
      message: `${name} is not attached to any instance: it is billed while unused, and a DNS record that still points at it sends visitors nowhere (see lightsail-dns-no-dangling-records). Attach it to the site's instance or release it.`,
    };
  }
  return {
    status: "ERROR",
    resource,
    message: `GetStaticIps did not say whether static IP "${ip.name}"${address} is attached (no isAttached, no attachedTo).`,
  };
}

export default defineCheck({
  id: "lightsail-static-ip-attached",
  title: "Static IP is attached to an instance",
  severity: "low",
  risk:
    "A static IP that is attached to nothing is billed by the hour and serves no site. " +
    "It is usually left over from a deleted or replaced instance, and a DNS record that still points at it makes the domain dead, or worse, points visitors wherever the address goes next if it is released.",
  remediation: {
    summary:
      "Attach the static IP to the instance that serves the site, or, if no DNS record points at it any more, release it.",
    steps: [
      "In the Lightsail console open Networking and find the static IP.",
      "If the site's instance should keep this address (DNS records point at it): choose Attach and pick the instance.",
      "Otherwise, first check that no DNS record (Lightsail DNS zones and your registrar's) points at its address, then choose Delete (release) on the static IP.",
    ],
    cli:
      "aws lightsail attach-static-ip --region <region> --static-ip-name <static-ip-name> --instance-name <instance-name>   # or, once no DNS record uses it: " +
      "aws lightsail release-static-ip --region <region> --static-ip-name <static-ip-name>",
    console: "Lightsail > Networking > <static-ip-name>",
  },
  reads: ["staticIps"],
  evaluate(snapshot): Outcome[] {
    return snapshot.lightsail.flatMap((r) =>
      r.staticIps === null
        ? [
            regionDataMissing(
              snapshot,
              r.region,
              "static IPs",
              "StaticIps",
              "whether they are attached is unknown",
            ),
          ]
        : r.staticIps.map(evaluateStaticIp),
    );
  },
});
