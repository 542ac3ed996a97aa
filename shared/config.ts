/**
 * The audit's configuration: one schema, read from the Lambda environment or from CLI flags, and
 * validated once at the edge. Every setting is listed here and in the table of docs/cli.md.
 */
import * as z from "zod";
import { AWS_IP_RANGES_URL } from "./aws/ip-ranges";
import { LIGHTSAIL_REGIONS } from "./aws/regions";
import { CHECK_IDS } from "./checks/index";
import { ConfigError } from "./errors";
import { PATCH_TARGETS, PATCHING_MODES, REMEDIATION_MODES, SEVERITY_ORDER } from "./model";
import { parseAllowedCidrs } from "./remediation/cidr";

/** Each setting's environment variable (Lambda) and flag (CLI), so errors can name both. */
export const CONFIG_KEYS = {
  regions: { env: "REGIONS", flag: "--regions", param: "regions" },
  rootUsageDays: { env: "ROOT_USAGE_DAYS", flag: "--root-usage-days", param: "rootUsageDays" },
  checks: { env: "CHECKS", flag: "--only" },
  topicArn: { env: "TOPIC_ARN", flag: "--topic-arn" },
  stateTable: { env: "STATE_TABLE", flag: "--state-table" },
  reportBucket: { env: "REPORT_BUCKET", flag: "--report-bucket" },
  reportLinkUrl: { env: "REPORT_LINK_URL", flag: "--report-link-url" },
  reportLinkSecret: { env: "REPORT_LINK_SECRET", flag: "--report-link-secret" },
  reportLinkDays: { env: "REPORT_LINK_DAYS", flag: "--report-link-days", param: "reportLinkDays" },
  notifyMode: { env: "NOTIFY_MODE", flag: "--notify-mode", param: "notifyMode" },
  smsMinSeverity: { env: "SMS_MIN_SEVERITY", flag: "--sms-min-severity", param: "smsMinSeverity" },
  renotifyDays: { env: "RENOTIFY_DAYS", flag: "--renotify-days", param: "renotifyDays" },
  suppressionsFile: { env: "SUPPRESSIONS_FILE", flag: "--suppressions" },
  patching: { env: "PATCHING", flag: "--patching", param: "patching" },
  patchTargets: { env: "PATCH_TARGETS", flag: "--patch-targets", param: "patchTargets" },
  patchDocument: { env: "PATCH_DOCUMENT", flag: "--patch-document" },
  remediation: { env: "REMEDIATION", flag: "--remediation", param: "remediation" },
  wordpressInventory: {
    env: "WORDPRESS_INVENTORY",
    flag: "--wordpress-inventory",
    param: "wordpressInventory",
  },
  wordpressDocument: { env: "WORDPRESS_DOCUMENT", flag: "--wordpress-document" },
  wordpressInventoryMaxAge: {
    env: "WORDPRESS_INVENTORY_MAX_AGE",
    flag: "--wordpress-inventory-max-age",
  },
  wordpressOrg: { env: "WORDPRESS_ORG", flag: "--wordpress-org", param: "wordpressOrg" },
  /** Tests only (a loopback fake of wordpress.org): no CLI flag is wired to it. */
  wordpressOrgUrl: { env: "WORDPRESS_ORG_URL", flag: "--wordpress-org-url" },
  allowedSshCidrs: {
    env: "ALLOWED_SSH_CIDRS",
    flag: "--allowed-ssh-cidrs",
    param: "allowedSshCidrs",
  },
  ipRanges: { env: "IP_RANGES", flag: "--ip-ranges", param: "ipRanges" },
  securityHub: { env: "SECURITY_HUB", flag: "--security-hub", param: "securityHub" },
} as const satisfies Record<string, { env: string; flag: string; param?: string }>;
type Key = keyof typeof CONFIG_KEYS;

