/**
 * The SSM adapter over a mocked SSMClient (aws-sdk-client-mock): SDK-v3-shaped responses (Date
 * objects), the A.4 node of aws-api-facts.md, and the calls it must (and must not) make.
 */
import "aws-sdk-client-mock-vitest/extend";
import {
  type CommandInvocation,
  DescribeInstanceInformationCommand,
  type DescribeInstanceInformationCommandInput,
  GetCommandInvocationCommand,
  type InstanceInformation,
  InvocationDoesNotExist,
  ListCommandInvocationsCommand,
  ListTagsForResourceCommand,
  SendCommandCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  getCommandInvocation,
  getCommandRuns,
  getManagedNodes,
  sendCommand,
} from "../../../shared/aws/ssm";

const ssm = mockClient(SSMClient);
const client = new SSMClient({ region: "us-east-1" });

beforeEach(() => {
  ssm.reset();
});

/** The A.4 node (DescribeInstanceInformation, built from the model). */
function node(id: string, overrides: Partial<InstanceInformation> = {}): InstanceInformation {
  return {
    InstanceId: id,
    PingStatus: "Online",
    LastPingDateTime: new Date("2026-08-01T11:58:00.000Z"),
    AgentVersion: "3.3.0.0",
    IsLatestVersion: false,
    PlatformType: "Linux",
    PlatformName: "Debian GNU/Linux",
    PlatformVersion: "12",
    ActivationId: "5743558d-563b-4457-8682-d16c3EXAMPLE",
    IamRole: "SSMServiceRole",
    RegistrationDate: new Date("2026-01-01T00:00:00.000Z"),
    ResourceType: "ManagedInstance",
    Name: "WordPress-1",
    IPAddress: "172.26.12.13",
    ComputerName: "ip-172-26-12-13",
    SourceId: id,
    SourceType: "AWS::SSM::ManagedInstance",
    ...overrides,
  };
}

/** Serves DescribeInstanceInformation by filter key: all hybrid nodes, or the tagged ones. */
function serveNodes(all: InstanceInformation[][], tagged: InstanceInformation[]) {
  ssm
    .on(DescribeInstanceInformationCommand)
    .callsFake((input: DescribeInstanceInformationCommandInput) => {
      const key = input.Filters?.[0]?.Key;
      if (key === "tag-key") return { InstanceInformationList: tagged, $metadata: {} };
      const page = Number(input.NextToken ?? "0");
      return {
        InstanceInformationList: all[page],
        NextToken: page + 1 < all.length ? String(page + 1) : undefined,
        $metadata: {},
      };
    });
}

describe("getManagedNodes", () => {
  it("lists hybrid nodes over pages, and reads tags only of those tagged lightsail:instance", async () => {
    // Prepare
    const a = node("mi-0123456789abcdef0");
    const b = node("mi-0fedcba9876543210", { Name: "shop", IPAddress: "172.26.9.118" });
    serveNodes([[a], [b]], [a]);
    ssm.on(ListTagsForResourceCommand).resolves({
      TagList: [
        { Key: "lightsail:instance", Value: "blog" },
        { Key: "lightsail:region", Value: "eu-west-2" },
      ],
    });

    // Act
    const nodes = await getManagedNodes(client, "us-east-1");

    // Assess
    expect(nodes).toEqual([
      {
        instanceId: "mi-0123456789abcdef0",
        region: "us-east-1",
        pingStatus: "Online",
        lastPingDateTime: "2026-08-01T11:58:00.000Z",
        platformType: "Linux",
        platformName: "Debian GNU/Linux",
        platformVersion: "12",
        agentVersion: "3.3.0.0",
        resourceType: "ManagedInstance",
        name: "WordPress-1",
        ipAddress: "172.26.12.13",
        computerName: "ip-172-26-12-13",
        tags: [
          { key: "lightsail:instance", value: "blog" },
          { key: "lightsail:region", value: "eu-west-2" },
        ],
      },
      expect.objectContaining({ instanceId: "mi-0fedcba9876543210", name: "shop", tags: [] }),
    ]);
    const filters = ssm
      .commandCalls(DescribeInstanceInformationCommand)
      .map((c) => [c.args[0].input.Filters, c.args[0].input.MaxResults]);
    expect(filters).toEqual([
      [[{ Key: "ResourceType", Values: ["ManagedInstance"] }], 50],
      [[{ Key: "ResourceType", Values: ["ManagedInstance"] }], 50],
      [[{ Key: "tag-key", Values: ["lightsail:instance"] }], 50],
    ]);
    expect(ssm).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 1);
    expect(ssm).toHaveReceivedCommandWith(ListTagsForResourceCommand, {
      ResourceType: "ManagedInstance",
      ResourceId: "mi-0123456789abcdef0",
    });
  });

  it("makes a single call in a region with no hybrid node", async () => {
    serveNodes([[]], []);

    expect(await getManagedNodes(client, "eu-west-2")).toEqual([]);
    expect(ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 1);
    expect(ssm).not.toHaveReceivedCommand(ListTagsForResourceCommand);
  });

  it("lets an SDK error through unchanged (the collector records it)", async () => {
    serveNodes([[node("mi-0123456789abcdef0")]], [node("mi-0123456789abcdef0")]);
    ssm
      .on(ListTagsForResourceCommand)
      .rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));

    await expect(getManagedNodes(client, "us-east-1")).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
  });
});

