/**
 * A remediation part of a report, as the planner and applyPlan make it: one SSH fix (planned, or
 * applied as change 3f9a2c81b7d0), one HTTPS redirect that failed (enforce), one finding left alone.
 */
import type {
  FirewallRule,
  HttpsRedirectAction,
  RemediationReport,
  RestrictSshAction,
} from "../../shared/model";
import { ACCOUNT_ID } from "./snapshot";

const ssh = (
  cidrs: string[],
  ipv6Cidrs: string[],
  cidrListAliases: string[] = [],
): FirewallRule => ({
  fromPort: 22,
  toPort: 22,
  protocol: "tcp",
  cidrs,
  ipv6Cidrs,
  cidrListAliases,
});
const web: FirewallRule = { ...ssh(["0.0.0.0/0"], ["::/0"]), fromPort: 80, toPort: 80 };

const restrict: RestrictSshAction = {
  kind: "restrict-ssh",
  checkId: "lightsail-instance-ssh-not-public",
  fingerprint: "a1b2c3d4e5f6a7b8c9d0",
  resource: {
    type: "LightsailInstance",
    name: "wordpress-blog",
    arn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Instance/b03e7647`,
    region: "us-east-1",
  },
  summary:
    'Restrict SSH on instance "wordpress-blog": 22/tcp from 0.0.0.0/0 and ::/0 becomes 22/tcp from 203.0.113.7/32 and lightsail-connect',
  firewall: [ssh(["0.0.0.0/0"], ["::/0"]), web],
  before: ssh(["0.0.0.0/0"], ["::/0"]),
  after: ssh(["203.0.113.7/32"], [], ["lightsail-connect"]),
};

const redirect: HttpsRedirectAction = {
  kind: "enable-https-redirect",
  checkId: "lightsail-lb-http-redirects-to-https",
  fingerprint: "f0e1d2c3b4a596870812",
  resource: {
    type: "LightsailLoadBalancer",
    name: "agency-lb",
    arn: `arn:aws:lightsail:eu-west-2:${ACCOUNT_ID}:LoadBalancer/e6b0d3a9`,
    region: "eu-west-2",
  },
  summary: 'Turn on HTTP to HTTPS redirection on load balancer "agency-lb"',
  attribute: "HttpsRedirectionEnabled",
  before: "false",
  after: "true",
};

const skipped = {
  checkId: "lightsail-instance-ssh-not-public",
  fingerprint: "0123456789abcdef0123",
  resource: {
    type: "LightsailInstance",
    name: "agency-site",
    arn: `arn:aws:lightsail:eu-west-2:${ACCOUNT_ID}:Instance/c81f4a2e`,
    region: "eu-west-2",
  },
  reason: "SSH is open through rule 0-65535/all, which also opens other ports",
};

export function dryRun(): RemediationReport {
  return {
    mode: "dry-run",
    planned: [restrict, redirect],
    skipped: [skipped],
    applied: [],
    failed: [],
  };
}

export function enforced(): RemediationReport {
  const { kind: _k, firewall, before, after, ...rest } = restrict;
  return {
    mode: "enforce",
    planned: [restrict, redirect],
    skipped: [skipped],
    applied: [
      {
        ...rest,
        kind: "restrict-ssh",
        id: "3f9a2c81b7d0",
        appliedAt: "2026-08-01T12:00:05.000Z",
        status: "applied",
        before: firewall,
        after: [after, web],
      },
    ],
    failed: [
      {
        checkId: redirect.checkId,
        fingerprint: redirect.fingerprint,
        resource: redirect.resource,
        kind: redirect.kind,
        summary: redirect.summary,
        error:
          "UpdateLoadBalancerAttribute failed: AccessDeniedException: not authorized; nothing was changed",
      },
    ],
  };
}
