/**
 * One account-wide result: PASS when at least one IAM group with the AWS managed
 * AdministratorAccess policy (`arn:<partition>:iam::aws:policy/AdministratorAccess`, matched by
 * the collector) has a member, so the owner has an everyday admin login other than root. FAIL
 * when there is no such group, or every such group is empty. ERROR when the groups could not be
 * listed. Admin rights granted some other way (a user's own policy, a custom policy) do not count:
 * the hardening guide asks for the group, which is what keeps admins easy to see and to revoke.
 *
 * No CIS citation, on purpose. CIS AWS Foundations 1.7 ("eliminate use of the root user for
 * administrative and daily tasks") is tested by iam-root-not-recently-used from the root user's
 * last-used dates; this check only looks for the hardening guide's admin group. And CIS 1.16
 * ("ensure IAM policies that allow full *:* administrative privileges are not attached") would
 * flag the very group the guide recommends. The item titles are quoted from memory of v3.0.0: no
 * copy of the benchmark was at hand, so their exact wording is unverified.
 */
import { defineCheck, type IamAdminGroup, type Outcome } from "../model";
import { accountRef, failureDetail, joinList } from "./lib/resources";

/** Names at most this many members of a group in a message. */
const NAMED_MEMBERS = 5;

function describeGroup(group: IamAdminGroup): string {
  const n = group.userNames.length;
  const names = group.userNames.slice(0, NAMED_MEMBERS).map((u) => `"${u}"`);
  const more = n > NAMED_MEMBERS ? ` and ${n - NAMED_MEMBERS} more` : "";
  return `"${group.name}" (${n === 1 ? "1 member" : `${n} members`}: ${names.join(", ")}${more})`;
}

export default defineCheck({
  id: "iam-admin-group-in-use",
  title: "An IAM administrators group is in use",
  severity: "high",
  risk:
    "Without an IAM user in an administrators group, the only way to manage the account is the root user, whose password or keys can do anything and cannot be limited. " +
    "Daily work as root multiplies the chances that those credentials are phished or leaked.",
  remediation: {
    summary:
      "Create an IAM administrators group, add an IAM user with a console password and MFA to it, and use that user instead of root for everyday work.",
    steps: [
      "What to attach to the group: the hardening guide attaches the AWS managed AdministratorAccess policy (full rights, the simplest way off root), and this check looks for exactly that. " +
        'The CIS AWS Foundations Benchmark (recommendation 1.16) advises against attaching policies that allow full "*:*" administrative privileges to users, groups or roles, and a CIS scan will report this group. ' +
        "If you follow CIS, give the group only the permissions your work needs instead, and suppress this check.",
      "Sign in to the AWS console and open IAM > User groups > Create group; name it Administrators and attach the policy you chose.",
      "Open IAM > Users > Create user: give it a name, tick Provide user access to the AWS Management Console, set a strong password, and add it to the Administrators group.",
      "Sign in as the new user (with the account's sign-in URL from the IAM dashboard), open Security credentials and assign an MFA device.",
      "From now on use this user for Lightsail and WordPress work; keep the root user for the few tasks only root can do.",
    ],
    cli:
      "aws iam create-group --group-name Administrators && " +
      "aws iam attach-group-policy --group-name Administrators --policy-arn arn:aws:iam::aws:policy/AdministratorAccess && " +
      "aws iam create-user --user-name <admin-user-name> && " +
      "aws iam create-login-profile --user-name <admin-user-name> --password '<strong-password>' --password-reset-required && " +
      "aws iam add-user-to-group --group-name Administrators --user-name <admin-user-name>   # the hardening guide's full-admin group (CIS 1.16 advises against full-admin policies: see the steps); then sign in as that user and assign it an MFA device",
    console: "IAM > User groups > Create group, then IAM > Users > Create user",
  },
  reads: ["adminGroups"],
  evaluate(snapshot): Outcome[] {
    const resource = accountRef(snapshot);
    const groups = snapshot.iam.adminGroups;
    if (groups === null) {
      const detail = failureDetail(snapshot, { source: "iam", operation: "Group" });
      return [
        {
          status: "ERROR",
          resource,
          message: `The IAM groups and their policies could not be read${detail}, so whether an administrators group is in use is unknown.`,
        },
      ];
    }
    const used = groups.filter((g) => g.userNames.length > 0);
    if (used.length > 0) {
      return [
        {
          status: "PASS",
          resource,
          message: `IAM ${used.length === 1 ? "group" : "groups"} ${joinList(used.map(describeGroup))} ${used.length === 1 ? "has" : "have"} the AdministratorAccess policy, so admin work can be done without the root user.`,
        },
      ];
    }
    if (groups.length === 0) {
      return [
        {
          status: "FAIL",
          resource,
          message:
            "No IAM group has the AWS managed AdministratorAccess policy attached, so there is no administrators group: everyday admin work falls back on the root user.",
        },
      ];
    }
    const names = joinList(groups.map((g) => `"${g.name}"`));
    return [
      {
        status: "FAIL",
        resource,
        message: `IAM ${groups.length === 1 ? "group" : "groups"} ${names} ${groups.length === 1 ? "has" : "have"} the AdministratorAccess policy but no members, so no IAM user can do admin work and the root user is left for it. Add an admin IAM user (with a console password and MFA) to it.`,
      },
    ];
  },
});
