/**
 * Organization mode: an AccountReader acting in a member account, through its member role. All
 * members share one HTTP handler (one connection pool); each gets its own clients, signed with
 * the role's credentials.
 */
import type { STSClient } from "@aws-sdk/client-sts";
import type { AccountReader } from "../collect/reader";
import { AssumeRoleError, describeError } from "../errors";
import { createAwsClients, createRequestHandler } from "./clients";
import { createAccountReader } from "./reader";
import type { FindingImporter } from "./security-hub";
import { createSecurityHubImporter } from "./security-hub";
import { assumeRole } from "./sts";

/** The member role's ARN; `partition` from the caller's own ARN (aws, aws-cn, aws-us-gov). */
export function memberRoleArn(accountId: string, roleName: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** What the auditor may do in a member account, with one session of its member role. */
export interface MemberSession {
  reader: AccountReader;
  /** Imports into that account's own Security Hub in `region` (member role with securityHub=on). */
  securityHub(region: string): FindingImporter;
}

interface MemberOptions {
  sts: STSClient;
  roleName: string;
  partition?: string;
}

/**
 * Returns `readerFor(accountId)`: assumes the member role there, then reads with it. Throws an
 * AssumeRoleError (`denied` for AccessDenied) when the role cannot be assumed.
 */
export function createMemberReaders(
  options: MemberOptions,
): (accountId: string) => Promise<AccountReader> {
  const sessionFor = createMemberSessions(options);
  return async (accountId) => (await sessionFor(accountId)).reader;
}

/** As createMemberReaders, with the session's Security Hub importer too. */
export function createMemberSessions(
  options: MemberOptions,
): (accountId: string) => Promise<MemberSession> {
  const requestHandler = createRequestHandler();
  return async (accountId) => {
    const arn = memberRoleArn(accountId, options.roleName, options.partition);
    let credentials: Awaited<ReturnType<typeof assumeRole>>;
    try {
      credentials = await assumeRole(options.sts, arn);
    } catch (err) {
      const { errorName, message } = describeError(err);
      const denied = errorName === "AccessDenied" || errorName === "AccessDeniedException";
      throw new AssumeRoleError(
        denied
          ? `AssumeRole ${arn} was denied: the role is missing in that account (deploy the member role there) or does not trust this auditor (${errorName})`
          : `AssumeRole ${arn} failed: ${errorName}: ${message}`,
        { cause: err, denied },
      );
    }
    return {
      reader: createAccountReader({}, createAwsClients({ credentials, requestHandler })),
      securityHub: (region) => createSecurityHubImporter(region, { credentials, requestHandler }),
    };
  };
}
