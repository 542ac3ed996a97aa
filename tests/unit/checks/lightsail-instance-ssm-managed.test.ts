import { describe, expect, it } from "vitest";
import check from "../../../shared/checks/lightsail-instance-ssm-managed";
import type { CollectionFailure, ManagedNode } from "../../../shared/model";
import { context, instance, managedNode, region, snapshot } from "../../helpers/snapshot";

const ID = "mi-0123456789abcdef0";

function evaluate(nodes: ManagedNode[] | null, failures: CollectionFailure[] = []) {
  // Prepare
  const snap = snapshot({
    lightsail: [region("us-east-1", { instances: [instance("blog")], managedNodes: nodes })],
    failures,
  });
  // Act
  return check.evaluate(snap, context());
}

describe("lightsail-instance-ssm-managed", () => {
  it("passes with one Online node tagged for the instance", () => {
    const outcomes = evaluate([managedNode(ID, "blog")]);

    expect(outcomes).toEqual([
      {
        status: "PASS",
        resource: expect.objectContaining({ type: "LightsailInstance", name: "blog" }),
        message: `Instance "blog" is managed by Systems Manager: node ${ID} (us-east-1), matched by its lightsail:instance tag, is Online.`,
      },
    ]);
  });

  it("passes with a node named after the instance, saying so", () => {
    const [outcome] = evaluate([managedNode(ID, "blog", { tags: [] })]);

    expect(outcome?.status).toBe("PASS");
    expect(outcome?.message).toContain(
      "matched by its name (the activation's default instance name)",
    );
  });

  it("fails when no node maps to it, saying how to register it", () => {
    const [outcome] = evaluate([managedNode(ID, "shop", { ipAddress: "10.1.1.1" })]);

    expect(outcome).toMatchObject({
      status: "FAIL",
      message:
        'Instance "blog" is not registered with Systems Manager: no managed node carries its lightsail:instance tag, its name or its private IP address. Register it with an activation tagged lightsail:instance=blog and lightsail:region=us-east-1 (docs/patching.md: Registering an instance with Systems Manager).',
    });
  });

  it("fails on a match by private IP only, which is weak", () => {
    const [outcome] = evaluate([managedNode(ID, "other", { tags: [] })]);

    expect(outcome?.status).toBe("FAIL");
    expect(outcome?.message).toMatch(
      new RegExp(
        `^Only a weak match: managed node ${ID} \\(us-east-1\\) has the private IP address`,
      ),
    );
    expect(outcome?.message).toContain(`--resource-id ${ID}`);
  });

  it("fails when the node is not Online, with when it was last seen", () => {
    const [outcome] = evaluate([
      managedNode(ID, "blog", {
        pingStatus: "ConnectionLost",
        lastPingDateTime: "2026-07-20T08:15:00.000Z",
      }),
    ]);

    expect(outcome).toMatchObject({
      status: "FAIL",
      message: expect.stringContaining(
        "but the node is ConnectionLost (last seen 2026-07-20 08:15 UTC): the SSM agent is stopped",
      ),
    });
  });

  it("fails when two nodes claim the instance, naming both", () => {
    const [outcome] = evaluate([
      managedNode(ID, "blog"),
      managedNode("mi-0fedcba9876543210", "blog"),
    ]);

    expect(outcome?.status).toBe("FAIL");
    expect(outcome?.message).toBe(
      `Instance "blog" is claimed by 2 managed nodes (${ID} (us-east-1) and mi-0fedcba9876543210 (us-east-1)), each by its lightsail:instance tag, so the auditor cannot tell which one it is. Deregister the stale node.`,
    );
  });

  it("is an ERROR, not a FAIL, when no node maps and some region's nodes are unknown", () => {
    const outcomes = evaluate(null, [
      {
        source: "ssm",
        region: "us-east-1",
        operation: "DescribeInstanceInformation",
        errorName: "AccessDeniedException",
        message: "not authorized",
      },
    ]);

    expect(outcomes).toEqual([
      expect.objectContaining({
        status: "ERROR",
        message:
          'No managed node maps to instance "blog", but the managed nodes of us-east-1 could not be listed, so whether it is managed is unknown.',
      }),
    ]);
  });

  it("still passes on a positive match when another region's nodes are unknown", () => {
    const snap = snapshot({
      lightsail: [
        region("us-east-1", {
          instances: [instance("blog")],
          managedNodes: [managedNode(ID, "blog")],
        }),
        region("eu-west-2", { managedNodes: null }),
      ],
    });

    expect(check.evaluate(snap, context()).map((o) => o.status)).toEqual(["PASS"]);
  });

  it("is one ERROR for a region whose instances could not be listed", () => {
    const snap = snapshot({ lightsail: [region("us-east-1", { instances: null })] });

    const outcomes = check.evaluate(snap, context());

    expect(outcomes).toEqual([
      expect.objectContaining({
        status: "ERROR",
        resource: expect.objectContaining({ type: "LightsailRegion" }),
      }),
    ]);
  });

  it("keeps the instance name's case in every message", () => {
    const snap = snapshot({
      lightsail: [
        region("us-east-1", {
          instances: [instance("WordPress-1")],
          managedNodes: [managedNode(ID, "other", { tags: [] })],
        }),
      ],
    });

    const [outcome] = check.evaluate(snap, context());

    expect(outcome?.message).toContain('the private IP address of instance "WordPress-1"');
  });
});
