/**
 * docs/iam-policy.md, generated from the packaged CloudFormation template (what would deploy, not
 * what serverless.yml looks like): one row per function, statement and action. `npm run docs:iam`
 * packages the stack (`osls package`, offline) and writes it; tests/integration/stack.test.ts
 * fails when the committed file differs from what its own packaged template generates.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { STATEMENT_REASONS } from "../shared/aws/permissions";

interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}
export interface Template {
  Resources: Record<string, Resource>;
}
export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
/** A statement of a function's role, with where it comes from. */
export interface RoleStatement {
  fn: string;
  role: string;
  /** The template condition a separate policy exists under (e.g. RemediationEnforced). */
  when?: string;
  statement: Statement;
}

type Doc = { Statement: Statement[] };

/** Every statement of every function's role: inline policies, then attached AWS::IAM::Policy. */
export function functionStatements(template: Template): RoleStatement[] {
  const out: RoleStatement[] = [];
  for (const [id, fn] of Object.entries(template.Resources)) {
    if (fn.Type !== "AWS::Lambda::Function") continue;
    const name = id.replace(/LambdaFunction$/, "").replace(/^./, (c) => c.toLowerCase());
    const sub = (fn.Properties.Role as { "Fn::Sub"?: string })["Fn::Sub"] ?? "";
    const role = sub.replace(/^\$\{(\w+)\.Arn\}$/, "$1");
    const inline = (template.Resources[role]?.Properties.Policies ?? []) as {
      PolicyDocument: Doc;
    }[];
    for (const p of inline) {
      for (const statement of p.PolicyDocument.Statement) out.push({ fn: name, role, statement });
    }
    for (const p of Object.values(template.Resources)) {
      const roles = (p.Properties.Roles ?? []) as unknown[];
      if (
        p.Type !== "AWS::IAM::Policy" ||
        !roles.some((r) => JSON.stringify(r) === `{"Ref":"${role}"}`)
      )
        continue;
      for (const statement of (p.Properties.PolicyDocument as Doc).Statement) {
        out.push({ fn: name, role, when: p.Condition, statement });
      }
    }
  }
  return out;
}

/** A Resource element as a reader would write it: Ref X -> X, GetAtt X.Arn, a Sub's text. */
function resourceText(r: unknown): string {
  if (Array.isArray(r)) return r.map(resourceText).join("<br>");
  if (typeof r === "string") return `\`${r}\``;
  const o = r as Record<string, unknown>;
  if ("Ref" in o) return `\`${o.Ref}\``;
  if ("Fn::GetAtt" in o) return `\`${(o["Fn::GetAtt"] as string[]).join(".")}\``;
  if ("Fn::Sub" in o) return `\`${o["Fn::Sub"]}\``;
  return `\`${JSON.stringify(r)}\``;
}

function conditionText(c: Statement["Condition"]): string {
  if (!c) return "";
  return Object.entries(c)
    .flatMap(([op, keys]) =>
      Object.entries(keys).map(
        ([key, v]) =>
          `\`${op}\` \`${key}\`: ${[v]
            .flat()
            .map((x) => `\`${x}\``)
            .join(", ")}`,
      ),
    )
    .join("<br>");
}

const cell = (s: string) => s.replaceAll("|", "\\|");

export function iamPolicyMarkdown(template: Template): string {
  const rows = functionStatements(template).flatMap(({ fn, when, statement: st }) =>
    [st.Action]
      .flat()
      .map((action) =>
        [
          when ? `${fn} (only with ${when})` : fn,
          st.Effect,
          `\`${action}\``,
          resourceText(st.Resource),
          conditionText(st.Condition),
          `${st.Sid ?? "(no Sid)"}: ${STATEMENT_REASONS[st.Sid ?? ""] ?? "(no reason given)"}`,
        ]
          .map(cell)
          .join(" | "),
      ),
  );
  const out = [
    "# IAM policy, as packaged",
    "",
    "Generated from the template `osls package` writes, by `npm run docs:iam`; do not edit. A test",
    "fails when it differs from the template. One row per function, statement and action; the",
    "why is the statement's Sid and `STATEMENT_REASONS` in `shared/aws/permissions.ts`. `Ref X`",
    "is written `X`, `Fn::GetAtt X Arn` as `X.Arn`, a `Fn::Sub` as its text. A Deny wins over",
    "every Allow. See [IAM permissions](iam.md) for the reasoning and the sources of the facts.",
    "",
    "| function | effect | action | resource | condition | why |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r} |`),
  ];
  return `${out.join("\n")}\n`;
}

export const IAM_POLICY_DOC = fileURLToPath(new URL("../docs/iam-policy.md", import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The same packaging as the test (stage test), so the two templates are the same.
  const root = fileURLToPath(new URL("..", import.meta.url));
  const out = mkdtempSync(join(tmpdir(), "iam-doc-"));
  execFileSync(
    join(root, "node_modules/.bin/osls"),
    ["package", "--stage", "test", "--package", out],
    { cwd: root, stdio: "inherit" },
  );
  const template = JSON.parse(
    readFileSync(join(out, "cloudformation-template-update-stack.json"), "utf8"),
  ) as Template;
  writeFileSync(IAM_POLICY_DOC, iamPolicyMarkdown(template));
  console.log(`wrote ${IAM_POLICY_DOC}`);
}
