/**
 * DynamoDB adapter for the findings state: one item per finding fingerprint (`pk` =
 * `finding#<fingerprint>`), TTL on `expiresAt`.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, paginateScan } from "@aws-sdk/lib-dynamodb";
import type { FindingState } from "../findings/state";

/** IAM actions this adapter calls; granted on the state table only. */
export const STATE_TABLE_ACTIONS = ["dynamodb:Scan", "dynamodb:BatchWriteItem"] as const;

const PREFIX = "finding#";
const BATCH = 25;

export interface FindingStore {
  load(): Promise<FindingState[]>;
  save(states: readonly FindingState[]): Promise<void>;
}

export function createFindingStore(client: DynamoDBClient, tableName: string): FindingStore {
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    async load() {
      const out: FindingState[] = [];
      const pages = paginateScan(
        { client: doc },
        {
          TableName: tableName,
          FilterExpression: "begins_with(pk, :p)",
          ExpressionAttributeValues: { ":p": PREFIX },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const { pk: _pk, ...state } = item;
          out.push(state as FindingState);
        }
      }
      return out;
    },
    async save(states) {
      for (let i = 0; i < states.length; i += BATCH) {
        let requests = states
          .slice(i, i + BATCH)
          .map((s) => ({ PutRequest: { Item: { pk: `${PREFIX}${s.fingerprint}`, ...s } } }));
        // DynamoDB may leave some items unprocessed under load: retry those, with a short backoff.
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt === 5)
            throw new Error(`DynamoDB left ${requests.length} state items unwritten`);
          if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
          const r = await doc.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
          );
          requests = (r.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }
    },
  };
}
