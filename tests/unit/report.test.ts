import { describe, expect, it } from "vitest";
import type { AuditReport, CollectionFailure, PatchingReport } from "../../shared/model";
import { renderJson } from "../../shared/report/json";
import { renderMarkdown } from "../../shared/report/markdown";
import { sortResults, summaryLine } from "../../shared/report/summary";
import { renderTable } from "../../shared/report/table";
import { dryRun, enforced } from "../helpers/remediation";
import { reportFrom } from "../helpers/report";
import {
  instance,
  loadBalancer,
  managedNode,
  port,
  region,
  rootRow,
  snapshot,
} from "../helpers/snapshot";
import { inventoryRun, orgFacts } from "../helpers/wordpress";

function reportOf(failures: CollectionFailure[] = []): AuditReport {
  const s = snapshot({
    lightsail: [
      region("us-east-1", {
        instances: [instance("blog|main", [port({ fromPort: 22, toPort: 22 })])],
        managedNodes: [managedNode("mi-0123456789abcdef0", "blog|main")],
        // A current, hardened WordPress: its checks pass.
        wordpressInventories: [inventoryRun()],
        loadBalancers: [loadBalancer("shop-lb", { protocol: "HTTP", publicPorts: [80] })],
      }),
    ],
    iam: { credentialReport: [rootRow({ accessKey1Active: true })] },
    wordpressOrg: orgFacts(),
    failures,
  });
  return reportFrom(s, {
    regions: {
      audited: ["us-east-1"],
      skipped: [{ region: "ap-east-1", reason: "opt-in region not enabled" }],
    },
  });
}

