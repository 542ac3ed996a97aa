/**
 * The stack as it would deploy: `osls package` offline, cfn-lint on the generated template, the
 * audit role granting exactly what the adapters declare, and `osls invoke local` against the fake.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditSummary } from "../../functions/audit";
import {
  functionStatements,
  IAM_POLICY_DOC,
  iamPolicyMarkdown,
} from "../../scripts/iam-policy-doc";
import { IAM_GROUP_READ_ACTIONS } from "../../shared/aws/iam";
import {
  FUNCTION_ACTIONS,
  LEADING_KEYS,
  REMEDIATION_ACTIONS,
  RESOURCELESS_ACTIONS,
  SECURITY_HUB_IMPORT_ACTIONS,
  STATEMENT_REASONS,
} from "../../shared/aws/permissions";
import { OPEN_FINDINGS_INDEX } from "../../shared/aws/state-store";
import { AUDIT_METRICS } from "../../shared/metrics";
import { LIGHTSAIL_INSTANCE_TAG } from "../../shared/patching/targets";
import { OPT_OUT_TAG } from "../../shared/remediation/plan";
import { REPORTS_PREFIX } from "../../shared/report/location";
import { demoAccount } from "../fake-aws/accounts/demo";
import { type FakeAws, startFakeAws } from "../fake-aws/server";
import { STATE_TABLE_SCHEMA } from "../helpers/state-table";

const run = promisify(execFile);
const patchingDocument = createRequire(import.meta.url)(
  "../../shared/patching/document.cjs",
) as typeof import("../../shared/patching/document.cjs");
const wordpressDocument = createRequire(import.meta.url)(
  "../../shared/wordpress/document.cjs",
) as typeof import("../../shared/wordpress/document.cjs");
const root = new URL("../..", import.meta.url).pathname;
const osls = join(root, "node_modules/.bin/osls");

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Condition?: string;
}
let template: { Resources: Record<string, Resource> };
let templateFile: string;

/** A resource's properties; throws (failing the test) when the template lacks it. */
function propertiesOf(id: string, t = template): Record<string, unknown> {
  const resource = t.Resources[id];
  if (!resource) throw new Error(`no resource ${id} in the template`);
  return resource.Properties;
}

const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
/** A role's statements: its inline policies, and the AWS::IAM::Policy resources attached to it. */
function statementsOf(roleId: string): Statement[] {
  const inline = (template.Resources[roleId]?.Properties.Policies ?? []) as {
    PolicyDocument: { Statement: Statement[] };
  }[];
  const attached = policiesOf(roleId).map(
    (p) => p.Properties.PolicyDocument as { Statement: Statement[] },
  );
  return [...inline.map((p) => p.PolicyDocument), ...attached].flatMap((d) => d.Statement);
}

function policiesOf(roleId: string): Resource[] {
  return ofType("AWS::IAM::Policy").filter((p) =>
    (p.Properties.Roles as unknown[]).some(
      (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }),
    ),
  );
}

beforeAll(async () => {
  const out = await mkdtemp(join(tmpdir(), "stack-"));
  await run(osls, ["package", "--stage", "test", "--package", out], {
    cwd: root,
    timeout: 180_000,
  });
  templateFile = join(out, "cloudformation-template-update-stack.json");
  template = JSON.parse(await readFile(templateFile, "utf8"));
}, 200_000);

