import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHECK_IDS, CHECKS, getCheck, validateRegistry } from "../../../shared/checks/index";
import {
  type AccountSnapshot,
  type CheckDefinition,
  defineCheck,
  type Fact,
} from "../../../shared/model";
import { context, region, snapshot } from "../../helpers/snapshot";

const CHECKS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../shared/checks");
/** Check files: shared/checks/*.ts except index.ts (lib/ is a directory, so not listed as .ts). */
const CHECK_FILES = readdirSync(CHECKS_DIR, { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith(".ts") && e.name !== "index.ts")
  .map((e) => e.name);

describe("check registry", () => {
  it("holds the public checks with their contract severities", () => {
    expect(Object.fromEntries(CHECKS.map((c) => [c.id, c.severity]))).toEqual({
      "iam-root-not-recently-used": "high",
      "iam-root-mfa-enabled": "critical",
      "iam-root-hardware-mfa": "low",
      "iam-root-no-access-keys": "critical",
      "iam-admin-group-in-use": "high",
      "iam-user-console-mfa-enabled": "high",
      "lightsail-instance-ssh-not-public": "high",
      "lightsail-instance-admin-ports-not-public": "high",
      "lightsail-instance-https-reachable": "medium",
      "lightsail-instance-auto-snapshots-enabled": "medium",
      "lightsail-instance-imdsv2-required": "low",
      "lightsail-lb-https-enabled": "high",
      "lightsail-lb-http-redirects-to-https": "medium",
      "lightsail-lb-certificate-valid": "high",
      "lightsail-lb-tls-policy-current": "medium",
      "lightsail-distribution-https": "high",
      "lightsail-instance-ssm-managed": "medium",
      "lightsail-instance-auto-updates-enforced": "medium",
      "lightsail-static-ip-attached": "low",
      "lightsail-database-not-public": "high",
      "lightsail-database-backups-enabled": "medium",
      "lightsail-database-minor-upgrades-on": "low",
      "lightsail-dns-no-dangling-records": "high",
      "lightsail-bucket-not-public": "high",
      "lightsail-bucket-versioning-enabled": "low",
      "lightsail-bucket-access-keys-rotated": "medium",
      "wordpress-core-not-insecure": "critical",
      "wordpress-plugins-up-to-date": "medium",
      "wordpress-themes-up-to-date": "medium",
      "wordpress-file-editing-disabled": "medium",
      "wordpress-debug-output-off": "medium",
      "wordpress-config-not-world-readable": "medium",
      "wordpress-core-auto-updates-on": "medium",
    });
  });

  it("maps checks to the CIS recommendations they cover, and no others", () => {
    const foundations = (n: string) => `CIS AWS Foundations v3.0.0 ${n}`;
    const compute = (n: string) => `CIS AWS Compute Services v1.0.0 ${n}`;

    expect(Object.fromEntries(CHECKS.filter((c) => c.cis).map((c) => [c.id, c.cis]))).toEqual({
      "iam-root-no-access-keys": [foundations("1.4")],
      "iam-root-mfa-enabled": [foundations("1.5")],
      "iam-root-hardware-mfa": [foundations("1.6")],
      "iam-root-not-recently-used": [foundations("1.7")],
      "iam-user-console-mfa-enabled": [foundations("1.10")],
      "lightsail-instance-imdsv2-required": [foundations("5.6")],
      "lightsail-instance-ssh-not-public": [compute("3.3"), compute("3.4")],
      "lightsail-instance-admin-ports-not-public": [compute("3.3"), compute("3.5")],
    });
  });

  it("rejects a check that reads no fact, an unknown fact or one fact twice", () => {
    const first = CHECKS[0] as CheckDefinition;

    expect(() => defineCheck({ ...first, reads: [] })).toThrow(/must declare the facts it reads/);
    expect(() => defineCheck({ ...first, reads: ["instance" as Fact] })).toThrow(
      /unknown or repeated/,
    );
    expect(() => defineCheck({ ...first, reads: ["instances", "instances"] })).toThrow(
      /unknown or repeated/,
    );
    expect(() => defineCheck({ ...first, reads: ["instances"] })).not.toThrow();
  });

  it("rejects a CIS reference without benchmark version and item", () => {
    const first = CHECKS[0] as CheckDefinition;

    expect(() => defineCheck({ ...first, cis: ["CIS 1.5"] })).toThrow(/CIS reference/);
    expect(() => defineCheck({ ...first, cis: ["CIS AWS Foundations v3.0.0 1.5"] })).not.toThrow();
  });

  it("has unique ids, and CHECK_IDS lists them in registry order", () => {
    expect(new Set(CHECK_IDS).size).toBe(CHECKS.length);
    expect(CHECK_IDS).toEqual(CHECKS.map((c) => c.id));
  });

  it.each(CHECK_IDS)("%s is kebab-case", (id) => {
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("rejects a registry with a duplicate id", () => {
    const first = CHECKS[0] as CheckDefinition;

    expect(() => validateRegistry([first, { ...first }])).toThrow(
      `duplicate check id "${first.id}"`,
    );
  });

  it("finds a check by id", () => {
    expect(getCheck("iam-root-mfa-enabled")?.title).toBe("Root user has MFA enabled");
    expect(getCheck("nope")).toBeUndefined();
  });

  it("has exactly one check file per registered check", () => {
    expect(CHECK_FILES.map((f) => basename(f, ".ts")).sort()).toEqual([...CHECK_IDS].sort());
  });

  it.each(CHECK_FILES)("%s default-exports the check whose id is its file name", async (file) => {
    const mod = (await import(join(CHECKS_DIR, file))) as { default: CheckDefinition };

    expect(mod.default.id).toBe(basename(file, ".ts"));
    expect(CHECKS).toContain(mod.default);
  });

  describe("purity", () => {
    const sources = [
      ...CHECK_FILES.map((f) => join(CHECKS_DIR, f)),
      ...readdirSync(join(CHECKS_DIR, "lib")).map((f) => join(CHECKS_DIR, "lib", f)),
      join(CHECKS_DIR, "index.ts"),
    ];

    it.each(sources.map((s) => [s.slice(CHECKS_DIR.length + 1), s]))(
      "%s uses no SDK, clock or environment",
      (_name, path) => {
        const source = readFileSync(path, "utf8");

        for (const token of ["@aws-sdk", "Date.now", "process.env", "new Date()", "Math.random"]) {
          expect(source, `${path} contains ${token}`).not.toContain(token);
        }
      },
    );

    it("the same snapshot gives the same results", () => {
      const snap = snapshot();

      const a = CHECKS.flatMap((c) => c.evaluate(snap, context()));
      const b = CHECKS.flatMap((c) => c.evaluate(snap, context()));

      expect(a).toEqual(b);
    });
  });

  describe("prose", () => {
    it.each(CHECK_IDS)("%s has a title, risk and a complete remediation", (id) => {
      const check = getCheck(id) as CheckDefinition;

      expect(check.title.length).toBeGreaterThan(10);
      expect(check.risk.length).toBeGreaterThan(40);
      expect(check.remediation.summary).not.toBe("");
      expect(check.remediation.steps.length).toBeGreaterThan(0);
      expect(check.remediation.cli).toMatch(/^aws /);
      expect(check.remediation.console).toBeTruthy();
    });

    it.each(CHECK_IDS)(
      "%s never suggests put-instance-public-ports (it closes every unlisted port)",
      (id) => {
        const text = JSON.stringify(getCheck(id)?.remediation).toLowerCase();

        expect(text).not.toContain("put-instance-public-ports");
        expect(text).not.toContain("putinstancepublicports");
      },
    );

    it("the SSH remediation restricts port 22 only, keeping lightsail-connect", () => {
      const cli = getCheck("lightsail-instance-ssh-not-public")?.remediation.cli ?? "";

      expect(cli).toContain("close-instance-public-ports");
      expect(cli).toContain("open-instance-public-ports");
      expect(cli).toContain('"cidrListAliases":["lightsail-connect"]');
      expect(cli).not.toMatch(/"fromPort":(80|443)/);
    });
  });

  describe("missing data never becomes PASS", () => {
    const nothingCollected: AccountSnapshot = snapshot({
      iam: {
        credentialReport: null,
        accountSummary: null,
        rootVirtualMfaSerials: null,
        adminGroups: null,
      },
      lightsail: [
        region("us-east-1", {
          instances: null,
          loadBalancers: null,
          tlsPolicies: null,
          managedNodes: null,
          patchRuns: null,
          staticIps: null,
          databases: null,
          buckets: null,
        }),
      ],
      distributions: null,
      certificates: null,
      domains: null,
      awsIpRanges: null,
    });

    it.each(CHECK_IDS)("%s yields only ERRORs when nothing could be collected", (id) => {
      const outcomes = getCheck(id)?.evaluate(nothingCollected, context()) ?? [];

      expect(outcomes.length).toBeGreaterThan(0);
      expect(outcomes.every((o) => o.status === "ERROR")).toBe(true);
    });
  });
});