describe("report renderers", () => {
  it("orders FAIL before ERROR before PASS, most severe first", () => {
    const sorted = sortResults(reportOf().results);
    const firstPass = sorted.findIndex((r) => r.status === "PASS");
    expect(sorted.slice(0, firstPass).every((r) => r.status === "FAIL")).toBe(true);
    expect(sorted.slice(0, 3).map((r) => [r.severity, r.checkId])).toEqual([
      ["critical", "iam-root-no-access-keys"],
      ["high", "lightsail-instance-ssh-not-public"],
      ["high", "lightsail-lb-https-enabled"],
    ]);
  });

  it("summarises counts by severity and says whether the audit is complete", () => {
    expect(summaryLine(reportOf())).toMatch(
      /^3 failed \(1 critical, 2 high\), \d+ passed, 0 errors; audit complete$/,
    );
    const incomplete = reportOf([
      {
        source: "lightsail",
        region: "eu-west-2",
        operation: "GetLoadBalancers",
        errorName: "ThrottlingException",
        message: "Rate exceeded",
      },
    ]);
    expect(summaryLine(incomplete)).toMatch(/audit INCOMPLETE \(1 collection failure\)$/);
  });

  it("table: one fix per failing check, skipped regions and collection failures listed", () => {
    const text = renderTable(
      reportOf([
        {
          source: "iam",
          region: "global",
          operation: "GetCredentialReport",
          errorName: "AccessDenied",
          message: "no",
        },
      ]),
      { color: false },
    );
    expect(text).toContain("skipped ap-east-1 (opt-in region not enabled)");
    expect(text.match(/^ {2}lightsail-instance-ssh-not-public: /gm)).toHaveLength(1);
    expect(text).toMatch(
      /^ {2}lightsail-instance-ssh-not-public: .*\n {4}Maps to CIS AWS Compute Services v1\.0\.0 3\.3, CIS AWS Compute Services v1\.0\.0 3\.4\n {4}\$ aws lightsail close-instance-public-ports/m,
    );
    // A check without CIS references gets no "Maps to" line.
    expect(text).toMatch(/^ {2}lightsail-lb-https-enabled: .*\n {4}\$ aws /m);
    expect(text).toContain(
      "Not audited (collection failures)\n  global iam:GetCredentialReport: AccessDenied: no",
    );
  });

  it("markdown: escapes pipes in cells and numbers the fix steps", () => {
    const md = renderMarkdown(reportOf());
    expect(md).toContain("us-east-1/blog\\|main");
    expect(md).toMatch(/### .* \(`lightsail-instance-ssh-not-public`\)\n\n.*\n\n1\. /);
    expect(md).toContain(
      "```\n\nMaps to CIS AWS Compute Services v1.0.0 3.3, CIS AWS Compute Services v1.0.0 3.4.\n",
    );
  });

  it("json: the report round-trips unchanged, CIS references included", () => {
    const report = reportOf();
    const parsed = JSON.parse(renderJson(report)) as AuditReport;
    expect(parsed).toEqual(report);
    expect(parsed.checks["iam-root-no-access-keys"]?.cis).toEqual([
      "CIS AWS Foundations v3.0.0 1.4",
    ]);
  });

  describe("patching section", () => {
    const patching: PatchingReport = {
      mode: "enforce",
      targets: "tagged",
      document: { name: "doc", region: "us-east-1", version: "$LATEST" },
      plan: [
        {
          instance: { name: "blog|main", region: "us-east-1", arn: "arn:1" },
          optedIn: true,
          node: { instanceId: "mi-1", region: "us-east-1", matchedBy: "tag", pingStatus: "Online" },
          action: "send",
          reason: "node mi-1 (us-east-1), matched by tag, is Online",
        },
        {
          instance: { name: "relay", region: "us-east-1", arn: "arn:2" },
          optedIn: true,
          action: "skip",
          reason: "no SSM managed node maps to it",
        },
        {
          instance: { name: "old", region: "us-east-1", arn: "arn:3" },
          optedIn: false,
          action: "skip",
          reason: "not opted in",
        },
      ],
      outcomes: [
        {
          instance: { name: "blog|main", region: "us-east-1" },
          node: { instanceId: "mi-1", region: "us-east-1" },
          commandId: "c-1",
          status: "failed",
          message: "Failed (exit code 1): boom.",
        },
      ],
    };

    it("table: what ran, each outcome, and the opted-in instances it skipped", () => {
      const text = renderTable({ ...reportOf(), patching }, { color: false });

      expect(text).toContain(
        [
          "Patching (enforce, document doc in us-east-1): ran on 1 instance; skipped 2 (1 not opted in)",
          "  us-east-1/blog|main: failed: Failed (exit code 1): boom.",
          "  us-east-1/relay: skipped: no SSM managed node maps to it",
        ].join("\n"),
      );
    });

    it("markdown: a Patching section with escaped cells; none when patching is off", () => {
      const md = renderMarkdown({ ...reportOf(), patching });

      expect(md).toContain("## Patching\n\nPatching (enforce, document doc in us-east-1)");
      expect(md).toContain("- us-east-1/blog\\|main: failed: Failed \\(exit code 1\\): boom.");
      expect(renderMarkdown(reportOf())).not.toContain("## Patching");
    });
  });

  it("table and markdown: the dry-run plan, and what enforce did with the undo command", () => {
    const plan = renderTable({ ...reportOf(), remediation: dryRun() }, { color: false });
    const done = renderMarkdown({ ...reportOf(), remediation: enforced() });

    expect(plan).toContain(
      [
        "FIXES (dry-run: nothing was changed; with remediation enforce these changes would be made)",
        "  Planned:",
        '  - us-east-1/wordpress-blog: Restrict SSH on instance "wordpress-blog": 22/tcp from 0.0.0.0/0 and ::/0 becomes 22/tcp from 203.0.113.7/32 and lightsail-connect [lightsail-instance-ssh-not-public]',
        '  - eu-west-2/agency-lb: Turn on HTTP to HTTPS redirection on load balancer "agency-lb" [lightsail-lb-http-redirects-to-https]',
        "  Left alone:",
        "  - eu-west-2/agency-site [lightsail-instance-ssh-not-public]: SSH is open through rule 0-65535/all, which also opens other ports",
      ].join("\n"),
    );
    expect(done).toContain("## FIXES APPLIED: 1 change made, 1 failed\n\n**Applied:**\n");
    expect(done).toContain(
      "(change 3f9a2c81b7d0, 2026-08-01 12:00 UTC; undo: lightsail-audit undo --change 3f9a2c81b7d0)",
    );
    expect(done).toContain(
      '- eu-west-2/agency-lb: Turn on HTTP to HTTPS redirection on load balancer "agency-lb": UpdateLoadBalancerAttribute failed: AccessDeniedException',
    );
    expect(renderTable(reportOf(), { color: false })).not.toContain("FIXES");
  });
});
