/** SNS adapter: one Publish per audit, readable as it arrives. */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { SnsAlert } from "../notify/message";

/** IAM actions this adapter calls; granted on the alert topic only. */
export const SNS_PUBLISH_ACTIONS = ["sns:Publish"] as const;

/**
 * The `sms` message attribute drives the SMS subscription's filter policy, so a text message goes
 * out only when something urgent is new.
 */
export async function publishAlert(
  client: SNSClient,
  topicArn: string,
  alert: SnsAlert,
): Promise<string> {
  const r = await client.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: alert.subject,
      Message: alert.message,
      MessageStructure: "json",
      MessageAttributes: {
        sms: { DataType: "String", StringValue: String(alert.sms) },
        "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" },
      },
    }),
  );
  return r.MessageId ?? "";
}
