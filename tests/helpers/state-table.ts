/**
 * The state table as serverless.yml declares it (tests/integration/stack.test.ts checks the two
 * agree), for tests that create it in moto.
 */
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { OPEN_FINDINGS_INDEX } from "../../shared/aws/state-store";

export const STATE_TABLE_SCHEMA = {
  AttributeDefinitions: [
    { AttributeName: "pk", AttributeType: "S" },
    { AttributeName: "openAccount", AttributeType: "S" },
  ],
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
  GlobalSecondaryIndexes: [
    {
      IndexName: OPEN_FINDINGS_INDEX,
      KeySchema: [{ AttributeName: "openAccount", KeyType: "HASH" }],
      Projection: { ProjectionType: "ALL" },
    },
  ],
} as const;

/** The table as it was before the open-findings index (the layout migrated from). */
export const LEGACY_STATE_TABLE_SCHEMA = {
  AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
} as const;

export async function createStateTable(
  client: DynamoDBClient,
  tableName: string,
  schema: typeof STATE_TABLE_SCHEMA | typeof LEGACY_STATE_TABLE_SCHEMA = STATE_TABLE_SCHEMA,
): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      ...structuredClone(schema),
    } as unknown as ConstructorParameters<typeof CreateTableCommand>[0]),
  );
}
