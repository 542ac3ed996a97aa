/**
 * One result per instance: PASS when exactly one Online SSM managed node maps to it by its
 * `lightsail:instance` tag or by its name (see shared/patching/targets.ts). FAIL when none does,
 * when the node is not Online, when two nodes claim it, or when only the private IP matches (a weak
 * match the auditor never acts on). ERROR when no node maps and the nodes of some region could not
 * be listed (one there might).
 */
import { defineCheck, type LightsailInstance, type Outcome } from "../model";
import { describeNode, instanceKey, matchEvidence, snapshotMatches } from "../patching/targets";
import { eachInstance, formatUtc, instanceRef, joinList } from "./lib/resources";

const register = (instance: LightsailInstance) =>
  `Register it with an activation tagged lightsail:instance=${instance.name} and lightsail:region=${instance.region} (docs/patching.md: Registering an instance with Systems Manager).`;

export default defineCheck({
  id: "lightsail-instance-ssm-managed",
  title: "Instance is managed by AWS Systems Manager",
  severity: "medium",
  risk:
    "An instance that is not registered with Systems Manager cannot be patched or inspected remotely: the auditor cannot enforce automatic security updates on it, " +
    "and you find out it stopped updating only when it is compromised.",
  remediation: {
    summary:
      "Create a hybrid activation tagged with the instance's name and region, then register the instance's SSM agent with it.",
    steps: [
      "Create the activation in the region where the auditor is deployed (its document lives there), with --default-instance-name <instance-name> and the tags lightsail:instance=<instance-name> and lightsail:region=<region>.",
      "Connect to the instance with SSH and install the SSM agent if it is missing (sudo snap install amazon-ssm-agent --classic on Ubuntu; the .deb from the Amazon S3 download on Debian).",
      "Register it: sudo amazon-ssm-agent -register -code <activation-code> -id <activation-id> -region <activation-region>, then restart the agent.",
      "Check that the node is Online: aws ssm describe-instance-information --region <activation-region>.",
      "If two nodes claim the instance (it was registered twice), deregister the stale one: aws ssm deregister-managed-instance --instance-id <mi-id>.",
    ],
    cli:
      "aws ssm create-activation --region <activation-region> --iam-role <ssm-service-role> --default-instance-name <instance-name> " +
      "--tags Key=lightsail:instance,Value=<instance-name> Key=lightsail:region,Value=<region> --registration-limit 1   # then on the instance: " +
      "sudo amazon-ssm-agent -register -code <activation-code> -id <activation-id> -region <activation-region>",
    console: "Systems Manager > Hybrid Activations > Create activation; then Fleet Manager",
  },
  reads: ["instances", "managedNodes"],
  evaluate(snapshot): Outcome[] {
    const { matches, unknownNodeRegions } = snapshotMatches(snapshot);
    return eachInstance(
      snapshot,
      "whether they are managed by Systems Manager is unknown",
      (instance): Outcome => {
        const resource = instanceRef(instance);
        const name = `Instance "${instance.name}"`;
        const inName = `instance "${instance.name}"`;
        const match = matches.get(instanceKey(instance)) ?? { kind: "none" };
        if (match.kind === "conflict") {
          return {
            status: "FAIL",
            resource,
            message: `${name} is claimed by ${match.nodes.length} managed nodes (${joinList(match.nodes.map(describeNode))}), each by ${matchEvidence(match.by)}, so the auditor cannot tell which one it is. Deregister the stale node.`,
          };
        }
        if (match.kind === "none") {
          if (unknownNodeRegions.length > 0) {
            return {
              status: "ERROR",
              resource,
              message: `No managed node maps to ${inName}, but the managed nodes of ${joinList(unknownNodeRegions)} could not be listed, so whether it is managed is unknown.`,
            };
          }
          return {
            status: "FAIL",
            resource,
            message: `${name} is not registered with Systems Manager: no managed node carries its lightsail:instance tag, its name or its private IP address. ${register(instance)}`,
          };
        }
        const node = match.node;
        if (match.by === "ip") {
          return {
            status: "FAIL",
            resource,
            message: `Only a weak match: managed node ${describeNode(node)} has the private IP address of ${inName} (${instance.privateIpAddress}) but neither its tag nor its name, and private IP addresses repeat across regions. Tag the node lightsail:instance=${instance.name} and lightsail:region=${instance.region} (aws ssm add-tags-to-resource --resource-type ManagedInstance --resource-id ${node.instanceId} …).`,
          };
        }
        if (node.pingStatus !== "Online") {
          const since = node.lastPingDateTime
            ? ` (last seen ${formatUtc(node.lastPingDateTime)})`
            : "";
          return {
            status: "FAIL",
            resource,
            message: `${name} maps to managed node ${describeNode(node)} by ${matchEvidence(match.by)}, but the node is ${node.pingStatus ?? "not reporting"}${since}: the SSM agent is stopped, cannot reach Systems Manager, or the instance is stopped.`,
          };
        }
        return {
          status: "PASS",
          resource,
          message: `${name} is managed by Systems Manager: node ${describeNode(node)}, matched by ${matchEvidence(match.by)}, is Online.`,
        };
      },
    );
  },
});