export const DEFAULTS = {
  regions: [...LIGHTSAIL_REGIONS] as string[],
  rootUsageDays: 90,
  notifyMode: "on-change",
  smsMinSeverity: "high",
  renotifyDays: 7,
  /** Dry-run: the plan is reported, nothing is sent. */
  patching: "dry-run",
  patchTargets: "tagged",
  /** The document `osls deploy --stage prod` creates (serverless.yml names it per stage). */
  patchDocument: "lightsail-auditor-prod-enforce-patching",
  /** Fixes are opt-in: off unless asked (then dry-run shows the plan, enforce applies it). */
  remediation: "off",
  /** AWS's ip-ranges.json, read once per audit for the dangling-DNS check. */
  ipRanges: "on",
  /** Import the findings into Security Hub (docs/security-hub.md): off unless asked. */
  securityHub: "off",
  /** How long the alert email's link to the HTML report works. */
  reportLinkDays: 7,
  /** The inventory only reads, so it is on unless turned off. */
  wordpressInventory: "on",
  wordpressDocument: "lightsail-auditor-prod-wordpress-inventory",
  /** Seconds: twice the default daily schedule (the stack sets twice its own schedule). */
  wordpressInventoryMaxAge: 2 * 86_400,
  wordpressOrg: "on",
  /** wordpress.org's public API; another value only for tests (a loopback fake). */
  wordpressOrgUrl: "https://api.wordpress.org",
} as const;

export const SECURITY_HUB_MODES = ["off", "on"] as const;

/** An SSM document name, or the ARN of one (which also names its region). */
const DOCUMENT_NAME = /^[A-Za-z0-9_.-]{3,128}$/;
const DOCUMENT_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:document\/[A-Za-z0-9_.-]{3,128}$/;

/**
 * A general purpose bucket name (S3 User Guide, "General purpose bucket naming rules"): 3 to 63
 * of a-z 0-9 . -, starting and ending with a letter or digit, no "..", not an IPv4 address.
 */
const isBucketName = (v: string) =>
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) &&
  !v.includes("..") &&
  !/^\d+\.\d+\.\d+\.\d+$/.test(v);

const list = (value: string) =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * The problem with the text of a whole number in [min, max], or undefined. Digits only: Number()
 * alone would also take "0x10", "1e2" and "".
 */
export function wholeNumberProblem(v: string, min: number, max: number, unit: string) {
  const n = Number(v.trim());
  if (/^\d+$/.test(v.trim()) && n >= min && n <= max) return undefined;
  return `must be a whole number of ${unit} from ${min} to ${max}, got "${v}"`;
}

/**
 * The CLI's `--timeout`: seconds until the audit stops collecting (like the Lambda's deadline).
 * Not in CONFIG_KEYS: the Lambda's own timeout plays this part there.
 */
export const CLI_TIMEOUT = { defaultSeconds: 600, min: 1, max: 86_400 } as const;

/** A whole number in [min, max], or the default when unset. */
const wholeNumber = (min: number, max: number, fallback: number, unit: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const problem = wholeNumberProblem(v, min, max, unit);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
      return Number(v.trim());
    });

/** One of `values`, or the default when unset. */
const oneOf = <T extends string>(values: readonly T[], fallback: T) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      if ((values as readonly string[]).includes(v.trim())) return v.trim() as T;
      ctx.addIssue({ code: "custom", message: `must be one of ${values.join(", ")}, got "${v}"` });
      return z.NEVER;
    });

const optionalText = (check: (v: string) => boolean, what: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      if (!check(v.trim())) {
        ctx.addIssue({ code: "custom", message: `must be ${what}, got "${v}"` });
        return z.NEVER;
      }
      return v.trim();
    });

