import { describe, expect, it } from "vitest";
import { summarize } from "../../../shared/audit";
import { fingerprint } from "../../../shared/findings/fingerprint";
import type { FindingState, FindingsDiff } from "../../../shared/findings/state";
import type {
  AuditReport,
  CheckResult,
  CheckText,
  CollectionFailure,
  ResourceRef,
  Severity,
  Suppression,
} from "../../../shared/model";
import {
  type AlertInput,
  renderEmail,
  renderSms,
  renderSubject,
} from "../../../shared/notify/render";
import { dryRun, enforced } from "../../helpers/remediation";
import { textOf } from "../../helpers/report";
import { ACCOUNT_ID } from "../../helpers/snapshot";

const STARTED_AT = "2026-08-01T12:00:00.000Z";
const HINT = "npx osls invoke -f audit --stage prod";
const PRINTABLE = /^[\x20-\x7e]+$/;
/** Characters GSM-7 lacks or encodes in two septets. */
const NOT_GSM_SAFE = /[`^{}[\]~\\|]/;

const ROOT = {
  type: "AwsRootUser",
  name: "<root_account>",
  arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
  region: "global",
};

function instanceRef(name: string, region = "eu-west-2"): ResourceRef {
  return {
    type: "LightsailInstance",
    name,
    arn: `arn:aws:lightsail:${region}:${ACCOUNT_ID}:Instance/${name}`,
    region,
  };
}

/** The check text each test finding was made with; alertInput puts it in `report.checks`. */
const TEXT = new WeakMap<CheckResult | FindingState, CheckText>();

/** A FAIL result; checkId, title and remediation follow the severity unless overridden. */
function finding(
  severity: Severity,
  name: string,
  { title, remediation, ...overrides }: Partial<CheckResult & CheckText> = {},
): CheckResult {
  const prose: Record<Severity, { checkId: string; title: string }> = {
    critical: { checkId: "iam-root-mfa-enabled", title: "Root user has MFA enabled" },
    high: {
      checkId: "lightsail-instance-ssh-not-public",
      title: "SSH is not open to the internet",
    },
    medium: {
      checkId: "lightsail-lb-http-redirects-to-https",
      title: "Load balancer redirects HTTP to HTTPS",
    },
    low: { checkId: "low-check", title: "A low finding" },
    info: { checkId: "info-check", title: "An info finding" },
  };
  const base = prose[severity];
  const checkId = overrides.checkId ?? base.checkId;
  const resource = overrides.resource ?? (severity === "critical" ? ROOT : instanceRef(name));
  const result: CheckResult = {
    checkId: base.checkId,
    status: "FAIL",
    severity,
    message: `${name}: ${severity} problem found.`,
    resource,
    accountId: ACCOUNT_ID,
    fingerprint: fingerprint(checkId, resource),
    ...overrides,
  };
  TEXT.set(
    result,
    textOf(checkId, {
      title: title ?? base.title,
      severity,
      remediation: remediation ?? {
        summary: `Fix the ${severity} problem on ${name}.`,
        steps: [`Open ${name} in the console.`, "Change the setting.", "Save."],
        cli: `aws lightsail fix --name ${name}`,
      },
    }),
  );
  return result;
}

/** `checks` for the findings: each check's text as its first finding was made with. */
function checksFor(results: readonly CheckResult[]): Record<string, CheckText> {
  const checks: Record<string, CheckText> = {};
  for (const r of results) checks[r.checkId] ??= TEXT.get(r) ?? textOf(r.checkId);
  return checks;
}

function resolvedState(r: CheckResult, firstSeen: string): FindingState {
  const state: FindingState = {
    fingerprint: r.fingerprint ?? "",
    checkId: r.checkId,
    severity: r.severity,
    resource: r.resource,
    message: r.message,
    status: "OPEN",
    firstSeen,
    expiresAt: 1_790_000_000,
  };
  const text = TEXT.get(r);
  if (text) TEXT.set(state, text);
  return state;
}

interface InputOptions {
  failures?: CollectionFailure[];
  errors?: CheckResult[];
  expired?: Suppression[];
  smsMinSeverity?: Severity;
}

function alertInput(diff: Partial<FindingsDiff>, options: InputOptions = {}): AlertInput {
  const full: FindingsDiff = { new: [], stillOpen: [], resolved: [], renotify: [], ...diff };
  const failures = options.failures ?? [];
  const results = [...full.new, ...full.stillOpen, ...(options.errors ?? [])];
  const report: AuditReport = {
    schemaVersion: 2,
    accountId: ACCOUNT_ID,
    startedAt: STARTED_AT,
    finishedAt: "2026-08-01T12:00:03.000Z",
    regions: { audited: ["eu-west-2"], skipped: [] },
    summary: summarize(results, failures.length > 0),
    // A resolved finding's check ran this time (else it could not resolve): its text is there.
    checks: {
      ...Object.fromEntries(
        full.resolved.map((p) => [p.checkId, TEXT.get(p) ?? textOf(p.checkId)]),
      ),
      ...checksFor([...results, ...full.renotify]),
    },
    results,
    failures,
    expiredSuppressions: options.expired ?? [],
  };
  return {
    report,
    diff: full,
    smsMinSeverity: options.smsMinSeverity ?? "high",
    onDemandHint: HINT,
  };
}

const throttled: CollectionFailure = {
  source: "lightsail",
  region: "ap-south-1",
  operation: "GetInstances",
  errorName: "ThrottlingException",
  message: "Rate exceeded",
};
const certDenied: CollectionFailure = {
  source: "lightsail",
  region: "eu-west-2",
  operation: "GetLoadBalancerTlsCertificates",
  errorName: "AccessDeniedException",
  message: "not authorized",
  resource: "shop-lb",
};

/** Many findings with typographic punctuation in their titles. */
function many(n: number): CheckResult[] {
  return Array.from({ length: n }, (_, i) =>
    finding(i % 3 === 0 ? "critical" : "high", `site-${i}`, {
      checkId: `typographic-${i}`,
      title: `The “site” isn’t safe — ${i}`,
      resource: instanceRef(`site-${i}`),
    }),
  );
}

const ROOT_F = finding("critical", "root");
const lines = (text: string) => text.split("\n");

describe("renderSubject", () => {
  it("counts new findings and the worst severity among them", () => {
    const input = alertInput({ new: [finding("high", "blog"), finding("critical", "root")] });

    expect(renderSubject(input)).toBe(
      `[lightsail-auditor] 2 new findings (1 critical) in account ${ACCOUNT_ID}`,
    );
  });

  it("uses the singular for one new finding and adds the resolved count", () => {
    const blog = finding("high", "blog");
    const input = alertInput({
      new: [finding("medium", "shop-lb")],
      resolved: [resolvedState(blog, "2026-07-01T12:00:00.000Z"), resolvedState(ROOT_F, "x")],
    });

    expect(renderSubject(input)).toBe(
      `[lightsail-auditor] 1 new finding (1 medium), 2 resolved in account ${ACCOUNT_ID}`,
    );
  });

  it("says how many were resolved when nothing is new", () => {
    const input = alertInput({
      resolved: [resolvedState(finding("high", "blog"), "2026-07-01T12:00:00.000Z")],
      stillOpen: [finding("high", "shop")],
    });

    expect(renderSubject(input)).toBe(`[lightsail-auditor] 1 resolved in account ${ACCOUNT_ID}`);
  });

  it("says a reminder is about findings still open", () => {
    const root = finding("critical", "root");
    const input = alertInput({
      stillOpen: [root, finding("high", "blog"), finding("high", "shop")],
      renotify: [root],
    });

    expect(renderSubject(input)).toBe(
      `[lightsail-auditor] 1 finding still open in account ${ACCOUNT_ID}`,
    );
  });

  it("says the audit is incomplete when a source failed", () => {
    const input = alertInput({ new: [finding("high", "blog")] }, { failures: [throttled] });

    expect(renderSubject(input)).toBe(
      `[lightsail-auditor] 1 new finding (1 high), audit incomplete in account ${ACCOUNT_ID}`,
    );
  });

  it("says the audit is incomplete when a check errored, even with nothing else to say", () => {
    const errored = finding("high", "eu-west-2", { status: "ERROR" });
    const input = alertInput({}, { errors: [errored] });

    const subject = renderSubject(input);

    expect(subject).toContain("audit incomplete");
    expect(subject).toMatch(/^\[lightsail-auditor\] /);
  });

  // SNS: "less than 100 characters" (botocore sns/2010-03-31 PublishInput.Subject); AWS has been
  // seen to accept 100, so 99 holds under both the documented and the observed rule.
  it("stays at 99 characters or fewer when every part is at its longest", () => {
    const input = alertInput(
      {
        new: many(2_000),
        resolved: many(1_999).map((r) => resolvedState(r, "2026-07-01T12:00:00.000Z")),
      },
      { failures: [throttled] },
    );
    const fixes = enforced();
    fixes.applied = Array(1_000).fill(fixes.applied[0]);
    fixes.failed = Array(1_000).fill(fixes.failed[0]);
    input.report.remediation = fixes;

    const subject = renderSubject(input);

    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject).toMatch(PRINTABLE);
    expect(subject).toMatch(/\.\.\. in account \d{12}$/);
  });

  it("stays within 99 printable ASCII characters with thousands of findings", () => {
    const input = alertInput(
      {
        new: many(10_000),
        resolved: many(9_999).map((r) => resolvedState(r, "2026-07-01T12:00:00.000Z")),
      },
      { failures: [throttled] },
    );

    const subject = renderSubject(input);

    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject).toMatch(PRINTABLE);
    expect(subject).toMatch(/^\[lightsail-auditor\] 10000 new findings \(3334 critical\)/);
  });
});

describe("renderSms", () => {
  it("fits one segment of GSM-safe ASCII with the counts, the worst finding and the account", () => {
    const input = alertInput({
      new: [finding("medium", "shop-lb"), finding("high", "blog"), ROOT_F],
    });

    const sms = renderSms(input) ?? "";

    expect(Buffer.byteLength(sms, "utf8")).toBeLessThanOrEqual(140);
    expect(sms).toMatch(PRINTABLE);
    expect(sms).not.toMatch(NOT_GSM_SAFE);
    expect(sms).toContain(ACCOUNT_ID);
    expect(sms).toContain("Root user has MFA enabled");
    expect(sms).toContain("3 new (1 critical, 1 high, 1 medium)");
  });

  it("names the worst finding even when it is not the first one", () => {
    const input = alertInput({
      new: [finding("high", "blog"), finding("critical", "root", { title: "Root has no keys" })],
    });

    expect(renderSms(input)).toContain("Root has no keys");
  });

  it("stays one GSM-safe segment with typographic and GSM-escape characters and a long title", () => {
    const title = `The “admin” panel’s {config} [debug] ~ \`shell\` | C:\\path ^ — ${"é".repeat(80)}`;
    const input = alertInput(
      {
        new: [
          finding("critical", "blog", { title, resource: instanceRef("blog-ü-[1]") }),
          ...many(500),
        ],
      },
      { smsMinSeverity: "high" },
    );

    const sms = renderSms(input) ?? "";

    expect(sms.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(sms, "utf8")).toBeLessThanOrEqual(140);
    expect(sms).toMatch(PRINTABLE);
    expect(sms).not.toMatch(NOT_GSM_SAFE);
    expect(sms).toContain(ACCOUNT_ID);
  });

  it("is null when the only new findings are medium and the threshold is high", () => {
    const input = alertInput({ new: [finding("medium", "shop-lb"), finding("medium", "docs-lb")] });

    expect(renderSms(input)).toBeNull();
  });

  it("is sent for medium findings when the threshold is medium", () => {
    const input = alertInput({ new: [finding("medium", "shop-lb")] }, { smsMinSeverity: "medium" });

    expect(renderSms(input)).toContain("Load balancer redirects HTTP to HTTPS");
  });

  it("is null when the serious finding is a reminder, not new", () => {
    const input = alertInput({ stillOpen: [ROOT_F], renotify: [ROOT_F] });

    expect(renderSms(input)).toBeNull();
  });
});

