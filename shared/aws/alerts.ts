/** The alert's AWS side: publishing to the topic and the findings state table, as AlertDeps. */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import type { AlertDeps } from "../notify/notify";
import { createRequestHandler } from "./clients";
import { publishAlert } from "./sns";
import { createFindingStore } from "./state-store";

export function createAlertDeps(
  settings: {
    topicArn?: string;
    stateTable?: string;
  },
  /** Message attributes on every message published (organization mode: the account's). */
  attributes: Record<string, string> = {},
): Pick<AlertDeps, "store" | "publish"> {
  const requestHandler = createRequestHandler();
  const deps: Pick<AlertDeps, "store" | "publish"> = {};
  if (settings.topicArn) {
    const topicArn = settings.topicArn;
    // Publish in the topic's own region, whatever region the caller runs in.
    const sns = new SNSClient({ region: topicArn.split(":")[3], requestHandler });
    deps.publish = (alert) => publishAlert(sns, topicArn, alert, attributes);
  }
  if (settings.stateTable) {
    deps.store = createFindingStore(new DynamoDBClient({ requestHandler }), settings.stateTable);
  }
  return deps;
}