describe("getCommandRuns", () => {
  const invocation = (overrides: Partial<CommandInvocation> = {}): CommandInvocation => ({
    CommandId: "ef7fdfd8-9b57-4151-a15c-db9a12345678",
    InstanceId: "mi-0123456789abcdef0",
    InstanceName: "ip-172-26-12-13",
    DocumentName: "doc",
    DocumentVersion: "3",
    RequestedDateTime: new Date("2026-07-31T06:00:00.000Z"),
    Status: "Success",
    StatusDetails: "Success",
    CommandPlugins: [
      {
        Name: "enforcePatching",
        Status: "Success",
        ResponseCode: 0,
        Output: '{"lightsailAuditorPatch":1,…}',
      },
    ],
    ...overrides,
  });

  it("filters by document and time with details, over pages, and takes the step's output", async () => {
    ssm
      .on(ListCommandInvocationsCommand)
      .resolvesOnce({ CommandInvocations: [invocation()], NextToken: "n2" })
      .resolvesOnce({
        CommandInvocations: [
          invocation({
            InstanceId: "mi-0fedcba9876543210",
            Status: "Failed",
            CommandPlugins: [
              { Name: "other", ResponseCode: 0, Output: "other step" },
              { Name: "enforcePatching", ResponseCode: 1, Output: "E: failed" },
            ],
          }),
        ],
      });

    const runs = await getCommandRuns(
      client,
      "doc",
      new Date("2026-07-02T12:00:00.123Z"),
      "enforcePatching",
    );

    expect(runs).toEqual([
      {
        commandId: "ef7fdfd8-9b57-4151-a15c-db9a12345678",
        instanceId: "mi-0123456789abcdef0",
        requestedAt: "2026-07-31T06:00:00.000Z",
        status: "Success",
        statusDetails: "Success",
        responseCode: 0,
        documentVersion: "3",
        output: '{"lightsailAuditorPatch":1,…}',
      },
      expect.objectContaining({ status: "Failed", responseCode: 1, output: "E: failed" }),
    ]);
    // (The paginator reuses one input object, so only its stable fields are compared.)
    const inputs = ssm.commandCalls(ListCommandInvocationsCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toMatchObject({
      Details: true,
      MaxResults: 50,
      Filters: [
        { key: "DocumentName", value: "doc" },
        { key: "InvokedAfter", value: "2026-07-02T12:00:00Z" },
      ],
    });
    expect(inputs[1]?.NextToken).toBe("n2");
  });
});

describe("Run Command", () => {
  it("sends the request as given and returns the CommandId", async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: "c-1", Status: "Pending" } });

    const id = await sendCommand(client, {
      region: "us-east-1",
      documentName: "doc",
      documentVersion: "$LATEST",
      instanceIds: ["mi-0123456789abcdef0"],
      parameters: { automaticReboot: ["true"] },
      timeoutSeconds: 600,
      maxConcurrency: "10",
      maxErrors: "5",
      comment: "lightsail-auditor: enforce automatic patching",
    });

    expect(id).toBe("c-1");
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, {
      DocumentName: "doc",
      DocumentVersion: "$LATEST",
      InstanceIds: ["mi-0123456789abcdef0"],
      Parameters: { automaticReboot: ["true"] },
      TimeoutSeconds: 600,
      MaxConcurrency: "10",
      MaxErrors: "5",
      Comment: "lightsail-auditor: enforce automatic patching",
    });
  });

  it("reads an invocation of the document's step", async () => {
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: "Failed",
      StatusDetails: "Failed",
      ResponseCode: 1,
      StandardOutputContent: "{}",
    });

    const inv = await getCommandInvocation(
      client,
      "c-1",
      "mi-0123456789abcdef0",
      "enforcePatching",
    );

    expect(inv).toEqual({
      status: "Failed",
      statusDetails: "Failed",
      responseCode: 1,
      output: "{}",
    });
    expect(ssm).toHaveReceivedCommandWith(GetCommandInvocationCommand, {
      CommandId: "c-1",
      InstanceId: "mi-0123456789abcdef0",
      PluginName: "enforcePatching",
    });
  });

  it("lets InvocationDoesNotExist through for the runner to treat as not yet", async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .rejects(new InvocationDoesNotExist({ message: "", $metadata: {} }));

    await expect(
      getCommandInvocation(client, "c-1", "mi-1", "enforcePatching"),
    ).rejects.toMatchObject({
      name: "InvocationDoesNotExist",
    });
  });
});
