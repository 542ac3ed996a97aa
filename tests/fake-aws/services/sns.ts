/**
 * SNS (awsQuery): Publish, recorded on `FakeAws.published` and validated like the real service:
 * exactly one of TopicArn/TargetArn/PhoneNumber (a topic must be in the called region); Subject 1 to
 * 100 characters with no control characters; MessageStructure "json" needs a JSON object with a
 * string "default"; message plus attributes at most 262,144 bytes. Every rejection is
 * `InvalidParameter` (HTTP 400), which the SDK names InvalidParameterException.
 *
 * Any well-formed topic ARN is accepted: the fake keeps no topic list.
 * The SDK sends attributes as `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue`.
 */
import { randomUUID } from "node:crypto";
import { AwsError, type QueryParams } from "../protocol";
import type { PublishedMessage, QueryService } from "../state";

const MAX_BYTES = 262_144;

const invalid = (what: string) => new AwsError("InvalidParameter", `Invalid parameter: ${what}`);

function messageAttributes(params: QueryParams): PublishedMessage["MessageAttributes"] {
  const attributes: PublishedMessage["MessageAttributes"] = {};
  for (let i = 1; params[`MessageAttributes.entry.${i}.Name`] !== undefined; i++) {
    const at = (key: string) => params[`MessageAttributes.entry.${i}.${key}`];
    const dataType = at("Value.DataType");
    if (!dataType)
      throw new AwsError("InvalidParameterValue", "The message attribute has no DataType.");
    const stringValue = at("Value.StringValue");
    const binaryValue = at("Value.BinaryValue");
    attributes[at("Name") ?? ""] = {
      DataType: dataType,
      ...(stringValue !== undefined && { StringValue: stringValue }),
      ...(binaryValue !== undefined && { BinaryValue: binaryValue }),
    };
  }
  return attributes;
}

function checkJsonStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalid("Message Structure - JSON message body failed to parse");
  }
  const isObject = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  if (!isObject || typeof (parsed as Record<string, unknown>).default !== "string") {
    throw invalid("Message Structure - No default entry in JSON message body");
  }
}

export const sns: QueryService = {
  protocol: "query",
  xmlns: "http://sns.amazonaws.com/doc/2010-03-31/",
  operations: {
    Publish: (params, { state, region }) => {
      const { TopicArn, TargetArn, PhoneNumber, Subject, MessageStructure } = params;
      const message = params.Message ?? "";
      const destinations = [TopicArn, TargetArn, PhoneNumber].filter((d) => d !== undefined);
      if (destinations.length !== 1) {
        throw invalid(
          "TopicArn or TargetArn Reason: exactly one of TopicArn, TargetArn or PhoneNumber is required",
        );
      }
      if (TopicArn !== undefined) {
        const topicRegion = /^arn:aws[\w-]*:sns:([a-z0-9-]+):\d{12}:[\w-]{1,256}$/.exec(
          TopicArn,
        )?.[1];
        if (topicRegion !== region) throw invalid("TopicArn");
      }
      if (message === "") throw invalid("Empty message");
      if (Subject !== undefined) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what SNS rejects
        if (Subject.length === 0 || Subject.length > 100 || /[\u0000-\u001f\u007f]/.test(Subject)) {
          throw invalid("Subject");
        }
      }
      if (MessageStructure !== undefined) {
        if (MessageStructure !== "json") throw invalid("MessageStructure");
        checkJsonStructure(message);
      }
      const attributes = messageAttributes(params);
      const attributeBytes = Object.entries(attributes).reduce(
        (sum, [name, a]) =>
          sum +
          Buffer.byteLength(name) +
          Buffer.byteLength(a.DataType) +
          Buffer.byteLength(a.StringValue ?? "") +
          Buffer.from(a.BinaryValue ?? "", "base64").byteLength,
        0,
      );
      if (Buffer.byteLength(message) + attributeBytes > MAX_BYTES)
        throw invalid("Message too long");

      const MessageId = randomUUID();
      state.published.push({
        region,
        MessageId,
        ...(TopicArn !== undefined && { TopicArn }),
        ...(TargetArn !== undefined && { TargetArn }),
        ...(PhoneNumber !== undefined && { PhoneNumber }),
        ...(Subject !== undefined && { Subject }),
        Message: message,
        ...(MessageStructure !== undefined && { MessageStructure }),
        MessageAttributes: attributes,
      });
      return { MessageId };
    },
  },
};
