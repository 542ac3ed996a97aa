/**
 * AWS Organizations reads for account discovery (organization mode). Each listing is paged with
 * the SDK's paginators behind `guarded` (a repeated token or too many pages stops it with an
 * error). Organizations is global: its endpoint is us-east-1's in the `aws` partition.
 */
import {
  type Account,
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
} from "@aws-sdk/client-organizations";
import type { OrgAccountInfo, OrganizationSource, OrgUnitInfo } from "../org/discover";
import { createRequestHandler } from "./clients";
import { guarded } from "./pages";

/** Every call below; the orchestrator's role grants exactly these (permissions.ts). */
export const ORGANIZATIONS_READ_ACTIONS = [
  "organizations:DescribeOrganization",
  "organizations:ListAccounts",
  "organizations:ListAccountsForParent",
  "organizations:ListOrganizationalUnitsForParent",
  "organizations:ListRoots",
] as const;

const account = (a: Account): OrgAccountInfo => ({
  id: a.Id ?? "",
  name: a.Name ?? "",
  email: a.Email ?? "",
  // `Status` retires on 2026-09-09 in favour of `State` (botocore's note): read State first.
  status: a.State ?? a.Status ?? "UNKNOWN",
});

export function createOrganizationsClient(): OrganizationsClient {
  return new OrganizationsClient({ region: "us-east-1", requestHandler: createRequestHandler() });
}

export function createOrganizationSource(
  client: OrganizationsClient = createOrganizationsClient(),
): OrganizationSource {
  const all = async <P, T>(
    operation: string,
    pages: AsyncIterable<P>,
    items: (page: P) => T[],
    token: (page: P) => string | undefined,
  ): Promise<T[]> => {
    const out: T[] = [];
    for await (const page of guarded(operation, pages, token)) out.push(...items(page));
    return out;
  };
  return {
    async describeOrganization() {
      const r = await client.send(new DescribeOrganizationCommand({}));
      return {
        id: r.Organization?.Id ?? "",
        managementAccountId: r.Organization?.MasterAccountId ?? "",
      };
    },
    listAccounts: () =>
      all(
        "ListAccounts",
        paginateListAccounts({ client }, {}),
        (p) => (p.Accounts ?? []).map(account),
        (p) => p.NextToken,
      ),
    listRoots: () =>
      all(
        "ListRoots",
        paginateListRoots({ client }, {}),
        (p) => (p.Roots ?? []).map((r): OrgUnitInfo => ({ id: r.Id ?? "", name: r.Name ?? "" })),
        (p) => p.NextToken,
      ),
    listUnits: (parentId) =>
      all(
        "ListOrganizationalUnitsForParent",
        paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId }),
        (p) =>
          (p.OrganizationalUnits ?? []).map(
            (u): OrgUnitInfo => ({ id: u.Id ?? "", name: u.Name ?? "" }),
          ),
        (p) => p.NextToken,
      ),
    listAccountsIn: (parentId) =>
      all(
        "ListAccountsForParent",
        paginateListAccountsForParent({ client }, { ParentId: parentId }),
        (p) => (p.Accounts ?? []).map(account),
        (p) => p.NextToken,
      ),
  };
}
