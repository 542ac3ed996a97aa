/**
 * The real-time root alert against moto: the burst limiter in DynamoDB and the publish through SNS
 * (read back from an SQS subscription), then the Lambda handler itself on a sample event.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import apiCall from "../../events/root-api-call.json";
import failure from "../../events/root-console-login-failure.json";
import success from "../../events/root-console-login-success.json";
import { createAlertDeps } from "../../shared/aws/alerts";
import { createRateLimiter } from "../../shared/aws/rate-limit";
import { alertRootActivity } from "../../shared/notify/root-activity";
import { type Moto, startMoto } from "../helpers/moto";
import { createStateTable } from "../helpers/state-table";

let moto: Moto;
let sqs: SQSClient;
let queueUrl: string;
let topicArn: string;
const TABLE = "state";

async function delivered() {
  const r = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 3600,
    }),
  );
  return (r.Messages ?? []).map(
    (m) => JSON.parse(m.Body ?? "{}") as { action: string; heldBack: number },
  );
}

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, moto.env);
  const client = { endpoint: moto.url, region: "us-east-1" };
  await createStateTable(new DynamoDBClient(client), TABLE);
  const sns = new SNSClient(client);
  sqs = new SQSClient(client);
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "alerts" }))).TopicArn ?? "";
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: "root" }))).QueueUrl ?? "";
  const arn = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "sqs",
      Endpoint: arn.Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: "true" },
    }),
  );
}, 60_000);
afterAll(() => moto?.stop());

describe("root activity alert (moto)", () => {
  it("sends the first event of a burst, holds back the rest for 15 minutes, then reports them", async () => {
    const { publish } = createAlertDeps({ topicArn });
    const limiter = createRateLimiter(TABLE);
    let now = new Date("2026-11-25T09:12:41Z");
    const deps = {
      limiter,
      publish: publish ?? (() => Promise.reject(new Error("no topic"))),
      now: () => now,
    };

    const first = await alertRootActivity(deps, failure);
    now = new Date("2026-11-25T09:14:07Z");
    const second = await alertRootActivity(deps, success);
    now = new Date("2026-11-25T09:20:55Z");
    const third = await alertRootActivity(deps, apiCall);

    expect([first.sent, second.sent, third.sent]).toEqual([true, false, false]);
    expect(await delivered()).toEqual([
      expect.objectContaining({ action: "ConsoleLogin", heldBack: 0 }),
    ]);

    now = new Date("2026-11-25T09:27:42Z"); // 15 minutes and 1 second after the first
    const later = await alertRootActivity(deps, apiCall);
    expect(later.sent).toBe(true);
    expect(await delivered()).toEqual([
      expect.objectContaining({ action: "iam:CreateAccessKey", heldBack: 2 }),
    ]);
  });

  it("the Lambda handler publishes for a sample sign-in event", async () => {
    Object.assign(process.env, { TOPIC_ARN: topicArn, STATE_TABLE: TABLE });
    const fresh = structuredClone(success);
    fresh.account = "210987654321"; // another account: its own burst window
    const { handler } = await import("../../functions/root-activity");
    expect(await handler(fresh)).toEqual({ sent: true });
    expect(await delivered()).toHaveLength(1);
  });
});
