import { describe, expect, it } from "vitest";
import { checkTexts, evaluate, factsToCollect, runAudit, summarize } from "../../shared/audit";
import { parseConfig } from "../../shared/config";
import { fingerprint as fingerprintOf } from "../../shared/findings/fingerprint";
import { defineCheck } from "../../shared/model";
import { readerFor } from "../helpers/reader";
import { context, instance, port, region, snapshot } from "../helpers/snapshot";

const openSsh = instance("blog", [port({ fromPort: 22, toPort: 22 })]);

const throwing = defineCheck({
  id: "always-throws",
  title: "A broken check",
  severity: "high",
  risk: "none",
  remediation: { summary: "none", steps: ["none"] },
  reads: ["instances"],
  evaluate: () => {
    throw new TypeError("boom");
  },
});
const oneFail = defineCheck({
  id: "one-fail",
  title: "A check that fails once",
  severity: "medium",
  risk: "none",
  remediation: { summary: "fix it", steps: ["fix it"] },
  reads: ["instances"],
  evaluate: (s) => [
    {
      status: "FAIL",
      message: "bad",
      resource: { type: "X", name: "x", arn: "arn:x", region: "us-east-1" },
    },
    {
      status: "PASS",
      message: "good",
      resource: { type: "X", name: "y", arn: "arn:y", region: "us-east-1" },
    },
    {
      status: "ERROR",
      message: "unknown",
      resource: { type: "X", name: s.accountId, arn: "", region: "global" },
    },
  ],
});

describe("evaluate", () => {
  it("isolates a throwing check as one ERROR result and runs the others", () => {
    const results = evaluate([throwing, oneFail], snapshot(), context());
    expect(results.map((r) => [r.checkId, r.status])).toEqual([
      ["always-throws", "ERROR"],
      ["one-fail", "FAIL"],
      ["one-fail", "PASS"],
      ["one-fail", "ERROR"],
    ]);
    expect(results[0]?.message).toBe("The check failed: TypeError: boom");
  });

  it("adds the severity, the account and a fingerprint on FAIL only; no check text", () => {
    const [fail, pass, error] = evaluate([oneFail], snapshot(), context());
    expect(fail).toMatchObject({ severity: "medium", accountId: "123456789012" });
    expect(fail?.fingerprint).toMatch(/^[0-9a-f]{20}$/);
    expect(pass?.fingerprint).toBeUndefined();
    expect(error?.fingerprint).toBeUndefined();
    // Schema 2: the text is in the report's `checks`, once per check.
    for (const r of [fail, pass, error]) {
      expect(Object.keys(JSON.parse(JSON.stringify(r))).sort()).toEqual(
        [
          "accountId",
          "checkId",
          "message",
          "resource",
          "severity",
          "status",
          ...(r?.status === "FAIL" ? ["fingerprint"] : []),
        ].sort(),
      );
    }
  });

  it("gives every result the same set of keys, whatever its status (one object shape)", () => {
    const results = evaluate([throwing, oneFail], snapshot(), context());
    const shapes = new Set(results.map((r) => Object.keys(r).join(",")));
    expect(shapes.size).toBe(1);
  });

  it("puts each check's text, CIS references included, once in checkTexts", () => {
    // Prepare
    const mapped = defineCheck({
      ...oneFail,
      id: "mapped",
      cis: ["CIS AWS Foundations v3.0.0 1.5"],
    });

    // Act
    const texts = checkTexts([mapped, oneFail]);

    // Assess
    expect(texts).toEqual({
      mapped: {
        title: "A check that fails once",
        severity: "medium",
        risk: "none",
        remediation: { summary: "fix it", steps: ["fix it"] },
        cis: ["CIS AWS Foundations v3.0.0 1.5"],
      },
      "one-fail": {
        title: "A check that fails once",
        severity: "medium",
        risk: "none",
        remediation: { summary: "fix it", steps: ["fix it"] },
      },
    });
  });

  it("gives the same finding the same fingerprint on every run, and another resource another one", () => {
    const a = evaluate([oneFail], snapshot(), context({ now: "2026-01-01T00:00:00Z" }))[0]
      ?.fingerprint;
    const b = evaluate([oneFail], snapshot(), context({ now: "2026-02-01T00:00:00Z" }))[0]
      ?.fingerprint;
    expect(a).toBe(b);
    const resource = { type: "X", name: "x", arn: "arn:z", region: "us-east-1" };
    expect(fingerprintOf("one-fail", resource)).not.toBe(a);
  });
});

