/**
 * The CLI checks the state table before the audit: a wrong name or region would otherwise surface
 * after the whole audit as "unexpected error: ResourceNotFoundException".
 */
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  AuditorError,
  ConfigError,
  CredentialsError,
  describeError,
  NO_CREDENTIALS_HELP,
} from "../errors";
import { createRequestHandler } from "./clients";

const NO_CREDENTIALS = new Set(["CredentialsProviderError", "ProviderError"]);

/**
 * One GetItem of a key that need not exist (GetItem is granted wherever the table is used: the
 * alert state and undo read with it). Throws a ConfigError naming the table and the region.
 */
export async function checkStateTable(
  tableName: string,
  client = new DynamoDBClient({ requestHandler: createRequestHandler() }),
): Promise<void> {
  try {
    await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: "meta#finding-layout" } },
        ProjectionExpression: "pk",
      }),
    );
  } catch (err) {
    const { errorName, message } = describeError(err);
    if (NO_CREDENTIALS.has(errorName))
      throw new CredentialsError(NO_CREDENTIALS_HELP, { cause: err, missing: true });
    const region = await client.config.region().catch(() => "the configured region");
    if (errorName === "ResourceNotFoundException") {
      throw new ConfigError(
        `--state-table (STATE_TABLE): there is no DynamoDB table ${JSON.stringify(tableName)} in ${region} for these credentials; give the stack's StateTableName output, with AWS_REGION set to the stack's region`,
        { cause: err },
      );
    }
    throw new AuditorError(
      `--state-table (STATE_TABLE): cannot read the DynamoDB table ${JSON.stringify(tableName)} in ${region} (${errorName}: ${message})`,
      { cause: err },
    );
  }
}
