/**
 * The WordPress inventory end to end, through the real SDK: the local AWS fake serving the demo
 * account (yesterday's inventories in its Run Command history) and the loopback fake of
 * wordpress.org. The audit reads the newest completed inventory per node, judges it, and starts
 * the next one; a later audit judges that one. An instance with no managed node is ERROR, with the
 * reason, for every WordPress check.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../shared/audit";
import { createAwsClients } from "../../shared/aws/clients";
import { createAccountReader } from "../../shared/aws/reader";
import { createPatchCommands } from "../../shared/aws/ssm";
import { parseConfig } from "../../shared/config";
import type { AuditReport } from "../../shared/model";
import { demoAccount } from "../fake-aws/accounts/demo";
import { DEMO_INVENTORIES, inventoryOutput } from "../fake-aws/accounts/wordpress-inventories";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { type FakeWordPressOrg, startFakeWordPressOrg } from "../fake-aws/wordpress-org";
import { expectValidReport } from "../helpers/report-schema";

const BLOG_NODE = "mi-0123456789abcdef0";
let fake: FakeAws;
let org: FakeWordPressOrg;

beforeAll(async () => {
  fake = await startFakeAws({ account: demoAccount(new Date()) });
  org = await startFakeWordPressOrg();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: "AKIDTEST",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
  });
});
afterAll(async () => {
  await fake?.close();
  await org?.stop();
});

function audit(raw: Parameters<typeof parseConfig>[0] = {}) {
  const clients = createAwsClients();
  return runAudit(
    {
      reader: createAccountReader({ credentialReport: { initialDelayMs: 10 } }, clients),
      patching: { commands: createPatchCommands(clients), homeRegion: "us-east-1" },
    },
    parseConfig({ wordpressOrgUrl: org.url, ...raw }),
  );
}

const wordpress = (report: AuditReport) =>
  report.results
    .filter((r) => r.checkId.startsWith("wordpress-"))
    .map((r) => `${r.status} ${r.severity} ${r.checkId} ${r.resource.name}`)
    .sort();

describe("the WordPress inventory through the real SDK", () => {
  let first: AuditReport;
  const calls = () => fake.calls.map((c) => `${c.region} ${c.service}:${c.operation}`);
  let firstCalls: string[];

  beforeAll(async () => {
    fake.resetCalls();
    org.requests.length = 0;
    first = await audit();
    firstCalls = calls();
  });

  it("judges yesterday's inventories: insecure core, closed plugin, served debug.log, and the rest", () => {
    expectValidReport(first);

    expect(wordpress(first)).toEqual(
      [
        "FAIL critical wordpress-core-not-insecure wordpress-blog",
        "FAIL high wordpress-plugins-up-to-date wordpress-blog",
        "FAIL medium wordpress-debug-output-off wordpress-blog",
        "FAIL medium wordpress-file-editing-disabled wordpress-blog",
        "FAIL medium wordpress-themes-up-to-date wordpress-blog",
        "PASS medium wordpress-config-not-world-readable wordpress-blog",
        "PASS medium wordpress-core-auto-updates-on wordpress-blog",
        "PASS critical wordpress-core-not-insecure wordpress-shop",
        "FAIL medium wordpress-plugins-up-to-date wordpress-shop",
        "PASS medium wordpress-themes-up-to-date wordpress-shop",
        "PASS medium wordpress-file-editing-disabled wordpress-shop",
        "PASS medium wordpress-debug-output-off wordpress-shop",
        "PASS medium wordpress-config-not-world-readable wordpress-shop",
        "PASS medium wordpress-core-auto-updates-on wordpress-shop",
        "FAIL medium wordpress-core-not-insecure agency-site",
        "PASS medium wordpress-plugins-up-to-date agency-site",
        "PASS medium wordpress-themes-up-to-date agency-site",
        "PASS medium wordpress-file-editing-disabled agency-site",
        "PASS medium wordpress-debug-output-off agency-site",
        "FAIL medium wordpress-config-not-world-readable agency-site",
        "FAIL medium wordpress-core-auto-updates-on agency-site",
        ...[
          "wordpress-core-not-insecure",
          "wordpress-plugins-up-to-date",
          "wordpress-themes-up-to-date",
          "wordpress-file-editing-disabled",
          "wordpress-debug-output-off",
          "wordpress-config-not-world-readable",
          "wordpress-core-auto-updates-on",
        ].flatMap((id) => {
          const severity = id === "wordpress-core-not-insecure" ? "critical" : "medium";
          return [`ERROR ${severity} ${id} client-staging`, `ERROR ${severity} ${id} legacy-site`];
        }),
      ].sort(),
    );
  });

  it("makes an instance with no managed node ERROR with the reason, never PASS", () => {
    const staging = first.results.filter(
      (r) => r.checkId.startsWith("wordpress-") && r.resource.name === "client-staging",
    );

    expect(staging).toHaveLength(7);
    for (const r of staging) {
      expect(r.message).toBe(
        'WordPress on instance "client-staging" cannot be inventoried: no SSM managed node maps to it, so the auditor cannot read its WordPress version, plugins or settings. See lightsail-instance-ssm-managed to register it.',
      );
    }
  });

  it("reads each newest inventory whole (one GetCommandInvocation per node), and starts the next in one SendCommand", () => {
    const count = (call: string) => firstCalls.filter((c) => c === call).length;

    expect(count("us-east-1 ssm:GetCommandInvocation")).toBe(2);
    expect(count("eu-west-2 ssm:GetCommandInvocation")).toBe(1);
    // Patching is dry-run: the only command sent is the inventory, to the document's region's
    // two WordPress nodes (agency-site's node is in eu-west-2).
    expect(count("us-east-1 ssm:SendCommand")).toBe(1);
    expect(firstCalls.filter((c) => c.endsWith("ssm:SendCommand"))).toHaveLength(1);
  });

  it("asks wordpress.org once per slug: core twice (status, latest), each plugin and theme once", () => {
    const plugins = org.requests.filter((p) => p.startsWith("/plugins/"));
    const themes = org.requests.filter((p) => p.startsWith("/themes/"));

    expect(org.requests.filter((p) => p.startsWith("/core/")).sort()).toEqual([
      "/core/stable-check/1.0/",
      "/core/version-check/1.7/",
    ]);
    expect(new Set(plugins).size).toBe(plugins.length);
    const slugs = (paths: string[]) => paths.map((p) => p.replace(/^.*slug=/, "")).sort();
    expect(slugs(plugins)).toEqual([
      "akismet",
      "contact-form-7",
      "display-widgets",
      "hello",
      "woocommerce",
      "woocommerce-subscriptions",
    ]);
    expect(slugs(themes)).toEqual(["twentytwentyfive", "twentytwentythree"]);
  });

  it("judges the inventory it started once that run has finished (a later audit)", async () => {
    // The next runs of the inventory find the blog updated.
    const blog = DEMO_INVENTORIES[BLOG_NODE]?.[0];
    if (!blog) throw new Error("no demo inventory for the blog");
    fake.settings.commandResult = ({ instanceId, documentName }) => ({
      Status: "Success",
      ResponseCode: 0,
      StandardOutputContent:
        documentName.endsWith("wordpress-inventory") && instanceId === BLOG_NODE
          ? inventoryOutput([{ ...blog, core: "6.8.3" }])
          : "",
      StandardErrorContent: "",
    });

    // The fake lists a command as pending at its first look: the second audit still judges
    // yesterday's inventory, the third the one the first audit started.
    const second = await audit();
    const third = await audit();

    const core = (r: AuditReport) =>
      r.results.find(
        (x) => x.checkId === "wordpress-core-not-insecure" && x.resource.name === "wordpress-blog",
      );
    expect(core(second)?.status).toBe("FAIL");
    expect(core(third)).toMatchObject({
      status: "PASS",
      message:
        'WordPress 6.8.3 is the latest release on instance "wordpress-blog" (/opt/bitnami/wordpress).',
    });
  });

  it("with wordpressInventory off: no WordPress check, no inventory read, nothing sent", async () => {
    fake.resetCalls();

    const report = await audit({ wordpressInventory: "off" });

    expect(wordpress(report)).toEqual([]);
    expect(calls().filter((c) => /GetCommandInvocation|SendCommand/.test(c))).toEqual([]);
  });

  it("with wordpressOrg off: only the local settings are judged, and nothing is asked", async () => {
    org.requests.length = 0;

    const report = await audit({ wordpressOrg: "off" });

    expect(org.requests).toEqual([]);
    expect(new Set(report.results.map((r) => r.checkId))).not.toContain(
      "wordpress-core-not-insecure",
    );
    expect(new Set(report.results.map((r) => r.checkId))).toContain(
      "wordpress-file-editing-disabled",
    );
  });
});
