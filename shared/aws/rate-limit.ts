/**
 * A burst limiter in the state table: one item per key, claimed with a conditional write, so that
 * concurrent invocations agree on who sends the alert.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createRequestHandler } from "./clients";

/** IAM actions this adapter calls; granted on the state table only. */
export const RATE_LIMIT_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem"] as const;
/** Every rate-limit item's key starts with it. */
export const RATE_LIMIT_KEY_PREFIX = "ratelimit#";

export interface RateLimiter {
  /**
   * Claims the window starting now. Resolves to the number of events held back since the last
   * claim when allowed, or to `null` when another event already claimed the current window (this
   * one is then counted as held back).
   */
  acquire(key: string, now: Date, windowSeconds: number): Promise<number | null>;
}

export function createRateLimiter(
  tableName: string,
  client = new DynamoDBClient({ requestHandler: createRequestHandler() }),
): RateLimiter {
  const doc = DynamoDBDocumentClient.from(client);
  return {
    async acquire(key, now, windowSeconds) {
      const pk = `${RATE_LIMIT_KEY_PREFIX}${key}`;
      const nowS = Math.floor(now.getTime() / 1000);
      try {
        const r = await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk, windowEnds: nowS + windowSeconds, heldBack: 0, expiresAt: nowS + 86_400 },
            ConditionExpression: "attribute_not_exists(pk) OR windowEnds <= :now",
            ExpressionAttributeValues: { ":now": nowS },
            ReturnValues: "ALL_OLD",
            ReturnValuesOnConditionCheckFailure: "NONE",
          }),
        );
        return Number(r.Attributes?.heldBack ?? 0);
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk },
            UpdateExpression: "ADD heldBack :one",
            ExpressionAttributeValues: { ":one": 1 },
          }),
        );
        return null;
      }
    },
  };
}
