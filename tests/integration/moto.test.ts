import { CreateTopicCommand, ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Moto, startMoto } from "../helpers/moto";

let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(() => moto?.stop());

it("moto_server runs on loopback and answers the real SDK", async () => {
  const sns = new SNSClient({
    endpoint: moto.url,
    region: "us-east-1",
    credentials: { accessKeyId: "t", secretAccessKey: "t" },
  });
  await sns.send(new CreateTopicCommand({ Name: "probe" }));
  const topics = await sns.send(new ListTopicsCommand({}));
  expect(moto.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(topics.Topics?.map((t) => t.TopicArn)).toEqual([
    "arn:aws:sns:us-east-1:123456789012:probe",
  ]);
});
