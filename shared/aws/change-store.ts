/**
 * DynamoDB adapter for the change records of the fixes: one item per change in the state table
 * (`pk` = `change#<id>`), kept 400 days (TTL `expiresAt`) so a fix can be undone long after.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Change } from "../model";
import type { ChangeStore } from "../remediation/act";

/** What applying fixes needs (the audit Lambda): writing records. Granted on the state table. */
export const CHANGE_WRITE_ACTIONS = ["dynamodb:PutItem"] as const;
/** What undo needs besides (the CLI, with the owner's credentials): reading one record. */
export const CHANGE_READ_ACTIONS = ["dynamodb:GetItem"] as const;

/** Every change record's key starts with it. */
export const CHANGE_KEY_PREFIX = "change#";
const PREFIX = CHANGE_KEY_PREFIX;
export const CHANGE_TTL_DAYS = 400;
const DAY_S = 86_400;

export function createChangeStore(client: DynamoDBClient, tableName: string): ChangeStore {
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    async put(change) {
      const expiresAt = Math.floor(Date.parse(change.appliedAt) / 1000) + CHANGE_TTL_DAYS * DAY_S;
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `${PREFIX}${change.id}`, ...change, expiresAt },
        }),
      );
    },
    async get(id) {
      const r = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: { pk: `${PREFIX}${id}` },
          ConsistentRead: true,
        }),
      );
      if (!r.Item) return undefined;
      const { pk: _pk, expiresAt: _ttl, ...change } = r.Item;
      return change as Change;
    },
  };
}
