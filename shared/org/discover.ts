/**
 * Which accounts an organization-mode run audits: every ACTIVE account of the organization
 * (optionally only those under some OUs, recursively), or an explicit list; minus the excluded.
 * Reads go through `OrganizationSource` (shared/aws/organizations.ts implements it over the SDK).
 */
import { ConfigError, describeError } from "../errors";

/** The member role's name when none is given (member-role.yml's memberRoleName default). */
export const DEFAULT_ROLE_NAME = "lightsail-auditor-member";

export interface OrgAccountInfo {
  id: string;
  name: string;
  email: string;
  /** ACTIVE, SUSPENDED or PENDING_CLOSURE (and the newer State values). */
  status: string;
}

export interface OrgUnitInfo {
  id: string;
  name: string;
}

export interface OrganizationSource {
  describeOrganization(): Promise<{ id: string; managementAccountId: string }>;
  /** Every account of the organization, all pages. */
  listAccounts(): Promise<OrgAccountInfo[]>;
  listRoots(): Promise<OrgUnitInfo[]>;
  /** The OUs directly under a root or OU, all pages. */
  listUnits(parentId: string): Promise<OrgUnitInfo[]>;
  /** The accounts directly under a root or OU, all pages. */
  listAccountsIn(parentId: string): Promise<OrgAccountInfo[]>;
}

export type AccountSelection =
  | { accounts: "organization"; organizationalUnits: string[]; excludeAccounts: string[] }
  | { accounts: "list"; ids: string[]; excludeAccounts: string[] };

/** Why an account was not audited (the organization report's `notAudited[].reason`). */
export const NOT_AUDITED_REASONS = [
  /** The account is SUSPENDED (or PENDING_CLOSURE / CLOSED): nothing can be assumed in it. */
  "suspended",
  /**
   * AssumeRole was refused: the role is missing in that account (the StackSet did not reach it)
   * or does not trust this auditor. AWS answers AccessDenied for both and cannot tell them apart.
   */
  "assume-role-denied",
  /** AssumeRole failed otherwise (throttled after retries, a network error). */
  "assume-role-failed",
  /** The run's deadline passed before the account's turn came. */
  "timed-out",
  /** The audit itself could not produce a report (see the message). */
  "audit-failed",
] as const;
export type NotAuditedReason = (typeof NOT_AUDITED_REASONS)[number];

export interface TargetAccount {
  id: string;
  name?: string;
  /** e.g. "Root/Clients/Agency A". */
  ouPath?: string;
}

export interface NotAudited extends TargetAccount {
  reason: NotAuditedReason;
  message: string;
}

export interface Discovery {
  organizationId?: string;
  targets: TargetAccount[];
  notAudited: NotAudited[];
}

const ACCOUNT_ID = /^\d{12}$/;
/** botocore organizations: OrganizationalUnitId and RootId patterns. */
const PARENT_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
/** AWS allows 1,000 OUs per organization (Organizations quotas): a walk that sees more stops. */
const MAX_UNITS = 1_000;

const items = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/**
 * Account ids from a comma-separated list, each exactly 12 digits (leading zeros kept), without
 * duplicates. Throws a ConfigError naming `what` and the bad id.
 *
 * @example
 * parseAccountIds("123456789012, 000011112222", "--accounts") // ["123456789012", "000011112222"]
 */
export function parseAccountIds(text: string, what: string): string[] {
  const ids = items(text);
  if (ids.length === 0) throw new ConfigError(`Invalid ${what}: it is empty`);
  for (const id of ids) {
    if (!ACCOUNT_ID.test(id)) {
      throw new ConfigError(
        `Invalid ${what}: ${JSON.stringify(id)} is not an AWS account id (exactly 12 digits)`,
      );
    }
  }
  return [...new Set(ids)];
}

/** OU (or root) ids from a comma-separated list; throws a ConfigError naming a malformed one. */
export function parseUnitIds(text: string, what: string): string[] {
  const ids = items(text);
  if (ids.length === 0) throw new ConfigError(`Invalid ${what}: it is empty`);
  for (const id of ids) {
    if (!PARENT_ID.test(id)) {
      throw new ConfigError(
        `Invalid ${what}: ${JSON.stringify(id)} is not an OU id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)`,
      );
    }
  }
  return [...new Set(ids)];
}

