/**
 * One result per instance: FAIL when a firewall rule opens a database, file-transfer or
 * remote-administration port (ADMIN_PORTS, TCP) to the whole internet (`0.0.0.0/0` or `::/0`), or
 * opens every port (an All protocols rule, or All TCP 0-65535). IPv4 and IPv6 are separate
 * firewalls and are evaluated separately. The firewall quirks are handled in lib/firewall.ts.
 *
 * Never flagged: HTTP 80 and HTTPS 443 (what a web server is for) and SSH 22, which
 * `lightsail-instance-ssh-not-public` reports; an All protocols rule fails both checks, each for
 * its own ports. UDP rules do not count: every port listed is a TCP service.
 * A rule covering an admin port with no source information at all is an ERROR for that instance
 * (unless the instance already FAILs).
 */
import { defineCheck, type LightsailInstance, type Outcome } from "../model";
import {
  addReach,
  emptyExposure,
  finishExposure,
  isInbound,
  isPrivateAccess,
  isPublic,
  normaliseProtocol,
  type PortExposure,
  portRange,
  publicFamilies,
  ruleReach,
} from "./lib/firewall";
import { eachInstance, instanceRef, joinList } from "./lib/resources";

/**
 * TCP ports that should never face the whole internet on a WordPress server, and why. Restrict
 * them to your own IP, or reach them through an SSH tunnel.
 */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  21: "FTP (passwords travel unencrypted)",
  23: "Telnet (unencrypted remote login)",
  445: "SMB / Windows file sharing",
  1433: "Microsoft SQL Server",
  2082: "cPanel",
  2083: "cPanel (TLS)",
  2086: "WHM",
  2087: "WHM (TLS)",
  2375: "Docker API (unauthenticated: full control of the host)",
  2376: "Docker API (TLS)",
  3306: "MySQL/MariaDB (the WordPress database)",
  3389: "RDP (Windows remote desktop)",
  5432: "PostgreSQL",
  5900: "VNC remote desktop",
  6379: "Redis (no password by default)",
  8080: "alternative HTTP, often admin consoles such as phpMyAdmin or Tomcat",
  8443: "alternative HTTPS, often admin panels such as Plesk",
  8888: "admin panels and development servers",
  9200: "Elasticsearch (no password by default)",
  10000: "Webmin",
  11211: "Memcached (no password)",
  27017: "MongoDB",
};

/** The admin ports in ascending order (the order of `Object.entries(ADMIN_PORTS)`). */
const ADMIN_PORT_LIST = Object.entries(ADMIN_PORTS).map(([port, service]) => ({
  port: Number(port),
  service,
}));

const NOT_COVERED: PortExposure = finishExposure(emptyExposure());

/**
 * Who can reach every port, and each admin port, in one pass over the rules: each rule's protocol,
 * range and sources are read once, not once per port (the same results as `exposure` with
 * `opensEveryPort` and `tcpPortExposure` for each port, at a fraction of the CPU).
 */
export function adminExposure(instance: LightsailInstance) {
  const everything = emptyExposure();
  const byPort = new Map<number, PortExposure>();
  for (const rule of instance.ports) {
    if (!isInbound(rule) || isPrivateAccess(rule)) continue;
    const protocol = normaliseProtocol(rule.protocol);
    if (protocol !== "tcp" && protocol !== "all") continue; // Every admin port is a TCP service.
    const { from, to } = portRange(rule);
    const every = from === 0 && to === 65535;
    const covered = ADMIN_PORT_LIST.filter(({ port }) => from <= port && port <= to);
    if (!every && covered.length === 0) continue;
    const reach = ruleReach(rule);
    if (every) addReach(everything, reach);
    for (const { port } of covered) {
      const x = byPort.get(port) ?? emptyExposure();
      byPort.set(port, x);
      addReach(x, reach);
    }
  }
  return {
    everything: finishExposure(everything),
    ports: ADMIN_PORT_LIST.map(({ port, service }) => {
      const x = byPort.get(port);
      return { port, service, x: x ? finishExposure(x) : NOT_COVERED };
    }),
  };
}

/** How a port (or "every port") is exposed, for the message. */
function via(x: PortExposure): string {
  const rules = [...new Set([...x.ipv4Public, ...x.ipv6Public])];
  return `over ${publicFamilies(x)} via ${rules.length === 1 ? "rule" : "rules"} ${joinList(rules)}`;
}

