/**
 * A hostile account: every text the account controls (instance, load balancer, certificate,
 * distribution, node, group and user names, tag keys and values, certificate domains, the patching
 * run's output and errors, AWS error names and messages) carries {@link PAYLOAD}. The same builder
 * with `h = (s) => s` gives its benign twin, so a test can compare the two renderings line by line.
 */

import { checkTexts, evaluate, summarize } from "../../shared/audit";
import { CHECKS } from "../../shared/checks/index";
import type { FindingsDiff } from "../../shared/findings/state";
import type { AuditReport, PatchingReport, RemediationReport } from "../../shared/model";
import { planPatching } from "../../shared/patching/plan";
import { enforcePlan } from "../../shared/patching/runner";
import { planRemediation } from "../../shared/remediation/plan";
import {
  ACCOUNT_ID,
  adminGroup,
  cert,
  context,
  DOCUMENT,
  distribution,
  instance,
  loadBalancer,
  managedNode,
  NOW,
  patchResult,
  patchRun,
  region,
  resultLine,
  rootRow,
  snapshot,
  userRow,
  wordpressDefaultPorts,
} from "./snapshot";
import { inventoryRun, orgFacts, site } from "./wordpress";

/**
 * Clear-screen, an OSC window title, CR LF and a bare CR forging lines, a Unicode line separator,
 * bidi overrides and isolates, C1 CSI, DEL, NUL, a tab; then HTML, a link, emphasis, a code span,
 * a table cell break, an escape that tries to cancel ours, and bare URLs GFM would autolink.
 */
export const PAYLOAD =
  "\x1b[2J\x1b]0;pwned\x07\r\nFAKE LINE PASS ok\u202egnp.exe\u202c\u2066x\u2069\u200f\x9b31m\x7f\x00\ttab" +
  "\u2028FAKE LINE 2\rFAKE LINE 3\x0bFAKE LINE 4\x85FAKE LINE 5" +
  " <img src=x onerror=alert(1)><script>alert(1)</script> [click](https://evil.example/x) ![i](x)" +
  " **bold** _em_ `code` | cell \\*esc ~~s~~ $x$ &amp; # www.evil.example";

/** Marks account text: the payload after it (hostile), or nothing (the benign twin). */
export type Mark = (text: string) => string;
export const hostile: Mark = (s) => `${s}${PAYLOAD}`;
export const benign: Mark = (s) => s;

const NODE_1 = "mi-0123456789abcdef0";
const NODE_2 = "mi-0123456789abcdef1";

