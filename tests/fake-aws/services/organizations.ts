/**
 * AWS Organizations (awsJson1_1, target `AWSOrganizationsV20161128`; botocore organizations
 * 2016-11-28): DescribeOrganization, ListRoots, ListAccounts, ListAccountsForParent and
 * ListOrganizationalUnitsForParent over `FakeWorld.organization`.
 *
 * - Only the management account and delegated administrators may call them; another member gets
 *   AccessDeniedException, an account outside any organization AWSOrganizationsNotInUseException.
 * - The lists page by `MaxResults` (1 to 20, the model's bounds; 20 when unset) with an opaque
 *   `NextToken`; a token that is not one of ours is InvalidInputException. An unknown `ParentId`
 *   is ParentNotFoundException.
 * - Accounts carry `Status` and `State` (botocore says `Status` retires on 2026-09-09 for
 *   `State`): SUSPENDED accounts are listed like the others, as AWS lists them.
 */
import type { FakeOrgAccount, FakeOrganization } from "../account";
import { AwsError, paginate } from "../protocol";
import type { CallContext, JsonService } from "../state";

interface ListRequest {
  ParentId?: string;
  NextToken?: string;
  MaxResults?: number;
}

/** The organization, when the caller may read it; the errors AWS gives otherwise. */
function readable({ world, state }: CallContext): FakeOrganization {
  const org = world.organization;
  const caller = state.account.accountId;
  if (!org || !(org.managementAccountId === caller || org.accounts.some((a) => a.Id === caller))) {
    throw new AwsError(
      "AWSOrganizationsNotInUseException",
      "Your account is not a member of an organization.",
    );
  }
  if (org.managementAccountId !== caller && !org.delegatedAdministrators?.includes(caller)) {
    throw new AwsError(
      "AccessDeniedException",
      "You don't have permissions to access this resource.",
    );
  }
  return org;
}

function page<T>(items: readonly T[], input: ListRequest) {
  const size = Math.min(Math.max(input.MaxResults ?? 20, 1), 20);
  const { page: out, next } = paginate(items, input.NextToken, size, () => {
    return new AwsError("InvalidInputException", "The provided pagination token is invalid.", 400, {
      Reason: "INVALID_PAGINATION_TOKEN",
    });
  });
  return { out, next };
}

const arnBase = (org: FakeOrganization) => `arn:aws:organizations::${org.managementAccountId}`;

function wireAccount(org: FakeOrganization, a: FakeOrgAccount) {
  return {
    Id: a.Id,
    Arn: `${arnBase(org)}:account/${org.id}/${a.Id}`,
    Email: a.Email,
    Name: a.Name,
    Status: a.Status,
    State: a.Status,
    JoinedMethod: a.JoinedMethod,
    JoinedTimestamp: a.JoinedTimestamp,
  };
}

function parentOf(org: FakeOrganization, parentId: string | undefined): string {
  if (parentId === org.rootId || org.ous.some((ou) => ou.Id === parentId)) return parentId ?? "";
  throw new AwsError(
    "ParentNotFoundException",
    "We can't find a root or OU with the ParentId that you specified.",
  );
}

export const organizations: JsonService = {
  protocol: "json",
  target: "AWSOrganizationsV20161128",
  operations: {
    DescribeOrganization: (_input: Record<string, never>, ctx: CallContext) => {
      const org = readable(ctx);
      const management = org.accounts.find((a) => a.Id === org.managementAccountId);
      return {
        Organization: {
          Id: org.id,
          Arn: `${arnBase(org)}:organization/${org.id}`,
          FeatureSet: "ALL",
          MasterAccountArn: `${arnBase(org)}:account/${org.id}/${org.managementAccountId}`,
          MasterAccountId: org.managementAccountId,
          MasterAccountEmail: management?.Email ?? "",
          AvailablePolicyTypes: [],
        },
      };
    },
    ListRoots: (input: ListRequest, ctx: CallContext) => {
      const org = readable(ctx);
      const { out, next } = page(
        [
          {
            Id: org.rootId,
            Arn: `${arnBase(org)}:root/${org.id}/${org.rootId}`,
            Name: "Root",
            PolicyTypes: [],
          },
        ],
        input,
      );
      return { Roots: out, ...(next ? { NextToken: next } : {}) };
    },
    ListAccounts: (input: ListRequest, ctx: CallContext) => {
      const org = readable(ctx);
      const { out, next } = page(org.accounts, input);
      return {
        Accounts: out.map((a) => wireAccount(org, a)),
        ...(next ? { NextToken: next } : {}),
      };
    },
    ListAccountsForParent: (input: ListRequest, ctx: CallContext) => {
      const org = readable(ctx);
      const parent = parentOf(org, input.ParentId);
      const { out, next } = page(
        org.accounts.filter((a) => a.parentId === parent),
        input,
      );
      return {
        Accounts: out.map((a) => wireAccount(org, a)),
        ...(next ? { NextToken: next } : {}),
      };
    },
    ListOrganizationalUnitsForParent: (input: ListRequest, ctx: CallContext) => {
      const org = readable(ctx);
      const parent = parentOf(org, input.ParentId);
      const { out, next } = page(
        org.ous.filter((ou) => ou.parentId === parent),
        input,
      );
      return {
        OrganizationalUnits: out.map((ou) => ({
          Id: ou.Id,
          Arn: `${arnBase(org)}:ou/${org.id}/${ou.Id}`,
          Name: ou.Name,
        })),
        ...(next ? { NextToken: next } : {}),
      };
    },
  },
};