function evaluateInstance(instance: LightsailInstance): Outcome {
  const resource = instanceRef(instance);
  const name = `instance "${instance.name}"`;
  const { everything, ports } = adminExposure(instance);

  const problems: string[] = [];
  if (isPublic(everything)) {
    problems.push(
      `every port, databases and remote administration included, is open to the whole internet ${via(everything)}`,
    );
  }
  // Ports opened by the every-port rule alone are already said; name the others.
  const named = ports.filter(
    ({ x }) =>
      isPublic(x) &&
      [...x.ipv4Public, ...x.ipv6Public].some(
        (label) => !everything.ipv4Public.includes(label) && !everything.ipv6Public.includes(label),
      ),
  );
  if (named.length > 0) {
    const list = named.map(({ port, service, x }) => `TCP ${port}, ${service}, ${via(x)}`);
    problems.push(
      `${named.length === 1 ? "an admin port is" : "admin ports are"} open to the whole internet: ${list.join("; ")}`,
    );
  }
  if (problems.length > 0) {
    return {
      status: "FAIL",
      resource,
      message: `On ${name}, ${problems.join(". Also, ")}.`,
    };
  }

  const unknown = [...new Set(ports.flatMap(({ x }) => x.unknownSources))];
  if (unknown.length > 0 || everything.unknownSources.length > 0) {
    const labels = [...new Set([...unknown, ...everything.unknownSources])];
    return {
      status: "ERROR",
      resource,
      message: `The firewall of ${name} has ${labels.length === 1 ? "rule" : "rules"} ${joinList(labels)} covering database or admin ports, but the API response says nothing about who ${labels.length === 1 ? "it admits" : "they admit"} (no cidrs, ipv6Cidrs, cidrListAliases or accessFrom), so whether they are public is unknown.`,
    };
  }
  const restricted = ports.filter(({ x }) => x.coveringRules.length > 0).map(({ port }) => port);
  if (restricted.length === 0) {
    return {
      status: "PASS",
      resource,
      message: `The firewall of ${name} opens no database, file-transfer or remote-admin port to the internet.`,
    };
  }
  const shown = restricted.slice(0, 5).join(", ");
  const more = restricted.length > 5 ? ` and ${restricted.length - 5} more` : "";
  return {
    status: "PASS",
    resource,
    message: `The firewall of ${name} opens database/admin ports (TCP ${shown}${more}) only to specific addresses, not to the whole internet.`,
  };
}

export default defineCheck({
  id: "lightsail-instance-admin-ports-not-public",
  title: "Database and admin ports are not open to the whole internet",
  severity: "high",
  cis: ["CIS AWS Compute Services v1.0.0 3.3", "CIS AWS Compute Services v1.0.0 3.5"],
  risk:
    "Databases (MySQL 3306), remote desktops (RDP 3389), FTP and admin panels open to everyone are found by scanners within minutes and attacked with password guessing and known exploits; one weak password or unpatched service gives away the site's data or the whole server. " +
    "Visitors only need HTTP (80) and HTTPS (443).",
  remediation: {
    summary:
      "Delete the firewall rules that open database, FTP, remote-desktop or admin-panel ports (or every port) to anyone, and re-add only what you need, restricted to your own IP address; leave HTTP (80) and HTTPS (443) open.",
    steps: [
      "In the Lightsail console open Instances > <instance-name> > Networking.",
      "In the IPv4 firewall, find each rule for a port named in the finding (or an All protocols / All TCP rule) and either delete it or edit it: tick Restrict to IP address and enter your own public IP address. Save.",
      "Do the same in the IPv6 firewall (delete the rule if you never connect over IPv6).",
      "If you deleted an All protocols or All TCP rule, add back only what the site needs: HTTP (80) and HTTPS (443) from anywhere, and SSH (22) from your IP address.",
      "To reach the database or an admin panel, prefer an SSH tunnel (ssh -L 3306:localhost:3306 bitnami@<instance-ip>) over opening its port.",
    ],
    cli:
      "aws lightsail close-instance-public-ports --region <region> --instance-name <instance-name> " +
      `--port-info '{"fromPort":<port>,"toPort":<port>,"protocol":"tcp","cidrs":["0.0.0.0/0"],"ipv6Cidrs":["::/0"]}' && ` +
      "aws lightsail open-instance-public-ports --region <region> --instance-name <instance-name> " +
      `--port-info '{"fromPort":<port>,"toPort":<port>,"protocol":"tcp","cidrs":["<your-ip-address>/32"],"ipv6Cidrs":[],"cidrListAliases":[]}'   ` +
      '# for an All protocols rule, close it with "fromPort":0,"toPort":65535,"protocol":"all", then re-open 80 and 443 to anyone',
    console: "Lightsail > Instances > <instance-name> > Networking > IPv4 firewall / IPv6 firewall",
  },
  reads: ["instances"],
  evaluate(snapshot): Outcome[] {
    return eachInstance(
      snapshot,
      "whether their database and admin ports are open to the internet is unknown",
      evaluateInstance,
    );
  },
});
