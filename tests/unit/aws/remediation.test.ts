/**
 * The fixes' adapters over mocked clients (aws-sdk-client-mock): the Lightsail writes send every
 * source list explicitly and treat a Failed operation as an error; change records carry their key
 * and a 400-day TTL in the table and come back without them.
 */
import "aws-sdk-client-mock-vitest/extend";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  CloseInstancePublicPortsCommand,
  GetInstanceCommand,
  type InstancePortInfo,
  LightsailClient,
  OpenInstancePublicPortsCommand,
  PutInstancePublicPortsCommand,
  UpdateLoadBalancerAttributeCommand,
} from "@aws-sdk/client-lightsail";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createChangeStore } from "../../../shared/aws/change-store";
import {
  closeInstancePublicPorts,
  getInstance,
  openInstancePublicPorts,
  updateLoadBalancerAttribute,
} from "../../../shared/aws/lightsail";
import type { Change, FirewallRule } from "../../../shared/model";
import { enforced } from "../../helpers/remediation";

const lightsail = mockClient(LightsailClient);
const client = new LightsailClient({ region: "us-east-1" });
const ipv6Only: FirewallRule = {
  fromPort: 22,
  toPort: 22,
  protocol: "tcp",
  cidrs: [],
  ipv6Cidrs: ["::/0"],
  cidrListAliases: [],
};
const succeeded = { operation: { id: "op-1", status: "Succeeded" as const, isTerminal: true } };

beforeEach(() => lightsail.reset());

describe("Lightsail writes", () => {
  it("Close sends the three source lists explicitly, even empty, so only ::/0 is closed", async () => {
    lightsail.on(CloseInstancePublicPortsCommand).resolves(succeeded);

    await closeInstancePublicPorts(client, "staging", ipv6Only);

    expect(lightsail).toHaveReceivedCommandWith(CloseInstancePublicPortsCommand, {
      instanceName: "staging",
      portInfo: { ...ipv6Only, protocol: "tcp" },
    });
    expect(lightsail).not.toHaveReceivedCommand(PutInstancePublicPortsCommand);
  });

  it("refuses a load-balancer attribute the fixes do not change (IAM cannot narrow it)", async () => {
    lightsail.on(UpdateLoadBalancerAttributeCommand).resolves({ operations: [] });

    await expect(updateLoadBalancerAttribute(client, "lb", "HealthCheckPath", "/")).rejects.toThrow(
      "HealthCheckPath is not an attribute the fixes may change",
    );
    expect(lightsail).not.toHaveReceivedCommand(UpdateLoadBalancerAttributeCommand);
  });

  it("a Failed operation is an error named by its code", async () => {
    lightsail.on(OpenInstancePublicPortsCommand).resolves({
      operation: {
        id: "op-2",
        status: "Failed",
        errorCode: "InvalidInput",
        errorDetails: "bad CIDR",
      },
    });

    await expect(openInstancePublicPorts(client, "blog", ipv6Only)).rejects.toMatchObject({
      name: "InvalidInput",
      message: "OpenInstancePublicPorts operation op-2 failed: bad CIDR",
    });
  });

  it("sets one load-balancer attribute as a string", async () => {
    lightsail
      .on(UpdateLoadBalancerAttributeCommand)
      .resolves({ operations: [succeeded.operation] });

    await updateLoadBalancerAttribute(client, "wp-lb", "HttpsRedirectionEnabled", "true");

    expect(lightsail).toHaveReceivedCommandWith(UpdateLoadBalancerAttributeCommand, {
      loadBalancerName: "wp-lb",
      attributeName: "HttpsRedirectionEnabled",
      attributeValue: "true",
    });
  });

  it("GetInstance keeps the firewall quirks (no cidrs key on an old entry)", async () => {
    lightsail.on(GetInstanceCommand).resolves({
      instance: {
        name: "legacy",
        arn: "arn:aws:lightsail:ap-southeast-2:123456789012:Instance/8f2a6c0e",
        networking: {
          // The wire says lower-case "public" (the SDK's enum type says "Public").
          ports: [
            {
              fromPort: 22,
              toPort: 22,
              protocol: "tcp",
              accessFrom: "Anywhere (0.0.0.0/0)",
              accessType: "public" as InstancePortInfo["accessType"],
            },
          ],
        },
      },
    });

    const found = await getInstance(client, "ap-southeast-2", "legacy");

    expect(found.ports).toEqual([
      {
        fromPort: 22,
        toPort: 22,
        protocol: "tcp",
        accessFrom: "Anywhere (0.0.0.0/0)",
        accessType: "public",
      },
    ]);
  });
});

describe("change store", () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  beforeEach(() => dynamo.reset());
  const [change] = enforced().applied as [Change];

  it("puts change#<id> with a TTL 400 days after the change", async () => {
    dynamo.on(PutCommand).resolves({});

    await createChangeStore(new DynamoDBClient({ region: "us-east-1" }), "state").put(change);

    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      TableName: "state",
      Item: {
        pk: "change#3f9a2c81b7d0",
        ...change,
        expiresAt: Date.parse("2026-08-01T12:00:05.000Z") / 1000 + 400 * 86_400,
      },
    });
  });

  it("gets one change by id, consistently, without its key and TTL; undefined when unknown", async () => {
    dynamo
      .on(GetCommand, { Key: { pk: "change#3f9a2c81b7d0" } })
      .resolves({ Item: { pk: "change#3f9a2c81b7d0", ...change, expiresAt: 1 } })
      .on(GetCommand, { Key: { pk: "change#unknown" } })
      .resolves({});
    const store = createChangeStore(new DynamoDBClient({ region: "us-east-1" }), "state");

    expect(await store.get("3f9a2c81b7d0")).toEqual(change);
    expect(await store.get("unknown")).toBeUndefined();
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, { ConsistentRead: true });
  });
});