describe("renderEmail", () => {
  it("starts with the account, the time and a summary line", () => {
    const input = alertInput({
      new: [finding("high", "blog"), ROOT_F],
      resolved: [resolvedState(finding("high", "old"), "2026-06-01T00:00:00.000Z")],
      stillOpen: [finding("medium", "shop-lb")],
    });

    const [first, blank, summary] = lines(renderEmail(input));

    expect(first).toBe(`Lightsail audit of AWS account ${ACCOUNT_ID}, 2026-08-01 12:00 UTC`);
    expect(blank).toBe("");
    expect(summary).toBe("2 new findings (1 critical, 1 high), 1 resolved, 1 still open.");
  });

  it("groups new findings by severity, most severe first", () => {
    const input = alertInput({
      new: [finding("medium", "shop-lb"), finding("high", "blog"), ROOT_F, finding("low", "x")],
    });

    const text = lines(renderEmail(input));

    const heading = (severity: string) =>
      text.findIndex((l) => new RegExp(`^=* ?${severity} ?=*$`).test(l));
    const about = (resource: string) => text.findIndex((l) => l.includes(resource));
    expect(text.indexOf("NEW FINDINGS")).toBeGreaterThan(-1);
    expect(heading("CRITICAL")).toBeGreaterThan(text.indexOf("NEW FINDINGS"));
    expect(about("<root_account>")).toBeGreaterThan(heading("CRITICAL"));
    expect(heading("HIGH")).toBeGreaterThan(about("<root_account>"));
    expect(about("blog (eu-west-2)")).toBeGreaterThan(heading("HIGH"));
    expect(heading("MEDIUM")).toBeGreaterThan(about("blog (eu-west-2)"));
    expect(about("shop-lb (eu-west-2)")).toBeGreaterThan(heading("MEDIUM"));
    expect(heading("LOW")).toBeGreaterThan(about("shop-lb (eu-west-2)"));
    expect(about("x (eu-west-2)")).toBeGreaterThan(heading("LOW"));
    expect(heading("INFO")).toBe(-1);
  });

  it("shows each new finding's title, resource, region, message, fix, numbered steps and CLI", () => {
    const blog = finding("high", "blog");
    const input = alertInput({ new: [blog] });

    const text = lines(renderEmail(input));

    const start = text.findIndex((l) => l.includes("SSH is not open to the internet"));
    expect(start).toBeGreaterThan(text.indexOf("NEW FINDINGS"));
    expect(text.slice(start + 1, start + 7)).toEqual([
      "  - blog (eu-west-2): blog: high problem found.",
      "  How to fix: Fix the high problem on blog.",
      "    1. Open blog in the console.",
      "    2. Change the setting.",
      "    3. Save.",
      "  CLI: aws lightsail fix --name blog",
    ]);
  });

  it("lists every new resource of one check with its own message", () => {
    const input = alertInput({
      new: [finding("high", "blog"), finding("high", "shop"), finding("high", "docs")],
    });

    const text = renderEmail(input);

    for (const name of ["blog", "shop", "docs"]) {
      expect(text).toContain(`${name} (eu-west-2): ${name}: high problem found.`);
    }
  });

  it("omits the CLI line when the remediation has none", () => {
    const blog = finding("high", "blog", {
      remediation: { summary: "Fix it.", steps: ["Open the console."] },
    });
    const input = alertInput({ new: [blog] });

    expect(renderEmail(input)).not.toContain("CLI:");
  });

  it("lists resolved findings with the day they were first seen", () => {
    const input = alertInput({
      resolved: [
        resolvedState(finding("high", "blog"), "2026-06-15T08:30:00.000Z"),
        resolvedState(ROOT_F, "2026-05-02T00:00:00.000Z"),
      ],
    });

    const text = lines(renderEmail(input));

    const heading = text.indexOf("RESOLVED");
    expect(heading).toBeGreaterThan(-1);
    const [blog, root] = text.slice(heading + 1, heading + 3);
    expect(blog).toMatch(/^- blog \(eu-west-2\):.*SSH is not open to the internet/);
    expect(blog).toContain("(open since 2026-06-15)");
    expect(root).toMatch(/^- <root_account>:.*Root user has MFA enabled/);
    expect(root).toContain("(open since 2026-05-02)");
  });

  it("counts the findings still open without listing them", () => {
    const input = alertInput({
      new: [finding("high", "blog")],
      stillOpen: [ROOT_F, finding("high", "shop"), finding("medium", "shop-lb")],
    });

    const text = renderEmail(input);

    expect(text).toContain(
      "STILL OPEN: 3 findings (1 critical, 1 high, 1 medium) already reported before; see the full report.",
    );
    expect(text).not.toContain("shop (eu-west-2)");
  });

  it("lists reminders of serious findings still open", () => {
    const input = alertInput({ stillOpen: [ROOT_F], renotify: [ROOT_F] });

    const text = lines(renderEmail(input));

    const heading = text.indexOf("STILL OPEN AND SERIOUS (reminder)");
    expect(heading).toBeGreaterThan(-1);
    expect(text[heading + 1]).toMatch(/^- <root_account>:.*root: critical problem found\./);
  });

  it("lists every collection failure and the checks with ERROR in the incomplete section", () => {
    const errored = finding("high", "ap-south-1", { status: "ERROR" });
    const input = alertInput(
      { new: [finding("high", "blog")] },
      { failures: [throttled, certDenied], errors: [errored] },
    );

    const text = lines(renderEmail(input));

    expect(text[3]).toMatch(/^AUDIT INCOMPLETE: /);
    const heading = text.indexOf("AUDIT INCOMPLETE");
    expect(heading).toBeGreaterThan(-1);
    expect(text.slice(heading + 2, heading + 5)).toEqual([
      "- ap-south-1 lightsail GetInstances: ThrottlingException: Rate exceeded",
      "- eu-west-2 lightsail GetLoadBalancerTlsCertificates (shop-lb): AccessDeniedException: not authorized",
      "Checks with ERROR results: lightsail-instance-ssh-not-public.",
    ]);
  });

  it("has no incomplete section when everything was collected and checked", () => {
    const input = alertInput({ new: [finding("high", "blog")] });

    expect(renderEmail(input)).not.toContain("AUDIT INCOMPLETE");
  });

  it("lists expired suppressions with their check, resource, date and reason", () => {
    const expired: Suppression = {
      checkId: "lightsail-instance-ssh-not-public",
      resource: "eu-west-2/blog*",
      reason: "Agency VPN migration",
      expires: "2026-07-31",
    };
    const input = alertInput({}, { expired: [expired] });

    const text = lines(renderEmail(input));

    const heading = text.findIndex((l) => l.startsWith("SUPPRESSIONS THAT EXPIRED"));
    expect(heading).toBeGreaterThan(-1);
    expect(text[heading + 1]).toBe(
      '- lightsail-instance-ssh-not-public eu-west-2/blog*: expired 2026-07-31 ("Agency VPN migration")',
    );
  });

  it("ends with a footer on running an audit now and suppressing a finding", () => {
    const input = alertInput({ new: [finding("high", "blog")] });

    const text = renderEmail(input);

    const footer = text.slice(text.lastIndexOf("\n--\n"));
    expect(footer).toContain(`Run an audit now: ${HINT}`);
    expect(footer).toContain("shared/suppressions.json");
    expect(footer).toMatch(/"expires": "YYYY-MM-DD"/);
    expect(text.endsWith("\n")).toBe(true);
  });
});

