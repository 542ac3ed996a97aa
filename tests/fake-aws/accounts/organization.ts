/**
 * A generated AWS Organization for the organization mode's tests, demo and benchmarks: a
 * management account and N member accounts, each a small synthetic account (a few instances and
 * load balancers over two or three regions, seeded so the same options give the same
 * organization), spread over a small OU tree:
 *
 *   Root
 *   ├── Clients (ou-ab12-clients0)
 *   │   ├── Agency A (ou-ab12-agencya0)
 *   │   └── Agency B (ou-ab12-agencyb0)
 *   └── Internal (ou-ab12-internal)
 *
 * Every account has the member role, but for `withoutRole` of them (the StackSet did not reach
 * them); the last `suspended` accounts are SUSPENDED. The management account has the role too (a
 * service-managed StackSet never deploys there: the docs say to deploy it with a plain stack).
 */

import { DEFAULT_ROLE_NAME } from "../../../shared/org/discover";
import type { FakeAccount, FakeOrgAccount, FakeOrganization } from "../account";
import { seededRandom } from "../random";
import { syntheticAccount } from "./synthetic";

export interface SyntheticOrganizationOptions {
  /** Member accounts (the management account is extra). */
  accounts: number;
  /** Instances per account; random 1 to 6 when unset. */
  instances?: number;
  /** Load balancers per account; random 0 to 1 when unset. */
  loadBalancers?: number;
  /** Regions per account (2 or 3 at random when unset), from a few popular ones. */
  regions?: number;
  /** Member accounts without the member role (default: one in 50). */
  withoutRole?: number;
  /** Member accounts SUSPENDED (default 1 from 5 accounts on, else 0). */
  suspended?: number;
  roleName?: string;
  seed?: number;
  now?: Date;
}

export interface SyntheticOrganization {
  management: FakeAccount;
  members: FakeAccount[];
  organization: FakeOrganization;
  /** Ids of the members without the role, and of the suspended ones. */
  withoutRole: string[];
  suspended: string[];
}

export const MANAGEMENT_ACCOUNT_ID = "100000000001";
export const DEFAULT_MEMBER_ROLE = DEFAULT_ROLE_NAME;
const ROOT = "r-ab12";
export const ORG_UNITS = {
  clients: "ou-ab12-clients0",
  agencyA: "ou-ab12-agencya0",
  agencyB: "ou-ab12-agencyb0",
  internal: "ou-ab12-internal",
} as const;
/** Where member i goes, by turns. */
const PARENTS = [ORG_UNITS.agencyA, ORG_UNITS.agencyB, ORG_UNITS.clients, ORG_UNITS.internal];
const REGIONS = ["us-east-1", "us-west-2", "eu-west-2", "eu-central-1", "ap-southeast-2"];
const DAY_MS = 86_400_000;

/** Member i's account id: 2000 and eight digits. */
export const memberId = (i: number) => `2000${String(i).padStart(8, "0")}`;

export function syntheticOrganization(
  options: SyntheticOrganizationOptions,
): SyntheticOrganization {
  const n = options.accounts;
  const now = options.now ?? new Date();
  const roleName = options.roleName ?? DEFAULT_MEMBER_ROLE;
  const random = seededRandom(options.seed ?? 7);
  const withoutRoleCount = options.withoutRole ?? Math.floor(n / 50);
  const suspendedCount = options.suspended ?? (n >= 5 ? 1 : 0);
  // Spread the accounts without the role over the list; the suspended ones are the last.
  const noRole = new Set(
    Array.from({ length: withoutRoleCount }, (_, k) =>
      Math.floor(((k + 0.5) * n) / withoutRoleCount),
    ),
  );
  const members: FakeAccount[] = [];
  const orgAccounts: FakeOrgAccount[] = [
    {
      Id: MANAGEMENT_ACCOUNT_ID,
      Name: "management",
      Email: "aws-management@example.com",
      Status: "ACTIVE",
      JoinedMethod: "CREATED",
      JoinedTimestamp: (now.getTime() - 2000 * DAY_MS) / 1000,
      parentId: ROOT,
    },
  ];
  for (let i = 0; i < n; i++) {
    const id = memberId(i);
    const regionCount = options.regions ?? 2 + Math.floor(random() * 2);
    const first = Math.floor(random() * REGIONS.length);
    const regions = Array.from(
      { length: Math.min(regionCount, REGIONS.length) },
      (_, k) => REGIONS[(first + k) % REGIONS.length] ?? "us-east-1",
    );
    const instances = options.instances ?? 1 + Math.floor(random() * 6);
    const loadBalancers = options.loadBalancers ?? Math.floor(random() * 2);
    members.push(
      syntheticAccount({
        accountId: id,
        instances,
        loadBalancers,
        regions,
        seed: i + 1,
        now,
        roles: noRole.has(i) ? [] : [roleName],
      }),
    );
    orgAccounts.push({
      Id: id,
      Name: `client-${String(i).padStart(4, "0")}`,
      Email: `aws+client-${String(i).padStart(4, "0")}@example.com`,
      Status: i >= n - suspendedCount ? "SUSPENDED" : "ACTIVE",
      JoinedMethod: "CREATED",
      JoinedTimestamp: (now.getTime() - (100 + i) * DAY_MS) / 1000,
      parentId: PARENTS[i % PARENTS.length] ?? ROOT,
    });
  }
  const management = syntheticAccount({
    accountId: MANAGEMENT_ACCOUNT_ID,
    instances: 0,
    loadBalancers: 0,
    regions: ["us-east-1"],
    now,
    roles: [roleName],
  });
  return {
    management,
    members,
    organization: {
      id: "o-ab12cd34ef",
      rootId: ROOT,
      managementAccountId: MANAGEMENT_ACCOUNT_ID,
      ous: [
        { Id: ORG_UNITS.clients, Name: "Clients", parentId: ROOT },
        { Id: ORG_UNITS.agencyA, Name: "Agency A", parentId: ORG_UNITS.clients },
        { Id: ORG_UNITS.agencyB, Name: "Agency B", parentId: ORG_UNITS.clients },
        { Id: ORG_UNITS.internal, Name: "Internal", parentId: ROOT },
      ],
      accounts: orgAccounts,
    },
    withoutRole: [...noRole].map(memberId),
    suspended: orgAccounts.filter((a) => a.Status === "SUSPENDED").map((a) => a.Id),
  };
}
