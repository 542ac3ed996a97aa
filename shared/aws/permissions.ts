/**
 * The IAM actions each Lambda function needs: the union of what the adapters it calls declare.
 * The stack must grant each function's role exactly these (tests/integration/stack.test.ts).
 */
import { CHANGE_KEY_PREFIX, CHANGE_WRITE_ACTIONS } from "./change-store";
import { IAM_GROUP_READ_ACTIONS, IAM_READ_ACTIONS } from "./iam";
import {
  LIGHTSAIL_FIX_INSTANCE_ACTIONS,
  LIGHTSAIL_FIX_LOAD_BALANCER_ACTIONS,
  LIGHTSAIL_FIX_READ_ACTIONS,
  LIGHTSAIL_READ_ACTIONS,
} from "./lightsail";
import { ORGANIZATIONS_READ_ACTIONS } from "./organizations";
import { RATE_LIMIT_ACTIONS, RATE_LIMIT_KEY_PREFIX } from "./rate-limit";
import { LINK_KEY_ACTIONS, REPORT_HTML_READ_ACTIONS } from "./report-link";
import { REPORT_STORE_ACTIONS, REPORT_TREND_ACTIONS } from "./report-store";
import { RUN_READ_ACTIONS, RUN_WRITE_ACTIONS } from "./run-store";
import { SECURITY_HUB_ACTIONS } from "./security-hub";
import { SNS_PUBLISH_ACTIONS, SNS_TOPIC_KEY_ACTIONS } from "./sns";
import { SSM_COMMAND_ACTIONS, SSM_READ_ACTIONS } from "./ssm";
import { FINDING_KEY_PREFIX, LAYOUT_MARKER, STATE_TABLE_ACTIONS } from "./state-store";
import { ASSUME_ROLE_ACTIONS } from "./sts";

/**
 * What applying fixes adds (REMEDIATION=enforce): the stack grants these in a separate policy that
 * exists only when the `remediation` deploy parameter is enforce, so by default the audit
 * function cannot change anything.
 */
export const REMEDIATION_ACTIONS: readonly string[] = [
  ...LIGHTSAIL_FIX_READ_ACTIONS,
  ...LIGHTSAIL_FIX_INSTANCE_ACTIONS,
  ...LIGHTSAIL_FIX_LOAD_BALANCER_ACTIONS,
  ...CHANGE_WRITE_ACTIONS,
];

/**
 * What the Security Hub import adds (SECURITY_HUB=on), granted in a policy that exists only when
 * the `securityHub` deploy parameter is on, on the account's default product only. In organization
 * mode the member role needs the same actions on its own account's default product when on (each
 * account imports its own findings): the member-role template should grant exactly these.
 */
export const SECURITY_HUB_IMPORT_ACTIONS: readonly string[] = [...SECURITY_HUB_ACTIONS];

/**
 * Not a call of ours: Lambda sends a failed asynchronous invocation's record to the function's
 * on-failure destination (an SQS queue) with the function's execution role.
 */
export const FAILED_INVOCATION_ACTIONS = ["sqs:SendMessage"] as const;

export const FUNCTION_ACTIONS: Record<string, readonly string[]> = {
  rootActivity: [
    ...SNS_PUBLISH_ACTIONS,
    ...SNS_TOPIC_KEY_ACTIONS,
    ...RATE_LIMIT_ACTIONS,
    ...FAILED_INVOCATION_ACTIONS,
  ],
  /** Invoked through its URL (synchronously): no failed-invocation destination. */
  reportLink: [...LINK_KEY_ACTIONS, ...REPORT_HTML_READ_ACTIONS],
  audit: [
    ...FAILED_INVOCATION_ACTIONS,
    ...SNS_TOPIC_KEY_ACTIONS,
    ...IAM_READ_ACTIONS,
    ...IAM_GROUP_READ_ACTIONS,
    ...LIGHTSAIL_READ_ACTIONS,
    ...SSM_READ_ACTIONS,
    ...SSM_COMMAND_ACTIONS,
    ...SNS_PUBLISH_ACTIONS,
    ...STATE_TABLE_ACTIONS,
    ...REPORT_STORE_ACTIONS,
    ...REPORT_TREND_ACTIONS,
    ...LINK_KEY_ACTIONS,
    ...REMEDIATION_ACTIONS,
    ...SECURITY_HUB_IMPORT_ACTIONS,
    // Organization mode only (AuditOrganizationPolicy): the member role, by name.
    ...ASSUME_ROLE_ACTIONS,
  ],
  // Organization mode only: lists the accounts, then builds the report and the digest.
  organization: [
    ...ORGANIZATIONS_READ_ACTIONS,
    ...RUN_READ_ACTIONS,
    ...RUN_WRITE_ACTIONS,
    ...SNS_PUBLISH_ACTIONS,
    ...SNS_TOPIC_KEY_ACTIONS,
  ],
};