/** The snapshot: one FAIL or ERROR for nearly every check, each naming marked text. */
export function hostileSnapshot(h: Mark) {
  const blog = instance(h("blog"), wordpressDefaultPorts(), {
    tags: [
      { key: "auto-patch", value: "true" },
      { key: h("owner"), value: h("team") },
    ],
    metadataHttpTokens: "optional",
  });
  const shop = instance(h("shop"), undefined, {
    tags: [{ key: "auto-patch", value: "true" }],
    addOns: [],
    privateIpAddress: "172.26.12.14",
  });
  return snapshot({
    regions: ["us-east-1", "eu-west-2"],
    lightsail: [
      region("us-east-1", {
        instances: [blog, shop],
        managedNodes: [
          managedNode(NODE_1, h("blog"), { computerName: h("ip-172-26-12-13") }),
          managedNode(NODE_2, h("shop"), {
            computerName: h("ip-172-26-12-14"),
            ipAddress: "172.26.12.14",
          }),
        ],
        patchRuns: [
          patchRun(NODE_1, {
            status: "Failed",
            statusDetails: h("Failed"),
            responseCode: 1,
            result: patchResult({
              errors: [h("apt-get update failed")],
              drift: [h("APT::Periodic::Unattended-Upgrade")],
            }),
          }),
          patchRun(NODE_2, { result: null, resultError: h("its output is garbage") }),
        ],
        // What the WordPress inventory printed: paths, owners, slugs and versions are the
        // instance's text (the site's own plugin headers).
        wordpressInventories: [
          inventoryRun(
            [
              site({
                path: h("/opt/bitnami/wordpress"),
                core: "6.1.1",
                config: {
                  path: h("/opt/bitnami/wordpress/wp-config.php"),
                  mode: "644",
                  owner: h("bitnami"),
                  group: h("daemon"),
                  readable: true,
                  loadsOtherFiles: true,
                  constants: { WP_DEBUG: true },
                },
                debugLog: {
                  path: h("/opt/bitnami/wordpress/wp-content/debug.log"),
                  bytes: 1,
                  served: true,
                },
                plugins: [
                  [h("evil-plugin"), h("1.0")],
                  ["display-widgets", h("2.6.3.1")],
                ],
                themes: [[h("evil-theme"), h("1.0")]],
              }),
            ],
            { instanceId: NODE_1 },
          ),
          inventoryRun([], {
            instanceId: NODE_2,
            status: "Failed",
            inventory: null,
            resultError: h("the run did not succeed"),
          }),
        ],
        loadBalancers: [
          loadBalancer(h("plain-lb"), { protocol: "HTTP", publicPorts: [80], certificates: [] }),
          loadBalancer(h("shop-lb"), {
            httpsRedirectionEnabled: false,
            certificates: [
              cert(h("shop-cert"), {
                domainName: h("shop.example.com"),
                notAfter: "2026-08-05T00:00:00.000Z",
              }),
            ],
          }),
        ],
      }),
      region("eu-west-2", { instances: null, loadBalancers: null }),
    ],
    wordpressOrg: orgFacts({
      plugins: {
        [h("evil-plugin")]: { state: "listed", version: h("2.0") },
        "display-widgets": { state: "closed", closedDate: h("2017-09-08"), reason: h("Security") },
      },
      themes: { [h("evil-theme")]: { state: "unknown" } },
    }),
    distributions: [
      distribution(h("cdn"), {
        domainName: h("d111.cloudfront.net"),
        alternativeDomainNames: [h("www.example.com")],
        certificateName: undefined,
      }),
    ],
    certificates: [
      {
        name: h("cdn-cert"),
        arn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Certificate/1`,
        domainName: h("www.example.com"),
        status: "FAILED",
      },
    ],
    failures: [
      {
        source: "lightsail",
        region: "eu-west-2",
        operation: "GetInstances",
        errorName: h("AccessDeniedException"),
        message: h("User is not authorized"),
      },
      {
        source: "lightsail",
        region: "eu-west-2",
        operation: "GetLoadBalancerTlsCertificates",
        errorName: h("ThrottlingException"),
        message: h("Rate exceeded"),
        resource: h("shop-lb"),
      },
    ],
    iam: {
      credentialReport: [rootRow(), userRow(h("alice"), { mfaActive: false })],
      adminGroups: [adminGroup(h("Admins"), [h("bob")])],
    },
  });
}

/** What the patching run on the instances printed: errors, and a node that printed garbage. */
const commands = (h: Mark) => ({
  sendCommand: async () => "c0ffee00-0000-4000-8000-000000000000",
  getCommandInvocation: async (_region: string, _command: string, node: string) =>
    node === NODE_1
      ? {
          status: "Success",
          output: `${h("noise")}\n${resultLine(patchResult({ errors: [h("dpkg was interrupted")], changed: [h("/etc/apt/apt.conf.d/52x")] }))}\n`,
        }
      : { status: "Failed", statusDetails: h("Failed"), responseCode: 2, output: h("boom") },
});

/**
 * The report of the hostile (or benign) account: results, collection failures, the fix plan
 * (`dry-run`) or what the fixes did (`enforce`: one applied, one failed with AWS's message), and
 * the patching runs in enforce mode.
 */
export async function hostileReport(
  h: Mark,
  mode: "dry-run" | "enforce" = "dry-run",
): Promise<AuditReport> {
  const s = hostileSnapshot(h);
  const ctx = context({ patching: { mode: "enforce", targets: "tagged", documentName: DOCUMENT } });
  const results = evaluate(CHECKS, s, ctx);
  const plan = planRemediation(results, s, { allowedSshCidrs: ["203.0.113.7/32"] });
  const [first, second] = plan.planned;
  const remediation: RemediationReport =
    mode === "dry-run" || !first || !second
      ? { mode: "dry-run", ...plan, applied: [], failed: [] }
      : {
          mode: "enforce",
          ...plan,
          applied: [
            first.kind === "restrict-ssh"
              ? {
                  ...first,
                  id: "3f9a2c81b7d0",
                  appliedAt: NOW,
                  status: "applied",
                  before: first.firewall,
                  after: first.firewall,
                }
              : {
                  ...first,
                  id: "3f9a2c81b7d0",
                  appliedAt: NOW,
                  status: "applied",
                },
          ],
          failed: [
            {
              ...second,
              error: h("UpdateLoadBalancerAttribute failed: AccessDeniedException"),
              changeId: "0a1b2c3d4e5f",
            },
          ],
        };
  const entries = planPatching(s, { targets: "tagged", documentRegion: "us-east-1" });
  const patching: PatchingReport = {
    mode: "enforce",
    targets: "tagged",
    document: { name: DOCUMENT, version: "$LATEST", region: "us-east-1" },
    plan: entries,
    outcomes: await enforcePlan(entries, commands(h), {
      documentName: DOCUMENT,
      deadline: Number.POSITIVE_INFINITY,
      now: () => 0,
      sleep: async () => {},
    }),
  };
  return {
    schemaVersion: 2,
    accountId: ACCOUNT_ID,
    startedAt: NOW,
    finishedAt: NOW,
    regions: { audited: ["us-east-1", "eu-west-2"], skipped: [] },
    summary: summarize(results, true),
    checks: checkTexts(CHECKS),
    results,
    failures: s.failures,
    expiredSuppressions: [],
    patching,
    remediation,
  };
}

/** Every FAIL is new; one resolved finding (its name from the state table) and one reminder. */
export function hostileDiff(report: AuditReport, h: Mark): FindingsDiff {
  const fails = report.results.filter((r) => r.status === "FAIL");
  const [reminder] = fails;
  return {
    new: fails,
    stillOpen: reminder ? [reminder] : [],
    renotify: reminder ? [reminder] : [],
    resolved: [
      {
        fingerprint: "00112233445566778899",
        checkId: "lightsail-instance-ssh-not-public",
        severity: "high",
        resource: {
          type: "LightsailInstance",
          name: h("old-blog"),
          arn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Instance/old`,
          region: "us-east-1",
        },
        message: h("SSH was open"),
        status: "RESOLVED",
        firstSeen: "2026-07-01T00:00:00.000Z",
        expiresAt: 0,
      },
    ],
  };
}