describe("renderEmail: patching", () => {
  it("shows the patching plan (dry-run) so the owner sees what enforcing would do", () => {
    const input = alertInput({ new: [ROOT_F] });
    input.report.patching = {
      mode: "dry-run",
      targets: "tagged",
      document: {
        name: "lightsail-auditor-prod-patching",
        version: "$LATEST",
        region: "us-east-1",
      },
      plan: [
        {
          instance: {
            name: "wordpress-blog",
            region: "us-east-1",
            arn: "arn:aws:lightsail:us-east-1:1:Instance/a",
          },
          optedIn: true,
          node: { instanceId: "mi-0123456789abcdef0", region: "us-east-1", matchedBy: "tag" },
          action: "send",
          reason: "would send the document to mi-0123456789abcdef0 (matched by tag)",
        },
        {
          instance: {
            name: "shop",
            region: "eu-west-2",
            arn: "arn:aws:lightsail:eu-west-2:1:Instance/b",
          },
          optedIn: false,
          action: "skip",
          reason: "not opted in",
        },
      ],
      outcomes: [],
    };

    const email = renderEmail(input);

    expect(email).toContain(
      "PATCHING\nPatching (dry-run, document lightsail-auditor-prod-patching in us-east-1): would run on 1 instance; skipped 1 (1 not opted in)\n  us-east-1/wordpress-blog: would send",
    );
  });

  it("has no patching section when patching is off", () => {
    expect(renderEmail(alertInput({ new: [ROOT_F] }))).not.toContain("PATCHING");
  });
});

