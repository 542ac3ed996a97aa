/**
 * One result per WordPress instance: wordpress.org's verdict on the core version each install
 * runs (core stable-check). FAIL critical when a version is marked insecure, FAIL medium when it
 * is merely outdated, PASS when every install runs the latest release. ERROR when wordpress.org
 * could not be reached or does not list the version. No result when lookups are off.
 */
import { defineCheck, type Outcome } from "../model";
import { eachWordPressInstance, orgFacts, settingsOf, sitePath, where } from "./lib/wordpress";

export default defineCheck({
  id: "wordpress-core-not-insecure",
  title: "WordPress core is not a version with known security flaws",
  severity: "critical",
  risk:
    "wordpress.org marks a core release insecure once a later release fixes a security flaw in it: the flaw is then public, and automated scanners try it on every WordPress site they find. " +
    "An outdated (but not insecure) release misses fixes and is one step from insecure. OWASP Top 10 2021 A06 (Vulnerable and Outdated Components).",
  remediation: {
    summary: "Update WordPress core to the latest release (take a snapshot of the instance first).",
    steps: [
      "Take a snapshot: Lightsail > Instances > <instance-name> > Snapshots > Create snapshot.",
      "In WordPress: Dashboard > Updates > Update to version <latest> (needs an administrator).",
      "Or over SSH on the Bitnami image: wp core update, then wp core update-db (run them as the bitnami user in /opt/bitnami/wordpress).",
      "Check the site, then let minor releases install themselves (see wordpress-core-auto-updates-on).",
    ],
    // Through SSM Run Command (the instance is a managed node); wp-cli as the Bitnami image's
    // bitnami user, who owns the WordPress files (the command runs as root).
    cli: `aws ssm send-command --region <node-region> --instance-ids <mi-id> --document-name AWS-RunShellScript --parameters 'commands=["sudo -u bitnami wp --path=/opt/bitnami/wordpress core update","sudo -u bitnami wp --path=/opt/bitnami/wordpress core update-db","sudo -u bitnami wp --path=/opt/bitnami/wordpress core version"]'`,
    console: "WordPress admin > Dashboard > Updates",
  },
  reads: ["instances", "managedNodes", "wordpressInventories", "wordpressOrg"],
  evaluate(snapshot, ctx): Outcome[] {
    if (!settingsOf(ctx).lookups) return [];
    // One answer for the whole account: judged per instance below.
    const facts = orgFacts(snapshot);
    return eachWordPressInstance(snapshot, ctx, (sites, instance) => {
      if ("error" in facts) return { status: "ERROR", message: facts.error };
      const { coreStatus, latestCore } = facts.org;
      if (coreStatus === null) {
        return {
          status: "ERROR",
          message: `${facts.org.errors[0] ?? "wordpress.org could not be reached"}: whether the WordPress core of instance "${instance.name}" is insecure is unknown.`,
        };
      }
      const latest = latestCore ? ` The latest release is ${latestCore}.` : "";
      const lines: { rank: number; text: string }[] = sites.map((site) => {
        const at = where(sites, site);
        if (site.core === null) return { rank: 1, text: `its core version could not be read${at}` };
        const status = coreStatus[site.core];
        if (status === "insecure") {
          return {
            rank: 4,
            text: `WordPress ${site.core}${at} is marked insecure by wordpress.org`,
          };
        }
        if (status === "outdated") {
          return { rank: 3, text: `WordPress ${site.core}${at} is outdated (not insecure yet)` };
        }
        if (status === "latest")
          return { rank: 0, text: `WordPress ${site.core}${at} is the latest release` };
        return {
          rank: 1,
          text: `WordPress ${site.core}${at} is not a release wordpress.org lists`,
        };
      });
      const worst = Math.max(...lines.map((l) => l.rank));
      const text = lines.map((l) => l.text).join("; ");
      const on = `on instance "${instance.name}"`;
      if (worst === 4) return { status: "FAIL", message: `${text} ${on}: update it now.${latest}` };
      if (worst === 3) {
        return { status: "FAIL", severity: "medium", message: `${text} ${on}.${latest}` };
      }
      if (worst === 1) {
        return { status: "ERROR", message: `${text} ${on}, so whether it is insecure is unknown.` };
      }
      return {
        status: "PASS",
        message: `${text} ${on} (${sites.map(sitePath).join(", ")}).`,
      };
    });
  },
});
