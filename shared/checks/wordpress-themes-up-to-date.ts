/**
 * One result per WordPress instance listing its themes that wordpress.org has a newer version of
 * (inactive themes too: their files are reachable on the web whether the theme is active or not),
 * and those it has closed. Themes not in the directory are listed as not checked. No result when
 * lookups are off.
 */
import { defineCheck, type Outcome } from "../model";
import { eachWordPressInstance, orgFacts, settingsOf } from "./lib/wordpress";
import { compareItems, itemsOutcome } from "./lib/wordpress-items";

export default defineCheck({
  id: "wordpress-themes-up-to-date",
  title: "WordPress themes are up to date",
  severity: "medium",
  risk: "A theme is PHP code like a plugin: an outdated one can carry a fixed and published flaw, and an inactive theme's files are still reachable on the web. OWASP Top 10 2021 A06 (Vulnerable and Outdated Components).",
  remediation: {
    summary: "Update the listed themes (snapshot first); delete themes you do not use.",
    steps: [
      "Take a snapshot: Lightsail > Instances > <instance-name> > Snapshots > Create snapshot.",
      "In WordPress: Appearance > Themes, open each theme with an update and click Update now (or Dashboard > Updates > Themes).",
      "Delete the themes you do not use (keep one default theme as a fallback): Appearance > Themes > Theme details > Delete.",
    ],
    // Through SSM Run Command (the instance is a managed node); wp-cli as the Bitnami image's
    // bitnami user, who owns the WordPress files (the command runs as root).
    cli: `aws ssm send-command --region <node-region> --instance-ids <mi-id> --document-name AWS-RunShellScript --parameters 'commands=["sudo -u bitnami wp --path=/opt/bitnami/wordpress theme update <theme-slug>"]'`,
    console: "WordPress admin > Appearance > Themes",
  },
  reads: ["instances", "managedNodes", "wordpressInventories", "wordpressOrg"],
  evaluate(snapshot, ctx): Outcome[] {
    if (!settingsOf(ctx).lookups) return [];
    // One answer for the whole account: judged per instance below.
    const facts = orgFacts(snapshot);
    return eachWordPressInstance(snapshot, ctx, (sites, instance) => {
      if ("error" in facts) return { status: "ERROR", message: facts.error };
      return itemsOutcome(
        compareItems(sites, "themes", facts.org.themes),
        {
          heading: "Themes",
          noun: "theme",
          closed: "closed by wordpress.org",
        },
        `instance "${instance.name}"`,
      );
    });
  },
});
