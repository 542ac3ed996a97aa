/**
 * DynamoDB adapter for the findings state, in the table shared with the fixes' `change#` records
 * and the root alert's `ratelimit#` items. One item per finding and account:
 *
 *   pk          `finding#<accountId>#<fingerprint>`
 *   accountId   the audited account (always)
 *   openAccount the audited account, only while the finding is OPEN: the partition key of the
 *               sparse index `open-findings`, so one account's open findings are one Query
 *   ...         the FindingState fields; TTL on `expiresAt`
 *
 * The table's key schema is unchanged (`pk` only): changing it would make CloudFormation replace
 * the table and lose the undo records; adding a GSI is an in-place update.
 *
 * Items written before this layout (`pk` = `finding#<fingerprint>`, no `accountId`) are moved once
 * (`migrateLegacy`), guarded by the marker item `meta#finding-layout`.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  paginateScan,
} from "@aws-sdk/lib-dynamodb";
import type { FindingState } from "../findings/state";

/**
 * IAM actions this adapter calls. Query is granted on the index ARN (`<table>/index/<name>`:
 * Service Authorization Reference, DynamoDB resource type `index`), the others on the table.
 * Scan is needed only by the one-time migration.
 */
export const STATE_TABLE_ACTIONS = [
  "dynamodb:Query",
  "dynamodb:GetItem",
  "dynamodb:Scan",
  "dynamodb:BatchWriteItem",
] as const;

/** The sparse GSI of open findings (serverless.yml StateTable, tests/helpers/state-table.ts). */
export const OPEN_FINDINGS_INDEX = "open-findings";
/** The layout marker's key; the audit role may write it (LeadingKeys, shared/aws/permissions.ts). */
export const LAYOUT_MARKER = "meta#finding-layout";
const LAYOUT_VERSION = 2;
/** Every finding item's key starts with it, in the old layout and the new. */
export const FINDING_KEY_PREFIX = "finding#";
const PREFIX = FINDING_KEY_PREFIX;
/** BatchWriteItem takes at most 25 put or delete requests (botocore dynamodb 2012-08-10). */
const BATCH = 25;
/** Batches in flight at once: enough to overlap round trips, few enough not to throttle. */
const CONCURRENCY = 4;

export interface LoadOptions {
  /**
   * Move items of the old layout to the new one now (a run that will save). Without it (a
   * preview) the old items are read but nothing is written.
   */
  migrate: boolean;
}

export interface LoadedState {
  /** The account's OPEN findings. */
  open: FindingState[];
  /** Old-layout items moved by this call (0 except on the first run after the upgrade). */
  migrated: number;
}

export interface FindingStore {
  load(accountId: string, options: LoadOptions): Promise<LoadedState>;
  /** Writes exactly `states` (see `statesToWrite`), nothing else. */
  save(accountId: string, states: readonly FindingState[]): Promise<void>;
}

type Item = Record<string, unknown>;
type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

const keyOf = (accountId: string, fp: string) => `${PREFIX}${accountId}#${fp}`;

function toItem(accountId: string, s: FindingState): Item {
  return {
    pk: keyOf(accountId, s.fingerprint),
    accountId,
    // Sparse index: a resolved finding has no openAccount, so it drops out of `open-findings`.
    ...(s.status === "OPEN" ? { openAccount: accountId } : {}),
    ...s,
  };
}

function toState(item: Item): FindingState {
  const { pk: _pk, accountId: _a, openAccount: _o, lastSeen: _l, ...state } = item;
  return state as unknown as FindingState;
}

/**
 * The account an old-layout item belongs to: the 5th field of its resource ARN
 * (`arn:partition:service:region:account:...`); an item without one (an empty ARN) belongs to
 * `fallback`.
 */
function legacyAccount(item: Item, fallback: string): string {
  const arn = (item.resource as { arn?: string } | undefined)?.arn ?? "";
  const account = arn.split(":")[4] ?? "";
  return /^\d{12}$/.test(account) ? account : fallback;
}