/**
 * What the member role (member-role.yml, in every audited account) grants: the audit's reads of
 * the account itself. The template is generated from these (scripts/member-role.ts) and a test
 * checks they are exactly the audit function's IAM, Lightsail and SSM reads.
 */
export const MEMBER_READ_ACTIONS: readonly string[] = [
  ...IAM_READ_ACTIONS,
  ...IAM_GROUP_READ_ACTIONS,
  ...LIGHTSAIL_READ_ACTIONS,
  ...SSM_READ_ACTIONS,
];
/** The member role's fixes, only when its `allowFixes` parameter is true (no change records: those stay in the auditor's table). */
export const MEMBER_FIX_ACTIONS: readonly string[] = [
  ...LIGHTSAIL_FIX_READ_ACTIONS,
  ...LIGHTSAIL_FIX_INSTANCE_ACTIONS,
  ...LIGHTSAIL_FIX_LOAD_BALANCER_ACTIONS,
];
/** The member role's patching, only when its `allowPatching` parameter is true. */
export const MEMBER_PATCHING_ACTIONS: readonly string[] = [...SSM_COMMAND_ACTIONS];

/**
 * The only actions a policy may grant on `Resource: "*"`, each with why. Every one has no resource
 * type in the Service Authorization Reference, as read from cfn-lint's copy of it
 * (cfnlint/data/AdditionalSpecs/Policies.json, cfn-lint 1.51.0: the action's entry has no
 * "Resources"); tests/integration/stack.test.ts checks that against the installed cfn-lint.
 * An action with a resource type is scoped to its resources instead, and a test fails when a
 * statement on "*" grants anything not listed here.
 */
export const RESOURCELESS_ACTIONS: Readonly<Record<string, string>> = {
  "iam:GenerateCredentialReport": "the account's credential report (root and MFA checks)",
  "iam:GetCredentialReport": "reads that report",
  "iam:GetAccountSummary": "root access keys and MFA (account-wide counters)",
  "iam:ListVirtualMFADevices": "whose MFA device is virtual (root MFA check)",
  "iam:ListGroups": "lists groups to find the administrators' ones",
  "lightsail:GetInstances": "lists every instance of a region (Lightsail has no per-ARN list)",
  "lightsail:GetLoadBalancers": "lists every load balancer of a region",
  "lightsail:GetLoadBalancerTlsCertificates": "a load balancer's certificates",
  "lightsail:GetLoadBalancerTlsPolicies": "the TLS policies Lightsail offers",
  "lightsail:GetDistributions": "lists every distribution",
  "lightsail:GetCertificates": "lists every certificate",
  "lightsail:GetInstance": "re-reads one instance right before a fix changes it",
  "lightsail:GetStaticIps": "lists every static IP of a region (unattended ones cost money)",
  "lightsail:GetRelationalDatabases": "lists every managed database of a region",
  "lightsail:GetBuckets": "lists every bucket of a region with its access rules",
  "lightsail:GetBucketAccessKeys": "a bucket's access keys: ids, status and age, never the secret",
  "lightsail:GetDomains": "lists every Lightsail DNS zone and its records (dangling records)",
  "ssm:DescribeInstanceInformation": "lists the managed nodes of a region",
  "ssm:ListCommandInvocations": "the patching and inventory documents' past runs",
  "ssm:GetCommandInvocation":
    "the result of a patching run just sent, and an inventory's whole output (24,000 characters)",
  "organizations:DescribeOrganization": "organization mode: the organization's id",
  "organizations:ListAccounts": "organization mode: every account and its status",
  "organizations:ListRoots": "organization mode: the root, to walk the OUs from",
};

/**
 * The state table's partition keys each grant may touch (`dynamodb:LeadingKeys`, with
 * ForAllValues:StringLike: for BatchWriteItem every item's key must match). One table, several
 * writers, separate rows: the root alert cannot overwrite a finding or an undo record, and the
 * audit cannot touch the undo records unless remediation is enforce (and then only add them).
 */
export const LEADING_KEYS = {
  /** GetItem and BatchWriteItem: findings (both layouts; the migration deletes old ones) and the marker. */
  audit: [`${FINDING_KEY_PREFIX}*`, LAYOUT_MARKER],
  /** PutItem of the fixes' change records (remediation enforce only). */
  remediation: [`${CHANGE_KEY_PREFIX}*`],
  /** PutItem and UpdateItem of the root alert's rate limit. */
  rootActivity: [`${RATE_LIMIT_KEY_PREFIX}*`],
} as const;

