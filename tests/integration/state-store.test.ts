/**
 * The findings state in DynamoDB through moto (real SDK, real emulator): what a run reads and
 * writes, one account's findings kept apart from another's, and the one-time move from the
 * previous item layout without a flood of NEW alerts.
 */
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runAudit } from "../../shared/audit";
import { createChangeStore } from "../../shared/aws/change-store";
import { createRateLimiter } from "../../shared/aws/rate-limit";
import { publishAlert } from "../../shared/aws/sns";
import { createFindingStore, type FindingStore } from "../../shared/aws/state-store";
import { parseConfig } from "../../shared/config";
import { diffFindings, type FindingState, nextState } from "../../shared/findings/state";
import type { AccountSnapshot, AuditReport, Change } from "../../shared/model";
import { processAlert } from "../../shared/notify/notify";
import { type Moto, startMoto } from "../helpers/moto";
import { readerFor } from "../helpers/reader";
import { enforced } from "../helpers/remediation";
import {
  ACCOUNT_ID,
  instance,
  managedNode,
  port,
  region,
  rootRow,
  snapshot,
  userRow,
} from "../helpers/snapshot";
import {
  createStateTable,
  LEGACY_STATE_TABLE_SCHEMA,
  STATE_TABLE_SCHEMA,
} from "../helpers/state-table";

const OTHER_ACCOUNT = "210987654321";
const DAY_MS = 86_400_000;
const T1 = new Date("2026-08-01T06:00:00.000Z");
const T2 = new Date(T1.getTime() + DAY_MS);
const T3 = new Date(T1.getTime() + 2 * DAY_MS);

let moto: Moto;
let ddb: DynamoDBClient;
let sns: SNSClient;
let topicArn: string;
/** The DynamoDB operations sent since the last `sent.length = 0`. */
const sent: string[] = [];
let tableCount = 0;

const sshOpen = (name: string) => instance(name, [port({ fromPort: 22, toPort: 22 })]);

/**
 * Two SSM-managed instances with SSH open to the world and a console user without MFA: three
 * findings.
 */
function account(instances = [sshOpen("blog"), sshOpen("shop")]): AccountSnapshot {
  const managedNodes = [
    managedNode("mi-00000000000000001", "blog"),
    managedNode("mi-00000000000000002", "shop"),
  ];
  return snapshot({
    lightsail: [region("us-east-1", { instances, managedNodes })],
    iam: { credentialReport: [rootRow(), userRow("editor", { mfaActive: false })] },
  });
}

// Not about WordPress: its checks (ERROR without an SSM node) would make every run incomplete.
const config = parseConfig({ regions: "us-east-1", wordpressInventory: "off" });

function audit(facts: AccountSnapshot): Promise<AuditReport> {
  return runAudit({ reader: readerFor(facts) }, config);
}

/** One scheduled run at `now`: the audit, then the alert with the state in `table`. */
async function run(
  store: FindingStore,
  facts: AccountSnapshot,
  now: Date,
  options: { preview?: boolean } = {},
) {
  const report = await audit(facts);
  sent.length = 0;
  return processAlert(
    {
      store,
      ...(options.preview ? {} : { publish: (alert) => publishAlert(sns, topicArn, alert) }),
      now: () => now,
    },
    report,
    { ...config, checksRun: config.checks, onDemandHint: "npx lightsail-audit" },
  );
}

async function newTable(
  schema: Parameters<typeof createStateTable>[2] = STATE_TABLE_SCHEMA,
): Promise<string> {
  const name = `state-${++tableCount}`;
  await createStateTable(ddb, name, schema);
  return name;
}

async function rawItem(table: string, pk: string) {
  const r = await ddb.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true }),
  );
  return r.Item ? unmarshall(r.Item) : undefined;
}

async function allItems(table: string) {
  const r = await ddb.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return (r.Items ?? []).map((i) => unmarshall(i));
}

function openState(fp: string, overrides: Partial<FindingState> = {}): FindingState {
  return {
    fingerprint: fp,
    checkId: "lightsail-instance-ssh-not-public",
    severity: "high",
    resource: {
      type: "LightsailInstance",
      name: fp,
      arn: `arn:aws:lightsail:us-east-1:${ACCOUNT_ID}:Instance/${fp}`,
      region: "us-east-1",
    },
    message: "Port 22 is open to 0.0.0.0/0.",
    status: "OPEN",
    firstSeen: T1.toISOString(),
    expiresAt: Math.floor(T1.getTime() / 1000) + 90 * 86_400,
    ...overrides,
  };
}

beforeAll(async () => {
  moto = await startMoto();
  const client = {
    region: "us-east-1",
    endpoint: moto.url,
    credentials: {
      accessKeyId: "testing",
      secretAccessKey: "testing",
    },
  };
  ddb = new DynamoDBClient(client);
  // Observes every operation the store sends (the real client; nothing is replaced).
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name: "recordOperations" },
  );
  sns = new SNSClient(client);
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "alerts" }))).TopicArn ?? "";
}, 60_000);
afterAll(() => moto?.stop());

