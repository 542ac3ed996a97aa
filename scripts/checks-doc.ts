/**
 * docs/checks.md, generated from the check registry: `npm run docs:checks` writes it, and
 * tests/unit/checks-doc.test.ts fails when it is stale (a check added or its text changed).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CHECKS } from "../shared/checks/index";
import type { CheckDefinition, Fact } from "../shared/model";
import { markdownCodeBlock, markdownText } from "../shared/report/text";

/** The API calls behind each fact, for "reads". */
const FACT_SOURCES: Record<Fact, string> = {
  credentialReport: "IAM credential report",
  accountSummary: "IAM account summary (GetAccountSummary)",
  rootVirtualMfaSerials: "root's virtual MFA devices (ListVirtualMFADevices)",
  adminGroups: "IAM groups with AdministratorAccess and their members",
  instances: "Lightsail instances, every region (GetInstances)",
  loadBalancers: "Lightsail load balancers and their certificates, every region",
  tlsPolicies: "load balancer TLS policies, every region (GetLoadBalancerTlsPolicies)",
  staticIps: "Lightsail static IPs, every region (GetStaticIps)",
  databases: "Lightsail managed databases, every region (GetRelationalDatabases)",
  buckets: "Lightsail buckets and the instances given access, every region (GetBuckets)",
  bucketAccessKeys: "each bucket's access keys (GetBucketAccessKeys, one call per bucket)",
  managedNodes: "SSM managed nodes, every region (DescribeInstanceInformation)",
  patchRuns: "runs of the patching document, every region (ListCommandInvocations)",
  distributions: "Lightsail distributions (us-east-1)",
  certificates: "Lightsail certificates (us-east-1)",
  domains: "Lightsail DNS zones and their records (GetDomains, us-east-1)",
  awsIpRanges: "AWS's published EC2 address ranges (ip-ranges.json, HTTPS; `--ip-ranges`)",
  wordpressInventories:
    "the newest WordPress inventory per SSM node, every region (ListCommandInvocations, GetCommandInvocation)",
  wordpressOrg: "wordpress.org's public API: core releases, plugin and theme versions (HTTPS)",
};

function section(c: CheckDefinition): string[] {
  const out = [`## \`${c.id}\``, "", `**${markdownText(c.title)}** · severity ${c.severity}`, ""];
  out.push(`**Risk.** ${markdownText(c.risk)}`, "");
  out.push(`**How to fix.** ${markdownText(c.remediation.summary)}`, "");
  out.push(...c.remediation.steps.map((s, i) => `${i + 1}. ${markdownText(s)}`), "");
  if (c.remediation.console) out.push(`Console: ${markdownText(c.remediation.console)}`, "");
  if (c.remediation.cli) out.push(markdownCodeBlock(c.remediation.cli, "sh"), "");
  out.push(`**CIS.** ${c.cis?.length ? c.cis.map(markdownText).join(", ") : "none"}`, "");
  out.push(`**Reads.** ${c.reads.map((f) => `${FACT_SOURCES[f]} (\`${f}\`)`).join("; ")}.`, "");
  return out;
}

export function checksMarkdown(): string {
  const out = [
    "# Checks",
    "",
    "Generated from the check registry (`shared/checks/`) by `npm run docs:checks`; do not edit.",
    "A check FAILs when the secure state its id names does not hold; it is ERROR, never PASS, when",
    "the data it reads could not be collected (a throttled region, access denied), and the report",
    "then says it is incomplete. A FAIL that matches a suppression is MUTED. A few checks give no",
    "result where another check already reports the cause: no hardware-MFA result when root has no",
    "MFA, no redirect, certificate or TLS-policy result for a load balancer without HTTPS. An audit",
    "collects only what the checks it runs read (their **Reads** below), plus instances and SSM",
    "nodes when patching is on, and what a selected fix needs when remediation is on.",
    "",
    'CIS: "CIS AWS Foundations v3.0.0" is the CIS Amazon Web Services Foundations Benchmark',
    'v3.0.0, "CIS AWS Compute Services v1.0.0" the CIS AWS Compute Services Benchmark v1.0.0,',
    "section 3 (Lightsail). Foundations 5.6 is written for EC2; Lightsail instances expose the same",
    "setting, so the IMDSv2 check cites it. Compute section 3's patching item is what",
    "`lightsail-instance-auto-updates-enforced` enforces, but the check does not cite it (its number",
    "was not verified); the bucket checks do not cite its bucket item either; the other items",
    "(default application passwords, IPv6 networking, Windows) have no check. The certificate, TLS, HTTPS, snapshot, admin-group and SSM checks come",
    "from the hardening guide, not from CIS. The admin group is where the two disagree: the guide",
    "attaches `AdministratorAccess`, and Foundations 1.16 advises against attaching full `*:*`",
    "administrative policies (the check's remediation says so). Root usage itself (Foundations 1.7)",
    "is `iam-root-not-recently-used`.",
    "",
    "The `wordpress-*` checks judge WordPress itself from the read-only inventory that SSM Run",
    "Command takes on each instance, and wordpress.org's answers ([wordpress.md](wordpress.md)). No",
    "CIS benchmark covers them; their risks cite the OWASP Top 10 2021 (A05 Security",
    "Misconfiguration, A06 Vulnerable and Outdated Components). An instance whose inventory cannot",
    "be had (no managed node, none completed yet, stale) is ERROR for each of them, with the reason.",
    "",
    "| id | title | severity |",
    "| --- | --- | --- |",
    ...CHECKS.map((c) => `| [\`${c.id}\`](#${c.id}) | ${markdownText(c.title)} | ${c.severity} |`),
    "",
    ...CHECKS.flatMap(section),
  ];
  return `${out.join("\n").trimEnd()}\n`;
}

export const CHECKS_DOC = fileURLToPath(new URL("../docs/checks.md", import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CHECKS_DOC, checksMarkdown());
  console.log(`wrote ${CHECKS_DOC}`);
}
