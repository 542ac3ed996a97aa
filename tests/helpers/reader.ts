/**
 * An AccountReader serving a snapshot's facts from memory: the engine and CLI tested without HTTP.
 * Override any method to make it throw.
 */
import type { AccountReader } from "../../shared/collect/reader";
import type { AccountSnapshot, AwsIpRanges, CredentialReportRow } from "../../shared/model";
import { resultLine } from "./snapshot";

const HEADER =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/** Serialises rows back to the credential report CSV (lower-case booleans, N/A), as AWS sends it. */
export function credentialReportCsv(rows: readonly CredentialReportRow[]): string {
  const na = (v: string | null) => v ?? "N/A";
  const lines = rows.map((r) =>
    [
      r.user,
      r.arn,
      na(r.userCreationTime),
      String(r.passwordEnabled),
      r.passwordEnabled === false ? "N/A" : (r.passwordLastUsed ?? "no_information"),
      "N/A",
      "N/A",
      String(r.mfaActive),
      String(r.accessKey1Active),
      "N/A",
      na(r.accessKey1LastUsedDate),
      "N/A",
      "N/A",
      String(r.accessKey2Active),
      "N/A",
      na(r.accessKey2LastUsedDate),
      "N/A",
      "N/A",
      "false",
      "N/A",
      "false",
      "N/A",
    ].join(","),
  );
  return [HEADER, ...lines].join("\n");
}

const missing = (what: string) => () => Promise.reject(new Error(`test reader has no ${what}`));

export function readerFor(
  s: AccountSnapshot,
  overrides: Partial<AccountReader> = {},
): AccountReader {
  const region = (name: string) => s.lightsail.find((r) => r.region === name);
  return {
    getCallerIdentity: async () => ({
      accountId: s.accountId,
      partition: s.partition,
      arn: `arn:${s.partition}:iam::${s.accountId}:user/auditor`,
    }),
    getCredentialReportCsv: s.iam.credentialReport
      ? async () => credentialReportCsv(s.iam.credentialReport ?? [])
      : missing("credential report"),
    getAccountSummary: s.iam.accountSummary
      ? async () => ({ ...s.iam.accountSummary })
      : missing("summary"),
    listRootVirtualMfaSerials: async () => [...(s.iam.rootVirtualMfaSerials ?? [])],
    listAdminGroups: s.iam.adminGroups
      ? async () => structuredClone(s.iam.adminGroups ?? [])
      : missing("admin groups"),
    getInstances: async (r) => structuredClone(region(r)?.instances ?? []),
    getLoadBalancers: async (r) =>
      structuredClone(region(r)?.loadBalancers ?? []).map((lb) => ({ ...lb, certificates: null })),
    getLoadBalancerCertificates: async (r, name) =>
      structuredClone(region(r)?.loadBalancers?.find((lb) => lb.name === name)?.certificates ?? []),
    getLoadBalancerTlsPolicies: async (r) => structuredClone(region(r)?.tlsPolicies ?? []),
    getStaticIps: async (r) => structuredClone(region(r)?.staticIps ?? []),
    getRelationalDatabases: async (r) => structuredClone(region(r)?.databases ?? []),
    getBuckets: async (r) =>
      structuredClone(region(r)?.buckets ?? []).map((b) => ({ ...b, accessKeys: null })),
    getBucketAccessKeys: async (r, name) =>
      structuredClone(region(r)?.buckets?.find((b) => b.name === name)?.accessKeys ?? []),
    getDistributions: async () => structuredClone(s.distributions ?? []),
    getCertificates: async () => structuredClone(s.certificates ?? []),
    getDomains: async () => structuredClone(s.domains ?? []),
    getAwsIpRanges: s.awsIpRanges
      ? async () => structuredClone(s.awsIpRanges as AwsIpRanges)
      : missing("AWS IP ranges"),
    getManagedNodes: async (r) => structuredClone(region(r)?.managedNodes ?? []),
    // The runs back as SSM lists them: the result as the line the script printed.
    getCommandRuns: async (r, documentName) =>
      documentName.endsWith("wordpress-inventory")
        ? // The inventory document's runs: their output is read with getCommandOutput.
          (region(r)?.wordpressInventories ?? []).map(
            ({ inventory: _i, resultError: _e, ...run }) => ({ ...run, output: "" }),
          )
        : (region(r)?.patchRuns ?? []).map(({ result, resultError: _e, ...run }) => ({
            ...run,
            output: result ? `${resultLine(result)}\n` : "",
          })),
    getCommandOutput: async (r, commandId, instanceId) => {
      const run = (region(r)?.wordpressInventories ?? []).find(
        (i) => i.commandId === commandId && i.instanceId === instanceId,
      );
      return run?.inventory
        ? `${JSON.stringify({ lightsailAuditorWp: 1, ...run.inventory })}\n`
        : "";
    },
    ...overrides,
  };
}
