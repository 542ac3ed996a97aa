import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { CallerIdentity } from "../collect/reader";
import type { StaticCredentials } from "./clients";

/** GetCallerIdentity needs no permission; listed for completeness of the declared set. */
export const STS_ACTIONS = [] as const;

/** Organization mode: the audit assumes the member role in each account it audits. */
export const ASSUME_ROLE_ACTIONS = ["sts:AssumeRole"] as const;

export async function getCallerIdentity(client: STSClient): Promise<CallerIdentity> {
  const r = await client.send(new GetCallerIdentityCommand({}));
  const arn = r.Arn ?? "";
  return { accountId: r.Account ?? "", arn, partition: arn.split(":")[1] || "aws" };
}

/**
 * Role session names: 2 to 64 of `[\w+=,.@-]` (botocore sts 2011-06-15, roleSessionNameType).
 * CloudTrail in the member account shows it, so it says who is calling.
 */
export const ROLE_SESSION_NAME = "lightsail-auditor";

/**
 * Credentials of `roleArn` for one hour (DurationSeconds 3600: the default, and within the
 * 1-hour maximum of role chaining, which a Lambda's own role session makes this). Throws the SDK's
 * error unchanged (AccessDenied for a missing role and for one that does not trust us alike).
 */
export async function assumeRole(
  client: STSClient,
  roleArn: string,
  sessionName = ROLE_SESSION_NAME,
): Promise<StaticCredentials> {
  const r = await client.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: sessionName,
      DurationSeconds: 3600,
    }),
  );
  const c = r.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new Error("AssumeRole returned no credentials");
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
}
