/**
 * The stack as it would deploy: `osls package` offline, cfn-lint on the generated template, the
 * audit role granting exactly what the adapters declare, and `osls invoke local` against the fake.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_READ_ACTIONS } from "../../shared/aws/reader";
import type { AuditReport } from "../../shared/model";
import { demoAccount } from "../fake-aws/accounts/demo";
import { type FakeAws, startFakeAws } from "../fake-aws/server";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const osls = join(root, "node_modules/.bin/osls");

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
let template: { Resources: Record<string, Resource> };
let templateFile: string;

const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);

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
    const [fn] = ofType("AWS::Lambda::Function");
    expect(fn?.Properties).toMatchObject({
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Timeout: 300,
    });
    const [rule] = ofType("AWS::Events::Rule");
    expect(rule?.Properties.ScheduleExpression).toBe("cron(0 6 * * ? *)");
    const targets = rule?.Properties.Targets as { Input: string }[];
    expect(JSON.parse(targets[0]?.Input ?? "{}")).toEqual({ trigger: "schedule" });
  });

  it("grants the audit role exactly the read actions the adapters declare, nothing more", () => {
    const [role] = ofType("AWS::IAM::Role");
    const policies = role?.Properties.Policies as {
      PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] };
    }[];
    const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
    const granted = statements.flatMap((s) => s.Action).filter((a) => !a.startsWith("logs:"));
    expect(new Set(granted)).toEqual(new Set(AUDIT_READ_ACTIONS));
    expect(granted).toHaveLength(AUDIT_READ_ACTIONS.length);
    expect(granted.some((a) => a.includes("*"))).toBe(false);
  });

  it("keeps the function's logs for 30 days", () => {
    const [logs] = ofType("AWS::Logs::LogGroup");
    expect(logs?.Properties.RetentionInDays).toBe(30);
  });
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
      ["invoke", "local", "-f", "audit", "-p", "events/manual-audit-one-region.json"],
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
    // Powertools log lines come first; the returned report is the pretty-printed JSON after them.
    const report = JSON.parse(stdout.slice(stdout.indexOf("{\n"))) as AuditReport;
    expect(report.results.map((r) => `${r.status} ${r.resource.name}`).sort()).toEqual([
      "FAIL shop-lb",
      "FAIL wordpress-blog",
      "PASS blog-lb",
      "PASS wordpress-shop",
    ]);
  }, 200_000);
});
