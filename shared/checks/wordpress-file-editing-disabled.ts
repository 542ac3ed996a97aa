/**
 * One result per WordPress instance: PASS when every install's wp-config.php sets
 * DISALLOW_FILE_EDIT (or DISALLOW_FILE_MODS, which includes it) to true; FAIL when one does not;
 * ERROR when wp-config.php is missing, unreadable, or sets it from an expression.
 */
import { defineCheck, type Outcome } from "../model";
import {
  constant,
  eachWordPressInstance,
  otherFilesNote,
  readableConfig,
  sitePath,
  truthy,
  verdict,
  where,
} from "./lib/wordpress";

export default defineCheck({
  id: "wordpress-file-editing-disabled",
  title: "WordPress's built-in plugin and theme file editor is turned off",
  severity: "medium",
  risk:
    "With the file editor on, anyone who gets an administrator session (a phished or reused password, a stolen cookie) can write PHP into a plugin or theme from the browser and run any code on the server. " +
    "Turning it off is WordPress's own hardening advice. OWASP Top 10 2021 A05 (Security Misconfiguration).",
  remediation: {
    summary:
      "Add define( 'DISALLOW_FILE_EDIT', true ); to wp-config.php, above the line that says to stop editing.",
    steps: [
      "Connect with SSH (Lightsail > Instances > <instance-name> > Connect using SSH).",
      "Edit wp-config.php (on the Bitnami image /opt/bitnami/wordpress/wp-config.php): sudo nano /opt/bitnami/wordpress/wp-config.php.",
      "Add define( 'DISALLOW_FILE_EDIT', true ); before /* That's all, stop editing! */ and save.",
      "Check: Appearance > Theme File Editor and Plugins > Plugin File Editor are gone from the admin menu.",
    ],
    // Through SSM Run Command (the instance is a managed node); wp-cli as the Bitnami image's
    // bitnami user, who owns the WordPress files (the command runs as root).
    cli: `aws ssm send-command --region <node-region> --instance-ids <mi-id> --document-name AWS-RunShellScript --parameters 'commands=["sudo -u bitnami wp --path=/opt/bitnami/wordpress config set DISALLOW_FILE_EDIT true --raw"]'`,
    console: "wp-config.php on the instance (WordPress admin cannot change it)",
  },
  reads: ["instances", "managedNodes", "wordpressInventories"],
  evaluate(snapshot, ctx): Outcome[] {
    return eachWordPressInstance(snapshot, ctx, (sites, instance) => {
      const on = `instance "${instance.name}"`;
      const fails: string[] = [];
      const unknown: string[] = [];
      for (const site of sites) {
        const at = where(sites, site);
        if (!readableConfig(sites, site, unknown)) continue;
        const edit = truthy(constant(site, "DISALLOW_FILE_EDIT"));
        const mods = truthy(constant(site, "DISALLOW_FILE_MODS"));
        if (edit || mods) continue;
        if (edit === undefined || mods === undefined) {
          unknown.push(`DISALLOW_FILE_EDIT is set from an expression${at}`);
        } else fails.push(`wp-config.php does not set DISALLOW_FILE_EDIT${at}`);
      }
      const note = otherFilesNote(sites);
      return verdict(fails, unknown, {
        fail: (list) =>
          `The WordPress file editor is on for ${on}: ${list}. An administrator session is enough to run code on the server.${note}`,
        unknown: (list) => `Whether the file editor is off on ${on} is unknown: ${list}.`,
        pass: () =>
          `The WordPress file editor is off on ${on} (${sites.map(sitePath).join(", ")}).`,
      });
    });
  },
});
