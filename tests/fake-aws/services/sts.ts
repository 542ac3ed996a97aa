/**
 * STS (awsQuery). GetCallerIdentity answers the caller: the account's configured one, or the
 * assumed-role session the request's access key belongs to.
 *
 * AssumeRole (botocore sts 2011-06-15: RoleArn and RoleSessionName required, the session name 2
 * to 64 of `[\w+=,.@-]`, DurationSeconds 900 to 43200) hands out a session acting in the role's
 * account when that account is served and has the role (`FakeAccount.roles`). Otherwise, as AWS
 * does for a missing role and for a role whose trust policy does not name the caller alike:
 * AccessDenied, HTTP 403, "User: <caller> is not authorized to perform: sts:AssumeRole on
 * resource: <role>". A SUSPENDED account of the organization refuses it the same way.
 */
import { randomBytes } from "node:crypto";
import { AwsError } from "../protocol";
import type { QueryService } from "../state";

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

const token = (bytes: number) => randomBytes(bytes).toString("base64url");
/** An access key id like AWS's temporary ones: ASIA and 16 upper-case letters or digits. */
const accessKeyId = () =>
  `ASIA${Array.from(randomBytes(16), (b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[b % 32]).join("")}`;

export const sts: QueryService = {
  protocol: "query",
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  operations: {
    GetCallerIdentity: (_params, { state, caller }) => ({
      Arn: caller.Arn,
      UserId: caller.UserId,
      Account: state.account.accountId,
    }),
    AssumeRole: (params, { state, world, caller }) => {
      const roleArn = params.RoleArn ?? "";
      const sessionName = params.RoleSessionName ?? "";
      const match = ROLE_ARN.exec(roleArn);
      if (!match) {
        throw new AwsError("ValidationError", `${roleArn} is invalid`);
      }
      if (!SESSION_NAME.test(sessionName)) {
        throw new AwsError(
          "ValidationError",
          "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint",
        );
      }
      const duration = Number(params.DurationSeconds ?? 3600);
      const [, accountId = "", roleName = ""] = match;
      const target = world.states.get(accountId);
      const orgAccount = world.organization?.accounts.find((a) => a.Id === accountId);
      if (!target?.account.roles?.includes(roleName) || orgAccount?.Status === "SUSPENDED") {
        throw new AwsError(
          "AccessDenied",
          `User: ${caller.Arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          403,
        );
      }
      const roleId = `AROA${accessKeyId().slice(4)}`;
      const session = {
        accountId,
        Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
        UserId: `${roleId}:${sessionName}`,
      };
      const key = accessKeyId();
      world.sessions.set(key, session);
      return {
        Credentials: {
          AccessKeyId: key,
          SecretAccessKey: token(30),
          SessionToken: token(48),
          Expiration: new Date(state.now().getTime() + duration * 1000)
            .toISOString()
            .replace(/\.\d{3}Z$/, "Z"),
        },
        AssumedRoleUser: { AssumedRoleId: session.UserId, Arn: session.Arn },
      };
    },
  },
};
