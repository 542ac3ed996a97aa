/**
 * Alerts end to end against moto (a real third-party AWS emulator): the topic with email and SMS
 * subscriptions, the findings state in DynamoDB, and what subscribers receive, read back through
 * SQS subscriptions (one unfiltered, one with the SMS subscription's filter policy).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  SNSClient,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../shared/audit";
import { createAlertDeps } from "../../shared/aws/alerts";
import { parseConfig } from "../../shared/config";
import { AlertDeliveryError } from "../../shared/errors";
import type { AccountSnapshot } from "../../shared/model";
import { processAlert } from "../../shared/notify/notify";
import { type Moto, startMoto } from "../helpers/moto";
import { readerFor } from "../helpers/reader";
import {
  instance,
  managedNode,
  port,
  region,
  rootRow,
  snapshot,
  userRow,
} from "../helpers/snapshot";
import { createStateTable } from "../helpers/state-table";

let moto: Moto;
let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
const TABLE = "lightsail-auditor-state";
const queues: Record<"all" | "sms", string> = { all: "", sms: "" };

const sshOpen = (name: string) => instance(name, [port({ fromPort: 22, toPort: 22 })]);
/** SSH closed, the web ports 80 and 443 still open (the default WordPress firewall minus 22). */
const sshClosed = (name: string) => instance(name);

/**
 * An account with two open SSH ports (high) and a console user without MFA (high); both
 * instances are managed by SSM.
 */
function account(instances = [sshOpen("blog"), sshOpen("shop")]): AccountSnapshot {
  const managedNodes = [
    managedNode("mi-00000000000000001", "blog"),
    managedNode("mi-00000000000000002", "shop"),
  ];
  return snapshot({
    lightsail: [region("us-east-1", { instances, managedNodes })],
    iam: { credentialReport: [rootRow(), userRow("editor", { mfaActive: false })] },
  });
}

async function subscribeQueue(name: string, filter?: object): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sqs",
      Endpoint: attrs.Attributes?.QueueArn,
      Attributes: {
        RawMessageDelivery: "true",
        ...(filter
          ? { FilterPolicy: JSON.stringify(filter), FilterPolicyScope: "MessageAttributes" }
          : {}),
      },
    }),
  );
  return QueueUrl ?? "";
}

async function createTopic() {
  topicArn =
    (await sns.send(new CreateTopicCommand({ Name: "lightsail-auditor-alerts" }))).TopicArn ?? "";
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: "email", Endpoint: "owner@example.com" }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sms",
      Endpoint: "+14155550100",
      Attributes: {
        FilterPolicy: JSON.stringify({ sms: ["true"] }),
        FilterPolicyScope: "MessageAttributes",
      },
    }),
  );
  queues.all = await subscribeQueue("alerts-all");
  queues.sms = await subscribeQueue("alerts-urgent", { sms: ["true"] });
}

/** Messages delivered to a queue since the last read (the `sqs` text of each publish). */
async function received(queue: keyof typeof queues) {
  const r = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queues[queue],
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 0,
      VisibilityTimeout: 3600,
    }),
  );
  return (r.Messages ?? []).map(
    (m) =>
      JSON.parse(m.Body ?? "{}") as {
        counts: Record<string, number>;
        new: { checkId: string; resource: { name: string } }[];
        resolved: { resource: { name: string } }[];
      },
  );
}

async function run(facts: AccountSnapshot) {
  // The instances have no SSM node: with the WordPress inventory on, its checks would make every
  // run "incomplete" (ERROR), which these alert tests are not about.
  const config = parseConfig({
    regions: "us-east-1",
    topicArn,
    stateTable: TABLE,
    wordpressInventory: "off",
  });
  const report = await runAudit({ reader: readerFor(facts) }, config);
  return processAlert({ ...createAlertDeps(config), now: () => new Date() }, report, {
    ...config,
    checksRun: config.checks,
    onDemandHint: "npx lightsail-audit",
  });
}

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, moto.env);
  const client = { region: "us-east-1", endpoint: moto.url };
  sns = new SNSClient(client);
  sqs = new SQSClient(client);
  await createStateTable(new DynamoDBClient(client), TABLE);
  await createTopic();
}, 60_000);
afterAll(() => moto?.stop());

describe("alerts through SNS with state in DynamoDB (moto)", () => {
  it("has the email, SMS and queue subscriptions on the topic", async () => {
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(subs.Subscriptions?.map((s) => s.Protocol).sort()).toEqual([
      "email",
      "sms",
      "sqs",
      "sqs",
    ]);
  });

  it("run 1: every finding is NEW, one alert, and it is urgent enough for SMS", async () => {
    const outcome = await run(account());
    expect(outcome).toMatchObject({
      owed: true,
      sent: true,
      counts: { new: 3, resolved: 0, stillOpen: 0, stateWrites: 3 },
    });
    expect(outcome.alert.subject).toBe(
      "[lightsail-auditor] 3 new findings (3 high) in account 123456789012",
    );
    const [delivered, ...more] = await received("all");
    expect(more).toEqual([]);
    expect(delivered?.counts).toEqual({
      new: 3,
      resolved: 0,
      stillOpen: 0,
      renotify: 0,
      failures: 0,
    });
    expect(delivered?.new.map((f) => f.resource.name).sort()).toEqual(["blog", "editor", "shop"]);
    expect(await received("sms")).toHaveLength(1);
  });

  it("run 2, nothing changed: no alert, no state written", async () => {
    const outcome = await run(account());
    expect(outcome).toMatchObject({
      owed: false,
      sent: false,
      counts: { new: 0, stillOpen: 3, stateWrites: 0 },
    });
    expect(await received("all")).toEqual([]);
  });

  it("run 3, SSH closed on one instance: an alert with it RESOLVED, and no SMS", async () => {
    const outcome = await run(account([sshOpen("blog"), sshClosed("shop")]));
    expect(outcome.counts).toMatchObject({ new: 0, resolved: 1, stillOpen: 2, stateWrites: 1 });
    expect(outcome.alert.subject).toBe("[lightsail-auditor] 1 resolved in account 123456789012");
    const [delivered] = await received("all");
    expect(delivered?.resolved.map((f) => f.resource.name)).toEqual(["shop"]);
    expect(await received("sms")).toEqual([]);
  });

  it("SNS fails: the run fails, the state does not advance, and the next run sends the news", async () => {
    const reopened = account([sshOpen("blog"), sshOpen("shop")]);
    await sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
    await expect(run(reopened)).rejects.toThrow(AlertDeliveryError);

    await createTopic();
    const outcome = await run(reopened);
    expect(outcome).toMatchObject({ sent: true, counts: { new: 1, stillOpen: 2 } });
    const [delivered] = await received("all");
    expect(delivered?.new.map((f) => f.resource.name)).toEqual(["shop"]);
  });
});
