import { describe, expect, it } from "vitest";
import { LIGHTSAIL_REGIONS } from "../../shared/aws/regions";
import { CHECK_IDS } from "../../shared/checks/index";
import { configFromEnv, parseConfig, STACK_PARAMS, settingError } from "../../shared/config";
import { ConfigError } from "../../shared/errors";

describe("parseConfig", () => {
  it("defaults to every Lightsail region, 90 days and every check", () => {
    const config = parseConfig({});
    expect(config.regions).toEqual([...LIGHTSAIL_REGIONS]);
    expect(config.regions).toHaveLength(19);
    expect(config.regions).not.toContain("us-west-1");
    expect(config.rootUsageDays).toBe(90);
    expect(config.checks).toEqual([...CHECK_IDS]);
  });

  it("reads a comma list of regions, trimmed and de-duplicated; 'all' means every region", () => {
    expect(parseConfig({ regions: " eu-west-2, us-east-1,eu-west-2 " }).regions).toEqual([
      "eu-west-2",
      "us-east-1",
    ]);
    expect(parseConfig({ regions: "all" }).regions).toHaveLength(19);
  });

  it("rejects a region without a Lightsail endpoint, naming the flag, the env var and the value", () => {
    const act = () => parseConfig({ regions: "us-east-1,us-west-1" });
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(
      /--regions \(REGIONS\): "us-west-1" is not a Lightsail region \(valid: all, us-east-1/,
    );
  });

  it.each(["0", "-5", "1.5", "abc", "3651", "0x10", "1e2"])(
    "rejects root usage days %s",
    (value) => {
      expect(() => parseConfig({ rootUsageDays: value })).toThrow(
        new RegExp(`--root-usage-days \\(ROOT_USAGE_DAYS\\): .*got "${value}"`),
      );
    },
  );

  it("accepts a whole number of days", () => {
    expect(parseConfig({ rootUsageDays: "30" }).rootUsageDays).toBe(30);
  });

  it("rejects an unknown check id and lists the valid ones", () => {
    const act = () => parseConfig({ checks: "iam-root-mfa-enabled,ssh-open" });
    expect(act).toThrow(
      /--only \(CHECKS\): unknown check id "ssh-open" \(valid: .*lightsail-instance-ssh-not-public/,
    );
  });

  it("keeps the requested checks only", () => {
    expect(parseConfig({ checks: "iam-root-mfa-enabled" }).checks).toEqual([
      "iam-root-mfa-enabled",
    ]);
  });
});

describe("alert settings", () => {
  it("default to on-change alerts, SMS from high, a weekly reminder, no topic and no state table", () => {
    expect(parseConfig({})).toMatchObject({
      notifyMode: "on-change",
      smsMinSeverity: "high",
      renotifyDays: 7,
    });
    expect(parseConfig({}).topicArn).toBeUndefined();
    expect(parseConfig({}).stateTable).toBeUndefined();
  });

  it("name the setting and the valid values when one is wrong", () => {
    expect(() => parseConfig({ notifyMode: "daily" })).toThrow(
      'Invalid --notify-mode (NOTIFY_MODE): must be one of on-change, always, never, got "daily"',
    );
    expect(() => parseConfig({ smsMinSeverity: "urgent" })).toThrow(
      /--sms-min-severity \(SMS_MIN_SEVERITY\): must be one of critical, high/,
    );
    expect(() => parseConfig({ topicArn: "my-topic" })).toThrow(
      'Invalid --topic-arn (TOPIC_ARN): must be an SNS topic ARN, got "my-topic"',
    );
    expect(() => parseConfig({ renotifyDays: "0" })).toThrow(/--renotify-days \(RENOTIFY_DAYS\)/);
  });

  it("accept a topic ARN in any partition", () => {
    const arn = "arn:aws-us-gov:sns:us-gov-west-1:123456789012:lightsail-auditor-alerts";
    expect(parseConfig({ topicArn: arn }).topicArn).toBe(arn);
  });
});

describe("patching settings", () => {
  it("default to a dry run on tagged instances with the prod stack's document", () => {
    expect(parseConfig({})).toMatchObject({
      patching: "dry-run",
      patchTargets: "tagged",
      patchDocument: "lightsail-auditor-prod-enforce-patching",
    });
  });

  it("accept every mode and target set, and a document name or ARN", () => {
    expect(parseConfig({ patching: "off" }).patching).toBe("off");
    expect(parseConfig({ patching: " enforce " }).patching).toBe("enforce");
    expect(parseConfig({ patchTargets: "all" }).patchTargets).toBe("all");
    expect(parseConfig({ patchDocument: "my-doc_1.2" }).patchDocument).toBe("my-doc_1.2");
    const arn =
      "arn:aws:ssm:eu-west-1:123456789012:document/lightsail-auditor-dev-enforce-patching";
    expect(parseConfig({ patchDocument: arn }).patchDocument).toBe(arn);
  });

  it.each([
    [{ patching: "on" }, /--patching \(PATCHING\): must be one of off, dry-run, enforce, got "on"/],
    [{ patching: "Enforce" }, /--patching \(PATCHING\): must be one of off, dry-run, enforce/],
    [{ patchTargets: "some" }, /--patch-targets \(PATCH_TARGETS\): must be one of tagged, all/],
    [{ patchDocument: "a b" }, /--patch-document \(PATCH_DOCUMENT\): must be an SSM document/],
    [{ patchDocument: "x" }, /--patch-document \(PATCH_DOCUMENT\)/],
  ])("reject %o naming the flag and the env var", (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(message);
  });
});

describe("remediation settings", () => {
  it("default to off with no SSH addresses", () => {
    expect(parseConfig({})).toMatchObject({ remediation: "off", allowedSshCidrs: [] });
  });

  it("read REMEDIATION and ALLOWED_SSH_CIDRS, the CIDRs in canonical form", () => {
    const config = configFromEnv({
      REMEDIATION: "enforce",
      ALLOWED_SSH_CIDRS: "203.0.113.7, 2001:DB8:0::/48",
    });
    expect(config).toMatchObject({
      remediation: "enforce",
      allowedSshCidrs: ["203.0.113.7/32", "2001:db8::/48"],
    });
  });

  it("name the flag, the env var and the bad value", () => {
    expect(() => parseConfig({ remediation: "fix" })).toThrow(
      'Invalid --remediation (REMEDIATION): must be one of off, dry-run, enforce, got "fix"',
    );
    expect(() => parseConfig({ allowedSshCidrs: "203.0.113.7,::/0" })).toThrow(
      'Invalid --allowed-ssh-cidrs (ALLOWED_SSH_CIDRS): "::/0" is not a restriction: it is the whole IPv6 internet',
    );
    expect(() => parseConfig({ allowedSshCidrs: "203.0.113.300" })).toThrow(
      /--allowed-ssh-cidrs \(ALLOWED_SSH_CIDRS\): "203\.0\.113\.300" is not an IPv4 or IPv6 CIDR block/,
    );
  });

  it("are checked as deploy parameters with the same rules (empty is valid)", () => {
    expect(settingError("remediation", "off")).toBeUndefined();
    expect(settingError("allowedSshCidrs", "")).toBeUndefined();
    expect(settingError("allowedSshCidrs", "10.0.0.0/7")).toMatch(/is not a restriction/);
  });
});

describe("configFromEnv", () => {
  it("reads REGIONS, ROOT_USAGE_DAYS, CHECKS and the patching variables", () => {
    const config = configFromEnv({
      REGIONS: "eu-west-2",
      ROOT_USAGE_DAYS: "7",
      CHECKS: "lightsail-lb-https-enabled",
      PATCHING: "enforce",
      PATCH_TARGETS: "all",
      PATCH_DOCUMENT: "lightsail-auditor-dev-enforce-patching",
    });
    expect(config).toMatchObject({
      regions: ["eu-west-2"],
      rootUsageDays: 7,
      checks: ["lightsail-lb-https-enabled"],
      patching: "enforce",
      patchTargets: "all",
      patchDocument: "lightsail-auditor-dev-enforce-patching",
    });
  });
});

describe("report settings", () => {
  it("have no bucket by default and read REPORT_BUCKET", () => {
    expect(parseConfig({}).reportBucket).toBeUndefined();
    expect(
      configFromEnv({ REPORT_BUCKET: "lightsail-auditor-prod-reportbucket-1a2b3c" }),
    ).toMatchObject({
      reportBucket: "lightsail-auditor-prod-reportbucket-1a2b3c",
    });
  });

  it.each([
    "My-Bucket",
    "ab",
    "a..b",
    "192.168.1.1",
    "-bucket",
    "bucket-",
    `b${"x".repeat(63)}`,
    "s3://bucket",
  ])("reject the bucket name %s naming the flag and the env var", (bucket) => {
    expect(() => parseConfig({ reportBucket: bucket })).toThrow(
      `Invalid --report-bucket (REPORT_BUCKET): must be an S3 bucket name, got "${bucket}"`,
    );
  });

  it("read the report link's URL, secret and lifetime (7 days by default, 0 to 90; 0: no link)", () => {
    const secret =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:ReportLinkKey-AbCdEf012345-x1y2z3";
    const defaults = parseConfig({});
    expect(defaults.reportLinkUrl).toBeUndefined();
    expect(defaults.reportLinkSecret).toBeUndefined();
    expect(defaults.reportLinkDays).toBe(7);
    expect(
      configFromEnv({
        REPORT_LINK_URL: "https://abc.lambda-url.us-east-1.on.aws/",
        REPORT_LINK_SECRET: secret,
        REPORT_LINK_DAYS: "30",
      }),
    ).toMatchObject({
      reportLinkUrl: "https://abc.lambda-url.us-east-1.on.aws/",
      reportLinkSecret: secret,
      reportLinkDays: 30,
    });
    expect(() => parseConfig({ reportLinkUrl: "http://abc.example/" })).toThrow(
      'Invalid --report-link-url (REPORT_LINK_URL): must be an https:// URL, got "http://abc.example/"',
    );
    expect(() => parseConfig({ reportLinkSecret: "ReportLinkKey" })).toThrow(
      "Invalid --report-link-secret (REPORT_LINK_SECRET): must be a Secrets Manager secret ARN",
    );
    expect(() => parseConfig({ reportLinkDays: "91" })).toThrow(
      'Invalid --report-link-days (REPORT_LINK_DAYS): must be a whole number of days from 0 to 90, got "91"',
    );
  });

  it("check the retention deploy parameter: a whole number of days from 1 to 3650", () => {
    expect(STACK_PARAMS.reportRetentionDays("90")).toBeUndefined();
    expect(STACK_PARAMS.reportRetentionDays("3650")).toBeUndefined();
    for (const bad of ["0", "-1", "1.5", "abc", "0x10", "", "3651"]) {
      expect(STACK_PARAMS.reportRetentionDays(bad), bad).toBe(
        `must be a whole number of days from 1 to 3650, got "${bad}"`,
      );
    }
  });
});

describe("the WordPress settings", () => {
  it("default to on, the prod document, 2 days and the real wordpress.org", () => {
    const c = parseConfig({});

    expect([c.wordpressInventory, c.wordpressOrg, c.wordpressDocument]).toEqual([
      "on",
      "on",
      "lightsail-auditor-prod-wordpress-inventory",
    ]);
    expect(c.wordpressInventoryMaxAge).toBe(172_800);
    expect(c.wordpressOrgUrl).toBe("https://api.wordpress.org");
  });

  it("take wordpress.org's URL only as the real one or a loopback test server", () => {
    expect(parseConfig({ wordpressOrgUrl: "http://127.0.0.1:8080/" }).wordpressOrgUrl).toBe(
      "http://127.0.0.1:8080",
    );
    for (const bad of [
      "https://evil.example",
      "http://localhost:80",
      "http://127.0.0.1.example:1",
    ]) {
      expect(() => parseConfig({ wordpressOrgUrl: bad })).toThrow(
        /--wordpress-org-url \(WORDPRESS_ORG_URL\): must be https:\/\/api\.wordpress\.org or a loopback/,
      );
    }
  });

  it("refuse values other than on and off, and a staleness limit under a minute", () => {
    expect(() => parseConfig({ wordpressInventory: "yes" })).toThrow(/WORDPRESS_INVENTORY/);
    expect(() => parseConfig({ wordpressOrg: "false" })).toThrow(/WORDPRESS_ORG\)/);
    expect(() => parseConfig({ wordpressInventoryMaxAge: "59" })).toThrow(
      /WORDPRESS_INVENTORY_MAX_AGE/,
    );
  });
});
