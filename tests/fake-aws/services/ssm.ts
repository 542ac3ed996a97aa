/**
 * SSM (awsJson1_1, target `AmazonSSM`), regional: nodes and commands belong to the called region.
 *
 * - DescribeInstanceInformation: `Filters` on the node attributes, `tag:<key>` and `tag-key`;
 *   MaxResults 5 to 50 (default 10) with NextToken paging. Tags are matched but, as in AWS, not
 *   returned.
 * - SendCommand: targets by `InstanceIds` (each must be a node of the region, else
 *   `InvalidInstanceId`) or `Targets` (`InstanceIds`, `tag:<key>`, `tag-key`); answers the Command
 *   with Status `Pending` and records it.
 * - GetCommandInvocation / ListCommandInvocations: the first look at an invocation finds it not
 *   yet there (`InvocationDoesNotExist`, the normal answer right after SendCommand; List shows it
 *   `Pending`), every later look finds it finished with `settings.commandResult` (a constant one
 *   gives way to `account.wordpressInventories` for the WordPress inventory document; a result of
 *   status `InProgress` never finishes). Commands of `account.ssmCommands` (history from before
 *   the fake started) are finished from the first look, each target with its own result.
 *   ListCommandInvocations filters by `DocumentName`, `InvokedAfter` and `InvokedBefore`.
 * - ListTagsForResource: the tags of a `ManagedInstance` of the region.
 */
import { randomUUID } from "node:crypto";
import type {
  DescribeInstanceInformationRequest,
  GetCommandInvocationRequest,
  ListCommandInvocationsRequest,
  ListTagsForResourceRequest,
  SendCommandRequest,
} from "@aws-sdk/client-ssm";
import type { FakeManagedNode, SsmInstanceInformation } from "../account";
import { AwsError, paginate } from "../protocol";
import type { CallContext, CommandResult, JsonService, SentCommand } from "../state";

const FILTER_FIELDS: Record<string, keyof SsmInstanceInformation> = {
  InstanceIds: "InstanceId",
  AgentVersion: "AgentVersion",
  PingStatus: "PingStatus",
  PlatformTypes: "PlatformType",
  ActivationIds: "ActivationId",
  IamRole: "IamRole",
  ResourceType: "ResourceType",
  AssociationStatus: "AssociationStatus",
  SourceIds: "SourceId",
  SourceTypes: "SourceType",
};

const nodesOf = ({ state, region }: CallContext) => state.account.ssmNodes[region] ?? [];

function matches(node: FakeManagedNode, key: string, values: string[]): boolean {
  if (key === "tag-key") return node.tags.some((t) => values.includes(t.Key));
  if (key.startsWith("tag:")) {
    const tagKey = key.slice(4);
    return node.tags.some((t) => t.Key === tagKey && values.includes(t.Value));
  }
  const field = FILTER_FIELDS[key];
  if (field === undefined)
    throw new AwsError("InvalidFilterKey", `The filter key ${key} is not valid.`);
  return values.includes(String(node.info[field]));
}

function maxResults(value: number | undefined, fallback: number, min: number, max: number): number {
  const n = value ?? fallback;
  if (n < min || n > max) {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value '${n}' at 'maxResults' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  return n;
}

const invalidToken = () => new AwsError("InvalidNextToken", "The specified token is not valid.");

/** Counts one look at an invocation; false while it does not exist yet (the first look). */
function look(command: SentCommand, instanceId: string): boolean {
  const looks = (command.looks.get(instanceId) ?? 0) + 1;
  command.looks.set(instanceId, looks);
  return looks > 1;
}

function resultOf(ctx: CallContext, command: SentCommand, instanceId: string): CommandResult {
  const recorded = command.results?.get(instanceId);
  if (recorded) return recorded;
  const setting = ctx.state.settings.commandResult;
  if (typeof setting === "function") {
    return setting({
      commandId: command.CommandId,
      instanceId,
      documentName: command.DocumentName,
    });
  }
  // The inventory document prints the node's inventory, as the real script would.
  if (command.DocumentName.endsWith("wordpress-inventory")) {
    return {
      Status: "Success",
      ResponseCode: 0,
      StandardOutputContent:
        ctx.state.account.wordpressInventories?.[instanceId] ??
        '{"lightsailAuditorWp":1,"sites":[],"listCap":200,"errors":[]}\n',
      StandardErrorContent: "",
    };
  }
  return setting;
}

const STATUS_DETAILS: Record<string, string> = {
  InProgress: "In Progress",
  Success: "Success",
  Failed: "Failed",
  TimedOut: "Execution Timed Out",
  Cancelled: "Cancelled",
};

/** ListCommandInvocations filters the fake implements, as predicates on a command. */
function commandFilter(filter: { key?: string; value?: string }): (c: SentCommand) => boolean {
  const value = filter.value ?? "";
  const time = () => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) {
      throw new AwsError(
        "InvalidFilterValue",
        `The filter value ${value} is not a valid timestamp.`,
      );
    }
    return ms / 1000;
  };
  switch (filter.key) {
    case "DocumentName":
      return (c) => c.DocumentName === value;
    case "InvokedAfter": {
      const after = time();
      return (c) => c.RequestedDateTime >= after;
    }
    case "InvokedBefore": {
      const before = time();
      return (c) => c.RequestedDateTime <= before;
    }
    case "Status":
    case "ExecutionStage":
      throw new AwsError(
        "ValidationException",
        `fake-aws does not implement the ListCommandInvocations filter ${filter.key}.`,
      );
    default:
      throw new AwsError("InvalidFilterKey", `The filter key ${filter.key} is not valid.`);
  }
}