/**
 * Why each statement exists, by its Sid (every statement of the functions' roles has one): the
 * "why" column of docs/iam-policy.md, generated from the packaged template by
 * scripts/iam-policy-doc.ts.
 */
export const STATEMENT_REASONS: Readonly<Record<string, string>> = {
  OwnLogGroup: "its own log lines",
  ReadWithoutResourceTypes:
    "the audit's reads; none of these actions has a resource type (RESOURCELESS_ACTIONS)",
  ReadIamGroups: "the administrators' groups: their policies and members",
  ReadNodeTags: "which Lightsail instance each hybrid node is (its lightsail:instance tag)",
  RunOurDocument: "patching and the WordPress inventory: the stack's own two documents, no other",
  RunOnLightsailNodes:
    "patching and the WordPress inventory: only this region's hybrid nodes that carry the lightsail:instance tag, no EC2 instance",
  ReadCommandResults: "the result of a patching or inventory run (no resource type)",
  PublishAlerts: "the alert, to the stack's topic only",
  UseTopicKey: "publishing to the encrypted topic uses its key",
  OwnFindingItems:
    "finding state and the layout marker only; not the undo records or the root alert's items",
  ScanForMigration:
    "the one-time move from the old layout (a read; LeadingKeys cannot narrow a Scan)",
  QueryOpenFindings: "one account's open findings, from the sparse index",
  FailedInvocations: "Lambda sends a failed asynchronous invocation here with the role",
  WriteReports: "writes reports under reports/ (no delete)",
  ListRunSummaries: "the HTML report's trend: lists the runs' summaries (s3:prefix condition)",
  ReadRunSummaries: "the HTML report's trend: reads the runs' summaries, never a whole report",
  SignReportLinks: "signs the email's link to the HTML report with the stack's key (one secret)",
  ReadReportLinkKey: "checks a report link's signature with the stack's key (one secret)",
  ReadHtmlReports: "serves a run's HTML report to a valid link (reports/*.html only)",
  RereadInstance: "re-reads an instance right before a fix (no resource type)",
  ChangeFirewallRules: "the SSH fix: one firewall rule at a time, never PutInstancePublicPorts",
  ChangeLoadBalancerAttributes:
    "the HTTPS-redirect fix; IAM cannot narrow the attribute, the adapter refuses any but FIXABLE_LOAD_BALANCER_ATTRIBUTES",
  NeverOptedOutInstances:
    "an instance tagged auto-remediate=false is never changed, whatever the code plans",
  NeverOptedOutLoadBalancers:
    "a load balancer tagged auto-remediate=false is never changed, whatever the code plans",
  RecordChanges: "the undo record of every fix, written before the fix; change# items only",
  OwnRateLimitItems: "the 15-minute limit between root alerts; ratelimit# items only",
  ImportFindings:
    "securityHub on: the findings, into this account's Security Hub through its default product only",
  // Organization mode only (the `accounts` deploy parameter is not `self`):
  AssumeMemberRole:
    "organization mode: the member role, by name, in the organization's accounts only (aws:ResourceOrgID when organizationId is given)",
  ReadOrganization: "organization mode: the organization and its accounts (no resource type)",
  ReadOrganizationUnits: "organization mode: the OU tree, on roots and OUs only",
  ReadRunObjects: "organization mode: the run's objects under reports/organization-runs/",
  ListRunObjects: "organization mode: lists the run's entries, under that prefix only",
  WriteRunObjects: "organization mode: the run's account list and organization report",
};

/** Why each statement of the member role (member-role.yml) exists, by its Sid. */
export const MEMBER_STATEMENT_REASONS: Readonly<Record<string, string>> = {
  ReadWithoutResourceTypes: "the audit's reads; none of these actions has a resource type",
  ReadIamGroups: "the administrators' groups: their policies and members",
  ReadNodeTags: "which Lightsail instance each hybrid node is (its lightsail:instance tag)",
  RereadInstance: "fixes: re-reads an instance right before a fix (no resource type)",
  ChangeFirewallRules: "fixes: one firewall rule at a time, never PutInstancePublicPorts",
  ChangeLoadBalancerAttributes: "fixes: the HTTPS-redirect fix",
  NeverOptedOutInstances: "fixes: an instance tagged auto-remediate=false is never changed",
  NeverOptedOutLoadBalancers: "fixes: a load balancer tagged auto-remediate=false is never changed",
  RunOurDocument: "patching: the patching document, by name, no other",
  RunOnLightsailNodes: "patching: hybrid nodes carrying the lightsail:instance tag only",
  ReadCommandResults: "patching: the result of a run (no resource type)",
  ImportFindings:
    "securityHub on: this account's findings, into its own Security Hub through its default product only",
};
