/**
 * Starting the next inventory (shared/wordpress/act.ts) and reading a run's output
 * (shared/wordpress/inventory.ts): pure parts, with plain objects for SSM.
 */
import { describe, expect, it } from "vitest";
import type { PatchCommands, SendCommandRequest } from "../../../shared/patching/runner";
import { inventoryTargets, startInventories } from "../../../shared/wordpress/act";
import {
  newestRuns,
  parseInventoryOutput,
  toInventoryRun,
} from "../../../shared/wordpress/inventory";
import { instance, managedNode, region, snapshot } from "../../helpers/snapshot";

const node = (i: number, overrides = {}) =>
  managedNode(`mi-${String(i).padStart(17, "0")}`, `site-${i}`, overrides);
const site = (i: number, overrides = {}) => instance(`site-${i}`, undefined, overrides);

function commands(fail = false) {
  const sent: SendCommandRequest[] = [];
  const impl: PatchCommands = {
    sendCommand: async (request) => {
      if (fail) throw Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
      sent.push(request);
      return `command-${sent.length}`;
    },
    getCommandInvocation: async () => ({ status: "InProgress", output: "" }),
  };
  return { impl, sent };
}

describe("startInventories", () => {
  it("sends the document in chunks of 50 to the Online nodes of WordPress instances, in its region only", async () => {
    const instances = Array.from({ length: 120 }, (_, i) => site(i));
    const nodes = instances.map((_, i) => node(i));
    const snap = snapshot({ lightsail: [region("us-east-1", { instances, managedNodes: nodes })] });
    const c = commands();

    const out = await startInventories(
      snap,
      { wordpressDocument: "lightsail-auditor-prod-wordpress-inventory" },
      { commands: c.impl, homeRegion: "us-east-1" },
    );

    expect(c.sent.map((s) => s.instanceIds.length)).toEqual([50, 50, 20]);
    expect(c.sent[0]).toMatchObject({
      region: "us-east-1",
      documentName: "lightsail-auditor-prod-wordpress-inventory",
      documentVersion: "$LATEST",
      parameters: { wordpressPaths: [""] },
    });
    expect(out.sent).toHaveLength(3);
    expect(out.failures).toEqual([]);
  });

  it("skips opted-out, offline, other-region, IP-only and non-WordPress instances; groups by the paths tag", () => {
    const snap = snapshot({
      lightsail: [
        region("us-east-1", {
          instances: [
            site(1, { tags: [{ key: "wp-inventory", value: "false" }] }),
            site(2),
            site(3),
            site(4, { blueprintId: "lamp_8_bitnami" }),
            site(5, { tags: [{ key: "wp-inventory-paths", value: "/srv/shop" }] }),
            site(6, { tags: [{ key: "wp-inventory-paths", value: "/srv/$(reboot)" }] }),
            site(7),
          ],
          managedNodes: [
            node(1),
            node(2, { pingStatus: "ConnectionLost" }),
            node(3, { region: "eu-west-2" }),
            node(4),
            node(5),
            node(6),
            // Only the private IP address matches site-7: never acted on.
            node(7, { tags: [], name: "other", ipAddress: "172.26.12.13" }),
          ],
        }),
      ],
    });

    const targets = inventoryTargets(snap, "us-east-1");

    expect(Object.fromEntries(targets)).toEqual({
      "/srv/shop": ["mi-00000000000000005"],
      // A tag the document would refuse is not sent: the default paths are.
      "": ["mi-00000000000000006"],
    });
  });

  it("sends nothing to nodes outside the document's region (an ARN names it)", async () => {
    const snap = snapshot({
      lightsail: [region("us-east-1", { instances: [site(1)], managedNodes: [node(1)] })],
    });

    const out = await startInventories(
      snap,
      { wordpressDocument: "arn:aws:ssm:eu-west-1:123456789012:document/inv" },
      { commands: commands(true).impl, homeRegion: "us-east-1" },
    );

    // The document's region is its ARN's: the node in us-east-1 is not a target there.
    expect(out).toEqual({ sent: [], failures: [] });
  });

  it("lists the failure when SSM refuses", async () => {
    const snap = snapshot({
      lightsail: [region("us-east-1", { instances: [site(1)], managedNodes: [node(1)] })],
    });

    const out = await startInventories(
      snap,
      { wordpressDocument: "inv" },
      { commands: commands(true).impl, homeRegion: "us-east-1" },
    );

    expect(out.failures).toEqual([
      {
        source: "ssm",
        region: "us-east-1",
        operation: "SendCommand",
        errorName: "AccessDeniedException",
        message: "the next WordPress inventory was not started on 1 node(s): not authorized",
      },
    ]);
  });
});

describe("reading inventory runs", () => {
  const doc = '{"lightsailAuditorWp":1,"sites":[],"listCap":200,"errors":[]}';
  const run = (instanceId: string, requestedAt: string, status = "Success") => ({
    commandId: `c-${requestedAt}`,
    instanceId,
    requestedAt,
    status,
    output: "",
  });

  it("parses the document, after or before SSM's error section", () => {
    expect(parseInventoryOutput(`${doc}\n\n----------ERROR-------\nwarning\n`)).toEqual({
      inventory: { sites: [], listCap: 200, errors: [] },
    });
    expect(parseInventoryOutput("")).toEqual({ error: "its output holds no inventory" });
    expect(parseInventoryOutput('{"lightsailAuditorWp":1,"sites":[')).toEqual({
      error: "its inventory is not valid JSON (cut short?)",
    });
    expect(parseInventoryOutput('{"lightsailAuditorWp":1,"sites":{}}')).toMatchObject({
      error: expect.stringMatching(/^its inventory is malformed \(sites: /),
    });
  });

  it("keeps per node the newest successful run, else the newest finished one", () => {
    const runs = [
      run("mi-b", "2026-07-30T06:00:00Z"),
      run("mi-b", "2026-07-31T06:00:00Z", "Failed"),
      run("mi-b", "2026-08-01T06:00:00Z", "InProgress"),
      run("mi-a", "2026-07-29T06:00:00Z", "TimedOut"),
    ];

    expect(newestRuns(runs).map((r) => [r.instanceId, r.requestedAt, r.status])).toEqual([
      ["mi-a", "2026-07-29T06:00:00Z", "TimedOut"],
      ["mi-b", "2026-07-30T06:00:00Z", "Success"],
    ]);
    expect(toInventoryRun(runs[3] as (typeof runs)[0], undefined)).toMatchObject({
      inventory: null,
      resultError: "the run did not succeed (TimedOut)",
    });
    expect(toInventoryRun(runs[0] as (typeof runs)[0], null).resultError).toMatch(
      /GetCommandInvocation failed/,
    );
  });
});
