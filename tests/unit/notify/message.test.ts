import { describe, expect, it } from "vitest";
import { summarize } from "../../../shared/audit";
import { fingerprint } from "../../../shared/findings/fingerprint";
import type { FindingsDiff } from "../../../shared/findings/state";
import {
  type AuditReport,
  type CheckResult,
  SEVERITY_ORDER,
  type Severity,
} from "../../../shared/model";
import {
  buildSnsAlert,
  largestFitting,
  SNS_MAX_BYTES,
  type SnsAlert,
} from "../../../shared/notify/message";
import type { AlertInput } from "../../../shared/notify/render";
import { checksOf } from "../../helpers/report";
import { ACCOUNT_ID } from "../../helpers/snapshot";

const STARTED_AT = "2026-08-01T12:00:00.000Z";
const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** About 630 characters (and more bytes: typographic characters are 3 bytes in UTF-8). */
const LONG_TEXT = "Port 22 is open to the whole internet — “0.0.0.0/0” and ::/0. ".repeat(10);

function finding(severity: Severity, name: string, message = `${name}: ${LONG_TEXT}`): CheckResult {
  const checkId = `example-${severity}-check`;
  const resource = {
    type: "LightsailInstance",
    name,
    arn: `arn:aws:lightsail:eu-west-2:${ACCOUNT_ID}:Instance/${name}`,
    region: "eu-west-2",
  };
  return {
    checkId,
    status: "FAIL",
    severity,
    message,
    resource,
    accountId: ACCOUNT_ID,
    fingerprint: fingerprint(checkId, resource),
  };
}

function alertInput(diff: Partial<FindingsDiff>, smsMinSeverity: Severity = "high"): AlertInput {
  const full: FindingsDiff = { new: [], stillOpen: [], resolved: [], renotify: [], ...diff };
  const results = [...full.new, ...full.stillOpen];
  const report: AuditReport = {
    schemaVersion: 2,
    accountId: ACCOUNT_ID,
    startedAt: STARTED_AT,
    finishedAt: "2026-08-01T12:00:09.000Z",
    regions: { audited: ["eu-west-2"], skipped: [] },
    summary: summarize(results, false),
    checks: checksOf(
      [...results, ...full.resolved],
      Object.fromEntries(
        SEVERITY_ORDER.map((severity) => [
          `example-${severity}-check`,
          {
            title: `A ${severity} problem`,
            severity,
            remediation: {
              summary: `Fix the ${severity} problem.`,
              steps: ["Open the console.", "Change the setting."],
              cli: "aws lightsail do-something --instance-name <instance-name>",
            },
          },
        ]),
      ),
    ),
    results,
    failures: [],
    expiredSuppressions: [],
  };
  return { report, diff: full, smsMinSeverity, onDemandHint: "npx lightsail-audit" };
}

/**
 * 10,000 new findings: 9,950 low, then 30 medium, 10 high and 10 critical last, so only sorting
 * puts the most severe first.
 */
function tenThousand(): CheckResult[] {
  const n = 10_000;
  return Array.from({ length: n }, (_, i) => {
    const severity: Severity =
      i >= n - 10 ? "critical" : i >= n - 20 ? "high" : i >= n - 50 ? "medium" : "low";
    return finding(severity, `site-${String(i).padStart(5, "0")}`);
  });
}

function parse(alert: SnsAlert): Record<string, unknown> {
  return JSON.parse(alert.message) as Record<string, unknown>;
}

/** The resource names of the NEW findings the email details. */
function detailedNames(email: string, all: readonly CheckResult[]): Set<string> {
  const section = email.slice(email.indexOf("NEW FINDINGS"));
  return new Set(
    all
      .map((r) => r.resource.name)
      .filter((name) => section.includes(`${name} (eu-west-2): ${name}: `)),
  );
}

