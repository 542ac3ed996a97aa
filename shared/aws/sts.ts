import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { CallerIdentity } from "../collect/reader";

/** GetCallerIdentity needs no permission; listed for completeness of the declared set. */
export const STS_ACTIONS = [] as const;

export async function getCallerIdentity(client: STSClient): Promise<CallerIdentity> {
  const r = await client.send(new GetCallerIdentityCommand({}));
  const arn = r.Arn ?? "";
  return { accountId: r.Account ?? "", arn, partition: arn.split(":")[1] || "aws" };
}
