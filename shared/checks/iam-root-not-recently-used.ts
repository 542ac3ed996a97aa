/**
 * FAIL when the MOST RECENT use of the root user (console password or either access key) is within
 * `ctx.rootUsageDays` days of `ctx.now`. Using the latest of the three dates (not the first one
 * found) is the point: an old password date must not hide a key used yesterday.
 *
 * Boundary: a use exactly `rootUsageDays` days before `now` counts as "within" and FAILs.
 * No report, or a report without the `<root_account>` row (moto has none), is an ERROR.
 */
import { defineCheck, type Outcome } from "../model";
import { failureDetail, findRootRow, formatUtc, rootRef } from "./lib/resources";

const DAY_MS = 86_400_000;

function daysAgo(ms: number): string {
  const days = Math.floor(Math.max(ms, 0) / DAY_MS);
  if (days === 0) return "less than a day before this audit";
  return days === 1 ? "1 day ago" : `${days} days ago`;
}

export default defineCheck({
  id: "iam-root-not-recently-used",
  title: "Root user has not been used recently",
  severity: "high",
  cis: ["CIS AWS Foundations v3.0.0 1.7"],
  risk:
    "The root user can do anything in the account, including closing it, and its permissions cannot be limited. " +
    "Using it for everyday work multiplies the chances that its password or keys are phished, leaked or stolen.",
  remediation: {
    summary:
      "Create an IAM admin user in an Administrators group and use it for daily work; keep the root user for the few tasks that require it.",
    steps: [
      "Sign in to the AWS console and open IAM > User groups > Create group; name it Administrators and attach the AdministratorAccess policy (the hardening guide's choice; CIS Foundations 1.16 advises against full-admin policies: see iam-admin-group-in-use for the trade-off).",
      "Open IAM > Users > Create user; give it console access and add it to the Administrators group.",
      "Sign out, sign back in with the new IAM user (use the account's sign-in URL shown on the IAM dashboard) and enable MFA for it.",
      "From now on use that IAM user for Lightsail and WordPress work; if root access keys were in use, replace them with keys of an IAM user and delete the root keys.",
    ],
    cli:
      "aws iam create-group --group-name Administrators && " +
      "aws iam attach-group-policy --group-name Administrators --policy-arn arn:aws:iam::aws:policy/AdministratorAccess && " +
      "aws iam create-user --user-name <admin-user-name> && " +
      "aws iam add-user-to-group --group-name Administrators --user-name <admin-user-name> && " +
      "aws iam create-login-profile --user-name <admin-user-name> --password '<strong-password>' --password-reset-required",
    console: "IAM > User groups and IAM > Users",
  },
  reads: ["credentialReport"],
  evaluate(snapshot, ctx): Outcome[] {
    const resource = rootRef(snapshot);
    if (!Number.isFinite(ctx.rootUsageDays) || ctx.rootUsageDays < 0) {
      throw new Error(`rootUsageDays must be a number of days >= 0, got ${ctx.rootUsageDays}`);
    }
    const now = Date.parse(ctx.now);
    if (Number.isNaN(now)) throw new Error(`ctx.now is not an ISO date: "${ctx.now}"`);

    if (snapshot.iam.credentialReport === null) {
      const detail = failureDetail(snapshot, { source: "iam", operation: "CredentialReport" });
      return [
        {
          status: "ERROR",
          resource,
          message: `The IAM credential report could not be read${detail}, so when the root user was last used is unknown.`,
        },
      ];
    }
    const root = findRootRow(snapshot);
    if (root === undefined) {
      return [
        {
          status: "ERROR",
          resource,
          message:
            "The IAM credential report has no row for the root user (<root_account>), so when the root user was last used is unknown.",
        },
      ];
    }

    const uses = [
      { credential: "the root password (console sign-in)", value: root.passwordLastUsed },
      { credential: "root access key 1", value: root.accessKey1LastUsedDate },
      { credential: "root access key 2", value: root.accessKey2LastUsedDate },
    ].flatMap((u) =>
      u.value === null ? [] : [{ ...u, value: u.value, time: Date.parse(u.value) }],
    );

    const unreadable = uses.find((u) => Number.isNaN(u.time));
    if (unreadable) {
      return [
        {
          status: "ERROR",
          resource,
          message: `The last-used date of ${unreadable.credential} in the credential report is not a date ("${unreadable.value}"), so when the root user was last used is unknown.`,
        },
      ];
    }
    const latest = uses.reduce<(typeof uses)[number] | undefined>(
      (best, u) => (best === undefined || u.time > best.time ? u : best),
      undefined,
    );
    if (latest === undefined) {
      return [
        {
          status: "PASS",
          resource,
          message:
            "The root user has no recorded use: the credential report shows no last-used date for its password or either access key.",
        },
      ];
    }

    const age = now - latest.time;
    const when = `${formatUtc(latest.time)} (${daysAgo(age)})`;
    if (age <= ctx.rootUsageDays * DAY_MS) {
      return [
        {
          status: "FAIL",
          resource,
          message: `The root user was used on ${when} through ${latest.credential}, which is within the last ${ctx.rootUsageDays} days. Use an IAM admin user for everyday work instead.`,
        },
      ];
    }
    return [
      {
        status: "PASS",
        resource,
        message: `The root user was last used on ${when} through ${latest.credential}, more than ${ctx.rootUsageDays} days ago.`,
      },
    ];
  },
});
