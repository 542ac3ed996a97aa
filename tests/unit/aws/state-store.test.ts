/**
 * The state store's writes over a mocked DynamoDB document client (aws-sdk-client-mock): what
 * moto cannot show, unprocessed items retried and the number of batches in flight. The store's
 * reads and writes against a real emulator are in tests/integration/state-store.test.ts.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createFindingStore } from "../../../shared/aws/state-store";
import type { FindingState } from "../../../shared/findings/state";
import { ACCOUNT_ID } from "../../helpers/snapshot";

const TABLE = "state";
const doc = mockClient(DynamoDBDocumentClient);
const store = createFindingStore(new DynamoDBClient({ region: "us-east-1" }), TABLE);

function state(i: number): FindingState {
  return {
    fingerprint: `fp${i}`,
    checkId: "lightsail-instance-ssh-not-public",
    severity: "high",
    resource: { type: "LightsailInstance", name: `i${i}`, arn: "", region: "us-east-1" },
    message: "Port 22 is open.",
    status: "OPEN",
    firstSeen: "2026-08-01T06:00:00.000Z",
    expiresAt: 1_790_000_000,
  };
}

type Requests = { PutRequest: { Item: { pk: string } } }[];
const requestsOf = (input: unknown) =>
  ((input as { RequestItems: Record<string, Requests> }).RequestItems[TABLE] ?? []).map(
    (r) => r.PutRequest.Item.pk,
  );

beforeEach(() => {
  doc.reset();
});

describe("createFindingStore save", () => {
  it("retries the items DynamoDB left unprocessed, and only those", async () => {
    const states = [state(1), state(2), state(3)];
    doc
      .on(BatchWriteCommand)
      .resolvesOnce({
        UnprocessedItems: {
          [TABLE]: [{ PutRequest: { Item: { pk: `finding#${ACCOUNT_ID}#fp2` } } }],
        },
      })
      .resolves({});

    await store.save(ACCOUNT_ID, states);

    const calls = doc.commandCalls(BatchWriteCommand).map((c) => requestsOf(c.args[0].input));
    expect(calls).toEqual([
      [`finding#${ACCOUNT_ID}#fp1`, `finding#${ACCOUNT_ID}#fp2`, `finding#${ACCOUNT_ID}#fp3`],
      [`finding#${ACCOUNT_ID}#fp2`],
    ]);
  });

  it("keeps at most 4 batches of 25 in flight and writes every item once", async () => {
    let inFlight = 0;
    let most = 0;
    doc.on(BatchWriteCommand).callsFake(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return {};
    });

    await store.save(
      ACCOUNT_ID,
      Array.from({ length: 240 }, (_, i) => state(i)),
    );

    const calls = doc.commandCalls(BatchWriteCommand).map((c) => requestsOf(c.args[0].input));
    expect(calls.map((c) => c.length)).toEqual([25, 25, 25, 25, 25, 25, 25, 25, 25, 15]);
    expect(new Set(calls.flat()).size).toBe(240);
    expect(most).toBe(4);
  });

  it("sends nothing when there is nothing to write", async () => {
    await store.save(ACCOUNT_ID, []);

    expect(doc.commandCalls(BatchWriteCommand)).toEqual([]);
  });
});