describe("finding state in DynamoDB (moto)", () => {
  let table: string;
  let store: FindingStore;
  beforeEach(async () => {
    table = await newTable();
    store = createFindingStore(ddb, table);
  });

  it("first run writes every finding; an unchanged second run reads with one Query and writes nothing", async () => {
    const first = await run(store, account(), T1);
    const firstOps = [...sent];

    const second = await run(store, account(), T2);

    expect(first.counts).toMatchObject({ new: 3, stateWrites: 3, stateMigrated: 0 });
    // A new table: the layout check finds nothing to move and leaves the marker.
    expect(firstOps).toEqual(["GetItem", "Scan", "Query", "BatchWriteItem", "BatchWriteItem"]);
    expect(second.counts).toMatchObject({ new: 0, stillOpen: 3, stateWrites: 0 });
    expect(sent).toEqual(["GetItem", "Query"]);
  });

  it("writes only what changed: the fixed finding RESOLVED (out of the index), the others untouched", async () => {
    await run(store, account(), T1);
    const [blog] = (await store.load(ACCOUNT_ID, { migrate: false })).open.filter(
      (s) => s.resource.name === "blog",
    );

    const third = await run(store, account([instance("blog"), sshOpen("shop")]), T3);

    expect(third.counts).toMatchObject({ resolved: 1, stillOpen: 2, stateWrites: 1 });
    const item = await rawItem(table, `finding#${ACCOUNT_ID}#${blog?.fingerprint}`);
    expect(item).toMatchObject({
      status: "RESOLVED",
      accountId: ACCOUNT_ID,
      firstSeen: T1.toISOString(),
    });
    expect(item).not.toHaveProperty("openAccount");
    const open = (await store.load(ACCOUNT_ID, { migrate: false })).open;
    expect(open.map((s) => s.resource.name).sort()).toEqual(["editor", "shop"]);
  });

  it("keeps accounts apart: each account's load returns only its own open findings", async () => {
    await store.save(ACCOUNT_ID, [openState("a1"), openState("a2")]);
    await store.save(OTHER_ACCOUNT, [openState("b1"), openState("a1", { severity: "critical" })]);
    await store.load(ACCOUNT_ID, { migrate: true }); // leaves the layout marker

    sent.length = 0;
    const mine = await store.load(ACCOUNT_ID, { migrate: true });
    const theirs = await store.load(OTHER_ACCOUNT, { migrate: true });

    expect(mine.open.map((s) => [s.fingerprint, s.severity]).sort()).toEqual([
      ["a1", "high"],
      ["a2", "high"],
    ]);
    expect(theirs.open.map((s) => [s.fingerprint, s.severity]).sort()).toEqual([
      ["a1", "critical"],
      ["b1", "high"],
    ]);
    expect(sent).toEqual(["GetItem", "Query", "GetItem", "Query"]);
  });

  it("writes more than 25 items in batches of 25, all of them stored", async () => {
    const states = Array.from({ length: 60 }, (_, i) => openState(`fp${i}`));

    sent.length = 0;
    await store.save(ACCOUNT_ID, states);

    expect(sent).toEqual(["BatchWriteItem", "BatchWriteItem", "BatchWriteItem"]);
    expect((await store.load(ACCOUNT_ID, { migrate: true })).open).toHaveLength(60);
  });
});

