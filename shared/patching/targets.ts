/**
 * Which SSM managed node is which Lightsail instance, and which instances patching may touch.
 * Pure: used by the plan and by the checks.
 *
 * Nothing links a Lightsail instance to the `mi-` node its agent registered as. In order of trust:
 *   1. tag: the node carries `lightsail:instance=<name>` and `lightsail:region=<region>` (copied
 *      from the activation's tags by the registration commands in docs/patching.md);
 *   2. name: the node's Name (the activation's DefaultInstanceName) is the instance name;
 *   3. ip: the node's IP is the instance's private IP. Weak: Lightsail private IPs repeat across
 *      regions and accounts (172.26.x.x), so it is reported but never acted on.
 * A node claims at most one instance, on its strongest evidence; a tagged node whose tag names no
 * audited instance claims nothing (a tag is never second-guessed by the name or the IP). An
 * instance claimed by two nodes on equally strong evidence is a conflict: reported, not guessed.
 */
import type {
  AccountSnapshot,
  LightsailInstance,
  ManagedNode,
  NodeMatchKind,
  PatchTargets,
  Tag,
} from "../model";
import { OPT_IN_TAG } from "./parameters";

export const LIGHTSAIL_INSTANCE_TAG = "lightsail:instance";
export const LIGHTSAIL_REGION_TAG = "lightsail:region";

export type NodeMatch =
  | { kind: "matched"; node: ManagedNode; by: NodeMatchKind }
  | { kind: "conflict"; nodes: ManagedNode[]; by: NodeMatchKind }
  | { kind: "none" };

/** The identity of an instance across regions: `region/name`. */
export const instanceKey = (i: { region: string; name: string }) => `${i.region}/${i.name}`;

const RANK: Record<NodeMatchKind, number> = { tag: 0, name: 1, ip: 2 };

function tagValue(tags: readonly Tag[], key: string): string | undefined {
  return tags.find((t) => t.key === key)?.value?.trim() || undefined;
}

/** The only candidate, or the only one in the node's own region; undefined otherwise. */
function single(candidates: LightsailInstance[], region: string) {
  if (candidates.length === 1) return candidates[0];
  const local = candidates.filter((c) => c.region === region);
  return local.length === 1 ? local[0] : undefined;
}

/** The instance a node claims, and on what evidence; undefined when it claims none. */
export function claimOf(
  node: ManagedNode,
  instances: readonly LightsailInstance[],
): { instance: LightsailInstance; by: NodeMatchKind } | undefined {
  const tagged = tagValue(node.tags, LIGHTSAIL_INSTANCE_TAG);
  if (tagged !== undefined) {
    const region = tagValue(node.tags, LIGHTSAIL_REGION_TAG);
    const candidates = instances.filter(
      (i) => i.name === tagged && (region === undefined || i.region === region),
    );
    const instance = single(candidates, node.region);
    return instance && { instance, by: "tag" };
  }
  const byName = node.name
    ? single(
        instances.filter((i) => i.name === node.name),
        node.region,
      )
    : undefined;
  if (byName) return { instance: byName, by: "name" };
  const byIp = node.ipAddress
    ? single(
        instances.filter((i) => i.privateIpAddress === node.ipAddress),
        node.region,
      )
    : undefined;
  return byIp && { instance: byIp, by: "ip" };
}

/**
 * Every instance's match, by `instanceKey`.
 *
 * @example
 * mapNodes([blog], [{ instanceId: "mi-…", tags: [{ key: "lightsail:instance", value: "blog" }], … }])
 *   .get("us-east-1/blog") // { kind: "matched", by: "tag", node: … }
 */
export function mapNodes(
  instances: readonly LightsailInstance[],
  nodes: readonly ManagedNode[],
): Map<string, NodeMatch> {
  const claims = new Map<string, { node: ManagedNode; by: NodeMatchKind }[]>();
  for (const node of nodes) {
    const claim = claimOf(node, instances);
    if (!claim) continue;
    const key = instanceKey(claim.instance);
    claims.set(key, [...(claims.get(key) ?? []), { node, by: claim.by }]);
  }
  const matches = new Map<string, NodeMatch>();
  for (const instance of instances) {
    const list = claims.get(instanceKey(instance)) ?? [];
    const best = Math.min(...list.map((c) => RANK[c.by]));
    const top = list.filter((c) => RANK[c.by] === best);
    const [first] = top;
    let match: NodeMatch;
    if (!first) match = { kind: "none" };
    else if (top.length === 1) match = { kind: "matched", node: first.node, by: first.by };
    else match = { kind: "conflict", nodes: top.map((c) => c.node), by: first.by };
    matches.set(instanceKey(instance), match);
  }
  return matches;
}

/** Every instance's match over the whole snapshot, and the regions whose nodes are unknown. */
export function snapshotMatches(snapshot: AccountSnapshot): {
  matches: Map<string, NodeMatch>;
  /** Regions where DescribeInstanceInformation failed: a node there may claim any instance. */
  unknownNodeRegions: string[];
} {
  const instances = snapshot.lightsail.flatMap((r) => r.instances ?? []);
  const nodes = snapshot.lightsail.flatMap((r) => r.managedNodes ?? []);
  return {
    matches: mapNodes(instances, nodes),
    unknownNodeRegions: snapshot.lightsail
      .filter((r) => r.managedNodes === null)
      .map((r) => r.region),
  };
}

/** True when patching may touch the instance: tagged `auto-patch=true`, or targets `all`. */
export function isOptedIn(instance: LightsailInstance, targets: PatchTargets): boolean {
  if (targets === "all") return true;
  return instance.tags.some(
    (t) => t.key === OPT_IN_TAG.key && t.value?.trim().toLowerCase() === OPT_IN_TAG.value,
  );
}

/** "mi-0123456789abcdef0 (us-east-1)". */
export function describeNode(node: ManagedNode): string {
  return `${node.instanceId} (${node.region})`;
}

/** What the match rests on, for messages. */
export function matchEvidence(by: NodeMatchKind): string {
  if (by === "tag") return "its lightsail:instance tag";
  if (by === "name") return "its name (the activation's default instance name)";
  return "its private IP address only";
}