describe("summarize", () => {
  it("counts statuses, FAILs per severity, and marks the audit incomplete on ERROR", () => {
    const results = evaluate([oneFail], snapshot(), context());
    expect(summarize(results, false)).toEqual({
      total: 3,
      byStatus: { PASS: 1, FAIL: 1, ERROR: 1, MUTED: 0 },
      failBySeverity: { critical: 0, high: 0, medium: 1, low: 0, info: 0 },
      incomplete: true,
    });
    expect(summarize(results.slice(0, 2), false).incomplete).toBe(false);
    expect(summarize(results.slice(0, 2), true).incomplete).toBe(true);
  });
});

describe("runAudit", () => {
  it("produces the report contract from a reader", async () => {
    const facts = snapshot({
      regions: ["us-east-1"],
      lightsail: [region("us-east-1", { instances: [openSsh] })],
    });
    const clock = [new Date("2026-08-01T12:00:00Z"), new Date("2026-08-01T12:00:02Z")];
    const report = await runAudit(
      { reader: readerFor(facts), now: () => clock.shift() ?? new Date(0) },
      parseConfig({ regions: "us-east-1", wordpressInventory: "off" }),
    );
    expect(Object.keys(report)).toEqual([
      "schemaVersion",
      "accountId",
      "startedAt",
      "finishedAt",
      "regions",
      "summary",
      "checks",
      "results",
      "failures",
      "expiredSuppressions",
      "patching",
    ]);
    expect(report).toMatchObject({
      schemaVersion: 2,
      accountId: "123456789012",
      startedAt: "2026-08-01T12:00:00.000Z",
      finishedAt: "2026-08-01T12:00:02.000Z",
      regions: { audited: ["us-east-1"], skipped: [] },
      failures: [],
    });
    const ssh = report.results.filter((r) => r.checkId === "lightsail-instance-ssh-not-public");
    expect(ssh.map((r) => [r.resource.name, r.status])).toEqual([["blog", "FAIL"]]);
    expect(report.summary.incomplete).toBe(false);
    // Dry-run by default: the plan is reported, nothing is sent.
    expect(report.patching).toEqual({
      mode: "dry-run",
      targets: "tagged",
      document: {
        name: "lightsail-auditor-prod-enforce-patching",
        region: "us-east-1",
        version: "$LATEST",
      },
      plan: [
        expect.objectContaining({
          instance: expect.objectContaining({ name: "blog", region: "us-east-1" }),
          optedIn: false,
          action: "skip",
        }),
      ],
      outcomes: [],
    });
  });

  it("turns a failed region into ERROR results and a listed failure, never PASS", async () => {
    const facts = snapshot({
      regions: ["us-east-1"],
      lightsail: [region("us-east-1", { instances: [openSsh] })],
    });
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    const reader = readerFor(facts, { getInstances: () => Promise.reject(throttled) });
    const report = await runAudit(
      { reader },
      parseConfig({ regions: "us-east-1", checks: "lightsail-instance-ssh-not-public" }),
    );
    expect(report.results.map((r) => [r.status, r.resource.type, r.resource.name])).toEqual([
      ["ERROR", "LightsailRegion", "us-east-1"],
    ]);
    expect(report.failures).toEqual([
      {
        source: "lightsail",
        region: "us-east-1",
        operation: "GetInstances",
        errorName: "ThrottlingException",
        message: "Rate exceeded",
      },
    ]);
    expect(report.summary.incomplete).toBe(true);
  });

  it("runs only the configured checks", async () => {
    const report = await runAudit(
      { reader: readerFor(snapshot()) },
      parseConfig({ regions: "us-east-1", checks: "iam-root-mfa-enabled" }),
    );
    expect(new Set(report.results.map((r) => r.checkId))).toEqual(
      new Set(["iam-root-mfa-enabled"]),
    );
    expect(Object.keys(report.checks)).toEqual(["iam-root-mfa-enabled"]);
  });
});

describe("factsToCollect", () => {
  const facts = (raw: Parameters<typeof parseConfig>[0]) => factsToCollect(parseConfig(raw));

  it("is what the selected checks read, in FACTS order", () => {
    expect(facts({ checks: "iam-root-mfa-enabled", patching: "off" })).toEqual([
      "credentialReport",
      "accountSummary",
      "rootVirtualMfaSerials",
    ]);
    expect(
      facts({
        checks: "lightsail-lb-tls-policy-current,lightsail-instance-ssh-not-public",
        patching: "off",
      }),
    ).toEqual(["instances", "loadBalancers", "tlsPolicies"]);
  });

  it("adds the instances and SSM nodes the patching plan reads, unless patching is off", () => {
    expect(facts({ checks: "iam-admin-group-in-use", patching: "dry-run" })).toEqual([
      "adminGroups",
      "instances",
      "managedNodes",
    ]);
  });

  it("adds nothing for the fix planner when no fixable check is selected", () => {
    expect(
      facts({ checks: "iam-admin-group-in-use", patching: "off", remediation: "dry-run" }),
    ).toEqual(["adminGroups"]);
  });
});
