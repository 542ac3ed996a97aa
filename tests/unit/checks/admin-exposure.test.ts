/**
 * The admin-ports check reads each rule once (`adminExposure`); the slow way, kept in
 * lib/firewall.ts, asks `exposure` once for every port and once for "every port". On random
 * firewalls full of the API's quirks both must say exactly the same thing.
 */
import { describe, expect, it } from "vitest";
import { exposure, opensEveryPort, tcpPortExposure } from "../../../shared/checks/lib/firewall";
import {
  ADMIN_PORTS,
  adminExposure,
} from "../../../shared/checks/lightsail-instance-admin-ports-not-public";
import type { PortRule } from "../../../shared/model";
import { seededRandom } from "../../fake-aws/random";
import { instance } from "../../helpers/snapshot";

const random = seededRandom(11);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const maybe = <T>(value: T): T | undefined => (random() < 0.8 ? value : undefined);

const PORTS = [0, 20, 21, 22, 23, 80, 443, 445, 3306, 3389, 8080, 10000, 27017, 65535, -1];
const IPV4 = ["0.0.0.0/0", "203.0.113.7/32", "10.0.0.0/8"];
const IPV6 = ["::/0", "::0/0", "2001:db8::/32"];

/** A rule drawn from what the API sends: any field may be missing, values in any case. */
function randomRule(): PortRule {
  const from = pick(PORTS);
  const to = random() < 0.5 ? from : pick(PORTS);
  const some = <T>(items: readonly T[]) => items.filter(() => random() < 0.4);
  return {
    fromPort: maybe(Math.min(from, to)),
    toPort: maybe(Math.max(from, to)),
    protocol: maybe(pick(["tcp", "TCP", "all", "-1", "udp", "icmp", " tcp "])),
    accessType: maybe(pick(["public", "Public", "private"])),
    accessDirection: maybe(pick(["inbound", "Inbound", "outbound"])),
    accessFrom: maybe(pick(["Anywhere (0.0.0.0/0 and ::/0)", "Custom", "Anywhere (::/0)", ""])),
    cidrs: maybe(some(IPV4)),
    ipv6Cidrs: maybe(some(IPV6)),
    cidrListAliases: maybe(some(["lightsail-connect"])),
  };
}

describe("adminExposure", () => {
  it("equals exposure() per admin port and for every port, on 2,000 random firewalls", () => {
    for (let i = 0; i < 2000; i++) {
      // Prepare
      const rules = Array.from({ length: 1 + Math.floor(random() * 6) }, randomRule);
      // Act
      const fast = adminExposure(instance(`wp-${i}`, rules));
      // Assess
      expect(fast.everything).toEqual(exposure(rules, opensEveryPort));
      expect(fast.ports).toEqual(
        Object.entries(ADMIN_PORTS).map(([port, service]) => ({
          port: Number(port),
          service,
          x: tcpPortExposure(rules, Number(port)),
        })),
      );
    }
  });
});