/** Execution timestamps: one second after the request, running for 91 ms. */
function executionTimes(command: SentCommand) {
  const start = command.RequestedDateTime + 1;
  return { start, end: start + 0.091 };
}

const isoOf = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

export const ssm: JsonService = {
  protocol: "json",
  target: "AmazonSSM",
  operations: {
    DescribeInstanceInformation: (req: DescribeInstanceInformationRequest, ctx) => {
      const filters = [
        ...(req.Filters ?? []),
        ...(req.InstanceInformationFilterList ?? []).map((f) => ({
          Key: f.key,
          Values: f.valueSet,
        })),
      ];
      const nodes = nodesOf(ctx).filter((node) =>
        filters.every((f) => matches(node, f.Key ?? "", f.Values ?? [])),
      );
      const size = maxResults(req.MaxResults, 10, 5, 50);
      const { page, next } = paginate(nodes, req.NextToken, size, invalidToken);
      return { InstanceInformationList: page.map((n) => n.info), NextToken: next };
    },

    SendCommand: (req: SendCommandRequest, ctx) => {
      if (!req.DocumentName) throw new AwsError("ValidationException", "DocumentName is required.");
      const nodes = nodesOf(ctx);
      let instanceIds: string[];
      if (req.InstanceIds?.length) {
        if (req.InstanceIds.length > 50) {
          throw new AwsError("ValidationException", "InstanceIds takes at most 50 ids.");
        }
        const unknown = req.InstanceIds.filter(
          (id) => !nodes.some((n) => n.info.InstanceId === id),
        );
        if (unknown.length > 0) {
          throw new AwsError(
            "InvalidInstanceId",
            `Instances [[${unknown.join(", ")}]] not in a valid state for account ${ctx.state.account.accountId}`,
          );
        }
        instanceIds = req.InstanceIds;
      } else if (req.Targets?.length) {
        const targets = req.Targets;
        const badKey = targets.find((t) => !/^(InstanceIds|tag-key|tag:.+)$/.test(t.Key ?? ""));
        if (badKey) {
          throw new AwsError(
            "InvalidTarget",
            `fake-aws supports the target keys InstanceIds, tag:<key> and tag-key, not ${badKey.Key}.`,
          );
        }
        instanceIds = nodes
          .filter((n) => targets.every((t) => matches(n, t.Key ?? "", t.Values ?? [])))
          .map((n) => n.info.InstanceId);
      } else {
        throw new AwsError("ValidationException", "Specify InstanceIds or Targets.");
      }

      const command: SentCommand = {
        region: ctx.region,
        CommandId: randomUUID(),
        DocumentName: req.DocumentName,
        Comment: req.Comment ?? "",
        Parameters: (req.Parameters ?? {}) as Record<string, string[]>,
        RequestedDateTime: ctx.state.now().getTime() / 1000,
        looks: new Map(instanceIds.map((id) => [id, 0])),
      };
      ctx.state.commands.push(command);
      const timeoutSeconds = req.TimeoutSeconds ?? 3600;
      return {
        Command: {
          CommandId: command.CommandId,
          DocumentName: command.DocumentName,
          DocumentVersion: req.DocumentVersion ?? "",
          Comment: command.Comment,
          ExpiresAfter: command.RequestedDateTime + timeoutSeconds,
          Parameters: command.Parameters,
          InstanceIds: req.InstanceIds ?? [],
          Targets: req.Targets ?? [],
          RequestedDateTime: command.RequestedDateTime,
          Status: "Pending",
          StatusDetails: "Pending",
          OutputS3BucketName: req.OutputS3BucketName ?? "",
          OutputS3KeyPrefix: req.OutputS3KeyPrefix ?? "",
          MaxConcurrency: req.MaxConcurrency ?? "50",
          MaxErrors: req.MaxErrors ?? "0",
          TargetCount: instanceIds.length,
          CompletedCount: 0,
          ErrorCount: 0,
          DeliveryTimedOutCount: 0,
          ServiceRole: req.ServiceRoleArn ?? "",
          CloudWatchOutputConfig: req.CloudWatchOutputConfig ?? {
            CloudWatchLogGroupName: "",
            CloudWatchOutputEnabled: false,
          },
          TimeoutSeconds: timeoutSeconds,
        },
      };
    },

    GetCommandInvocation: (req: GetCommandInvocationRequest, ctx) => {
      const command = ctx.state.commands.find(
        (c) => c.CommandId === req.CommandId && c.region === ctx.region,
      );
      const instanceId = req.InstanceId ?? "";
      if (!command?.looks.has(instanceId) || !look(command, instanceId)) {
        throw new AwsError("InvocationDoesNotExist", "The invocation does not exist.");
      }
      const result = resultOf(ctx, command, instanceId);
      const { start, end } = executionTimes(command);
      const running = result.Status === "InProgress";
      return {
        CommandId: command.CommandId,
        InstanceId: instanceId,
        Comment: command.Comment,
        DocumentName: command.DocumentName,
        DocumentVersion: "$DEFAULT",
        PluginName: req.PluginName ?? "aws:runShellScript",
        ResponseCode: running ? -1 : result.ResponseCode,
        ExecutionStartDateTime: isoOf(start),
        ExecutionElapsedTime: running ? "" : "PT0.091S",
        ExecutionEndDateTime: running ? "" : isoOf(end),
        Status: result.Status,
        StatusDetails: STATUS_DETAILS[result.Status],
        StandardOutputContent: result.StandardOutputContent.slice(0, 24_000),
        StandardOutputUrl: "",
        StandardErrorContent: result.StandardErrorContent.slice(0, 8_000),
        StandardErrorUrl: "",
        CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
      };
    },

    ListCommandInvocations: (req: ListCommandInvocationsRequest, ctx) => {
      const filters = (req.Filters ?? []).map(commandFilter);
      const commands = ctx.state.commands.filter(
        (c) =>
          c.region === ctx.region &&
          (req.CommandId === undefined || c.CommandId === req.CommandId) &&
          filters.every((f) => f(c)),
      );
      const pairs = commands.flatMap((command) =>
        [...command.looks.keys()]
          .filter((id) => req.InstanceId === undefined || id === req.InstanceId)
          .map((instanceId) => ({ command, instanceId })),
      );
      const size = maxResults(req.MaxResults, 50, 1, 50);
      const { page, next } = paginate(pairs, req.NextToken, size, invalidToken);
      const invocations = page.map(({ command, instanceId }) => {
        const node = nodesOf(ctx).find((n) => n.info.InstanceId === instanceId);
        const done = look(command, instanceId);
        const result = done ? resultOf(ctx, command, instanceId) : undefined;
        const status = result?.Status ?? "Pending";
        const finished = result !== undefined && status !== "InProgress";
        const { start, end } = executionTimes(command);
        return {
          CommandId: command.CommandId,
          InstanceId: instanceId,
          InstanceName: node?.info.ComputerName ?? "",
          Comment: command.Comment,
          DocumentName: command.DocumentName,
          DocumentVersion: "$DEFAULT",
          RequestedDateTime: command.RequestedDateTime,
          Status: status,
          StatusDetails: STATUS_DETAILS[status] ?? "Pending",
          StandardOutputUrl: "",
          StandardErrorUrl: "",
          CommandPlugins: req.Details
            ? [
                {
                  Name: "aws:runShellScript",
                  Status: status,
                  StatusDetails: STATUS_DETAILS[status] ?? "Pending",
                  ResponseCode: finished ? result.ResponseCode : -1,
                  ...(result && { ResponseStartDateTime: start }),
                  ...(finished && { ResponseFinishDateTime: end }),
                  Output: result?.StandardOutputContent.slice(0, 2_500) ?? "",
                  StandardOutputUrl: "",
                  StandardErrorUrl: "",
                },
              ]
            : [],
          ServiceRole: "",
          CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
        };
      });
      return { CommandInvocations: invocations, NextToken: next };
    },

    ListTagsForResource: (req: ListTagsForResourceRequest, ctx) => {
      if (req.ResourceType !== "ManagedInstance") {
        throw new AwsError(
          "InvalidResourceType",
          `fake-aws lists the tags of ManagedInstance resources only, not ${req.ResourceType}.`,
        );
      }
      const node = nodesOf(ctx).find((n) => n.info.InstanceId === req.ResourceId);
      if (!node) {
        throw new AwsError(
          "InvalidResourceId",
          "The resource ID is not valid. Verify the ID and try again.",
        );
      }
      return { TagList: node.tags.map((t) => ({ ...t })) };
    },
  },
};
