/** Which node is which instance, and which instances are opted in. */
import { describe, expect, it } from "vitest";
import type { ManagedNode } from "../../../shared/model";
import { isOptedIn, mapNodes } from "../../../shared/patching/targets";
import { instance, managedNode } from "../../helpers/snapshot";

const blog = instance("blog", undefined, { privateIpAddress: "172.26.1.10" });
const shop = instance("shop", undefined, { privateIpAddress: "172.26.1.11" });
/** A node with nothing tying it to an instance but what the test adds. */
const bare = (id: string, overrides: Partial<ManagedNode> = {}) =>
  managedNode(id, "", { name: undefined, ipAddress: "10.0.0.1", tags: [], ...overrides });
const tagged = (id: string, name: string, region?: string) =>
  bare(id, {
    tags: [
      { key: "lightsail:instance", value: name },
      ...(region ? [{ key: "lightsail:region", value: region }] : []),
    ],
  });

describe("mapNodes", () => {
  it("matches by the lightsail:instance and lightsail:region tags", () => {
    const node = tagged("mi-00000000000000001", "blog", "us-east-1");

    const matches = mapNodes([blog, shop], [node]);

    expect(matches.get("us-east-1/blog")).toEqual({ kind: "matched", node, by: "tag" });
    expect(matches.get("us-east-1/shop")).toEqual({ kind: "none" });
  });

  it("follows lightsail:region across regions: a node registered elsewhere is still the instance's", () => {
    const london = instance("blog", undefined, { region: "eu-west-2" });
    const node = { ...tagged("mi-00000000000000001", "blog", "eu-west-2"), region: "us-east-1" };

    const matches = mapNodes([blog, london], [node]);

    expect(matches.get("eu-west-2/blog")).toMatchObject({ kind: "matched", by: "tag" });
    expect(matches.get("us-east-1/blog")).toEqual({ kind: "none" });
  });

  it("without lightsail:region, takes the node's own region when the name is in several", () => {
    const london = instance("blog", undefined, { region: "eu-west-2" });
    const node = { ...tagged("mi-00000000000000001", "blog"), region: "eu-west-2" };

    expect(mapNodes([blog, london], [node]).get("eu-west-2/blog")).toMatchObject({
      kind: "matched",
      by: "tag",
    });
  });

  it("matches by name (the activation's default instance name) when untagged", () => {
    const node = bare("mi-00000000000000001", { name: "shop" });

    expect(mapNodes([blog, shop], [node]).get("us-east-1/shop")).toEqual({
      kind: "matched",
      node,
      by: "name",
    });
  });

  it("falls back to the private IP, and says the match is by IP (weak)", () => {
    const node = bare("mi-00000000000000001", { ipAddress: "172.26.1.11" });

    expect(mapNodes([blog, shop], [node]).get("us-east-1/shop")).toEqual({
      kind: "matched",
      node,
      by: "ip",
    });
  });

  it("matches nothing when no tag, name or IP fits", () => {
    const node = bare("mi-00000000000000001", { name: "other", ipAddress: "172.26.9.9" });

    const matches = mapNodes([blog, shop], [node]);

    expect([...matches.values()]).toEqual([{ kind: "none" }, { kind: "none" }]);
  });

  it("reports two nodes claiming one instance as a conflict, not a guess", () => {
    const stale = {
      ...tagged("mi-00000000000000001", "blog", "us-east-1"),
      pingStatus: "ConnectionLost",
    };
    const fresh = tagged("mi-00000000000000002", "blog", "us-east-1");

    expect(mapNodes([blog], [stale, fresh]).get("us-east-1/blog")).toEqual({
      kind: "conflict",
      nodes: [stale, fresh],
      by: "tag",
    });
  });

  it("lets a tag win over another node's weaker name or IP claim", () => {
    const byTag = tagged("mi-00000000000000001", "blog", "us-east-1");
    const byName = bare("mi-00000000000000002", { name: "blog" });
    const byIp = bare("mi-00000000000000003", { ipAddress: "172.26.1.10" });

    expect(mapNodes([blog], [byName, byTag, byIp]).get("us-east-1/blog")).toEqual({
      kind: "matched",
      node: byTag,
      by: "tag",
    });
  });

  it("never second-guesses a tag: a node tagged for an unknown instance claims nothing", () => {
    const node = { ...tagged("mi-00000000000000001", "deleted-site", "us-east-1"), name: "blog" };

    expect(mapNodes([blog], [node]).get("us-east-1/blog")).toEqual({ kind: "none" });
  });

  it("gives up on an IP shared by instances of two other regions", () => {
    const a = instance("a", undefined, { region: "eu-west-2", privateIpAddress: "172.26.5.5" });
    const b = instance("b", undefined, { region: "ap-south-1", privateIpAddress: "172.26.5.5" });
    const node = bare("mi-00000000000000001", { ipAddress: "172.26.5.5" }); // in us-east-1

    const matches = mapNodes([a, b], [node]);

    expect([...matches.values()]).toEqual([{ kind: "none" }, { kind: "none" }]);
  });
});

describe("isOptedIn", () => {
  it("takes the tag auto-patch=true (any case) when targets are tagged", () => {
    const on = instance("a", undefined, { tags: [{ key: "auto-patch", value: "True" }] });
    const off = instance("b", undefined, { tags: [{ key: "auto-patch", value: "false" }] });
    const keyOnly = instance("c", undefined, { tags: [{ key: "auto-patch" }] });
    const none = instance("d");

    expect([on, off, keyOnly, none].map((i) => isOptedIn(i, "tagged"))).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });

  it("takes every instance when targets are all", () => {
    expect(isOptedIn(instance("d"), "all")).toBe(true);
  });
});