describe("fixes in the alert", () => {
  const withFixes = (remediation: AuditReport["remediation"]) => {
    const input = alertInput({ new: [finding("high", "wordpress-blog")] });
    return { ...input, report: { ...input.report, remediation } };
  };

  it("the email lists the changes made, with their ids and undo command, the failures and what was left alone", () => {
    const email = renderEmail(withFixes(enforced()));

    expect(email).toContain(
      [
        "FIXES APPLIED: 1 change made, 1 failed",
        "Applied:",
        '- us-east-1/wordpress-blog: Restrict SSH on instance "wordpress-blog": 22/tcp from 0.0.0.0/0 and ::/0 becomes 22/tcp from 203.0.113.7/32 and lightsail-connect (change 3f9a2c81b7d0, 2026-08-01 12:00 UTC; undo: lightsail-audit undo --change 3f9a2c81b7d0)',
        "Failed:",
        '- eu-west-2/agency-lb: Turn on HTTP to HTTPS redirection on load balancer "agency-lb": UpdateLoadBalancerAttribute failed: AccessDeniedException: not authorized; nothing was changed',
        "Left alone:",
      ].join("\n"),
    );
  });

  it("names the state table in the undo command, so it works when pasted from the email", () => {
    const email = renderEmail({
      ...withFixes(enforced()),
      stateTable: "lightsail-auditor-prod-StateTable-1A2B",
    });

    expect(email).toContain(
      "undo: lightsail-audit undo --change 3f9a2c81b7d0 --state-table lightsail-auditor-prod-StateTable-1A2B)",
    );
  });

  it("the email shows a dry-run plan as changes that were not made", () => {
    const email = renderEmail(withFixes(dryRun()));
    expect(email).toContain(
      "FIXES (dry-run: nothing was changed; with remediation enforce these changes would be made)\nPlanned:\n- us-east-1/wordpress-blog: Restrict SSH",
    );
  });

  it("the subject counts the fixes applied and failed; a plan alone is not news", () => {
    expect(renderSubject(withFixes(enforced()))).toBe(
      `[lightsail-auditor] 1 new finding (1 high), 1 fix applied, 1 fix failed in account ${ACCOUNT_ID}`,
    );
    expect(renderSubject(withFixes(dryRun()))).toBe(
      `[lightsail-auditor] 1 new finding (1 high) in account ${ACCOUNT_ID}`,
    );
  });

  it("the email lists no fixes section when remediation is off", () => {
    expect(renderEmail(alertInput({ new: [finding("high", "wordpress-blog")] }))).not.toContain(
      "FIXES",
    );
  });
});
