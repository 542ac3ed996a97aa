/**
 * One result per WordPress instance: FAIL when an install turns off WordPress's own automatic
 * minor (security) core updates: AUTOMATIC_UPDATER_DISABLED true, WP_AUTO_UPDATE_CORE false, or
 * DISALLOW_FILE_MODS true (which stops the updater too). PASS when none does (minor updates are
 * WordPress's default); ERROR when wp-config.php is missing, unreadable, or sets them from
 * expressions. Debian's packaged WordPress turns them off on purpose (apt updates it): that is
 * a FAIL here unless the instance's packages are patched (see
 * lightsail-instance-auto-updates-enforced), and can be muted with that reason.
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
  id: "wordpress-core-auto-updates-on",
  title: "WordPress installs its security releases automatically",
  severity: "medium",
  risk:
    "WordPress ships security fixes as minor releases and installs them by itself within hours, unless wp-config.php turns the updater off. Then each fix waits for someone to log in and click, while the flaw it fixes is public. " +
    "OWASP Top 10 2021 A06 (Vulnerable and Outdated Components).",
  remediation: {
    summary:
      "Remove AUTOMATIC_UPDATER_DISABLED and DISALLOW_FILE_MODS from wp-config.php, and set WP_AUTO_UPDATE_CORE to 'minor' (or true).",
    steps: [
      "Connect with SSH and edit wp-config.php (Bitnami: /opt/bitnami/wordpress/wp-config.php).",
      "Delete the lines defining AUTOMATIC_UPDATER_DISABLED and DISALLOW_FILE_MODS (keep DISALLOW_FILE_EDIT).",
      "Set define( 'WP_AUTO_UPDATE_CORE', 'minor' );",
      'Check: Dashboard > Updates says "This site is automatically kept up to date with maintenance and security releases of WordPress only."',
    ],
    // Through SSM Run Command (the instance is a managed node); wp-cli as the Bitnami image's
    // bitnami user, who owns the WordPress files (the command runs as root).
    cli: `aws ssm send-command --region <node-region> --instance-ids <mi-id> --document-name AWS-RunShellScript --parameters 'commands=["sudo -u bitnami wp --path=/opt/bitnami/wordpress config set WP_AUTO_UPDATE_CORE minor","sudo -u bitnami wp --path=/opt/bitnami/wordpress config delete AUTOMATIC_UPDATER_DISABLED"]'`,
    console: "WordPress admin > Dashboard > Updates",
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
        const disabled = truthy(constant(site, "AUTOMATIC_UPDATER_DISABLED"));
        const mods = truthy(constant(site, "DISALLOW_FILE_MODS"));
        const core = constant(site, "WP_AUTO_UPDATE_CORE");
        if (disabled) fails.push(`AUTOMATIC_UPDATER_DISABLED is true${at}`);
        if (mods) fails.push(`DISALLOW_FILE_MODS is true, which also stops automatic updates${at}`);
        if (core === false) fails.push(`WP_AUTO_UPDATE_CORE is false${at}`);
        if (disabled === undefined || mods === undefined || core === null) {
          unknown.push(`an update setting is set from an expression${at}`);
        }
      }
      const note = otherFilesNote(sites);
      return verdict(fails, unknown, {
        fail: (list) => `Automatic core security updates are off on ${on}: ${list}.${note}`,
        unknown: (list) =>
          `Whether core security updates install themselves on ${on} is unknown: ${list}.`,
        pass: () =>
          `WordPress installs its security releases by itself on ${on} (${sites.map(sitePath).join(", ")}).${note}`,
      });
    });
  },
});
