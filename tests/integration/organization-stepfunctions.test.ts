/**
 * Organization mode on Step Functions: the state machine definition is taken from the template
 * `osls package` writes with accounts=organization, and run by aws-local-stepfunctions. Each Task
 * runs the real handler in-process (functions/organization.ts, functions/audit.ts) against the
 * local fake (1,000 member accounts, STS, Organizations) and moto (S3, SNS with SQS subscribers,
 * DynamoDB). Checked: every state's payload stays under 256 KB, a throttled invocation is
 * retried, accounts without the role, a suspended one and one whose audit crashes never fail the
 * run, the organization report, the one digest and the per-account alerts' attributes.
 */
import "../helpers/promise-with-resolvers";
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { StateMachine } from "aws-local-stepfunctions";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { OrgReport } from "../../shared/org/report";
import type { SummaryOutput } from "../../shared/org/steps";
import { memberId, syntheticOrganization } from "../fake-aws/accounts/organization";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { type Moto, startMoto } from "../helpers/moto";
import { expectValidOrgReport } from "../helpers/org-report-schema";
import { createStateTable } from "../helpers/state-table";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const ACCOUNTS = Number(process.env.ORG_TEST_ACCOUNTS ?? 1000);
const BUCKET = "org-reports";
const TABLE = "org-state";
const STATE_LIMIT = 256 * 1024;
const THROTTLED = memberId(1);
const CRASHES = memberId(4);

let fake: FakeAws;
let moto: Moto;
let definition: Record<string, unknown>;
const org = syntheticOrganization({
  accounts: ACCOUNTS,
  instances: 1,
  loadBalancers: 0,
  regions: 1,
  withoutRole: 20,
  suspended: 1,
});

interface Template {
  Conditions: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Condition?: string; Properties: Record<string, unknown> }
  >;
}
let template: Template;
let templateFile: string;

/** The stack as `osls package` writes it with accounts=organization, and its template file. */
async function packaged(): Promise<Template> {
  const dir = await mkdtemp(join(tmpdir(), "org-stack-"));
  await run(
    join(root, "node_modules/.bin/osls"),
    [
      "package",
      "--stage",
      "prod",
      "--package",
      dir,
      "--param=accounts=organization",
      "--param=organizationId=o-ab12cd34ef",
    ],
    { cwd: root, env: { ...process.env, AWS_REGION: "us-east-1" } },
  );
  templateFile = join(dir, "cloudformation-template-update-stack.json");
  return JSON.parse(await readFile(templateFile, "utf8"));
}

/** The DefinitionString of OrganizationRun, its GetAtt ARNs written as function names. */
function packagedDefinition(): Record<string, unknown> {
  const definitionString = template.Resources.OrganizationRun?.Properties.DefinitionString as {
    "Fn::Join": [string, (string | { "Fn::GetAtt": [string, string] })[]];
  };
  const join_ = definitionString["Fn::Join"][1];
  const text = join_
    .map((p) =>
      typeof p === "string"
        ? p
        : `arn:aws:lambda:us-east-1:123456789012:function:${p["Fn::GetAtt"][0]}`,
    )
    .join("");
  return JSON.parse(text);
}

const clientConfig = () => ({
  region: "us-east-1",
  endpoint: moto.url,
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
});

let digestQueue: string;
let clientQueue: string;

beforeAll(async () => {
  [fake, moto, template] = await Promise.all([
    startFakeAws({ account: org.management, members: org.members, organization: org.organization }),
    startMoto(),
    packaged(),
  ]);
  definition = packagedDefinition();
  const sns = new SNSClient(clientConfig());
  const sqs = new SQSClient(clientConfig());
  await new S3Client(clientConfig()).send(new CreateBucketCommand({ Bucket: BUCKET }));
  await createStateTable(new DynamoDBClient(clientConfig()), TABLE);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "alerts" }));
  // The owner's subscription (docs/organization.md): the digest only, never an account's alert.
  // And one client's: that account's alerts only.
  const queue = async (name: string, filter: Record<string, unknown>) => {
    const { QueueUrl = "" } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: "sqs",
        Endpoint: Attributes?.QueueArn,
        Attributes: {
          FilterPolicy: JSON.stringify(filter),
          FilterPolicyScope: "MessageAttributes",
        },
      }),
    );
    return QueueUrl;
  };
  digestQueue = await queue("owner", { accountId: [{ exists: false }] });
  clientQueue = await queue("client-1", { accountId: [memberId(1)] });
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: fake.url,
    AWS_ENDPOINT_URL_S3: moto.url,
    AWS_ENDPOINT_URL_SNS: moto.url,
    AWS_ENDPOINT_URL_DYNAMODB: moto.url,
    AWS_ACCESS_KEY_ID: "AKIDMANAGEMENT",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_REGION: "us-east-1",
    AWS_MAX_ATTEMPTS: "1",
    REPORT_BUCKET: BUCKET,
    TOPIC_ARN: TopicArn ?? "",
    STATE_TABLE: TABLE,
    REGIONS: "us-east-1",
    CHECKS: "iam-root-mfa-enabled,lightsail-instance-ssh-not-public",
    PATCHING: "off",
    ORG_ACCOUNTS: "organization",
    MEMBER_ROLE_NAME: "lightsail-auditor-member",
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
}, 120_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([fake?.close(), moto?.stop()]);
});

