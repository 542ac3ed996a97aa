/**
 * IAM (awsQuery, global: the region in the credential scope is ignored).
 *
 * Credential report flow, as AWS (and moto) behave: GetCredentialReport before any generation
 * fails `ReportNotPresent` (410). The first GenerateCredentialReport answers `STARTED` with "No
 * report exists. Starting a new report generation task"; the next `settings.credentialReportPolls`
 * GetCredentialReport calls fail `ReportInProgress` (404, which the SDK names
 * CredentialReportNotReadyException) while Generate answers `INPROGRESS`; after that Generate
 * answers `COMPLETE` and Get returns the CSV, base64 in `<Content>` (the SDK decodes it to bytes).
 *
 * Lists page with Marker/MaxItems (default 100) and IsTruncated. Root's virtual MFA device is served
 * as stored: its `User` has no UserName or Path, like the real capture.
 */
import { AwsError, paginate, type QueryParams, XmlMap, type XmlObject } from "../protocol";
import type { CallContext, QueryService } from "../state";

function page<T>(items: readonly T[], params: QueryParams): { items: T[]; truncation: XmlObject } {
  const maxItems = Number(params.MaxItems ?? 100);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw new AwsError("ValidationError", "MaxItems must be between 1 and 1000.");
  }
  const result = paginate(items, params.Marker, maxItems, () => {
    return new AwsError("ValidationError", "Invalid Marker.");
  });
  return {
    items: result.page,
    truncation: { IsTruncated: result.next !== undefined, Marker: result.next },
  };
}

function noSuchEntity(kind: string, name: string): AwsError {
  return new AwsError("NoSuchEntity", `The ${kind} with name ${name} cannot be found.`, 404);
}

function findGroup(params: QueryParams, { state }: CallContext) {
  const name = params.GroupName ?? "";
  const group = state.account.iam.groups.find((g) => g.GroupName === name);
  if (!group) throw noSuchEntity("group", name);
  return group;
}

export const iam: QueryService = {
  protocol: "query",
  xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
  operations: {
    GenerateCredentialReport: (_params, { state }) => {
      const report = state.credentialReport;
      if (report.generatedAt === undefined) {
        report.generatedAt = state.now();
        report.pendingPolls = state.settings.credentialReportPolls;
        return {
          State: "STARTED",
          Description: "No report exists. Starting a new report generation task",
        };
      }
      return { State: report.pendingPolls > 0 ? "INPROGRESS" : "COMPLETE" };
    },

    GetCredentialReport: (_params, { state }) => {
      const report = state.credentialReport;
      if (report.generatedAt === undefined) {
        throw new AwsError("ReportNotPresent", "Credential report not present.", 410);
      }
      if (report.pendingPolls > 0) {
        report.pendingPolls -= 1;
        throw new AwsError("ReportInProgress", "Credential report generation is in progress.", 404);
      }
      return {
        Content: Buffer.from(state.account.iam.credentialReportCsv).toString("base64"),
        ReportFormat: "text/csv",
        GeneratedTime: report.generatedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
      };
    },

    GetAccountSummary: (_params, { state }) => ({
      SummaryMap: new XmlMap({ ...state.account.iam.accountSummary }),
    }),

    ListVirtualMFADevices: (params, { state }) => {
      const status = params.AssignmentStatus ?? "Any";
      const devices = state.account.iam.virtualMfaDevices.filter(
        (d) =>
          status === "Any" ||
          (status === "Assigned" && d.User !== undefined) ||
          (status === "Unassigned" && d.User === undefined),
      );
      const { items, truncation } = page(devices, params);
      return {
        VirtualMFADevices: items.map((d) => ({ ...d, User: d.User && { ...d.User } })),
        ...truncation,
      };
    },

    ListUsers: (params, { state }) => {
      const prefix = params.PathPrefix ?? "/";
      const users = state.account.iam.users.filter((u) => u.Path.startsWith(prefix));
      const { items, truncation } = page(users, params);
      return { Users: items.map((u) => ({ ...u })), ...truncation };
    },

    ListGroups: (params, { state }) => {
      const prefix = params.PathPrefix ?? "/";
      const groups = state.account.iam.groups.filter((g) => g.Path.startsWith(prefix));
      const { items, truncation } = page(groups, params);
      return { Groups: items.map((g) => ({ ...g })), ...truncation };
    },

    GetGroup: (params, ctx) => {
      const group = findGroup(params, ctx);
      const iamData = ctx.state.account.iam;
      const members = (iamData.groupMembers[group.GroupName] ?? []).flatMap(
        (name) => iamData.users.find((u) => u.UserName === name) ?? [],
      );
      const { items, truncation } = page(members, params);
      return { Group: { ...group }, Users: items.map((u) => ({ ...u })), ...truncation };
    },

    ListAttachedGroupPolicies: (params, ctx) => {
      const group = findGroup(params, ctx);
      const policies = ctx.state.account.iam.groupPolicies[group.GroupName] ?? [];
      const { items, truncation } = page(policies, params);
      return { AttachedPolicies: items.map((p) => ({ ...p })), ...truncation };
    },

    ListMFADevices: (params, { state }) => {
      // Without UserName, IAM lists the caller's own devices, which only a user has.
      const callerUser = /:user\/(?:.*\/)?([^/]+)$/.exec(state.account.caller.Arn)?.[1];
      const userName = params.UserName ?? callerUser;
      if (userName === undefined) {
        throw new AwsError(
          "ValidationError",
          "Must specify userName when calling with non-User credentials",
        );
      }
      if (!state.account.iam.users.some((u) => u.UserName === userName)) {
        throw noSuchEntity("user", userName);
      }
      const devices = state.account.iam.mfaDevices.filter((d) => d.UserName === userName);
      const { items, truncation } = page(devices, params);
      return { MFADevices: items.map((d) => ({ ...d })), ...truncation };
    },
  },
};
