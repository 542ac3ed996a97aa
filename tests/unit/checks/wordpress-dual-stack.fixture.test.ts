/**
 * Every check over a realistic snapshot built from aws-api-facts.md (the 2023 dual-stack
 * WordPress capture and its variants, the §5.3 credential report, the CLI example load balancers).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../../shared/checks/index";
import type { AccountSnapshot } from "../../../shared/model";
import { context } from "../../helpers/snapshot";

const FIXTURE = new URL("../../fixtures/snapshots/wordpress-dual-stack.json", import.meta.url);

describe("all checks on the dual-stack WordPress fixture", () => {
  // Prepare
  const snap = JSON.parse(readFileSync(FIXTURE, "utf8")) as AccountSnapshot;
  // Act
  const all = CHECKS.flatMap((check) =>
    check.evaluate(snap, context({ now: "2024-06-03T00:00:00Z" })).map((o) => ({
      check: check.id,
      resource: `${o.resource.type}:${o.resource.name}`,
      status: o.status,
    })),
  );
  // The WordPress checks are judged below: the fixture predates the inventory.
  const results = all.filter((r) => !r.check.startsWith("wordpress-"));

  it("gives every WordPress instance an ERROR for each WordPress check: no SSM node, so no inventory", () => {
    const wordpress = all.filter((r) => r.check.startsWith("wordpress-"));
    const instances = new Set(wordpress.map((r) => r.resource));

    expect(wordpress.every((r) => r.status === "ERROR")).toBe(true);
    expect(wordpress).toHaveLength(7 * instances.size);
  });

  it("gives the expected status for every resource", () => {
    // Assess: computed by hand from the fixture (plain-lb: no attached certificate, plain HTTP,
    // so no certificate or TLS-policy result; no distributions).
    expect(results).toEqual([
      { check: "iam-root-mfa-enabled", resource: "AwsRootUser:<root_account>", status: "PASS" },
      { check: "iam-root-hardware-mfa", resource: "AwsRootUser:<root_account>", status: "FAIL" },
      { check: "iam-root-no-access-keys", resource: "AwsRootUser:<root_account>", status: "PASS" },
      {
        check: "iam-root-not-recently-used",
        resource: "AwsRootUser:<root_account>",
        status: "PASS",
      },
      { check: "iam-admin-group-in-use", resource: "AwsAccount:832698950836", status: "PASS" },
      { check: "iam-user-console-mfa-enabled", resource: "IamUser:example.user", status: "FAIL" },
      { check: "iam-user-console-mfa-enabled", resource: "IamUser:deployer", status: "PASS" },
      {
        check: "lightsail-instance-ssh-not-public",
        resource: "LightsailInstance:test-1",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-ssh-not-public",
        resource: "LightsailInstance:wp-all-traffic",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-ssh-not-public",
        resource: "LightsailInstance:wp-ipv6-ssh",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-ssh-not-public",
        resource: "LightsailInstance:wp-hardened",
        status: "PASS",
      },
      {
        check: "lightsail-instance-ssh-not-public",
        resource: "LightsailInstance:wp-legacy",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-ssh-not-public",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      {
        check: "lightsail-instance-admin-ports-not-public",
        resource: "LightsailInstance:test-1",
        status: "PASS",
      },
      {
        check: "lightsail-instance-admin-ports-not-public",
        resource: "LightsailInstance:wp-all-traffic",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-admin-ports-not-public",
        resource: "LightsailInstance:wp-ipv6-ssh",
        status: "PASS",
      },
      {
        check: "lightsail-instance-admin-ports-not-public",
        resource: "LightsailInstance:wp-hardened",
        status: "PASS",
      },
      {
        check: "lightsail-instance-admin-ports-not-public",
        resource: "LightsailInstance:wp-legacy",
        status: "PASS",
      },
      {
        check: "lightsail-instance-admin-ports-not-public",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      {
        check: "lightsail-instance-https-reachable",
        resource: "LightsailInstance:test-1",
        status: "PASS",
      },
      {
        check: "lightsail-instance-https-reachable",
        resource: "LightsailInstance:wp-all-traffic",
        status: "PASS",
      },
      {
        check: "lightsail-instance-https-reachable",
        resource: "LightsailInstance:wp-ipv6-ssh",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-https-reachable",
        resource: "LightsailInstance:wp-hardened",
        status: "PASS",
      },
      {
        check: "lightsail-instance-https-reachable",
        resource: "LightsailInstance:wp-legacy",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-https-reachable",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      {
        check: "lightsail-instance-auto-snapshots-enabled",
        resource: "LightsailInstance:test-1",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-auto-snapshots-enabled",
        resource: "LightsailInstance:wp-all-traffic",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-auto-snapshots-enabled",
        resource: "LightsailInstance:wp-ipv6-ssh",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-auto-snapshots-enabled",
        resource: "LightsailInstance:wp-hardened",
        status: "PASS",
      },
      {
        check: "lightsail-instance-auto-snapshots-enabled",
        resource: "LightsailInstance:wp-legacy",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-auto-snapshots-enabled",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      {
        check: "lightsail-instance-imdsv2-required",
        resource: "LightsailInstance:test-1",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-imdsv2-required",
        resource: "LightsailInstance:wp-all-traffic",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-imdsv2-required",
        resource: "LightsailInstance:wp-ipv6-ssh",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-imdsv2-required",
        resource: "LightsailInstance:wp-hardened",
        status: "PASS",
      },
      {
        check: "lightsail-instance-imdsv2-required",
        resource: "LightsailInstance:wp-legacy",
        status: "FAIL",
      },
      {
        check: "lightsail-instance-imdsv2-required",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      ...["test-1", "wp-all-traffic", "wp-ipv6-ssh", "wp-hardened", "wp-legacy"].map((name) => ({
        check: "lightsail-instance-ssm-managed",
        resource: `LightsailInstance:${name}`,
        status: "FAIL",
      })),
      {
        check: "lightsail-instance-ssm-managed",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      // No instance is opted in and the document never ran: only the throttled region.
      {
        check: "lightsail-instance-auto-updates-enforced",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      {
        check: "lightsail-lb-https-enabled",
        resource: "LightsailLoadBalancer:wp-lb",
        status: "PASS",
      },
      {
        check: "lightsail-lb-https-enabled",
        resource: "LightsailLoadBalancer:plain-lb",
        status: "FAIL",
      },
      {
        check: "lightsail-lb-https-enabled",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      {
        check: "lightsail-lb-http-redirects-to-https",
        resource: "LightsailLoadBalancer:wp-lb",
        status: "PASS",
      },
      {
        check: "lightsail-lb-http-redirects-to-https",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      {
        check: "lightsail-lb-certificate-valid",
        resource: "LightsailLoadBalancer:wp-lb",
        status: "FAIL",
      },
      {
        check: "lightsail-lb-certificate-valid",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
      {
        check: "lightsail-lb-tls-policy-current",
        resource: "LightsailLoadBalancer:wp-lb",
        status: "FAIL",
      },
      {
        check: "lightsail-lb-tls-policy-current",
        resource: "LightsailRegion:eu-west-1",
        status: "ERROR",
      },
    ]);
  });

  it("calls the A.4 node's private-IP match with test-1 weak, not managed", () => {
    const check = CHECKS.find((c) => c.id === "lightsail-instance-ssm-managed");
    const [outcome] = check?.evaluate(snap, context()) ?? [];

    expect(outcome?.resource.name).toBe("test-1");
    expect(outcome?.message).toContain(
      'Only a weak match: managed node mi-0123456789abcdef0 (us-west-2) has the private IP address of instance "test-1" (172.26.12.13)',
    );
  });

  it("explains the real capture's SSH finding and the plain-HTTP load balancer's fix", () => {
    const ssh = CHECKS.find((c) => c.id === "lightsail-instance-ssh-not-public");
    const https = CHECKS.find((c) => c.id === "lightsail-lb-https-enabled");

    const sshMessages = ssh?.evaluate(snap, context()).map((o) => o.message) ?? [];
    const httpsMessages = https?.evaluate(snap, context()).map((o) => o.message) ?? [];

    expect(sshMessages).toContain(
      'SSH (TCP 22) on instance "test-1" is open to the whole internet over both IPv4 (0.0.0.0/0) and IPv6 (::/0) via rule 22/tcp.',
    );
    expect(sshMessages).toContain(
      'SSH (TCP 22) on instance "wp-legacy" is open to the whole internet over IPv4 (0.0.0.0/0) via rule 22/tcp.',
    );
    expect(
      sshMessages.some((m) => m.includes("eu-west-1 (ThrottlingException: Rate exceeded)")),
    ).toBe(true);
    expect(httpsMessages.find((m) => m.includes('"plain-lb"'))).toContain(
      "attach it to turn on HTTPS",
    );
  });

  it("flags the root user once the key is used within the window", () => {
    const recent = structuredClone(snap);
    const root = recent.iam.credentialReport?.[0];
    if (root) root.accessKey2LastUsedDate = "2024-06-01T12:03:00+00:00";

    const check = CHECKS.find((c) => c.id === "iam-root-not-recently-used");
    const [outcome] = check?.evaluate(recent, context({ now: "2024-06-03T00:00:00Z" })) ?? [];

    expect(outcome?.status).toBe("FAIL");
    expect(outcome?.message).toContain("root access key 2");
  });
});