export function createFindingStore(client: DynamoDBClient, tableName: string): FindingStore {
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });

  /** Sends `requests` in batches of 25, up to CONCURRENCY at once, retrying unprocessed ones. */
  async function write<T>(items: readonly T[], request: (item: T) => WriteRequest): Promise<void> {
    // Requests are built a batch at a time: at 150,000 new findings (a first run of 50,000
    // instances) a copy of every item up front was tens of megabytes held through the writes.
    const batches: T[][] = [];
    for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
    const writeBatch = async (batch: T[]) => {
      // DynamoDB may leave some items unprocessed under load: retry those, with a short backoff.
      let pending = batch.map(request);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt === 5) throw new Error(`DynamoDB left ${pending.length} state items unwritten`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        const r = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (r.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        if (batch) await writeBatch(batch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batches.length) }, worker));
  }

  /** The account's open items, from the index. */
  async function queryOpen(accountId: string): Promise<FindingState[]> {
    const out: FindingState[] = [];
    // A GSI read is eventually consistent (ConsistentRead: true is a ValidationException on a
    // GSI, botocore dynamodb QueryInput): fine here, since the items were written by the previous
    // run, hours ago. Within a run nothing reads back what it wrote (see migrateLegacy).
    const pages = paginateQuery(
      { client: doc },
      {
        TableName: tableName,
        IndexName: OPEN_FINDINGS_INDEX,
        KeyConditionExpression: "openAccount = :a",
        ExpressionAttributeValues: { ":a": accountId },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) out.push(toState(item));
    return out;
  }

  /** Items of the old layout: `finding#<fingerprint>` with no accountId. */
  async function scanLegacy(): Promise<Item[]> {
    const out: Item[] = [];
    const pages = paginateScan(
      { client: doc },
      {
        TableName: tableName,
        FilterExpression: "begins_with(pk, :p) AND attribute_not_exists(accountId)",
        ExpressionAttributeValues: { ":p": PREFIX },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) out.push(...(page.Items ?? []));
    return out;
  }

  /**
   * The one-time move to this layout. Every old item is rewritten under its account's key (old
   * deployments audited only their own account, so an item whose ARN names no account belongs
   * to the account the other items name, or else to the audited one), then the old items are
   * deleted (so a run interrupted half-way resumes with exactly the items not yet moved, and no
   * stale copy lingers under the `finding#` prefix for 90 days), then the marker is written.
   * Returns the moved states of `accountId`, read from the Scan rather than the index, which
   * may not show them yet.
   */
  async function migrateLegacy(
    accountId: string,
    legacy: readonly Item[],
    apply: boolean,
  ): Promise<FindingState[]> {
    const named = new Set(legacy.map((i) => legacyAccount(i, "")).filter((a) => a !== ""));
    const fallback = named.size === 1 ? ([...named][0] ?? accountId) : accountId;
    const moved = legacy.map((item) => ({
      item,
      account: legacyAccount(item, fallback),
      state: toState(item),
    }));
    if (apply) {
      await write(moved, ({ account, state }) => ({
        PutRequest: { Item: toItem(account, state) },
      }));
      await write(moved, ({ item }) => ({ DeleteRequest: { Key: { pk: item.pk } } }));
      // Through BatchWriteItem like the rest, so the role needs no PutItem for it.
      await write(
        [{ pk: LAYOUT_MARKER, version: LAYOUT_VERSION, migrated: legacy.length }],
        (Item) => ({
          PutRequest: { Item },
        }),
      );
    }
    return moved
      .filter((m) => m.account === accountId && m.state.status === "OPEN")
      .map((m) => m.state);
  }

  return {
    async load(accountId, options) {
      const marker = await doc.send(
        new GetCommand({ TableName: tableName, Key: { pk: LAYOUT_MARKER }, ConsistentRead: true }),
      );
      if (marker.Item?.version === LAYOUT_VERSION) {
        return { open: await queryOpen(accountId), migrated: 0 };
      }
      const legacy = await scanLegacy();
      // Items an interrupted migration already moved are in the index; moved ones win over them.
      const byFp = new Map((await queryOpen(accountId)).map((s) => [s.fingerprint, s]));
      for (const s of await migrateLegacy(accountId, legacy, options.migrate)) {
        byFp.set(s.fingerprint, s);
      }
      return { open: [...byFp.values()], migrated: options.migrate ? legacy.length : 0 };
    },
    async save(accountId, states) {
      await write(states, (s) => ({ PutRequest: { Item: toItem(accountId, s) } }));
    },
  };
}