describe("moving from the previous layout (finding#<fingerprint>, no account)", () => {
  let table: string;
  let store: FindingStore;
  let legacyStates: FindingState[];
  let change: Change;
  const retired = openState("0123456789abcdef0123", {
    checkId: "retired-check",
    resource: { type: "IamCredentialReport", name: "credential-report", arn: "", region: "global" },
  });

  /**
   * Writes `states` exactly as the previous state store did (shared/aws/state-store.ts before
   * this layout: BatchWriteItem of `{ pk: "finding#<fingerprint>", ...state }`, where the state
   * had `lastSeen` advanced every run).
   */
  async function writeLegacy(states: readonly (FindingState & { lastSeen: string })[]) {
    await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table]: states.map((s) => ({
            PutRequest: {
              Item: marshall(
                { pk: `finding#${s.fingerprint}`, ...s },
                { removeUndefinedValues: true },
              ),
            },
          })),
        },
      }),
    );
  }

  beforeEach(async () => {
    // The table as the previous stack created it, holding a first run's findings, a resolved one,
    // one without an ARN, a fix's undo record and the root alert's rate-limit item.
    table = await newTable(LEGACY_STATE_TABLE_SCHEMA);
    const report = await audit(account());
    const diff = diffFindings(report, [], {
      now: T1,
      checksRun: config.checks,
      renotifySeverity: "critical",
      renotifyDays: 7,
    });
    legacyStates = nextState([], diff, { now: T1, notified: true, listedAll: false });
    const resolved = openState("resolvedfingerprint0", {
      status: "RESOLVED",
      resolvedAt: T1.toISOString(),
    });
    await writeLegacy(
      [...legacyStates, resolved, retired].map((s) => ({ ...s, lastSeen: T1.toISOString() })),
    );
    change = enforced().applied[0] as Change;
    await createChangeStore(ddb, table).put(change);
    await createRateLimiter(table, ddb).acquire("root-activity", T1, 300);
    // The stack update adds the index in place, as CloudFormation does (UpdateTable).
    await ddb.send(
      new UpdateTableCommand({
        TableName: table,
        AttributeDefinitions: [...STATE_TABLE_SCHEMA.AttributeDefinitions],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              ...structuredClone(STATE_TABLE_SCHEMA.GlobalSecondaryIndexes[0]),
              KeySchema: [...STATE_TABLE_SCHEMA.GlobalSecondaryIndexes[0].KeySchema],
            },
          },
        ],
      }),
    );
    store = createFindingStore(ddb, table);
  });

  it("keeps the open findings with their firstSeen: nothing NEW, no alert, nothing else touched", async () => {
    const others = await Promise.all(
      [`change#${change.id}`, "ratelimit#root-activity"].map((pk) => rawItem(table, pk)),
    );

    const outcome = await run(store, account(), T2);

    expect(outcome).toMatchObject({ owed: false, sent: false });
    expect(outcome.counts).toMatchObject({
      new: 0,
      resolved: 0,
      stillOpen: 3,
      stateWrites: 0,
      stateMigrated: 5,
    });
    const items = await allItems(table);
    const findings = items.filter((i) => String(i.pk).startsWith("finding#"));
    // Every old item now under its account's key (the ARN-less one under the account the others
    // name), none left under the old one, none carrying lastSeen.
    expect(findings.map((i) => i.pk).sort()).toEqual(
      [...legacyStates, retired, { fingerprint: "resolvedfingerprint0" }]
        .map((s) => `finding#${ACCOUNT_ID}#${s.fingerprint}`)
        .sort(),
    );
    expect(findings.every((i) => i.accountId === ACCOUNT_ID && !("lastSeen" in i))).toBe(true);
    for (const s of legacyStates) {
      expect(findings.find((i) => i.fingerprint === s.fingerprint)).toMatchObject({
        status: "OPEN",
        openAccount: ACCOUNT_ID,
        firstSeen: T1.toISOString(),
        lastNotified: T1.toISOString(),
        expiresAt: s.expiresAt,
      });
    }
    expect(findings.find((i) => i.fingerprint === "resolvedfingerprint0")).not.toHaveProperty(
      "openAccount",
    );
    expect(await rawItem(table, "meta#finding-layout")).toMatchObject({ version: 2 });
    expect(
      await Promise.all(
        [`change#${change.id}`, "ratelimit#root-activity"].map((pk) => rawItem(table, pk)),
      ),
    ).toEqual(others);
    expect(others.every((o) => o !== undefined)).toBe(true);
  });

  it("moves each old item to the account its ARN names (an ARN-less one with the others), whoever runs first", async () => {
    const moved = await store.load(OTHER_ACCOUNT, { migrate: true });

    expect(moved.open).toEqual([]);
    const findings = (await allItems(table)).filter((i) => String(i.pk).startsWith("finding#"));
    expect(findings.map((i) => i.accountId)).toEqual(findings.map(() => ACCOUNT_ID));
    expect(findings.map((i) => i.pk)).toContain(`finding#${ACCOUNT_ID}#${retired.fingerprint}`);
  });

  it("reads the old items in a preview without moving them", async () => {
    const before = await allItems(table);

    const outcome = await run(store, account(), T2, { preview: true });

    expect(outcome.counts).toMatchObject({ new: 0, stillOpen: 3, stateMigrated: 0 });
    expect(sent).not.toContain("BatchWriteItem");
    expect(await allItems(table)).toEqual(before);
  });

  it("runs once: the next run sends no Scan and writes nothing; a lost marker moves nothing twice", async () => {
    await run(store, account(), T2);

    const next = await run(store, account(), T3);
    expect(next.counts).toMatchObject({ new: 0, stillOpen: 3, stateWrites: 0, stateMigrated: 0 });
    expect(sent).toEqual(["GetItem", "Query"]);

    await ddb.send(
      new DeleteItemCommand({ TableName: table, Key: { pk: { S: "meta#finding-layout" } } }),
    );
    const again = await run(store, account(), T3);
    expect(again.counts).toMatchObject({ new: 0, stillOpen: 3, stateMigrated: 0 });
  });
});
