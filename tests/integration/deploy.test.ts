/**
 * `osls deploy` of the real stack into moto_server on loopback, then the deployed resources read
 * back with the SDK: the topic, the function and its settings, the schedule and its input, the
 * state table, the report bucket, the role.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
} from "@aws-sdk/client-cloudformation";
import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
} from "@aws-sdk/client-eventbridge";
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetBucketEncryptionCommand, S3Client } from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetDocumentCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FUNCTION_ACTIONS,
  REMEDIATION_ACTIONS,
  SECURITY_HUB_IMPORT_ACTIONS,
} from "../../shared/aws/permissions";
import { LINK_KEY_ACTIONS } from "../../shared/aws/report-link";
import { ASSUME_ROLE_ACTIONS } from "../../shared/aws/sts";
import { type Moto, startMoto } from "../helpers/moto";
import { STATE_TABLE_SCHEMA } from "../helpers/state-table";

const run = promisify(execFile);
const { documentContent } = createRequire(import.meta.url)(
  "../../shared/patching/document.cjs",
) as typeof import("../../shared/patching/document.cjs");
const root = new URL("../..", import.meta.url).pathname;
const STACK = "lightsail-auditor-moto";
let moto: Moto;
let physical: Map<string, string>;

beforeAll(async () => {
  moto = await startMoto();
  Object.assign(process.env, moto.env);
  await run(
    join(root, "node_modules/.bin/osls"),
    [
      "deploy",
      "--stage",
      "moto",
      "--param=alertEmail=owner@example.com",
      "--param=alertPhone=+14155550100",
      // moto's CloudFormation models neither AWS::Lambda::Url nor AWS::SecretsManager::Secret
      // (a GetAtt of the URL fails the deploy): the report link is off here, and its resources
      // are checked on the template (stack.test.ts) and its function against moto's S3 and
      // Secrets Manager APIs (report-link.test.ts).
      "--param=reportLinkDays=0",
    ],
    {
      cwd: root,
      timeout: 240_000,
      env: {
        ...process.env,
        ...moto.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
    },
  );
  const cfn = new CloudFormationClient({ endpoint: moto.url, region: "us-east-1" });
  const { StackResources = [] } = await cfn.send(
    new DescribeStackResourcesCommand({ StackName: STACK }),
  );
  physical = new Map(
    StackResources.map((r) => [r.LogicalResourceId ?? "", r.PhysicalResourceId ?? ""]),
  );
}, 300_000);
afterAll(() => moto?.stop());

const client = () => ({ endpoint: moto.url, region: "us-east-1" });

describe("the stack deployed into moto", () => {
  // moto's CloudFormation does not model AWS::SNS::Subscription (the email and SMS subscriptions
  // and the SMS filter policy are asserted on the template in stack.test.ts instead).
  it("creates the encrypted alert topic and passes its ARN and the table to the function", async () => {
    const sns = new SNSClient(client());
    const topicArn = physical.get("AlertTopic") ?? "";
    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    // The stack's customer managed key (CloudWatch alarms cannot use the AWS managed aws/sns).
    expect(attrs.Attributes?.KmsMasterKeyId).toBe(physical.get("AlertTopicKey"));
    expect(physical.get("AlertTopicKey")).toMatch(/^[0-9a-f-]{36}$/);
    const lambda = new LambdaClient(client());
    const fn = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: physical.get("AuditLambdaFunction") }),
    );
    expect(fn).toMatchObject({ Runtime: "nodejs24.x", Timeout: 300 }); // moto ignores Architectures
    expect(fn.Environment?.Variables).toMatchObject({
      TOPIC_ARN: topicArn,
      STATE_TABLE: physical.get("StateTable"),
      NOTIFY_MODE: "on-change",
      REGIONS: "all",
      PATCHING: "dry-run",
      PATCH_TARGETS: "tagged",
      PATCH_DOCUMENT: "lightsail-auditor-moto-enforce-patching",
      // reportLinkDays=0: no link, no report-link function.
      REPORT_LINK_DAYS: "0",
      REPORT_LINK_URL: "",
      REPORT_LINK_SECRET: "",
    });
    expect(physical.has("ReportLinkLambdaFunction")).toBe(false);
  });

  it("creates the failed-invocations queue, keeping records 14 days", async () => {
    // moto's CloudFormation models neither alarms nor EventInvokeConfig: stack.test.ts asserts
    // those on the template.
    const sqs = new SQSClient(client());
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: physical.get("FailedInvocationsQueue"),
        AttributeNames: ["MessageRetentionPeriod"],
      }),
    );
    expect(Attributes?.MessageRetentionPeriod).toBe("1209600");
  });

  it("creates the patching document, built from the scripts, under the name the function is given", async () => {
    const ssm = new SSMClient(client());
    const name = physical.get("PatchingDocument") ?? "";
    const doc = await ssm.send(new GetDocumentCommand({ Name: name }));
    expect(name).toBe("lightsail-auditor-moto-enforce-patching");
    expect(doc.DocumentType).toBe("Command");
    // moto's CloudFormation keeps the template's Content object and returns it as is (AWS returns
    // the JSON text): accept both.
    const content: unknown = doc.Content;
    expect(typeof content === "string" ? JSON.parse(content) : content).toEqual(documentContent());
  });

  it("schedules the audit daily with the constant input {trigger: schedule}", async () => {
    const events = new EventBridgeClient(client());
    const name = physical.get("AuditEventsRuleSchedule1") ?? "";
    const rule = await events.send(new DescribeRuleCommand({ Name: name }));
    expect(rule).toMatchObject({ ScheduleExpression: "cron(0 6 * * ? *)", State: "ENABLED" });
    const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: name }));
    expect(Targets.map((t) => JSON.parse(t.Input ?? "{}"))).toEqual([{ trigger: "schedule" }]);
    expect(Targets[0]?.Arn).toContain("function:lightsail-auditor-moto-audit");
  });

  // moto's CloudFormation ignores TimeToLiveSpecification and PointInTimeRecoverySpecification
  // (asserted on the template in stack.test.ts).
  it("creates the on-demand state table keyed by pk, with the sparse open-findings index", async () => {
    const ddb = new DynamoDBClient(client());
    const { Table } = await ddb.send(
      new DescribeTableCommand({ TableName: physical.get("StateTable") }),
    );
    expect(Table?.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
    expect(Table?.KeySchema).toEqual([{ AttributeName: "pk", KeyType: "HASH" }]);
    expect(
      Table?.GlobalSecondaryIndexes?.map((i) => ({
        IndexName: i.IndexName,
        KeySchema: i.KeySchema,
        Projection: i.Projection,
      })),
    ).toEqual(STATE_TABLE_SCHEMA.GlobalSecondaryIndexes);
  });

  it("gives the audit function its own role with exactly the declared actions, none of the fixes' by default", async () => {
    const iam = new IAMClient(client());
    const RoleName = physical.get("AuditRole") ?? "";
    const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName }));
    const actions: string[] = [];
    for (const PolicyName of PolicyNames) {
      const doc = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
      // moto returns CloudFormation-made inline policies as a Python dict repr: quote it as JSON.
      const policy = JSON.parse(
        decodeURIComponent(doc.PolicyDocument ?? "{}").replace(/'/g, '"'),
      ) as {
        Statement: { Action: string | string[] }[];
      };
      actions.push(...policy.Statement.flatMap((st) => [st.Action].flat()));
    }
    // Remediation is off unless the `remediation` parameter is enforce: no write is granted;
    // Security Hub is off unless `securityHub` is on: no import either. The report link is off
    // here (reportLinkDays=0): no read of its key either. Nor sts:AssumeRole: organization
    // mode's policy exists only when `accounts` is not self.
    const conditional: readonly string[] = [
      ...REMEDIATION_ACTIONS,
      ...SECURITY_HUB_IMPORT_ACTIONS,
      ...LINK_KEY_ACTIONS,
      ...ASSUME_ROLE_ACTIONS,
    ];
    expect(new Set(actions.filter((a) => !a.startsWith("logs:")))).toEqual(
      new Set(FUNCTION_ACTIONS.audit?.filter((a) => !conditional.includes(a))),
    );
  });

  // moto's CloudFormation applies the bucket's encryption, but not its PublicAccessBlockConfiguration,
  // LifecycleConfiguration or OwnershipControls, and does not create the AWS::S3::BucketPolicy
  // (each read back as "not found" here): stack.test.ts asserts those on the template.
  it("creates the encrypted report bucket and names it to the function", async () => {
    const s3 = new S3Client(client());
    const Bucket = physical.get("ReportBucket") ?? "";
    const lambda = new LambdaClient(client());
    const fn = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: physical.get("AuditLambdaFunction") }),
    );

    const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket }));

    expect(Bucket).toMatch(/^lightsail-auditor-moto-reportbucket-/i);
    expect(fn.Environment?.Variables?.REPORT_BUCKET).toBe(Bucket);
    expect(encryption.ServerSideEncryptionConfiguration?.Rules).toMatchObject([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
    ]);
  });

  // Last: it deletes the table. The undo records survive an accidental delete; removing on
  // purpose is the two steps of docs/development.md "Removing the stack".
  it("refuses to delete the state table until deletion protection is turned off", async () => {
    const ddb = new DynamoDBClient(client());
    const TableName = physical.get("StateTable") ?? "";
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName }));
    expect(Table?.DeletionProtectionEnabled).toBe(true);

    await expect(ddb.send(new DeleteTableCommand({ TableName }))).rejects.toThrow(
      /DeletionProtectionEnabled is set to True/,
    );
    await ddb.send(new UpdateTableCommand({ TableName, DeletionProtectionEnabled: false }));
    await ddb.send(new DeleteTableCommand({ TableName }));
  });
});