const schema = z.object({
  regions: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "" || v.trim() === "all") return DEFAULTS.regions;
      const regions = [...new Set(list(v))];
      const unknown = regions.filter((r) => !(LIGHTSAIL_REGIONS as readonly string[]).includes(r));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `${unknown.map((r) => `"${r}"`).join(", ")} ${unknown.length > 1 ? "are not Lightsail regions" : "is not a Lightsail region"} (valid: all, ${LIGHTSAIL_REGIONS.join(", ")})`,
        });
        return z.NEVER;
      }
      return regions;
    }),
  rootUsageDays: wholeNumber(1, 3650, DEFAULTS.rootUsageDays, "days"),
  checks: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return [...CHECK_IDS];
      const ids = [...new Set(list(v))];
      const unknown = ids.filter((id) => !CHECK_IDS.includes(id));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `unknown check id ${unknown.map((id) => `"${id}"`).join(", ")} (valid: ${CHECK_IDS.join(", ")})`,
        });
        return z.NEVER;
      }
      return ids;
    }),
  topicArn: optionalText(
    (v) => /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(v),
    "an SNS topic ARN",
  ),
  stateTable: optionalText((v) => /^[\w.-]{3,255}$/.test(v), "a DynamoDB table name"),
  reportBucket: optionalText(isBucketName, "an S3 bucket name"),
  // The report-link function's URL (a Lambda function URL, https) and the secret holding the
  // link's HMAC key: the stack passes both to the audit function; without them, no link.
  reportLinkUrl: optionalText(
    (v) => URL.canParse(v) && new URL(v).protocol === "https:",
    "an https:// URL",
  ),
  reportLinkSecret: optionalText(
    (v) => /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]{1,512}$/.test(v),
    "a Secrets Manager secret ARN",
  ),
  // 0: no link. Not past the bucket's retention in practice (90 days by default): the report
  // would be gone.
  reportLinkDays: wholeNumber(0, 90, DEFAULTS.reportLinkDays, "days"),
  notifyMode: oneOf(["on-change", "always", "never"] as const, DEFAULTS.notifyMode),
  smsMinSeverity: oneOf(SEVERITY_ORDER, DEFAULTS.smsMinSeverity),
  renotifyDays: wholeNumber(1, 365, DEFAULTS.renotifyDays, "days"),
  suppressionsFile: optionalText(() => true, "a file path"),
  patching: oneOf(PATCHING_MODES, DEFAULTS.patching),
  patchTargets: oneOf(PATCH_TARGETS, DEFAULTS.patchTargets),
  patchDocument: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return DEFAULTS.patchDocument;
      const value = v.trim();
      if (DOCUMENT_NAME.test(value) || DOCUMENT_ARN.test(value)) return value;
      ctx.addIssue({
        code: "custom",
        message: `must be an SSM document name (3 to 128 of A-Z a-z 0-9 _ . -) or a document ARN, got "${v}"`,
      });
      return z.NEVER;
    }),
  remediation: oneOf(REMEDIATION_MODES, DEFAULTS.remediation),
  securityHub: oneOf(SECURITY_HUB_MODES, DEFAULTS.securityHub),
  wordpressInventory: oneOf(["on", "off"] as const, DEFAULTS.wordpressInventory),
  wordpressDocument: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return DEFAULTS.wordpressDocument;
      if (DOCUMENT_NAME.test(v.trim()) || DOCUMENT_ARN.test(v.trim())) return v.trim();
      ctx.addIssue({
        code: "custom",
        message: `must be an SSM document name (3 to 128 of A-Z a-z 0-9 _ . -) or a document ARN, got "${v}"`,
      });
      return z.NEVER;
    }),
  // From 60 s: the stack sets twice the schedule, and the shortest schedule is rate(1 minute).
  wordpressInventoryMaxAge: wholeNumber(
    60,
    31 * 86_400,
    DEFAULTS.wordpressInventoryMaxAge,
    "seconds",
  ),
  wordpressOrg: oneOf(["on", "off"] as const, DEFAULTS.wordpressOrg),
  // The real API, or a loopback fake in tests: never another host, so a setting cannot send the
  // inventory's slugs anywhere else.
  wordpressOrgUrl: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return DEFAULTS.wordpressOrgUrl;
      const value = v.trim().replace(/\/+$/, "");
      if (value === DEFAULTS.wordpressOrgUrl || /^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(value)) {
        return value;
      }
      ctx.addIssue({
        code: "custom",
        message: `must be ${DEFAULTS.wordpressOrgUrl} or a loopback test server http://127.0.0.1:<port>, got "${v}"`,
      });
      return z.NEVER;
    }),
  allowedSshCidrs: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parsed = parseAllowedCidrs(v ?? "");
      if ("cidrs" in parsed) return parsed.cidrs.map((c) => c.text);
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    }),
  /** on | off | the http(s) URL of a copy of ip-ranges.json (a mirror, for outbound-restricted networks). */
  ipRanges: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = v?.trim() || DEFAULTS.ipRanges;
      if (value === "on" || value === "off") return value;
      if (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) return value;
      ctx.addIssue({
        code: "custom",
        message: `must be on, off or the http(s) URL of a copy of ip-ranges.json, got "${v}"`,
      });
      return z.NEVER;
    }),
});

