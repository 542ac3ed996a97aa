/**
 * The WordPress inventory document as serverless.yml deploys it (document.cjs builds it from
 * inventory.sh), accepted by moto's SSM CreateDocument and read back unchanged; the rules SSM
 * applies that moto does not (parameter references, defaults within their own constraints, the
 * size limit); and its step run as the agent runs it (parameters substituted) on a real tree.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateDocumentCommand, GetDocumentCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import spec from "../../shared/wordpress/document-spec.json";
import { type Moto, startMoto } from "../helpers/moto";

const { documentContent } = createRequire(import.meta.url)(
  "../../shared/wordpress/document.cjs",
) as typeof import("../../shared/wordpress/document.cjs");

const content = documentContent();
const [step] = content.mainSteps;
const isAllowed = (name: string, value: string) =>
  new RegExp(content.parameters[name]?.allowedPattern ?? "^$").test(value);

/** The step as the agent runs it: SSM substitutes each {{ parameter }}. */
function stepScript(values: Record<string, string> = {}): string {
  let text = `${step?.inputs.runCommand.join("\n")}\n`;
  for (const [name, p] of Object.entries(content.parameters)) {
    text = text.replaceAll(`{{ ${name} }}`, values[name] ?? p.default);
  }
  return text;
}

describe("the WordPress inventory document in moto", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(() => moto?.stop());

  it("is accepted by CreateDocument as a schema 2.2 Command document, and read back unchanged", async () => {
    const ssm = new SSMClient({
      endpoint: moto.url,
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
      maxAttempts: 1,
    });
    const name = "lightsail-auditor-test-wordpress-inventory";

    const created = await ssm.send(
      new CreateDocumentCommand({
        Name: name,
        Content: JSON.stringify(content),
        DocumentType: "Command",
        DocumentFormat: "JSON",
      }),
    );
    const got = await ssm.send(new GetDocumentCommand({ Name: name }));

    expect(created.DocumentDescription).toMatchObject({
      SchemaVersion: "2.2",
      DocumentVersion: "1",
    });
    expect(created.DocumentDescription?.Parameters?.map((p) => p.Name).sort()).toEqual([
      "executionTimeout",
      "wordpressPaths",
    ]);
    expect(JSON.parse(got.Content ?? "{}")).toEqual(content);
  });
});

describe("the document's content", () => {
  it("has one Linux shell step named as the auditor asks GetCommandInvocation for", () => {
    expect(content.mainSteps).toHaveLength(1);
    expect(step).toMatchObject({
      action: "aws:runShellScript",
      name: spec.stepName,
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

  it.each([
    ["/srv/site", true],
    ["/srv/a,/srv/b /var/www/c/public_html", true],
    ["", true],
    ["relative", false],
    ["/srv/a'; rm -rf / #", false],
    ["/srv/$(reboot)", false],
    ["/srv/a\n/srv/b", false],
    [Array.from({ length: 11 }, (_, i) => `/s${i}`).join(","), false],
  ])("wordpressPaths %j allowed: %s (no quote or shell syntax ever passes)", (value, allowed) => {
    expect(isAllowed("wordpressPaths", value)).toBe(allowed);
  });

  it("has defaults within their own constraints", () => {
    for (const [name, p] of Object.entries(content.parameters)) {
      expect(isAllowed(name, p.default), name).toBe(true);
    }
    expect(isAllowed("executionTimeout", "601")).toBe(false);
  });

  it("stays well under SSM's 64 KB document limit", () => {
    expect(Buffer.byteLength(JSON.stringify(content))).toBeLessThan(64 * 1024);
  });

  it("is shellcheck-clean as assembled, and runs as the agent runs it, with wordpressPaths", () => {
    const dir = mkdtempSync(join(tmpdir(), "wp-document-"));
    try {
      const script = join(dir, "step.sh");
      writeFileSync(script, stepScript({ wordpressPaths: "/srv/debian-wp,/srv/none" }));
      const lint = spawnSync("shellcheck", ["-s", "sh", script], { encoding: "utf8" });
      const root = join(dir, "root");
      mkdirSync(join(root, "srv"), { recursive: true });
      symlinkSync("/usr/share/wordpress", join(root, "srv/debian-wp"));

      const r = spawnSync("sh", [script], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ROOT: root },
      });
      const out = JSON.parse(r.stdout);

      expect(lint.stdout).toBe("");
      expect(r.status).toBe(0);
      expect(out.sites.map((s: { path: string }) => s.path)).toEqual(["/srv/debian-wp"]);
      expect(out.errors).toEqual([
        "no WordPress install at /srv/none (no wp-includes/version.php)",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
