/**
 * One result per WordPress instance listing its plugins that wordpress.org has a newer version
 * of (FAIL), and those it has closed (FAIL high: no fix will come). Plugins not in the
 * wordpress.org directory (premium, custom) are listed as not checked, never a finding; those
 * whose lookup failed make the result ERROR when nothing else fails. No result when lookups are
 * off. Must-use plugins are not in the directory and are not checked.
 */
import { defineCheck, type Outcome } from "../model";
import { eachWordPressInstance, orgFacts, settingsOf } from "./lib/wordpress";
import { compareItems, itemsOutcome } from "./lib/wordpress-items";

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
    // One answer for the whole account: judged per instance below.
    const facts = orgFacts(snapshot);
    return eachWordPressInstance(snapshot, ctx, (sites, instance) => {
      if ("error" in facts) return { status: "ERROR", message: facts.error };
      return itemsOutcome(
        compareItems(sites, "plugins", facts.org.plugins),
        {
          heading: "Plugins",
          noun: "plugin",
          closed: "closed by wordpress.org (no fix will come)",
        },
        `instance "${instance.name}"`,
      );
    });
  },
});
