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
  managedNodes: "SSM managed nodes, every region (DescribeInstanceInformation)",
  patchRuns: "runs of the patching document, every region (ListCommandInvocations)",
  distributions: "Lightsail distributions (us-east-1)",
  certificates: "Lightsail certificates (us-east-1)",
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
    "the data it reads could not be collected.",
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