/** Every account's OU path and ancestors, walking the tree level by level from the roots. */
async function walkTree(
  source: OrganizationSource,
): Promise<Map<string, { path: string; ancestors: string[] }>> {
  const where = new Map<string, { path: string; ancestors: string[] }>();
  let level = (await source.listRoots()).map((r) => ({
    id: r.id,
    path: r.name,
    ancestors: [r.id],
  }));
  let seen = 0;
  while (level.length > 0) {
    seen += level.length;
    if (seen > MAX_UNITS + 1) {
      throw new ConfigError(`The organization has more than ${MAX_UNITS} OUs: stopped walking it`);
    }
    const next = await Promise.all(
      level.map(async (parent) => {
        const [units, accounts] = await Promise.all([
          source.listUnits(parent.id),
          source.listAccountsIn(parent.id),
        ]);
        for (const a of accounts) {
          where.set(a.id, { path: parent.path, ancestors: parent.ancestors });
        }
        return units.map((u) => ({
          id: u.id,
          path: `${parent.path}/${u.name}`,
          ancestors: [...parent.ancestors, u.id],
        }));
      }),
    );
    level = next.flat();
  }
  return where;
}

function notActive(a: OrgAccountInfo, path: string | undefined): NotAudited {
  return {
    id: a.id,
    name: a.name,
    ...(path ? { ouPath: path } : {}),
    reason: "suspended",
    message: `The account is ${a.status} in the organization: it cannot be audited`,
  };
}

/**
 * The accounts to audit, and those left out and why (not ACTIVE). Excluded accounts are left out
 * silently (they are named in the report's selection).
 *
 * @example
 * await discoverAccounts(source, { accounts: "organization", organizationalUnits: ["ou-ab12-clients0"], excludeAccounts: [] })
 */
export async function discoverAccounts(
  source: OrganizationSource | undefined,
  selection: AccountSelection,
): Promise<Discovery> {
  const excluded = new Set(selection.excludeAccounts);
  if (selection.accounts === "list") {
    return {
      targets: selection.ids.filter((id) => !excluded.has(id)).map((id) => ({ id })),
      notAudited: [],
    };
  }
  if (!source) throw new ConfigError("Organization mode needs access to AWS Organizations");
  let organizationId: string;
  try {
    organizationId = (await source.describeOrganization()).id;
  } catch (err) {
    const { errorName, message } = describeError(err);
    throw new ConfigError(
      `Cannot read the organization (${errorName}: ${message}): run from the management account or a delegated administrator, with organizations:DescribeOrganization, ListAccounts, ListRoots, ListOrganizationalUnitsForParent and ListAccountsForParent`,
      { cause: err },
    );
  }
  const [accounts, tree] = await Promise.all([source.listAccounts(), walkTree(source)]);
  const units = selection.organizationalUnits;
  if (units.length > 0) {
    const known = new Set([...tree.values()].flatMap((w) => w.ancestors));
    const unknown = units.filter((u) => !known.has(u));
    // An OU that holds no account (even under sub-OUs) is not seen by the walk either.
    if (unknown.length > 0) {
      throw new ConfigError(
        `No account of organization ${organizationId} is under ${unknown.join(", ")}: check the OU id (or it holds no account)`,
      );
    }
  }
  const targets: TargetAccount[] = [];
  const notAudited: NotAudited[] = [];
  for (const a of accounts) {
    const place = tree.get(a.id);
    if (excluded.has(a.id)) continue;
    if (units.length > 0 && !place?.ancestors.some((id) => units.includes(id))) continue;
    if (a.status !== "ACTIVE") {
      notAudited.push(notActive(a, place?.path));
      continue;
    }
    targets.push({ id: a.id, name: a.name, ...(place ? { ouPath: place.path } : {}) });
  }
  return { organizationId, targets, notAudited };
}
