/**
 * SSM adapter: managed nodes (with the tags that tie them to Lightsail instances), the history of
 * the patching document's runs, and Run Command (send, then read each invocation).
 *
 * Tags: DescribeInstanceInformation does not return them, and a tag *value* can only be read per
 * node (ListTagsForResource) or looked up per value (a `tag:lightsail:instance` filter per
 * instance name). Per region this adapter makes ceil(hybrid nodes / 50) listing calls, one more
 * listing (filter `tag-key`) only where there are nodes, then one ListTagsForResource per node that
 * carries `lightsail:instance`. That is independent of the number of Lightsail instances (a filter
 * per name would cost one call per instance per region, since a node may be registered in any
 * region), and untagged nodes cost nothing extra.
 */
import {
  GetCommandInvocationCommand,
  type InstanceInformation,
  type InstanceInformationStringFilter,
  ListTagsForResourceCommand,
  paginateDescribeInstanceInformation,
  paginateListCommandInvocations,
  SendCommandCommand,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import { mapLimit } from "../collect/concurrency";
import type { ManagedNode, Tag } from "../model";
import type { CommandRun } from "../patching/result";
import type { Invocation, PatchCommands, SendCommandRequest } from "../patching/runner";
import { LIGHTSAIL_INSTANCE_TAG } from "../patching/targets";
import type { AwsClients } from "./clients";
import { guarded } from "./pages";

/** What the audit reads (the stack must grant exactly these; see tests). */
export const SSM_READ_ACTIONS = [
  "ssm:DescribeInstanceInformation",
  "ssm:ListTagsForResource",
  "ssm:ListCommandInvocations",
] as const;

/**
 * What patch enforcement calls. SendCommand is granted on the document and on this region's
 * managed-instance/* carrying the lightsail:instance tag only (serverless.yml RunOnLightsailNodes).
 */
export const SSM_COMMAND_ACTIONS = ["ssm:SendCommand", "ssm:GetCommandInvocation"] as const;

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

async function describeNodes(client: SSMClient, filters: InstanceInformationStringFilter[]) {
  const out: InstanceInformation[] = [];
  for await (const page of guarded(
    "DescribeInstanceInformation",
    paginateDescribeInstanceInformation({ client, pageSize: 50 }, { Filters: filters }),
    (p) => p.NextToken,
  )) {
    out.push(...(page.InstanceInformationList ?? []));
  }
  return out;
}

function toNode(n: InstanceInformation, region: string, tags: Tag[]): ManagedNode {
  return {
    instanceId: n.InstanceId ?? "",
    region,
    pingStatus: n.PingStatus,
    lastPingDateTime: iso(n.LastPingDateTime),
    platformType: n.PlatformType,
    platformName: n.PlatformName,
    platformVersion: n.PlatformVersion,
    agentVersion: n.AgentVersion,
    resourceType: n.ResourceType,
    name: n.Name,
    ipAddress: n.IPAddress,
    computerName: n.ComputerName,
    tags,
  };
}

/** The hybrid (`mi-`) nodes registered in the client's region, with their tags where tagged. */
export async function getManagedNodes(client: SSMClient, region: string): Promise<ManagedNode[]> {
  const nodes = await describeNodes(client, [{ Key: "ResourceType", Values: ["ManagedInstance"] }]);
  if (nodes.length === 0) return [];
  // Tag filters cannot be combined with other filters: a second listing, of tagged nodes only.
  const tagged = new Set(
    (await describeNodes(client, [{ Key: "tag-key", Values: [LIGHTSAIL_INSTANCE_TAG] }])).map(
      (n) => n.InstanceId,
    ),
  );
  return mapLimit(nodes, 5, async (n) => {
    if (!n.InstanceId || !tagged.has(n.InstanceId)) return toNode(n, region, []);
    const r = await client.send(
      new ListTagsForResourceCommand({ ResourceType: "ManagedInstance", ResourceId: n.InstanceId }),
    );
    const tags = (r.TagList ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value }));
    return toNode(n, region, tags);
  });
}

/** Every run of `documentName` requested after `since` in the client's region, with its output. */
export async function getCommandRuns(
  client: SSMClient,
  documentName: string,
  since: Date,
  stepName: string,
): Promise<CommandRun[]> {
  const runs: CommandRun[] = [];
  const pages = paginateListCommandInvocations(
    { client, pageSize: 50 },
    {
      Details: true,
      Filters: [
        { key: "DocumentName", value: documentName },
        { key: "InvokedAfter", value: since.toISOString().replace(/\.\d{3}Z$/, "Z") },
      ],
    },
  );
  for await (const page of guarded("ListCommandInvocations", pages, (p) => p.NextToken)) {
    for (const inv of page.CommandInvocations ?? []) {
      const step = inv.CommandPlugins?.find((p) => p.Name === stepName) ?? inv.CommandPlugins?.[0];
      runs.push({
        commandId: inv.CommandId ?? "",
        instanceId: inv.InstanceId ?? "",
        requestedAt: iso(inv.RequestedDateTime),
        status: inv.Status ?? "",
        statusDetails: inv.StatusDetails,
        responseCode: step?.ResponseCode,
        documentVersion: inv.DocumentVersion,
        output: step?.Output ?? "",
      });
    }
  }
  return runs;
}

export async function sendCommand(client: SSMClient, request: SendCommandRequest) {
  const r = await client.send(
    new SendCommandCommand({
      DocumentName: request.documentName,
      DocumentVersion: request.documentVersion,
      InstanceIds: request.instanceIds,
      Parameters: request.parameters,
      TimeoutSeconds: request.timeoutSeconds,
      MaxConcurrency: request.maxConcurrency,
      MaxErrors: request.maxErrors,
      Comment: request.comment,
    }),
  );
  if (!r.Command?.CommandId) {
    throw Object.assign(new Error("SendCommand returned no CommandId"), { name: "NoCommandId" });
  }
  return r.Command.CommandId;
}

export async function getCommandInvocation(
  client: SSMClient,
  commandId: string,
  instanceId: string,
  pluginName: string,
): Promise<Invocation> {
  const r = await client.send(
    new GetCommandInvocationCommand({
      CommandId: commandId,
      InstanceId: instanceId,
      PluginName: pluginName,
    }),
  );
  return {
    status: r.Status ?? "",
    statusDetails: r.StatusDetails,
    responseCode: r.ResponseCode,
    output: r.StandardOutputContent ?? "",
  };
}

/** The runner's interface over real clients, one per region. */
export function createPatchCommands(clients: AwsClients): PatchCommands {
  return {
    sendCommand: (request) => sendCommand(clients.ssm(request.region), request),
    getCommandInvocation: (region, commandId, instanceId, pluginName) =>
      getCommandInvocation(clients.ssm(region), commandId, instanceId, pluginName),
  };
}