describe("buildSnsAlert with 10,000 new findings", () => {
  const findings = tenThousand();
  const alert = buildSnsAlert(alertInput({ new: findings }));
  const message = parse(alert);
  const email = String(message.email);

  it("keeps the whole message within SNS's 262,144-byte limit", () => {
    expect(Buffer.byteLength(alert.message, "utf8")).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(SNS_MAX_BYTES).toBe(262_144);
  });

  it("is JSON with a string for every subscriber protocol, the SMS included", () => {
    for (const key of ["default", "email", "sms", "email-json", "sqs", "lambda", "https"]) {
      expect(typeof message[key], key).toBe("string");
    }
    expect(message.default).toBe(message.email);
    expect(alert.sms).toBe(true);
  });

  it("details fewer findings and counts the rest in an '...and N more' line", () => {
    const more = email.match(/^\.\.\.and (\d+) more new findings\b.*$/m);

    expect(alert.detailed).toBeGreaterThan(0);
    expect(alert.detailed).toBeLessThan(10_000);
    expect(Number(more?.[1]) + alert.detailed).toBe(10_000);
    expect(detailedNames(email, findings).size).toBe(alert.detailed);
  });

  it("puts the '...and N more' line after the last detailed finding, before the footer", () => {
    const lines = email.split("\n");
    const more = lines.findIndex((l) => l.startsWith("...and "));
    const lastDetailed = lines.findLastIndex((l) => / \(eu-west-2\): site-\d{5}: /.test(l));

    expect(more).toBeGreaterThan(lastDetailed);
    expect(more).toBeLessThan(lines.indexOf("--"));
  });

  it("details the most severe findings", () => {
    const shown = detailedNames(email, findings);
    const detailed = findings.filter((r) => shown.has(r.resource.name));
    const hidden = findings.filter((r) => !shown.has(r.resource.name));

    const worstHidden = Math.min(...hidden.map((r) => RANK[r.severity]));
    const mildestShown = Math.max(...detailed.map((r) => RANK[r.severity]));
    expect(mildestShown).toBeLessThanOrEqual(worstHidden);
    expect(detailed.filter((r) => r.severity === "critical")).toHaveLength(10);
    expect(detailed.filter((r) => r.severity === "high")).toHaveLength(10);
  });

  it("limits the JSON for machines the same way and says it is truncated", () => {
    const change = JSON.parse(String(message["email-json"])) as {
      counts: { new: number };
      new: { severity: Severity }[];
      truncated: boolean;
    };

    expect(change.counts.new).toBe(10_000);
    expect(change.new).toHaveLength(alert.detailed);
    expect(change.new.slice(0, 10).map((r) => r.severity)).toEqual(Array(10).fill("critical"));
    expect(change.truncated).toBe(true);
    expect(message.sqs).toBe(message["email-json"]);
  });
});

describe("buildSnsAlert with a few findings", () => {
  it("details every new finding and has no '...and N more' line", () => {
    const findings = [finding("critical", "root"), finding("high", "blog"), finding("low", "x")];

    const alert = buildSnsAlert(alertInput({ new: findings }));

    const email = String(parse(alert).email);
    expect(alert.detailed).toBe(3);
    expect(detailedNames(email, findings)).toEqual(new Set(["root", "blog", "x"]));
    expect(email).not.toContain("...and ");
  });

  it("carries the subject separately and keeps it short", () => {
    const alert = buildSnsAlert(alertInput({ new: [finding("high", "blog")] }));

    expect(alert.subject).toBe(
      `[lightsail-auditor] 1 new finding (1 high) in account ${ACCOUNT_ID}`,
    );
  });

  it("flags the SMS and includes its text when a new finding reaches smsMinSeverity", () => {
    const alert = buildSnsAlert(alertInput({ new: [finding("high", "blog", "SSH open")] }, "high"));

    expect(alert.sms).toBe(true);
    expect(typeof parse(alert).sms).toBe("string");
  });

  it("neither flags nor includes an SMS when new findings are below smsMinSeverity", () => {
    const alert = buildSnsAlert(
      alertInput({ new: [finding("medium", "shop-lb", "No redirect")] }, "high"),
    );

    expect(alert.sms).toBe(false);
    expect(parse(alert)).not.toHaveProperty("sms");
  });

  it("follows a lower smsMinSeverity", () => {
    const alert = buildSnsAlert(
      alertInput({ new: [finding("medium", "shop-lb", "No redirect")] }, "medium"),
    );

    expect(alert.sms).toBe(true);
  });

  it("reports zero detailed findings when nothing is new", () => {
    const alert = buildSnsAlert(alertInput({ stillOpen: [finding("high", "blog")] }));

    expect(alert.detailed).toBe(0);
    expect(alert.sms).toBe(false);
  });
});