describe("the organization mode's stack (accounts=organization)", () => {
  type Statement = {
    Sid: string;
    Effect: string;
    Action: string[];
    Resource: unknown;
    Condition?: unknown;
  };
  const statements = (id: string): Statement[] => {
    const r = template.Resources[id];
    const policies = (r?.Properties.Policies ?? []) as {
      PolicyDocument: { Statement: Statement[] };
    }[];
    const own = r?.Properties.PolicyDocument as { Statement: Statement[] } | undefined;
    return [...policies.map((p) => p.PolicyDocument), ...(own ? [own] : [])].flatMap(
      (d) => d.Statement,
    );
  };

  it("passes cfn-lint, and its state machine passes asl-validator", async () => {
    const { stdout, stderr } = await run("cfn-lint", [templateFile]).catch((e) => e);
    const validate = createRequire(import.meta.url)("asl-validator") as (d: unknown) => {
      isValid: boolean;
      errorsText: (sep?: string) => string;
    };
    const result = validate(definition);

    expect(`${stdout ?? ""}${stderr ?? ""}`).toBe("");
    expect(result.isValid, result.errorsText("\n")).toBe(true);
  });

  it("uses a distributed Map with maxConcurrency 20, retries and a tolerated failure percentage", () => {
    const map = (definition.States as Record<string, Record<string, unknown>>).AuditAccounts;

    expect(map).toMatchObject({
      Type: "Map",
      MaxConcurrency: 20,
      ToleratedFailurePercentage: 100,
      ResultPath: null,
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } },
    });
  });

  it("starts the state machine on the schedule, and no longer the audit function", () => {
    const rule = template.Resources.OrganizationSchedule;

    expect(template.Resources.AuditEventsRuleSchedule1?.Condition).toBe("SelfMode");
    expect(rule?.Properties).toMatchObject({
      ScheduleExpression: "cron(0 6 * * ? *)",
      Targets: [{ Arn: { Ref: "OrganizationRun" } }],
    });
    expect(statements("OrganizationScheduleRole")).toEqual([
      expect.objectContaining({
        Action: ["states:StartExecution"],
        Resource: { Ref: "OrganizationRun" },
      }),
    ]);
  });

  it("lets the audit role assume the member role by name, in the organization's accounts only", () => {
    const [assume, ...others] = statements("AuditOrganizationPolicy");

    expect(others).toEqual([]);
    expect(assume).toEqual({
      Sid: "AssumeMemberRole",
      Effect: "Allow",
      Action: ["sts:AssumeRole"],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Sub, not JS
      Resource: { "Fn::Sub": "arn:${AWS::Partition}:iam::*:role/lightsail-auditor-member" },
      Condition: {
        "Fn::If": [
          "HasOrganizationId",
          { StringEquals: { "aws:ResourceOrgID": { Ref: "OrganizationId" } } },
          { Ref: "AWS::NoValue" },
        ],
      },
    });
  });

  it("lets the state machine invoke its two functions and run its own children only", () => {
    const actions = statements("OrganizationRunRole")
      .flatMap((s) => s.Action)
      .sort();

    expect(actions).toEqual([
      "lambda:InvokeFunction",
      "states:DescribeExecution",
      "states:StartExecution",
      "states:StopExecution",
    ]);
    expect(JSON.stringify(statements("OrganizationRunRole"))).toContain(
      "stateMachine:lightsail-auditor-prod-organization",
    );
  });

  it("creates every organization resource only in organization mode", () => {
    const conditioned = Object.entries(template.Resources)
      .filter(([id]) => /^Organization/.test(id) || id === "AuditOrganizationPolicy")
      .map(([id, r]) => [id, r.Condition]);

    expect(conditioned.length).toBeGreaterThanOrEqual(8);
    for (const [id, condition] of conditioned) expect(condition, id).toBe("OrganizationMode");
  });
});