describe("serverless.yml", () => {
  it("passes cfn-lint with no errors and no warnings", async () => {
    const { stdout, stderr } = await run("cfn-lint", [templateFile]);
    expect(stdout + stderr).toBe("");
  });

  it("runs the audit on nodejs24.x arm64 on a schedule with a constant input", () => {
    const fn = template.Resources.AuditLambdaFunction;
    expect(fn?.Properties).toMatchObject({
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Timeout: 300,
    });
    const rule = template.Resources.AuditEventsRuleSchedule1;
    expect(rule?.Properties.ScheduleExpression).toBe("cron(0 6 * * ? *)");
    const targets = rule?.Properties.Targets as { Input: string }[];
    expect(JSON.parse(targets[0]?.Input ?? "{}")).toEqual({ trigger: "schedule" });
  });

  it("gives each function its own role granting exactly the actions its adapters declare", () => {
    const functions = Object.entries(template.Resources).filter(
      ([, r]) => r.Type === "AWS::Lambda::Function",
    );
    expect(functions.map(([id]) => id).sort()).toEqual(
      Object.keys(FUNCTION_ACTIONS)
        .map((name) => `${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`)
        .sort(),
    );
    const roles = new Set<string>();
    for (const [id, fn] of functions) {
      const name = id.replace(/LambdaFunction$/, "").replace(/^./, (c) => c.toLowerCase());
      const roleId = String((fn.Properties.Role as { "Fn::Sub": string })["Fn::Sub"]).replace(
        /^\$\{(\w+)\.Arn\}$/,
        "$1",
      );
      roles.add(roleId);
      const statements = statementsOf(roleId);
      const granted = statements
        .filter((st) => st.Effect === "Allow")
        .flatMap((st) => st.Action)
        .filter((a) => !a.startsWith("logs:"));
      expect(new Set(granted), name).toEqual(new Set(FUNCTION_ACTIONS[name]));
      // Each action once, but SendCommand: its document and its nodes are separate statements.
      const twice = name === "audit" ? ["ssm:SendCommand"] : [];
      expect(granted, name).toHaveLength((FUNCTION_ACTIONS[name]?.length ?? -1) + twice.length);
      for (const action of twice) expect(granted.filter((a) => a === action)).toHaveLength(2);
      for (const st of statements) {
        // The only Deny statements are the opt-out's (tested below).
        if (st.Effect === "Deny") expect(st.Sid).toMatch(/^NeverOptedOut/);
        else expect(st.Effect).toBe("Allow");
        expect(
          st.Action.some((a) => a.includes("*")),
          `${name}: wildcard action`,
        ).toBe(false);
        // IAM group reads are granted on the account's groups only.
        if (st.Action.some((a) => (IAM_GROUP_READ_ACTIONS as readonly string[]).includes(a))) {
          expect(st.Resource, `${name}: IAM group reads`).toEqual({
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Sub, not JS
            "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:group/*",
          });
        }
      }
      // Logs only into the function's own log group.
      const logs = statements.filter((st) => st.Action.some((a) => a.startsWith("logs:")));
      expect(logs.map((st) => st.Resource)).toEqual([
        { "Fn::GetAtt": [`${id.replace(/LambdaFunction$/, "")}LogGroup`, "Arn"] },
      ]);
    }
    expect(roles.size).toBe(functions.length);
  });

  it("scopes sns:Publish to the alert topic, DynamoDB to the state table and Query to its index", () => {
    const statements = statementsOf("AuditRole");
    const resourceOf = (action: string) =>
      statements.filter((st) => st.Action.includes(action)).map((st) => st.Resource);
    expect(resourceOf("sns:Publish")).toEqual([{ Ref: "AlertTopic" }]);
    for (const action of ["dynamodb:GetItem", "dynamodb:Scan", "dynamodb:BatchWriteItem"]) {
      expect(resourceOf(action), action).toEqual([{ "Fn::GetAtt": ["StateTable", "Arn"] }]);
    }
    expect(resourceOf("dynamodb:Query")).toEqual([
      { "Fn::Sub": `\${StateTable.Arn}/index/${OPEN_FINDINGS_INDEX}` },
    ]);
  });

  it("grants SendCommand only on the stack's two documents and this region's hybrid nodes", () => {
    const statements = statementsOf("AuditRole");
    const withAction = (action: string) => statements.filter((st) => st.Action.includes(action));
    // Fn::Sub of `arn` written with %Name% for CloudFormation's ${Name}.
    const sub = (arn: string) => ({ "Fn::Sub": arn.replace(/%([\w:]+)%/g, "$${$1}") });

    // The document and the nodes in separate statements: the tag condition is on the nodes only.
    expect(withAction("ssm:SendCommand")).toEqual([
      {
        Sid: "RunOurDocument",
        Effect: "Allow",
        Action: ["ssm:SendCommand"],
        Resource: [
          sub(
            "arn:%AWS::Partition%:ssm:%AWS::Region%:%AWS::AccountId%:document/%PatchingDocument%",
          ),
          sub(
            "arn:%AWS::Partition%:ssm:%AWS::Region%:%AWS::AccountId%:document/%WordPressInventoryDocument%",
          ),
        ],
      },
      {
        Sid: "RunOnLightsailNodes",
        Effect: "Allow",
        Action: ["ssm:SendCommand"],
        Resource: sub("arn:%AWS::Partition%:ssm:%AWS::Region%:%AWS::AccountId%:managed-instance/*"),
        Condition: { Null: { [`aws:ResourceTag/${LIGHTSAIL_INSTANCE_TAG}`]: "false" } },
      },
    ]);
    expect(withAction("ssm:ListTagsForResource")).toEqual([
      {
        Sid: "ReadNodeTags",
        Effect: "Allow",
        Action: ["ssm:ListTagsForResource"],
        Resource: sub("arn:%AWS::Partition%:ssm:*:%AWS::AccountId%:managed-instance/*"),
      },
    ]);
    for (const action of [
      "ssm:DescribeInstanceInformation",
      "ssm:ListCommandInvocations",
      "ssm:GetCommandInvocation",
    ]) {
      expect(withAction(action).map((st) => st.Resource)).toEqual(["*"]);
    }
  });

  it("deploys the patching document built from the scripts, and names it in the environment", () => {
    const document = template.Resources.PatchingDocument;
    const fn = template.Resources.AuditLambdaFunction;
    const env = (fn?.Properties.Environment as { Variables?: Record<string, string> } | undefined)
      ?.Variables;

    expect(document?.Type).toBe("AWS::SSM::Document");
    expect(document?.Properties).toEqual({
      Name: "lightsail-auditor-test-enforce-patching",
      DocumentType: "Command",
      DocumentFormat: "JSON",
      UpdateMethod: "NewVersion",
      Content: patchingDocument.documentContent(),
    });
    expect(env).toMatchObject({
      PATCHING: "dry-run",
      PATCH_TARGETS: "tagged",
      PATCH_DOCUMENT: "lightsail-auditor-test-enforce-patching",
    });
  });

  it("deploys the WordPress inventory document built from inventory.sh, on by default, with twice the schedule as its staleness limit", () => {
    const document = template.Resources.WordPressInventoryDocument;
    const fn = template.Resources.AuditLambdaFunction;
    const env = (fn?.Properties.Environment as { Variables?: Record<string, string> } | undefined)
      ?.Variables;

    expect(document?.Properties).toEqual({
      Name: "lightsail-auditor-test-wordpress-inventory",
      DocumentType: "Command",
      DocumentFormat: "JSON",
      UpdateMethod: "NewVersion",
      Content: wordpressDocument.documentContent(),
    });
    expect(env).toMatchObject({
      WORDPRESS_INVENTORY: "on",
      WORDPRESS_DOCUMENT: "lightsail-auditor-test-wordpress-inventory",
      WORDPRESS_ORG: "on",
      WORDPRESS_INVENTORY_MAX_AGE: "172800",
    });
  });

  it("grants the fixes' actions only with remediation enforce: writes on instance and load-balancer ARNs, never PutInstancePublicPorts", () => {
    // Organization mode's AuditOrganizationPolicy has its own test (organization-stack.test.ts).
    const policies = policiesOf("AuditRole").filter((p) => p.Condition !== "OrganizationMode");
    const policy = policies.find((p) => p.Condition === "RemediationEnforced");
    const others = policies.filter(
      (p) => p !== policy && p.Condition !== "ReportLinkOn" && p.Condition !== "SecurityHubOn",
    );
    const document = policy?.Properties.PolicyDocument as { Statement: Statement[] } | undefined;
    const statements = document?.Statement ?? [];
    const resourceOf = (action: string) =>
      statements
        .filter((st) => st.Effect === "Allow" && st.Action.includes(action))
        .map((st) => st.Resource);
    const arns = (type: string) => ({
      "Fn::Sub": `arn:\${AWS::Partition}:lightsail:*:\${AWS::AccountId}:${type}/*`,
    });

    expect(others).toEqual([]);
    expect(policy?.Condition).toBe("RemediationEnforced");
    expect((template as unknown as { Conditions: unknown }).Conditions).toMatchObject({
      RemediationEnforced: { "Fn::Equals": [{ Ref: "Remediation" }, "enforce"] },
    });
    expect(
      (template as unknown as { Parameters: Record<string, unknown> }).Parameters.Remediation,
    ).toEqual({
      Type: "String",
      Default: "off",
      AllowedValues: ["off", "dry-run", "enforce"],
    });
    expect(new Set(statements.flatMap((st) => st.Action))).toEqual(new Set(REMEDIATION_ACTIONS));
    expect(resourceOf("lightsail:OpenInstancePublicPorts")).toEqual([arns("Instance")]);
    expect(resourceOf("lightsail:CloseInstancePublicPorts")).toEqual([arns("Instance")]);
    expect(resourceOf("lightsail:UpdateLoadBalancerAttribute")).toEqual([arns("LoadBalancer")]);
    expect(resourceOf("dynamodb:PutItem")).toEqual([{ "Fn::GetAtt": ["StateTable", "Arn"] }]);
    const everyAction = Object.values(template.Resources)
      .filter((r) => r.Type === "AWS::IAM::Role" || r.Type === "AWS::IAM::Policy")
      .flatMap((r) => JSON.stringify(r));
    expect(everyAction.join("")).not.toContain("PutInstancePublicPorts");
  });

  it("grants securityhub:BatchImportFindings only with securityHub on, on the account's default product in the stack's region", () => {
    const hub = policiesOf("AuditRole").filter((p) => p.Condition === "SecurityHubOn");
    expect(hub).toHaveLength(1);
    expect(hub[0]?.Properties.PolicyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ImportFindings",
          Effect: "Allow",
          Action: [...SECURITY_HUB_IMPORT_ACTIONS],
          Resource: {
            "Fn::Sub":
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Sub, not JS
              "arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product/${AWS::AccountId}/default",
          },
        },
      ],
    });
    expect(SECURITY_HUB_IMPORT_ACTIONS).toEqual(["securityhub:BatchImportFindings"]);
    expect((template as unknown as { Conditions: unknown }).Conditions).toMatchObject({
      SecurityHubOn: { "Fn::Equals": [{ Ref: "SecurityHub" }, "on"] },
    });
    expect(
      (template as unknown as { Parameters: Record<string, unknown> }).Parameters.SecurityHub,
    ).toEqual({ Type: "String", Default: "off", AllowedValues: ["off", "on"] });
    // No other statement anywhere mentions Security Hub.
    const others = Object.entries(template.Resources)
      .filter(([id, r]) => id !== "AuditSecurityHubPolicy" && r.Type.startsWith("AWS::IAM::"))
      .map(([, r]) => JSON.stringify(r));
    expect(others.join("")).not.toContain("securityhub");
    const variables = (
      propertiesOf("AuditLambdaFunction").Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables.SECURITY_HUB).toBe("off");
  });

  describe("least privilege, enforced by IAM (issue 18)", () => {
    /**
     * cfn-lint's copy of the Service Authorization Reference (cfnlint/data/AdditionalSpecs/
     * Policies.json): per service, each action's resource types and each resource type's
     * condition keys. It has no action-level condition keys (dynamodb:LeadingKeys is one).
     */
    type Reference = Record<
      string,
      {
        Actions: Record<string, { Resources?: string[] }>;
        Resources: Record<string, { ConditionKeys?: string[] }>;
      }
    >;
    let reference: Reference;
    beforeAll(async () => {
      const { stdout } = await run("python3", [
        "-c",
        "import cfnlint,os;print(os.path.join(os.path.dirname(cfnlint.__file__),'data','AdditionalSpecs','Policies.json'))",
      ]);
      reference = JSON.parse(await readFile(stdout.trim(), "utf8"));
    });
    const resourceTypesOf = (action: string) => {
      const [service = "", name = ""] = action.split(":");
      const entry = reference[service]?.Actions[name.toLowerCase()];
      if (!entry) throw new Error(`${action} is not in cfn-lint's Policies.json`);
      return entry.Resources ?? [];
    };
    /** Every statement of every IAM role and policy in the template, named resource/Sid. */
    const everyStatement = () =>
      Object.entries(template.Resources).flatMap(([id, r]) => {
        const docs =
          r.Type === "AWS::IAM::Role"
            ? (
                (r.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
              ).map((p) => p.PolicyDocument)
            : r.Type === "AWS::IAM::Policy"
              ? [r.Properties.PolicyDocument as { Statement: Statement[] }]
              : [];
        return docs.flatMap((d) => d.Statement).map((st) => ({ where: `${id}/${st.Sid}`, st }));
      });

    it('grants on Resource "*" only allow-listed actions, each with no resource type in the reference', () => {
      const onStar = everyStatement().flatMap(({ where, st }) =>
        [st.Resource].flat().includes("*") ? st.Action.map((a) => ({ where, action: a })) : [],
      );
      const unlisted = onStar.filter(({ action }) => !(action in RESOURCELESS_ACTIONS));
      expect(unlisted, "add it to RESOURCELESS_ACTIONS with its reason, or scope it").toEqual([]);
      // No stale entry: the allow-list is exactly what is granted on "*".
      expect(new Set(onStar.map((g) => g.action))).toEqual(
        new Set(Object.keys(RESOURCELESS_ACTIONS)),
      );
      for (const action of Object.keys(RESOURCELESS_ACTIONS)) {
        expect(resourceTypesOf(action), `${action} has resource types: scope it`).toEqual([]);
      }
    });

    it("grants every other action on resources of a type the reference lists for it", () => {
      for (const { where, st } of everyStatement()) {
        if ([st.Resource].flat().includes("*") || st.Action.includes("sts:AssumeRole")) continue;
        for (const action of st.Action) {
          expect(resourceTypesOf(action).length, `${where}: ${action}`).toBeGreaterThan(0);
        }
      }
    });

    it("uses only tag condition keys the reference lists for the resource types", () => {
      const keys = (service: string, type: string) =>
        reference[service]?.Resources[type]?.ConditionKeys ?? [];
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the reference's own placeholder
      const tagKey = "aws:ResourceTag/${TagKey}";
      expect(keys("ssm", "managed-instance")).toContain(tagKey);
      expect(keys("lightsail", "instance")).toContain(tagKey);
      expect(keys("lightsail", "loadbalancer")).toContain(tagKey);
      expect(resourceTypesOf("ssm:SendCommand")).toEqual(
        expect.arrayContaining(["document", "managed-instance"]),
      );
    });

    it("runs commands only on nodes tagged lightsail:instance, and the tag condition is on the nodes only", () => {
      const sends = statementsOf("AuditRole").filter((st) => st.Action.includes("ssm:SendCommand"));
      for (const st of sends) {
        const nodes = JSON.stringify(st.Resource).includes("managed-instance");
        expect(st.Condition, String(st.Sid)).toEqual(
          nodes ? { Null: { [`aws:ResourceTag/${LIGHTSAIL_INSTANCE_TAG}`]: "false" } } : undefined,
        );
        // Never both in one statement: the documents carry no such tag.
        const kinds = [st.Resource]
          .flat()
          .map((r) => JSON.stringify(r).includes("managed-instance"));
        expect(new Set(kinds), String(st.Sid)).toEqual(new Set([nodes]));
      }
    });

    it("denies the fixes' writes on resources tagged auto-remediate=false", () => {
      const denies = policiesOf("AuditRole")
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((st) => st.Effect === "Deny");
      const optedOut = {
        StringEqualsIgnoreCase: { [`aws:ResourceTag/${OPT_OUT_TAG.key}`]: OPT_OUT_TAG.value },
      };
      const arns = (type: string) => ({
        "Fn::Sub": `arn:\${AWS::Partition}:lightsail:*:\${AWS::AccountId}:${type}/*`,
      });
      expect(denies).toEqual([
        {
          Sid: "NeverOptedOutInstances",
          Effect: "Deny",
          Action: ["lightsail:OpenInstancePublicPorts", "lightsail:CloseInstancePublicPorts"],
          Resource: arns("Instance"),
          Condition: optedOut,
        },
        {
          Sid: "NeverOptedOutLoadBalancers",
          Effect: "Deny",
          Action: ["lightsail:UpdateLoadBalancerAttribute"],
          Resource: arns("LoadBalancer"),
          Condition: optedOut,
        },
      ]);
    });

    it("lets each role touch only its own partition keys of the state table", () => {
      // A glob of StringLike as a RegExp (only * is used).
      const matches = (globs: unknown, key: string) =>
        [globs].flat().some((g) =>
          new RegExp(
            `^${String(g)
              .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
              .replaceAll("*", ".*")}$`,
          ).test(key),
        );
      const itemStatements = (roleId: string) =>
        statementsOf(roleId).filter((st) =>
          st.Action.some(
            (a) => a.startsWith("dynamodb:") && a !== "dynamodb:Scan" && a !== "dynamodb:Query",
          ),
        );
      const leadingKeys = (st: Statement) =>
        st.Condition?.["ForAllValues:StringLike"]?.["dynamodb:LeadingKeys"];
      const [own, change] = itemStatements("AuditRole");
      const [rate] = itemStatements("RootActivityRole");
      expect(itemStatements("AuditRole")).toHaveLength(2);
      expect(itemStatements("RootActivityRole")).toHaveLength(1);
      expect(leadingKeys(own as Statement)).toEqual(LEADING_KEYS.audit);
      expect(leadingKeys(change as Statement)).toEqual(LEADING_KEYS.remediation);
      expect(leadingKeys(rate as Statement)).toEqual(LEADING_KEYS.rootActivity);
      // Scan and Query have no partition key to test: reads, and only those two.
      for (const st of statementsOf("AuditRole")) {
        if (st.Action.some((a) => a.startsWith("dynamodb:")) && !st.Condition) {
          expect(st.Action).toSatisfy((a: string[]) =>
            a.every((x) => x === "dynamodb:Scan" || x === "dynamodb:Query"),
          );
        }
      }
      const cases: [Statement | undefined, string, boolean][] = [
        [own, "finding#123456789012#fp", true],
        [own, "finding#fp", true], // the legacy layout, deleted by the migration
        [own, "meta#finding-layout", true],
        [own, "change#3f9a2c81b7d0", false],
        [own, "ratelimit#root", false],
        [change, "change#3f9a2c81b7d0", true],
        [change, "finding#123456789012#fp", false],
        [rate, "ratelimit#root", true],
        [rate, "change#3f9a2c81b7d0", false],
        [rate, "finding#123456789012#fp", false],
        [rate, "meta#finding-layout", false],
      ];
      for (const [st, key, allowed] of cases) {
        expect(matches(leadingKeys(st as Statement), key), `${st?.Sid} ${key}`).toBe(allowed);
      }
    });

    it("protects the state table from deletion", () => {
      expect(propertiesOf("StateTable").DeletionProtectionEnabled).toBe(true);
    });

    it("names every statement of the functions' roles, with a reason", () => {
      const sids = functionStatements(template).map(({ statement }) => statement.Sid ?? "");
      for (const sid of sids) expect(STATEMENT_REASONS, sid).toHaveProperty([sid]);
      expect(new Set(sids)).toEqual(new Set(Object.keys(STATEMENT_REASONS)));
    });

    it("has docs/iam-policy.md as the packaged template generates it (npm run docs:iam)", async () => {
      expect(await readFile(IAM_POLICY_DOC, "utf8")).toBe(iamPolicyMarkdown(template));
    });
  });

  it("passes the remediation settings to the audit function (off, no SSH addresses, by default)", () => {
    const env = template.Resources.AuditLambdaFunction?.Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables).toMatchObject({ REMEDIATION: "off", ALLOWED_SSH_CIDRS: "" });
  });

  it("has an encrypted topic, subscriptions only for the parameters given, SMS only when urgent", () => {
    expect(template.Resources.AlertTopic?.Properties.KmsMasterKeyId).toEqual({
      Ref: "AlertTopicKey",
    });
    const email = template.Resources.AlertEmailSubscription as Resource & { Condition: string };
    const sms = template.Resources.AlertSmsSubscription as Resource & { Condition: string };
    expect(email.Condition).toBe("HasAlertEmail");
    expect(email.Properties).toMatchObject({ Protocol: "email", Endpoint: { Ref: "AlertEmail" } });
    expect(sms.Condition).toBe("HasAlertPhone");
    // In organization mode each account's alert (it carries accountId) is not texted either.
    expect(sms.Properties).toMatchObject({
      Protocol: "sms",
      FilterPolicyScope: "MessageAttributes",
      FilterPolicy: {
        "Fn::If": [
          "OrganizationMode",
          { sms: ["true"], accountId: [{ exists: false }] },
          { sms: ["true"] },
        ],
      },
    });
  });

  describe("someone hears when the auditor is broken", () => {
    type Alarm = Record<string, unknown> & { AlarmActions: unknown[]; Dimensions: unknown[] };
    const alarms = () =>
      Object.fromEntries(
        Object.entries(template.Resources)
          .filter(([, r]) => r.Type === "AWS::CloudWatch::Alarm")
          .map(([id, r]) => [id, r.Properties as Alarm]),
      );
    const TOPIC = [{ Ref: "AlertTopic" }];

    it("encrypts the topic with a rotated customer managed key that CloudWatch alarms may use", () => {
      // CloudWatch cannot publish to a topic under the AWS managed aws/sns key, whose policy
      // cannot be changed: a customer managed key's policy has to let cloudwatch.amazonaws.com in.
      const key = propertiesOf("AlertTopicKey");
      const statements = (key.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;

      expect(key.EnableKeyRotation).toBe(true);
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
        }),
      );
      // Only the account (through IAM policies) and CloudWatch: no other principal.
      expect(statements.map((st) => st.Principal)).toEqual([
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Sub, not JS
        { AWS: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" } },
        { Service: "cloudwatch.amazonaws.com" },
      ]);
    });

    it("lets the publishing roles use the topic's key, and nothing else", () => {
      for (const role of ["AuditRole", "RootActivityRole"]) {
        const kms = statementsOf(role).filter((st) => st.Action.some((a) => a.startsWith("kms:")));
        expect(kms, role).toEqual([
          {
            Sid: "UseTopicKey",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: { "Fn::GetAtt": ["AlertTopicKey", "Arn"] },
          },
        ]);
      }
    });

    it.each([
      ["AuditLambdaFunction", "AuditErrorsAlarm"],
      ["RootActivityLambdaFunction", "RootActivityErrorsAlarm"],
    ])("alarms on %s's errors to the alert topic", (fn, alarmId) => {
      expect(alarms()[alarmId]).toMatchObject({
        Namespace: "AWS/Lambda",
        MetricName: "Errors",
        Dimensions: [{ Name: "FunctionName", Value: { Ref: fn } }],
        Statistic: "Sum",
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        Threshold: 1,
        TreatMissingData: "notBreaching",
        AlarmActions: TOPIC,
      });
    });

    it("sends failed asynchronous invocations of every function to an encrypted queue, and alarms on its depth", () => {
      const configs = ofType("AWS::Lambda::EventInvokeConfig").map((r) => r.Properties);
      expect(configs).toHaveLength(2);
      for (const config of configs) {
        expect(config.DestinationConfig).toEqual({
          OnFailure: { Destination: { "Fn::GetAtt": ["FailedInvocationsQueue", "Arn"] } },
        });
      }
      const queue = propertiesOf("FailedInvocationsQueue");
      expect(queue.SqsManagedSseEnabled).toBe(true);
      expect(queue.MessageRetentionPeriod).toBe(1_209_600); // 14 days, SQS's maximum
      expect(alarms().FailedInvocationsAlarm).toMatchObject({
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [
          { Name: "QueueName", Value: { "Fn::GetAtt": ["FailedInvocationsQueue", "QueueName"] } },
        ],
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        AlarmActions: TOPIC,
      });
      // Lambda sends the record with the function's role: SendMessage on that queue only.
      for (const role of ["AuditRole", "RootActivityRole"]) {
        const sqs = statementsOf(role).filter((st) => st.Action.some((a) => a.startsWith("sqs:")));
        expect(sqs, role).toEqual([
          {
            Sid: "FailedInvocations",
            Effect: "Allow",
            Action: ["sqs:SendMessage"],
            Resource: { "Fn::GetAtt": ["FailedInvocationsQueue", "Arn"] },
          },
        ]);
      }
    });

    it("alarms when no audit completed for twice the schedule's period (daily by default: 2 days), missing data breaching", () => {
      expect(alarms().NoAuditCompletedAlarm).toMatchObject({
        Namespace: AUDIT_METRICS.namespace,
        MetricName: AUDIT_METRICS.completed,
        Dimensions: [{ Name: "function", Value: { Ref: "AuditLambdaFunction" } }],
        Statistic: "Sum",
        Period: 172_800,
        EvaluationPeriods: 1,
        ComparisonOperator: "LessThanThreshold",
        Threshold: 1,
        TreatMissingData: "breaching",
        AlarmActions: TOPIC,
        OKActions: TOPIC,
      });
    });
  });

  it("keeps finding state in an on-demand table with TTL, point-in-time recovery and the open-findings index", () => {
    expect(template.Resources.StateTable?.Properties).toMatchObject({
      BillingMode: "PAY_PER_REQUEST",
      // The table the moto tests create; its key schema the same as before the index (a new one
      // would make CloudFormation replace the table).
      ...STATE_TABLE_SCHEMA,
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const fn = template.Resources.AuditLambdaFunction;
    const env = fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined;
    expect(env?.Variables).toMatchObject({
      TOPIC_ARN: { Ref: "AlertTopic" },
      STATE_TABLE: { Ref: "StateTable" },
      NOTIFY_MODE: "on-change",
    });
  });

  it("sends root sign-ins and root API calls (not AWS services acting for root) to the root alert", () => {
    const rule = Object.values(template.Resources).find(
      (r) => r.Type === "AWS::Events::Rule" && r.Properties.EventPattern !== undefined,
    );
    expect(rule?.Properties.EventPattern).toEqual({
      "detail-type": [
        "AWS Console Sign In via CloudTrail",
        "AWS Console Signin via CloudTrail",
        "AWS API Call via CloudTrail",
      ],
      detail: {
        userIdentity: { type: ["Root"], invokedBy: [{ exists: false }] },
        eventType: [{ "anything-but": "AwsServiceEvent" }],
      },
    });
    const targets = rule?.Properties.Targets as { Arn: { "Fn::GetAtt": string[] } }[];
    expect(targets[0]?.Arn["Fn::GetAtt"][0]).toBe("RootActivityLambdaFunction");
  });

  it("keeps reports in a private, encrypted, owner-enforced bucket retained when the stack goes", () => {
    const bucket = template.Resources.ReportBucket as Resource & {
      DeletionPolicy: string;
      UpdateReplacePolicy: string;
    };
    expect(bucket.Type).toBe("AWS::S3::Bucket");
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
      ],
    });
    expect(bucket.Properties.OwnershipControls).toEqual({
      Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }],
    });
    expect([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]).toEqual(["Retain", "Retain"]);
    const outputs = (template as unknown as { Outputs: Record<string, { Value: unknown }> })
      .Outputs;
    expect(outputs.ReportBucketName?.Value).toEqual({ Ref: "ReportBucket" });
  });

  it("expires reports after the reportRetentionDays default of 90 days, and incomplete uploads after one", () => {
    const rules = (propertiesOf("ReportBucket").LifecycleConfiguration as { Rules: unknown[] })
      .Rules;
    expect(rules).toEqual([
      {
        Id: "expire-reports",
        Status: "Enabled",
        Prefix: REPORTS_PREFIX,
        ExpirationInDays: "90",
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ]);
  });

  it("denies every request to the bucket and its objects that is not over TLS", () => {
    const policy = template.Resources.ReportBucketPolicy;
    expect(policy?.Type).toBe("AWS::S3::BucketPolicy");
    expect(policy?.Properties.Bucket).toEqual({ Ref: "ReportBucket" });
    expect(policy?.Properties.PolicyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [
            { "Fn::GetAtt": ["ReportBucket", "Arn"] },
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Sub, not JS
            { "Fn::Sub": "${ReportBucket.Arn}/*" },
          ],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it("lets the audit role put objects under reports/ and read run summaries only, and the root alert's role nothing in S3", () => {
    const s3 = (roleId: string) =>
      statementsOf(roleId).filter((st) => st.Action.some((a) => a.startsWith("s3:")));
    expect(s3("AuditRole")).toEqual([
      {
        Sid: "WriteReports",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
        Resource: { "Fn::Sub": `\${ReportBucket.Arn}/${REPORTS_PREFIX}*` },
      },
      {
        Sid: "ListRunSummaries",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: { "Fn::GetAtt": ["ReportBucket", "Arn"] },
        Condition: { StringLike: { "s3:prefix": `${REPORTS_PREFIX}*/summaries/*` } },
      },
      {
        Sid: "ReadRunSummaries",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: { "Fn::Sub": `\${ReportBucket.Arn}/${REPORTS_PREFIX}*/summaries/*` },
      },
    ]);
    expect(s3("RootActivityRole")).toEqual([]);
  });

  it("passes the bucket to the audit function only", () => {
    const variables = (id: string) =>
      (propertiesOf(id).Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables("AuditLambdaFunction").REPORT_BUCKET).toEqual({ Ref: "ReportBucket" });
    expect(variables("RootActivityLambdaFunction")).not.toHaveProperty("REPORT_BUCKET");
  });

  it("keeps the function's logs for 30 days", () => {
    const logs = ofType("AWS::Logs::LogGroup");
    expect(logs.map((l) => l.Properties.RetentionInDays)).toEqual([30, 30, 30, 30]);
  });

  it("serves the report link from a function URL whose HMAC key Secrets Manager generates", () => {
    expect(ofType("AWS::Lambda::Url").map((u) => u.Properties)).toEqual([
      {
        AuthType: "NONE",
        TargetFunctionArn: { "Fn::GetAtt": ["ReportLinkLambdaFunction", "Arn"] },
      },
    ]);
    expect(template.Resources.ReportLinkKey).toEqual({
      Type: "AWS::SecretsManager::Secret",
      Condition: "ReportLinkOn",
      Properties: {
        Description: "HMAC-SHA256 key of the alert email's links to the HTML reports",
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      },
    });
    const variables = (id: string) =>
      (propertiesOf(id).Environment as { Variables: Record<string, unknown> }).Variables;
    const url = { "Fn::GetAtt": ["ReportLinkLambdaFunctionUrl", "FunctionUrl"] };
    const secret = { "Fn::If": ["ReportLinkOn", { Ref: "ReportLinkKey" }, ""] };
    expect(variables("AuditLambdaFunction")).toMatchObject({
      REPORT_LINK_URL: { "Fn::If": ["ReportLinkOn", url, ""] },
      REPORT_LINK_SECRET: secret,
      REPORT_LINK_DAYS: "7",
    });
    expect(variables("ReportLinkLambdaFunction")).toMatchObject({
      REPORT_BUCKET: { Ref: "ReportBucket" },
      REPORT_LINK_SECRET: { Ref: "ReportLinkKey" },
    });
    // reportLinkDays=0 turns the link off: no function, URL, key or grant to read it.
    expect(
      (template as unknown as { Conditions: Record<string, unknown> }).Conditions.ReportLinkOn,
    ).toEqual({
      "Fn::Not": [{ "Fn::Equals": [{ Ref: "ReportLinkDays" }, "0"] }],
    });
    for (const id of [
      "ReportLinkLambdaFunction",
      "ReportLinkLambdaFunctionUrl",
      "ReportLinkLogGroup",
      "ReportLinkKey",
      "ReportLinkRole",
      "AuditReportLinkPolicy",
    ]) {
      expect(template.Resources[id]?.Condition, id).toBe("ReportLinkOn");
    }
  });

  it("lets the report-link role read the key and the HTML reports only", () => {
    expect(statementsOf("ReportLinkRole").filter((st) => st.Sid !== "OwnLogGroup")).toEqual([
      {
        Sid: "ReadReportLinkKey",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: { Ref: "ReportLinkKey" },
      },
      {
        Sid: "ReadHtmlReports",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: { "Fn::Sub": `\${ReportBucket.Arn}/${REPORTS_PREFIX}*.html` },
      },
    ]);
    const secrets = (roleId: string) =>
      statementsOf(roleId).filter((st) => st.Action.some((a) => a.startsWith("secretsmanager:")));
    expect(secrets("AuditRole").map((st) => [st.Sid, st.Resource])).toEqual([
      ["SignReportLinks", { Ref: "ReportLinkKey" }],
    ]);
    expect(secrets("RootActivityRole")).toEqual([]);
  });
});

describe("deploy parameters", () => {
  const packageWith = (param: string) =>
    run(
      osls,
      [
        "package",
        "--stage",
        "test",
        "--package",
        join(tmpdir(), `bad-${Date.now()}`),
        `--param=${param}`,
      ],
      {
        cwd: root,
        timeout: 120_000,
      },
    ).then(
      () => "",
      (e: { stderr: string; stdout: string }) => e.stdout + e.stderr,
    );

  it.each([
    [
      "alertPhone=0612345678",
      'Invalid deploy parameter alertPhone="0612345678": must be an E.164 number',
    ],
    [
      "regions=us-west-1",
      'Invalid deploy parameter regions="us-west-1": "us-west-1" is not a Lightsail region',
    ],
    [
      "notifyMode=daily",
      'Invalid deploy parameter notifyMode="daily": must be one of on-change, always, never',
    ],
    ["patching=on", 'Invalid deploy parameter patching="on": must be one of off, dry-run, enforce'],
    [
      "reportRetentionDays=5",
      'Invalid deploy parameter reportLinkDays="7": must not be more than reportRetentionDays (5): the report would be deleted before its link expires',
    ],
    [
      "reportLinkDays=91",
      'Invalid deploy parameter reportLinkDays="91": must be a whole number of days from 0 to 90, got "91"',
    ],
    [
      "remediation=fix",
      'Invalid deploy parameter remediation="fix": must be one of off, dry-run, enforce',
    ],
    [
      "allowedSshCidrs=0.0.0.0/0",
      'Invalid deploy parameter allowedSshCidrs="0.0.0.0/0": "0.0.0.0/0" is not a restriction',
    ],
    [
      "allowedSshCidrs=203.0.113.7/24",
      'Invalid deploy parameter allowedSshCidrs="203.0.113.7/24": "203.0.113.7/24" has host bits set: write 203.0.113.0/24',
    ],
    [
      "schedule=daily",
      'Invalid deploy parameter schedule="daily": must be an EventBridge cron(...) or rate(N unit) expression',
    ],
    [
      "schedule=cron(0 6 * * *)",
      'Invalid deploy parameter schedule="cron(0 6 * * *)": must be an EventBridge cron(...) or rate(N unit) expression: a cron expression has 6 fields',
    ],
    [
      "schedule=rate(1 minutes)",
      'Invalid deploy parameter schedule="rate(1 minutes)": must be an EventBridge cron(...) or rate(N unit) expression: write rate(1 minute)',
    ],
    [
      "schedule=rate(0 days)",
      'Invalid deploy parameter schedule="rate(0 days)": must be an EventBridge cron(...) or rate(N unit) expression: the rate\'s value must be a whole number of at least 1',
    ],
    [
      "schedule=rate(7 days)",
      'Invalid deploy parameter schedule="rate(7 days)": the audit must run at least every 3.5 days',
    ],
    [
      "alertemail=owner@example.com",
      'Unknown deploy parameter "alertemail" (did you mean alertEmail?). Valid parameters: schedule, regions, rootUsageDays, alertEmail, alertPhone, notifyMode, smsMinSeverity, renotifyDays, patching, patchTargets, remediation, wordpressInventory, wordpressOrg, allowedSshCidrs, reportRetentionDays, ipRanges, securityHub, reportLinkDays, accounts, organizationalUnits, excludeAccounts, memberRoleName, maxConcurrency, organizationId',
    ],
    ["securityHub=yes", 'Invalid deploy parameter securityHub="yes": must be one of off, on'],
    ["allowedSshCidr=203.0.113.7/32", 'Unknown deploy parameter "allowedSshCidr"'],
    [
      "accounts=12345",
      'Invalid deploy parameter accounts="12345": must be self, organization or comma-separated 12-digit account ids',
    ],
    [
      "organizationalUnits=ou-x",
      'Invalid deploy parameter organizationalUnits="ou-x": must be comma-separated OU ids',
    ],
    [
      "maxConcurrency=0",
      'Invalid deploy parameter maxConcurrency="0": must be a whole number of accounts from 1 to 10000',
    ],
    ...["0", "-1", "1.5", "abc", "0x10"].map((days) => [
      `reportRetentionDays=${days}`,
      `Invalid deploy parameter reportRetentionDays="${days}": must be a whole number of days from 1 to 3650`,
    ]),
  ])(
    "%s fails packaging with a message naming the parameter",
    async (param, message) => {
      expect(await packageWith(param)).toContain(message);
    },
    120_000,
  );

  it("sizes the no-audit alarm from the schedule: rate(6 hours) waits 12 hours", async () => {
    const out = join(tmpdir(), `schedule-${Date.now()}`);
    await run(
      osls,
      ["package", "--stage", "test", "--package", out, "--param=schedule=rate(6 hours)"],
      { cwd: root, timeout: 120_000 },
    );
    const t = JSON.parse(
      await readFile(join(out, "cloudformation-template-update-stack.json"), "utf8"),
    ) as typeof template;
    expect(propertiesOf("NoAuditCompletedAlarm", t).Period).toBe(43_200);
  }, 120_000);

  it("securityHub=on makes the import policy's condition true and tells the function", async () => {
    const out = join(tmpdir(), `security-hub-${Date.now()}`);
    await run(osls, ["package", "--stage", "test", "--package", out, "--param=securityHub=on"], {
      cwd: root,
      timeout: 120_000,
    });
    const t = JSON.parse(
      await readFile(join(out, "cloudformation-template-update-stack.json"), "utf8"),
    ) as typeof template & { Parameters: Record<string, { Default: unknown }> };
    expect(t.Parameters.SecurityHub?.Default).toBe("on");
    expect(
      (propertiesOf("AuditLambdaFunction", t).Environment as { Variables: Record<string, unknown> })
        .Variables.SECURITY_HUB,
    ).toBe("on");
    expect(t.Resources.AuditSecurityHubPolicy?.Condition).toBe("SecurityHubOn");
  }, 120_000);

  it("sets the reports' expiry from reportRetentionDays", async () => {
    const out = join(tmpdir(), `retention-${Date.now()}`);
    await run(
      osls,
      ["package", "--stage", "test", "--package", out, "--param=reportRetentionDays=30"],
      { cwd: root, timeout: 120_000 },
    );
    const t = JSON.parse(
      await readFile(join(out, "cloudformation-template-update-stack.json"), "utf8"),
    ) as typeof template;
    const rules = (
      propertiesOf("ReportBucket", t).LifecycleConfiguration as {
        Rules: { ExpirationInDays: unknown }[];
      }
    ).Rules;
    expect(rules.map((r) => r.ExpirationInDays)).toEqual(["30"]);
  }, 120_000);
});

describe("osls invoke local", () => {
  let fake: FakeAws;
  beforeAll(async () => {
    fake = await startFakeAws({ account: demoAccount(new Date()) });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("runs the bundled handler on events/manual-audit-one-region.json against the fake", async () => {
    const { stdout } = await run(
      osls,
      [
        "invoke",
        "local",
        "--stage",
        "local",
        "-f",
        "audit",
        "-p",
        "events/manual-audit-one-region.json",
        // The function's IP_RANGES comes from this parameter, not from the environment.
        `--param=ipRanges=${fake.url}/ip-ranges.json`,
      ],
      {
        cwd: root,
        timeout: 180_000,
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: fake.url,
          AWS_ACCESS_KEY_ID: "AKIDTEST",
          AWS_SECRET_ACCESS_KEY: "secret",
          AWS_MAX_ATTEMPTS: "1",
        },
      },
    );
    // Powertools log lines come first; the returned summary is the pretty-printed JSON after them.
    const summary = JSON.parse(stdout.slice(stdout.indexOf("{\n"))) as AuditSummary;
    expect(summary.summary).toMatchObject({
      total: 4,
      byStatus: { FAIL: 2, PASS: 2, ERROR: 0, MUTED: 0 },
      incomplete: false,
    });
    // The local stage has no bucket unless REPORT_BUCKET is set: the summary says so.
    expect(summary.stored).toEqual({
      error: "REPORT_BUCKET is not set, so the report was not stored",
    });
  }, 200_000);

  // A handler that throws while loading (a cold-start ConfigError) used to leave osls running
  // forever: the bundler's esbuild process was never released. It must exit 1, naming the error.
  it.each([
    {
      args: ["-f", "rootActivity", "-p", "events/root-api-call.json"],
      error: "The root activity function needs TOPIC_ARN and STATE_TABLE",
    },
    {
      args: ["-f", "audit", "--param=remediation=enforce", "-p", "events/manual-audit.json"],
      error: "enforce records every change so it can be undone, and needs the state table",
    },
  ])(
    "exits 1 with the cold-start error: $args.1 without its settings",
    async ({ args, error }) => {
      const { TOPIC_ARN, STATE_TABLE, ...env } = process.env;
      const failed = await run(osls, ["invoke", "local", "--stage", "local", ...args], {
        cwd: root,
        timeout: 60_000, // a hang is killed and fails the test below
        env: { ...env, AWS_ENDPOINT_URL: fake.url, AWS_ACCESS_KEY_ID: "AKIDTEST" },
      }).then(
        () => ({ code: 0, killed: false, signal: null, stdout: "", stderr: "" }),
        (err: {
          code: number;
          killed: boolean;
          signal: string | null;
          stdout: string;
          stderr: string;
        }) => err,
      );
      expect({ killed: failed.killed, signal: failed.signal, code: failed.code }).toEqual({
        killed: false,
        signal: null,
        code: 1,
      });
      expect(failed.stdout + failed.stderr).toContain(error);
    },
    90_000,
  );
});
