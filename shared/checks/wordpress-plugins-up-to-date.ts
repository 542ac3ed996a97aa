/**
 * One result per WordPress instance listing its plugins that wordpress.org has a newer version
 * of (FAIL), and those it has closed (FAIL high: no fix will come). Plugins not in the
 * wordpress.org directory (premium, custom) are listed as not checked, never a finding; those
 * whose lookup failed make the result ERROR when nothing else fails. No result when lookups are
 * off. Must-use plugins are not in the directory and are not checked.
 */
import { defineCheck, type Outcome } from "../model";
import { joinList } from "./lib/resources";
import { eachWordPressInstance, orgFacts, settingsOf } from "./lib/wordpress";
import { compareItems } from "./lib/wordpress-items";

export default defineCheck({
  id: "wordpress-plugins-up-to-date",
  title: "WordPress plugins are up to date and still maintained",
  severity: "medium",
  risk:
    "Most WordPress sites are broken into through a plugin: a flaw is fixed in a new release, the fix shows where the flaw was, and sites that have not updated are attacked within days. " +
    "A plugin wordpress.org has closed (often for an unfixed security issue) will never get a fix. OWASP Top 10 2021 A06 (Vulnerable and Outdated Components).",
  remediation: {
    summary:
      "Update the listed plugins (snapshot first); replace or remove any plugin wordpress.org has closed.",
    steps: [
      "Take a snapshot: Lightsail > Instances > <instance-name> > Snapshots > Create snapshot.",
      "In WordPress: Plugins > Installed Plugins, select the plugins with an update, Bulk actions > Update.",
      "For a closed plugin: read why on its wordpress.org page, find a maintained replacement, then deactivate and delete it (Plugins > Installed Plugins > Deactivate > Delete).",
      "Turn on auto-updates for plugins you trust: Plugins > Installed Plugins > Enable auto-updates.",
    ],
    // Through SSM Run Command (the instance is a managed node); wp-cli as the Bitnami image's
    // bitnami user, who owns the WordPress files (the command runs as root).
    cli: `aws ssm send-command --region <node-region> --instance-ids <mi-id> --document-name AWS-RunShellScript --parameters 'commands=["sudo -u bitnami wp --path=/opt/bitnami/wordpress plugin update <plugin-slug>"]'`,
    console: "WordPress admin > Plugins > Installed Plugins",
  },
  reads: ["instances", "managedNodes", "wordpressInventories", "wordpressOrg"],
  evaluate(snapshot, ctx): Outcome[] {
    if (!settingsOf(ctx).lookups) return [];
    return eachWordPressInstance(snapshot, ctx, (sites, instance) => {
      const facts = orgFacts(snapshot);
      if ("error" in facts) return { status: "ERROR", message: facts.error };
      const c = compareItems(sites, "plugins", facts.org.plugins);
      const on = `instance "${instance.name}"`;
      const notes = [
        c.notChecked.length > 0
          ? `Not checked (not in the wordpress.org directory): ${joinList(c.notChecked)}.`
          : "",
        c.more > 0
          ? `${c.more} more plugin(s) were not listed by the inventory and not checked.`
          : "",
      ]
        .filter(Boolean)
        .join(" ");
      const tail = notes ? ` ${notes}` : "";
      if (c.closed.length > 0 || c.outdated.length > 0) {
        const parts = [
          c.closed.length > 0
            ? `closed by wordpress.org (no fix will come): ${joinList(c.closed)}`
            : "",
          c.outdated.length > 0 ? `a newer version exists: ${joinList(c.outdated)}` : "",
          c.errors.length > 0
            ? `could not be checked (wordpress.org could not be reached): ${joinList(c.errors)}`
            : "",
        ].filter(Boolean);
        return {
          status: "FAIL",
          ...(c.closed.length > 0 ? { severity: "high" as const } : {}),
          message: `Plugins on ${on}: ${parts.join("; ")}.${tail}`,
        };
      }
      if (c.errors.length > 0) {
        return {
          status: "ERROR",
          message: `wordpress.org could not be reached for ${joinList(c.errors)} on ${on}, so whether they are up to date is unknown.${tail}`,
        };
      }
      return {
        status: "PASS",
        message: `The ${c.current.length} plugin(s) of ${on} found on wordpress.org are up to date.${tail}`,
      };
    });
  },
});
