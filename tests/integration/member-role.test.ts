/**
 * member-role.yml: generated from shared/aws/permissions.ts, cfn-lint clean, and granting exactly
 * the reads the stack's own audit role has (plus fixes and patching only behind its parameters).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER_ROLE_FILE, memberRoleTemplate } from "../../scripts/member-role";
import {
  MEMBER_FIX_ACTIONS,
  MEMBER_PATCHING_ACTIONS,
  MEMBER_READ_ACTIONS,
  SECURITY_HUB_IMPORT_ACTIONS,
} from "../../shared/aws/permissions";
import { readCfnYaml } from "../helpers/cfn-yaml";
import { type Moto, startMoto } from "../helpers/moto";

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
type Resources = Record<
  string,
  {
    Type: string;
    Condition?: string;
    Properties: {
      AssumeRolePolicyDocument?: { Statement: (Statement & { Principal: unknown })[] };
      Policies?: { PolicyName: string; PolicyDocument: { Statement: Statement[] } }[];
      PolicyDocument?: { Statement: Statement[] };
    };
  }
>;

const actions = (statements: Statement[], effect = "Allow") =>
  statements
    .filter((s) => s.Effect === effect)
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();

describe("member-role.yml", () => {
  const template = readCfnYaml(MEMBER_ROLE_FILE) as { Resources: Resources };
  const role = template.Resources.MemberRole;

  it("is what scripts/member-role.ts generates (run `npm run member-role` when this fails)", () => {
    expect(readFileSync(MEMBER_ROLE_FILE, "utf8")).toBe(memberRoleTemplate());
  });

  it("passes cfn-lint", () => {
    const output = execFileSync("cfn-lint", [MEMBER_ROLE_FILE], { encoding: "utf8" });
    expect(output).toBe("");
  });

  it("grants always exactly the reads of the stack's own audit role", () => {
    const stack = readCfnYaml(fileURLToPath(new URL("../../serverless.yml", import.meta.url))) as {
      resources: { Resources: Resources };
    };
    const auditRead = stack.resources.Resources.AuditRole?.Properties.Policies?.find(
      (p) => p.PolicyName === "audit-read",
    );
    const memberStatements = (role?.Properties.Policies ?? []).flatMap(
      (p) => p.PolicyDocument.Statement,
    );

    expect(role?.Condition).toBeUndefined();
    expect(sorted(actions(memberStatements))).toEqual(sorted(MEMBER_READ_ACTIONS));
    expect(sorted(actions(auditRead?.PolicyDocument.Statement ?? []))).toEqual(
      sorted(MEMBER_READ_ACTIONS),
    );
    expect(memberStatements.every((s) => s.Sid)).toBe(true);
  });

  it("grants fixes, patching and the Security Hub import only behind their parameters", () => {
    const fix = template.Resources.MemberFixPolicy;
    const patching = template.Resources.MemberPatchingPolicy;
    const hub = template.Resources.MemberSecurityHubPolicy;
    const others = Object.entries(template.Resources).filter(
      ([name]) =>
        ![
          "MemberRole",
          "MemberFixPolicy",
          "MemberPatchingPolicy",
          "MemberSecurityHubPolicy",
        ].includes(name),
    );

    expect(fix?.Condition).toBe("FixesAllowed");
    expect(sorted(actions(fix?.Properties.PolicyDocument?.Statement ?? []))).toEqual(
      sorted(MEMBER_FIX_ACTIONS),
    );
    expect(actions(fix?.Properties.PolicyDocument?.Statement ?? [], "Deny")).not.toHaveLength(0);
    expect(patching?.Condition).toBe("PatchingAllowed");
    expect(sorted(actions(patching?.Properties.PolicyDocument?.Statement ?? []))).toEqual(
      sorted(MEMBER_PATCHING_ACTIONS),
    );
    expect(hub?.Condition).toBe("SecurityHubOn");
    expect(hub?.Properties.PolicyDocument?.Statement).toEqual([
      {
        Sid: "ImportFindings",
        Effect: "Allow",
        Action: [...SECURITY_HUB_IMPORT_ACTIONS],
        Resource: {
          "Fn::Sub":
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Sub, not JS
            "arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default",
        },
      },
    ]);
    expect(others).toEqual([]);
  });

  it("trusts only the audit function's role, given as a parameter", () => {
    const trust = role?.Properties.AssumeRolePolicyDocument?.Statement ?? [];

    expect(trust).toEqual([
      {
        Sid: "OnlyTheAuditFunction",
        Effect: "Allow",
        Principal: { AWS: { "Fn::Ref": "auditorRoleArn" } },
        Action: "sts:AssumeRole",
      },
    ]);
  });
});

describe("member-role.yml deployed into moto as a plain stack (as in the management account)", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(() => moto?.stop());

  const config = () => ({
    region: "us-east-1",
    endpoint: moto.url,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });

  it("creates the role, trusting the auditor role only, with the reads and no fix or patching policy by default", async () => {
    const cfn = new CloudFormationClient(config());
    const iam = new IAMClient(config());
    const auditor = "arn:aws:iam::111122223333:role/lightsail-auditor-prod-AuditRole-ABC";

    await cfn.send(
      new CreateStackCommand({
        StackName: "lightsail-auditor-member",
        TemplateBody: readFileSync(MEMBER_ROLE_FILE, "utf8"),
        Capabilities: ["CAPABILITY_NAMED_IAM"],
        Parameters: [{ ParameterKey: "auditorRoleArn", ParameterValue: auditor }],
      }),
    );
    const { Stacks } = await cfn.send(
      new DescribeStacksCommand({ StackName: "lightsail-auditor-member" }),
    );
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "lightsail-auditor-member" }));
    const { PolicyNames = [] } = await iam.send(
      new ListRolePoliciesCommand({ RoleName: "lightsail-auditor-member" }),
    );
    const policy = await iam.send(
      new GetRolePolicyCommand({ RoleName: "lightsail-auditor-member", PolicyName: "audit-read" }),
    );
    // moto returns CloudFormation-made inline policies as a Python dict repr: quote it as JSON.
    const read = JSON.parse(
      decodeURIComponent(policy.PolicyDocument ?? "{}").replace(/'/g, '"'),
    ) as { Statement: Statement[] };
    const trust = JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? "{}"));

    expect(Stacks?.[0]?.StackStatus).toBe("CREATE_COMPLETE");
    expect(Stacks?.[0]?.Outputs?.[0]?.OutputValue).toBe(Role?.Arn);
    expect(PolicyNames).toEqual(["audit-read"]);
    expect(sorted(actions(read.Statement))).toEqual(sorted(MEMBER_READ_ACTIONS));
    expect(trust.Statement).toEqual([
      expect.objectContaining({ Effect: "Allow", Principal: { AWS: auditor } }),
    ]);
  });
});
