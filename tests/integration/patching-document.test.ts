/**
 * The patching document as serverless.yml deploys it (document.cjs builds the content from the
 * scripts) accepted by a real third-party emulator: moto's SSM CreateDocument, GetDocument and
 * UpdateDocument. Plus the rules SSM applies that moto does not: parameter references, defaults
 * within their own constraints, the size limit.
 */

import { createRequire } from "node:module";
import {
  CreateDocumentCommand,
  DescribeDocumentCommand,
  GetDocumentCommand,
  SSMClient,
  UpdateDocumentCommand,
} from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAllowed, PATCH_PARAMETERS, PATCH_STEP_NAME } from "../../shared/patching/parameters";
import { type Moto, startMoto } from "../helpers/moto";

const { documentContent } = createRequire(import.meta.url)(
  "../../shared/patching/document.cjs",
) as typeof import("../../shared/patching/document.cjs");

const NAME = "lightsail-auditor-test-enforce-patching";
let moto: Moto;
let ssm: SSMClient;

beforeAll(async () => {
  moto = await startMoto();
  ssm = new SSMClient({
    endpoint: moto.url,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: 1,
  });
});
afterAll(() => moto?.stop());

describe("the patching document in moto", () => {
  it("is accepted by CreateDocument as a schema 2.2 Command document, and read back unchanged", async () => {
    const content = documentContent();

    const created = await ssm.send(
      new CreateDocumentCommand({
        Name: NAME,
        Content: JSON.stringify(content),
        DocumentType: "Command",
        DocumentFormat: "JSON",
      }),
    );
    const got = await ssm.send(new GetDocumentCommand({ Name: NAME }));

    expect(created.DocumentDescription).toMatchObject({
      Name: NAME,
      DocumentType: "Command",
      SchemaVersion: "2.2",
      DocumentVersion: "1",
    });
    expect(created.DocumentDescription?.Parameters?.map((p) => p.Name).sort()).toEqual(
      Object.keys(PATCH_PARAMETERS).sort(),
    );
    expect(JSON.parse(got.Content ?? "{}")).toEqual(content);
  });

  it("takes an update as a new version (what UpdateMethod NewVersion does), and $LATEST is it", async () => {
    const changed = documentContent();
    changed.description = `${changed.description} (v2)`;

    const updated = await ssm.send(
      new UpdateDocumentCommand({
        Name: NAME,
        Content: JSON.stringify(changed),
        DocumentFormat: "JSON",
        DocumentVersion: "$LATEST",
      }),
    );
    const latest = await ssm.send(
      new GetDocumentCommand({ Name: NAME, DocumentVersion: "$LATEST" }),
    );
    const described = await ssm.send(new DescribeDocumentCommand({ Name: NAME }));

    expect(updated.DocumentDescription?.DocumentVersion).toBe("2");
    expect(JSON.parse(latest.Content ?? "{}").description).toMatch(/\(v2\)$/);
    expect(described.Document?.LatestVersion).toBe("2");
  });
});

describe("the document's content", () => {
  const content = documentContent();
  const [step] = content.mainSteps;
  const script = step?.inputs.runCommand.join("\n") ?? "";

  it("has one Linux shell step, whose name the auditor asks GetCommandInvocation for", () => {
    expect(content.mainSteps).toHaveLength(1);
    expect(step).toMatchObject({
      action: "aws:runShellScript",
      name: PATCH_STEP_NAME,
      precondition: { StringEquals: ["platformType", "Linux"] },
      inputs: { timeoutSeconds: "{{ executionTimeout }}" },
    });
  });

  it("refers only to declared parameters, and uses every one of them", () => {
    const used = new Set(
      [...JSON.stringify(step).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]),
    );
    expect([...used].sort()).toEqual(Object.keys(content.parameters).sort());
  });

  it.each(Object.entries(PATCH_PARAMETERS))(
    "%s: its default meets its own constraint, and shell metacharacters do not",
    (name, p) => {
      expect(isAllowed(name, p.default)).toBe(true);
      expect(isAllowed(name, "'; reboot; '")).toBe(false);
      expect(p.allowedValues ?? p.allowedPattern).toBeDefined();
    },
  );

  it("stays well under SSM's 64 KB document limit", () => {
    expect(Buffer.byteLength(JSON.stringify(content))).toBeLessThan(64 * 1024);
  });

  it("embeds the scripts, not a copy of them", () => {
    expect(script).toContain("clean_logs_script() {");
    expect(script).toContain("# lightsail-auditor: enforce automatic OS patching");
    expect(script).toContain("# lightsail-auditor: delete old rotated logs of the Bitnami stack");
  });
});
