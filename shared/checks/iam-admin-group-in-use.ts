/**
 * One account-wide result: PASS when at least one IAM group with the AWS managed
 * AdministratorAccess policy (`arn:<partition>:iam::aws:policy/AdministratorAccess`, matched by
 * the collector) has a member, so the owner has an everyday admin login other than root. FAIL
 * when there is no such group, or every such group is empty. ERROR when the groups could not be
 * listed. Admin rights granted some other way (a user's own policy, a custom policy) do not count:
 * the hardening guide asks for the group, which is what keeps admins easy to see and to revoke.
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
  cis: ["CIS AWS Foundations v3.0.0 1.7"],
  risk:
    "Without an IAM user in an administrators group, the only way to manage the account is the root user, whose password or keys can do anything and cannot be limited. " +
    "Daily work as root multiplies the chances that those credentials are phished or leaked.",
  remediation: {
    summary:
      "Create an IAM group named Administrators with the AdministratorAccess policy, create an admin IAM user with a console password and MFA, add it to the group, and use it instead of root.",
    steps: [
      "Sign in to the AWS console and open IAM > User groups > Create group.",
      "Name the group Administrators, attach the AWS managed policy AdministratorAccess and create the group.",
      "Open IAM > Users > Create user: give it a name, tick Provide user access to the AWS Management Console, set a strong password, and add it to the Administrators group.",
      "Sign in as the new user (with the account's sign-in URL from the IAM dashboard), open Security credentials and assign an MFA device.",
      "From now on use this user for Lightsail and WordPress work; keep the root user for the few tasks only root can do.",
    ],
    cli:
      "aws iam create-group --group-name Administrators && " +
      "aws iam attach-group-policy --group-name Administrators --policy-arn arn:aws:iam::aws:policy/AdministratorAccess && " +
      "aws iam create-user --user-name <admin-user-name> && " +
      "aws iam create-login-profile --user-name <admin-user-name> --password '<strong-password>' --password-reset-required && " +
      "aws iam add-user-to-group --group-name Administrators --user-name <admin-user-name>   # then sign in as that user and assign it an MFA device",
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
