/**
 * The check registry: a plain array, validated when this module loads (unique ids, and each
 * check is a `defineCheck` result). Adding a check = one file named after its id, one line here,
 * one test file.
 */
import type { CheckDefinition } from "../model";
import iamAdminGroupInUse from "./iam-admin-group-in-use";
import iamRootHardwareMfa from "./iam-root-hardware-mfa";
import iamRootMfaEnabled from "./iam-root-mfa-enabled";
import iamRootNoAccessKeys from "./iam-root-no-access-keys";
import iamRootNotRecentlyUsed from "./iam-root-not-recently-used";
import iamUserConsoleMfaEnabled from "./iam-user-console-mfa-enabled";
import lightsailBucketAccessKeysRotated from "./lightsail-bucket-access-keys-rotated";
import lightsailBucketNotPublic from "./lightsail-bucket-not-public";
import lightsailBucketVersioningEnabled from "./lightsail-bucket-versioning-enabled";
import lightsailDatabaseBackupsEnabled from "./lightsail-database-backups-enabled";
import lightsailDatabaseMinorUpgradesOn from "./lightsail-database-minor-upgrades-on";
import lightsailDatabaseNotPublic from "./lightsail-database-not-public";
import lightsailDistributionHttps from "./lightsail-distribution-https";
import lightsailDnsNoDanglingRecords from "./lightsail-dns-no-dangling-records";
import lightsailInstanceAdminPortsNotPublic from "./lightsail-instance-admin-ports-not-public";
import lightsailInstanceAutoSnapshotsEnabled from "./lightsail-instance-auto-snapshots-enabled";
import lightsailInstanceAutoUpdatesEnforced from "./lightsail-instance-auto-updates-enforced";
import lightsailInstanceHttpsReachable from "./lightsail-instance-https-reachable";
import lightsailInstanceImdsv2Required from "./lightsail-instance-imdsv2-required";
import lightsailInstanceSshNotPublic from "./lightsail-instance-ssh-not-public";
import lightsailInstanceSsmManaged from "./lightsail-instance-ssm-managed";
import lightsailLbCertificateValid from "./lightsail-lb-certificate-valid";
import lightsailLbHttpRedirectsToHttps from "./lightsail-lb-http-redirects-to-https";
import lightsailLbHttpsEnabled from "./lightsail-lb-https-enabled";
import lightsailLbTlsPolicyCurrent from "./lightsail-lb-tls-policy-current";
import lightsailStaticIpAttached from "./lightsail-static-ip-attached";
import wordpressConfigNotWorldReadable from "./wordpress-config-not-world-readable";
import wordpressCoreAutoUpdatesOn from "./wordpress-core-auto-updates-on";
import wordpressCoreNotInsecure from "./wordpress-core-not-insecure";
import wordpressDebugOutputOff from "./wordpress-debug-output-off";
import wordpressFileEditingDisabled from "./wordpress-file-editing-disabled";
import wordpressPluginsUpToDate from "./wordpress-plugins-up-to-date";
import wordpressThemesUpToDate from "./wordpress-themes-up-to-date";

/**
 * Throws when two checks share an id. Returns the list frozen.
 *
 * @example
 * validateRegistry([checkA, checkB]); // throws `duplicate check id "x"` if both are "x"
 */
export function validateRegistry(checks: readonly CheckDefinition[]): readonly CheckDefinition[] {
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.id)) throw new Error(`duplicate check id "${check.id}" in the registry`);
    seen.add(check.id);
  }
  return Object.freeze([...checks]);
}

/** Every check, in report order: IAM (root first), then Lightsail instances, LBs, distributions. */
export const CHECKS: readonly CheckDefinition[] = validateRegistry([
  iamRootMfaEnabled,
  iamRootHardwareMfa,
  iamRootNoAccessKeys,
  iamRootNotRecentlyUsed,
  iamAdminGroupInUse,
  iamUserConsoleMfaEnabled,
  lightsailInstanceSshNotPublic,
  lightsailInstanceAdminPortsNotPublic,
  lightsailInstanceHttpsReachable,
  lightsailInstanceAutoSnapshotsEnabled,
  lightsailInstanceImdsv2Required,
  lightsailInstanceSsmManaged,
  lightsailInstanceAutoUpdatesEnforced,
  // WordPress itself, from the SSM inventory (issue 16)
  wordpressCoreNotInsecure,
  wordpressPluginsUpToDate,
  wordpressThemesUpToDate,
  wordpressFileEditingDisabled,
  wordpressDebugOutputOff,
  wordpressConfigNotWorldReadable,
  wordpressCoreAutoUpdatesOn,
  lightsailLbHttpsEnabled,
  lightsailLbHttpRedirectsToHttps,
  lightsailLbCertificateValid,
  lightsailLbTlsPolicyCurrent,
  lightsailDistributionHttps,
  lightsailStaticIpAttached,
  lightsailDatabaseNotPublic,
  lightsailDatabaseBackupsEnabled,
  lightsailDatabaseMinorUpgradesOn,
  lightsailBucketNotPublic,
  lightsailBucketVersioningEnabled,
  lightsailBucketAccessKeysRotated,
  lightsailDnsNoDanglingRecords,
]);

/** The public check ids, in registry order. */
export const CHECK_IDS: readonly string[] = Object.freeze(CHECKS.map((c) => c.id));

/** The check with this id, or `undefined`. */
export function getCheck(id: string): CheckDefinition | undefined {
  return CHECKS.find((c) => c.id === id);
}
