/**
 * The patching plan: for every audited instance, whether the document is sent to it and, if not,
 * why. Pure. Only an instance that is opted in and maps to exactly one Online Linux node, by tag or
 * name (never by IP alone), registered in the document's region, with valid parameter tags, is
 * sent anything.
 */
import type { AccountSnapshot, Fact, PatchPlanEntry, PatchTargets } from "../model";
import { OPT_IN_TAG, parametersFor } from "./parameters";
import { describeNode, instanceKey, isOptedIn, snapshotMatches } from "./targets";

/** What the plan reads: every audited instance, and the managed nodes to map them to. */
export const PATCHING_READS: readonly Fact[] = ["instances", "managedNodes"];

export interface PlanOptions {
  targets: PatchTargets;
  /** The region the document exists in: commands can only run on nodes registered there. */
  documentRegion: string;
}

/**
 * @example
 * planPatching(snapshot, { targets: "tagged", documentRegion: "us-east-1" })
 *   .filter((e) => e.action === "send")
 */
export function planPatching(snapshot: AccountSnapshot, options: PlanOptions): PatchPlanEntry[] {
  const { matches, unknownNodeRegions } = snapshotMatches(snapshot);
  return snapshot.lightsail.flatMap((facts) =>
    (facts.instances ?? []).map((instance): PatchPlanEntry => {
      const optedIn = isOptedIn(instance, options.targets);
      const base = {
        instance: { name: instance.name, region: instance.region, arn: instance.arn },
        optedIn,
      };
      const skip = (reason: string, rest: Partial<PatchPlanEntry> = {}): PatchPlanEntry => ({
        ...base,
        ...rest,
        action: "skip",
        reason,
      });
      const match = matches.get(instanceKey(instance)) ?? { kind: "none" };
      const node =
        match.kind === "matched"
          ? {
              node: {
                instanceId: match.node.instanceId,
                region: match.node.region,
                matchedBy: match.by,
                ...(match.node.pingStatus ? { pingStatus: match.node.pingStatus } : {}),
              },
            }
          : {};

      if (!optedIn) {
        return skip(
          `not opted in (tag the instance ${OPT_IN_TAG.key}=${OPT_IN_TAG.value}, or set patch targets to all)`,
          node,
        );
      }
      if (match.kind === "none") {
        return skip(
          unknownNodeRegions.length > 0
            ? `no managed node found, but the nodes of ${unknownNodeRegions.join(", ")} could not be listed`
            : "no SSM managed node maps to it (see lightsail-instance-ssm-managed to register it)",
        );
      }
      if (match.kind === "conflict") {
        return skip(
          `${match.nodes.map(describeNode).join(" and ")} all claim it by ${match.by}: deregister the stale node; nothing is sent until one remains`,
        );
      }
      const n = match.node;
      if (match.by === "ip") {
        return skip(
          `only node ${describeNode(n)} shares its private IP address, a weak match: tag the node lightsail:instance=${instance.name} to have it patched`,
          node,
        );
      }
      if (n.pingStatus !== "Online") {
        return skip(
          `node ${describeNode(n)} is ${n.pingStatus ?? "not reporting"}, not Online`,
          node,
        );
      }
      if (n.platformType !== undefined && n.platformType !== "Linux") {
        return skip(
          `node ${describeNode(n)} runs ${n.platformType}; the document is for Linux`,
          node,
        );
      }
      if (n.region !== options.documentRegion) {
        return skip(
          `node ${describeNode(n)} is registered in ${n.region}, but the patching document exists in ${options.documentRegion} only: register the instance with an activation created there`,
          node,
        );
      }
      const { parameters, invalid } = parametersFor(instance.tags);
      if (invalid.length > 0) return skip(`invalid ${invalid.join(", ")}`, node);
      return {
        ...base,
        ...node,
        action: "send",
        reason: `node ${describeNode(n)}, matched by ${match.by}, is Online`,
        parameters,
      };
    }),
  );
}
