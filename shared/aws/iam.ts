/**
 * IAM read adapter: the credential report (generate, then poll with backoff), the account
 * summary, root's virtual MFA devices, and the groups holding AdministratorAccess.
 */
import {
  GenerateCredentialReportCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  type IAMClient,
  paginateGetGroup,
  paginateListAttachedGroupPolicies,
  paginateListGroups,
  paginateListVirtualMFADevices,
} from "@aws-sdk/client-iam";
import type { IamAdminGroup } from "../model";
import { guarded } from "./pages";

/** The token IAM's paginators follow (the SDK reads `Marker`, not `IsTruncated`). */
const marker = (page: { Marker?: string }) => page.Marker;

/**
 * IAM actions this adapter calls that support no resource-level permissions: granted on
 * `Resource: "*"` (the stack must grant exactly these; see tests).
 */
export const IAM_READ_ACTIONS = [
  "iam:GenerateCredentialReport",
  "iam:GetCredentialReport",
  "iam:GetAccountSummary",
  "iam:ListVirtualMFADevices",
  "iam:ListGroups",
] as const;

/**
 * IAM actions this adapter calls on groups: they support the `group` resource type, so the stack
 * grants them on `arn:<partition>:iam::<account>:group/*` only (Service Authorization Reference).
 */
export const IAM_GROUP_READ_ACTIONS = ["iam:ListAttachedGroupPolicies", "iam:GetGroup"] as const;

export interface CredentialReportOptions {
  /** Give up waiting for an in-progress report after this long. */
  maxWaitMs?: number;
  /** First pause between polls; doubles up to 4 s. */
  initialDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The SDK names errors after the exception; the wire code is on `Code`. Accept both. */
function isError(err: unknown, name: string, code: string): boolean {
  const e = err as { name?: string; Code?: string };
  return e?.name === name || e?.Code === code || e?.name === code;
}
const inProgress = (e: unknown) =>
  isError(e, "CredentialReportNotReadyException", "ReportInProgress");
const needsGenerate = (e: unknown) =>
  isError(e, "CredentialReportNotPresentException", "ReportNotPresent") ||
  isError(e, "CredentialReportExpiredException", "ReportExpired");

/**
 * Returns the credential report CSV text. `Content` is a blob that the SDK already decoded from
 * base64 into bytes: decode as UTF-8, never base64 again.
 */
export async function getCredentialReportCsv(
  client: IAMClient,
  options: CredentialReportOptions = {},
): Promise<string> {
  const { maxWaitMs = 60_000, initialDelayMs = 500, sleep = sleepMs } = options;
  await client.send(new GenerateCredentialReportCommand({}));
  let waited = 0;
  let delay = initialDelayMs;
  let regenerated = false;
  // Ask at once (a report under 4 hours old is returned as is), then back off while in progress.
  for (;;) {
    try {
      const r = await client.send(new GetCredentialReportCommand({}));
      if (!r.Content)
        throw Object.assign(new Error("GetCredentialReport returned no content"), {
          name: "EmptyCredentialReport",
        });
      return new TextDecoder().decode(r.Content);
    } catch (err) {
      if (needsGenerate(err) && !regenerated) {
        regenerated = true;
        await client.send(new GenerateCredentialReportCommand({}));
        continue;
      }
      if (!inProgress(err)) throw err;
      if (waited >= maxWaitMs) {
        const message = `credential report still in progress after ${Math.round(waited / 1000)} s`;
        throw Object.assign(new Error(message, { cause: err }), {
          name: "CredentialReportTimeout",
        });
      }
      await sleep(delay);
      waited += delay;
      delay = Math.min(delay * 2, 4_000);
    }
  }
}

export async function getAccountSummary(client: IAMClient): Promise<Record<string, number>> {
  const r = await client.send(new GetAccountSummaryCommand({}));
  return { ...(r.SummaryMap ?? {}) } as Record<string, number>;
}

/**
 * Root's device has `User.Arn` ending in `:root` and, in real responses, no `UserName`; the
 * legacy serial `mfa/root-account-mfa-device` is the fallback.
 */
export async function listRootVirtualMfaSerials(client: IAMClient): Promise<string[]> {
  const serials: string[] = [];
  const pages = paginateListVirtualMFADevices({ client }, { AssignmentStatus: "Assigned" });
  for await (const page of guarded("ListVirtualMFADevices", pages, marker)) {
    for (const d of page.VirtualMFADevices ?? []) {
      // The legacy serial name counts only when the device names no user: IAM users may pick it too.
      const isRoot = d.User?.Arn
        ? d.User.Arn.endsWith(":root")
        : d.SerialNumber?.endsWith(":mfa/root-account-mfa-device") === true;
      if (isRoot && d.SerialNumber) serials.push(d.SerialNumber);
    }
  }
  return serials;
}

/** The AWS managed AdministratorAccess policy, in any partition (aws, aws-cn, aws-us-gov…). */
const ADMINISTRATOR_ACCESS = /^arn:[a-z-]+:iam::aws:policy\/AdministratorAccess$/;

/**
 * The groups with AdministratorAccess attached, with their members. One ListGroups walk, then per
 * group ListAttachedGroupPolicies, and GetGroup for the admin groups only; every call paginated.
 * Groups are read one after the other: accounts have few, and the call count stays predictable.
 */
export async function listAdminGroups(client: IAMClient): Promise<IamAdminGroup[]> {
  const admins: IamAdminGroup[] = [];
  for await (const page of guarded("ListGroups", paginateListGroups({ client }, {}), marker)) {
    for (const group of page.Groups ?? []) {
      const GroupName = group.GroupName ?? "";
      let isAdmin = false;
      const policies = paginateListAttachedGroupPolicies({ client }, { GroupName });
      for await (const p of guarded("ListAttachedGroupPolicies", policies, marker)) {
        isAdmin = (p.AttachedPolicies ?? []).some((a) =>
          ADMINISTRATOR_ACCESS.test(a.PolicyArn ?? ""),
        );
        if (isAdmin) break;
      }
      if (!isAdmin) continue;
      const userNames: string[] = [];
      for await (const p of guarded(
        "GetGroup",
        paginateGetGroup({ client }, { GroupName }),
        marker,
      )) {
        userNames.push(...(p.Users ?? []).map((u) => u.UserName ?? ""));
      }
      admins.push({ name: GroupName, arn: group.Arn ?? "", userNames });
    }
  }
  return admins;
}