export type AuditConfig = z.output<typeof schema>;

/** Where `ipRanges` says to read AWS's address ranges from, or undefined when it is off. */
export function ipRangesUrl(config: Pick<AuditConfig, "ipRanges">): string | undefined {
  if (config.ipRanges === "off") return undefined;
  return config.ipRanges === "on" ? AWS_IP_RANGES_URL : config.ipRanges;
}
export type RawConfig = Partial<Record<Key, string | undefined>>;

/**
 * Validates raw string settings. Throws a ConfigError naming the setting (env var and flag).
 *
 * @example
 * parseConfig({ regions: "us-east-1,eu-west-2", rootUsageDays: "30", patching: "enforce" })
 */
export function parseConfig(raw: RawConfig): AuditConfig {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const key = issue?.path[0] as Key | undefined;
  const name = key ? `${CONFIG_KEYS[key].flag} (${CONFIG_KEYS[key].env})` : "configuration";
  throw new ConfigError(`Invalid ${name}: ${issue?.message ?? "invalid value"}`);
}

/**
 * The problem with one setting's value, or undefined when it is valid. Used to check deploy
 * parameters at package time (shared/stack-params.cjs) with the same rules as at cold start.
 */
export function settingError(key: Key, value: string | undefined): string | undefined {
  const r = schema.shape[key].safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}

/**
 * Deploy parameters that only the stack reads (no function does, so they have no env var and no
 * flag): each one's problem with a value, or undefined. Checked by shared/stack-params.cjs.
 */
export const STACK_PARAMS = {
  /**
   * Days the report bucket keeps reports (its lifecycle rule). Required: the value goes into the
   * template as is. Ten years at most is our bound, not S3's.
   */
  reportRetentionDays: (v: string) => wholeNumberProblem(v, 1, 3650, "days"),
  /**
   * Organization mode (docs/organization.md): `self` (one account, no state machine),
   * `organization`, or a comma-separated list of 12-digit account ids.
   */
  accounts: (v: string) =>
    v === "self" || v === "organization" || /^\d{12}(,\d{12})*$/.test(v)
      ? undefined
      : `must be self, organization or comma-separated 12-digit account ids, got "${v}"`,
  organizationalUnits: (v: string) =>
    v === "" ||
    /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})(,(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32}))*$/.test(
      v,
    )
      ? undefined
      : `must be comma-separated OU ids (ou-xxxx-xxxxxxxx), got "${v}"`,
  excludeAccounts: (v: string) =>
    v === "" || /^\d{12}(,\d{12})*$/.test(v)
      ? undefined
      : `must be comma-separated 12-digit account ids, got "${v}"`,
  /** IAM role names: 1 to 64 of [\w+=,.@-]. */
  memberRoleName: (v: string) =>
    /^[\w+=,.@-]{1,64}$/.test(v) ? undefined : `must be an IAM role name, got "${v}"`,
  /** The Map's MaxConcurrency; a distributed Map runs up to 10,000 children at a time. */
  maxConcurrency: (v: string) => wholeNumberProblem(v, 1, 10_000, "accounts"),
  /** Empty, or the organization's id (o- and 10 to 32 characters), for aws:ResourceOrgID. */
  organizationId: (v: string) =>
    v === "" || /^o-[a-z0-9]{10,32}$/.test(v)
      ? undefined
      : `must be an organization id (o-...), got "${v}"`,
} as const satisfies Record<string, (value: string) => string | undefined>;

/** The raw settings an environment holds (the Lambda's, or the CLI's before its flags). */
export function rawFromEnv(env: NodeJS.ProcessEnv = process.env): RawConfig {
  return Object.fromEntries(
    Object.entries(CONFIG_KEYS).map(([key, names]) => [key, env[names.env]]),
  ) as RawConfig;
}

/** Reads the settings from an environment (the Lambda's, by default). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return parseConfig(rawFromEnv(env));
}