/** One execution of the state machine with the real handlers; every state's largest payload. */
async function runMachine(options: { throttleOnce: boolean }) {
  const organization = (await import("../../functions/organization")).handler;
  const audit = (await import("../../functions/audit")).handler;
  let throttled = options.throttleOnce ? 0 : 1;
  const machine = new StateMachine(definition as never);
  const execution = machine.run(
    {},
    {
      overrides: {
        taskResourceLocalHandlers: {
          ListAccounts: (input) => organization(input as never) as never,
          Summarize: (input) => organization(input as never) as never,
          AuditAccount: async (input) => {
            const id = (input as { account: { id: string } }).account.id;
            if (id === THROTTLED && throttled++ === 0) {
              throw Object.assign(new Error("Rate exceeded"), {
                name: "Lambda.TooManyRequestsException",
              });
            }
            if (id === CRASHES) throw new Error("the function ran out of memory");
            return (await audit(input as never)) as never;
          },
        },
        retryIntervalOverrides: { AuditAccount: 0, ListAccounts: 0, Summarize: 0 },
      },
    },
  );
  let largest = { bytes: 0, where: "" };
  let retried = 0;
  // The handlers' EMF lines (AuditsCompleted, for the no-audit alarm) are counted, not printed.
  let completed = 0;
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    completed += String(chunk).split('"AuditsCompleted":1').length - 1;
    return true;
  });
  try {
    for await (const event of execution.eventLogs) {
      const e = event as {
        type: string;
        state?: { name: string; input?: unknown; output?: unknown };
      };
      if (e.type === "StateRetried") retried += 1;
      for (const payload of [e.state?.input, e.state?.output]) {
        if (payload === undefined) continue;
        const bytes = Buffer.byteLength(JSON.stringify(payload));
        if (bytes > largest.bytes) largest = { bytes, where: `${e.type} ${e.state?.name}` };
      }
    }
  } finally {
    vi.restoreAllMocks();
  }
  const output = (await execution.result) as unknown as SummaryOutput;
  return { output, largest, retried, throttled, completed };
}

/** Every message waiting in an SQS queue, deleted once read (else it comes back after 30 s). */
async function receive(QueueUrl: string): Promise<string[]> {
  const sqs = new SQSClient(clientConfig());
  const out: string[] = [];
  for (;;) {
    const r = await sqs.send(
      // Long polling: an empty answer means the queue is empty, not "not delivered yet".
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (!r.Messages?.length) return out;
    for (const m of r.Messages) {
      out.push(m.Body ?? "");
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}

describe(`the organization state machine over ${ACCOUNTS} accounts`, () => {
  it("audits every account, tolerates the broken ones, keeps every state under 256 KB, and summarizes", async () => {
    const { output, largest, retried, throttled, completed } = await runMachine({
      throttleOnce: true,
    });

    // Payloads: ids, names and counts only. The largest is the account list (the Map's input).
    expect(largest.bytes).toBeLessThan(STATE_LIMIT);
    console.log(`largest state payload: ${largest.bytes} bytes (${largest.where})`);
    expect(retried).toBe(1);
    // Each audited account counts for the no-audit alarm.
    expect(completed).toBe(ACCOUNTS + 1 - 22);
    expect(throttled).toBe(2);
    const s3 = new S3Client(clientConfig());
    const get = async (key: string) =>
      (await s3
        .send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
        .then((o) => o.Body?.transformToString())) ?? "";
    const report = JSON.parse(await get(output.report)) as OrgReport;
    expectValidOrgReport(report);
    const reasons = report.notAudited.reduce<Record<string, number>>((n, a) => {
      n[a.reason] = (n[a.reason] ?? 0) + 1;
      return n;
    }, {});

    expect(report.totals).toMatchObject({
      selected: ACCOUNTS + 1,
      audited: ACCOUNTS + 1 - 22,
      notAudited: 22,
    });
    expect(reasons).toEqual({ "assume-role-denied": 20, suspended: 1, "audit-failed": 1 });
    expect(report.notAudited.find((n) => n.accountId === CRASHES)?.reason).toBe("audit-failed");
    expect(report.accounts.find((a) => a.accountId === THROTTLED)).toBeDefined();
    expect(
      report.accounts.every(
        (a) => a.news?.new === a.failBySeverity.critical + a.failBySeverity.high,
      ),
    ).toBe(true);
    expect(await get(output.report.replace(/\.json$/, ".md"))).toContain(
      `# Lightsail audit of ${ACCOUNTS + 1} accounts`,
    );
    expect(output.digest).toEqual({ owed: true, sent: true });

    // The owner got one message, the digest; the client's queue only its account's alert.
    const owner = await receive(digestQueue);
    const client = await receive(clientQueue);
    expect(owner).toHaveLength(1);
    expect(owner[0]).toContain("accounts could not be audited");
    expect(client).toHaveLength(1);
    expect(client[0]).toContain(memberId(1));
  }, 900_000);

  it("the next run, with nothing changed anywhere, sends no digest and no account alert", async () => {
    const { output } = await runMachine({ throttleOnce: false });

    expect(output.totals).toMatchObject({ audited: ACCOUNTS + 1 - 22, notAudited: 22 });
    expect(output.digest).toEqual({ owed: false, sent: false });
    expect(await receive(digestQueue)).toEqual([]);
    expect(await receive(clientQueue)).toEqual([]);
  }, 900_000);
});
