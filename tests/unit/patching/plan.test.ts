/** The patching plan: only opted-in instances with one trustworthy, reachable node are sent to. */
import { describe, expect, it } from "vitest";
import type { LightsailInstance, ManagedNode } from "../../../shared/model";
import { type PlanOptions, planPatching } from "../../../shared/patching/plan";
import { instance, managedNode, region, snapshot } from "../../helpers/snapshot";

const OPT_IN = { key: "auto-patch", value: "true" };
const options: PlanOptions = { targets: "tagged", documentRegion: "us-east-1" };
const DEFAULTS = {
  updatesOrigin: "true",
  automaticReboot: "true",
  automaticRebootTime: "02:00",
  mailTo: "",
};

function plan(
  instances: LightsailInstance[],
  nodes: ManagedNode[] | null,
  opts: PlanOptions = options,
) {
  return planPatching(
    snapshot({ lightsail: [region("us-east-1", { instances, managedNodes: nodes })] }),
    opts,
  );
}

describe("planPatching", () => {
  it("sends to an opted-in instance with one Online node matched by tag, with the default parameters", () => {
    const blog = instance("blog", undefined, { tags: [OPT_IN] });

    const [entry] = plan([blog], [managedNode("mi-00000000000000001", "blog")]);

    expect(entry).toEqual({
      instance: { name: "blog", region: "us-east-1", arn: blog.arn },
      optedIn: true,
      node: {
        instanceId: "mi-00000000000000001",
        region: "us-east-1",
        matchedBy: "tag",
        pingStatus: "Online",
      },
      action: "send",
      reason: "node mi-00000000000000001 (us-east-1), matched by tag, is Online",
      parameters: DEFAULTS,
    });
  });

  it("takes parameters from the instance's tags", () => {
    const blog = instance("blog", undefined, {
      tags: [
        OPT_IN,
        { key: "auto-patch-reboot-time", value: "03:30" },
        { key: "auto-patch-reboot", value: "false" },
        { key: "auto-patch-mail", value: "ops@example.com" },
        { key: "auto-patch-updates", value: "false" },
      ],
    });

    const [entry] = plan([blog], [managedNode("mi-00000000000000001", "blog")]);

    expect(entry?.parameters).toEqual({
      updatesOrigin: "false",
      automaticReboot: "false",
      automaticRebootTime: "03:30",
      mailTo: "ops@example.com",
    });
  });

  it("never sends to an instance that is not opted in, even one perfectly managed", () => {
    const [entry] = plan([instance("blog")], [managedNode("mi-00000000000000001", "blog")]);

    expect(entry).toMatchObject({
      optedIn: false,
      action: "skip",
      reason: expect.stringMatching(/^not opted in \(tag the instance auto-patch=true/),
      node: { instanceId: "mi-00000000000000001", matchedBy: "tag" },
    });
    expect(entry?.parameters).toBeUndefined();
  });

  it("with targets all, sends to every managed instance", () => {
    const [entry] = plan([instance("blog")], [managedNode("mi-00000000000000001", "blog")], {
      ...options,
      targets: "all",
    });

    expect(entry).toMatchObject({ optedIn: true, action: "send" });
  });

  it.each([
    [
      "no node",
      [] as ManagedNode[],
      "no SSM managed node maps to it (see lightsail-instance-ssm-managed to register it)",
    ],
    [
      "two nodes claiming it",
      [managedNode("mi-00000000000000001", "blog"), managedNode("mi-00000000000000002", "blog")],
      "mi-00000000000000001 (us-east-1) and mi-00000000000000002 (us-east-1) all claim it by tag: deregister the stale node; nothing is sent until one remains",
    ],
    [
      "a match by private IP only",
      [managedNode("mi-00000000000000001", "x", { name: "other", tags: [] })],
      "only node mi-00000000000000001 (us-east-1) shares its private IP address, a weak match: tag the node lightsail:instance=blog to have it patched",
    ],
    [
      "a node that lost its connection",
      [managedNode("mi-00000000000000001", "blog", { pingStatus: "ConnectionLost" })],
      "node mi-00000000000000001 (us-east-1) is ConnectionLost, not Online",
    ],
    [
      "a Windows node",
      [managedNode("mi-00000000000000001", "blog", { platformType: "Windows" })],
      "node mi-00000000000000001 (us-east-1) runs Windows; the document is for Linux",
    ],
  ])("skips an opted-in instance with %s", (_case, nodes, reason) => {
    const [entry] = plan([instance("blog", undefined, { tags: [OPT_IN] })], nodes);

    expect(entry).toMatchObject({ optedIn: true, action: "skip", reason });
  });

  it("skips a node registered outside the document's region", () => {
    const node = managedNode("mi-00000000000000001", "blog", {
      region: "eu-west-2",
      tags: [
        { key: "lightsail:instance", value: "blog" },
        { key: "lightsail:region", value: "us-east-1" },
      ],
    });
    const [entry] = planPatching(
      snapshot({
        lightsail: [
          region("us-east-1", { instances: [instance("blog", undefined, { tags: [OPT_IN] })] }),
          region("eu-west-2", { managedNodes: [node] }),
        ],
      }),
      options,
    );

    expect(entry).toMatchObject({
      action: "skip",
      reason:
        "node mi-00000000000000001 (eu-west-2) is registered in eu-west-2, but the patching document exists in us-east-1 only: register the instance with an activation created there",
    });
  });

  it("skips an instance whose parameter tag the document would reject", () => {
    const blog = instance("blog", undefined, {
      tags: [OPT_IN, { key: "auto-patch-reboot-time", value: "3am" }],
    });

    const [entry] = plan([blog], [managedNode("mi-00000000000000001", "blog")]);

    expect(entry).toMatchObject({
      action: "skip",
      reason:
        'invalid tag auto-patch-reboot-time="3am" (expected /^([01][0-9]|2[0-3]):[0-5][0-9]$/)',
    });
  });

  it("says so when no node was found but some region's nodes could not be listed", () => {
    const [entry] = plan([instance("blog", undefined, { tags: [OPT_IN] })], null);

    expect(entry?.reason).toBe(
      "no managed node found, but the nodes of us-east-1 could not be listed",
    );
  });

  it("plans nothing for a region whose instances are unknown", () => {
    const entries = planPatching(
      snapshot({ lightsail: [region("us-east-1", { instances: null })] }),
      options,
    );

    expect(entries).toEqual([]);
  });
});
