/** SNS adapter: one Publish per audit, readable as it arrives. */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { SnsAlert } from "../notify/message";

/** IAM actions this adapter calls; granted on the alert topic only. */
export const SNS_PUBLISH_ACTIONS = ["sns:Publish"] as const;
/**
 * Publishing to the alert topic, encrypted with the stack's customer managed key, also uses that
 * key (granted on the key's ARN only).
 */
export const SNS_TOPIC_KEY_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"] as const;

/**
 * The `sms` message attribute drives the SMS subscription's filter policy, so a text message goes
 * out only when something urgent is new.
 */
export async function publishAlert(
  client: SNSClient,
  topicArn: string,
  alert: SnsAlert,
  /** More String attributes (organization mode: accountId, accountName, kind) for filter policies. */
  attributes: Record<string, string> = {},
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
        ...Object.fromEntries(
          Object.entries(attributes)
            // SNS refuses an attribute with an empty value.
            .filter(([, v]) => v !== "")
            .map(([k, v]) => [k, { DataType: "String", StringValue: v }]),
        ),
      },
    }),
  );
  return r.MessageId ?? "";
}