describe("buildSnsAlert with many collection failures", () => {
  it("stays under the SNS limit when every load balancer's certificate call was denied", () => {
    const denied =
      "User: arn:aws:sts::123456789012:assumed-role/lightsail-auditor-prod-AuditRole/lightsail-auditor-prod-audit is not authorized to perform: lightsail:GetLoadBalancerTlsCertificates on resource: arn:aws:lightsail:us-east-1:123456789012:LoadBalancer/* because no identity-based policy allows the lightsail:GetLoadBalancerTlsCertificates action";
    const input = alertInput({});
    input.report.failures = Array.from({ length: 1000 }, (_, i) => ({
      source: "lightsail" as const,
      region: "us-east-1",
      operation: "GetLoadBalancerTlsCertificates",
      resource: `wordpress-site-${i}-lb`,
      errorName: "AccessDeniedException",
      message: denied,
    }));
    input.report.summary = summarize([], true);

    const alert = buildSnsAlert(input);
    const message = parse(alert);

    expect(Buffer.byteLength(alert.message, "utf8")).toBeLessThanOrEqual(SNS_MAX_BYTES);
    expect(message.email).toMatch(/\.\.\.and \d+ more collection failures/);
    const json = JSON.parse(String(message.sqs)) as {
      counts: { failures: number };
      truncated: boolean;
    };
    expect(json.counts.failures).toBe(1000);
    expect(json.truncated).toBe(true);
  });
});

describe("the subject", () => {
  it("keeps the account number when the summary is too long", () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      finding(i < 3 ? "critical" : "low", `site-${i}`),
    );
    const input = alertInput({
      new: many,
      resolved: many.slice(0, 45).map((r) => ({
        fingerprint: r.fingerprint ?? "",
        checkId: r.checkId,
        severity: r.severity,
        title: `A ${r.severity} problem`,
        resource: r.resource,
        message: r.message,
        status: "OPEN" as const,
        firstSeen: STARTED_AT,
        lastSeen: STARTED_AT,
        expiresAt: 0,
      })),
    });
    input.report.accountId = "123456789012";
    input.report.summary = { ...input.report.summary, incomplete: true };

    const { subject } = buildSnsAlert(input);

    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject.endsWith(" in account 123456789012")).toBe(true);
  });
});

describe("largestFitting", () => {
  it("finds the largest limit that fits, from any starting guess", () => {
    for (const all of [0, 1, 2, 7, 64, 200]) {
      for (let answer = 0; answer <= all; answer++) {
        for (const start of [0, 1, answer, answer + 1, Math.floor(all / 3), all, all * 4]) {
          expect(largestFitting(all, (limit) => limit <= answer, start)).toBe(answer);
        }
      }
    }
  });

  it("never probes far past the answer when the guess is close (no huge renders)", () => {
    const probes: number[] = [];
    const found = largestFitting(
      20_000,
      (limit) => {
        probes.push(limit);
        return limit <= 98;
      },
      90,
    );
    expect(found).toBe(98);
    expect(Math.max(...probes)).toBeLessThanOrEqual(180);
    expect(probes.length).toBeLessThanOrEqual(10);
  });
});
