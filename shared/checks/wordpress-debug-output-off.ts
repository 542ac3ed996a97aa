/**
 * One result per WordPress instance: FAIL when an install shows PHP errors to visitors (WP_DEBUG
 * on and WP_DEBUG_DISPLAY not false: WordPress displays them by default in debug mode), or when a
 * debug.log lies where the web server serves it. PASS otherwise; ERROR when wp-config.php is
 * missing, unreadable, or sets these from expressions.
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
  id: "wordpress-debug-output-off",
  title: "WordPress shows no debug output and serves no debug.log",
  severity: "medium",
  risk:
    "Debug output shows visitors file paths, database errors and sometimes queries; a debug.log under wp-content can be downloaded by anyone at /wp-content/debug.log and often holds paths, e-mail addresses, tokens or order data. " +
    "Scanners request that file on every WordPress site. OWASP Top 10 2021 A05 (Security Misconfiguration).",
  remediation: {
    summary:
      "Turn debug mode off in wp-config.php (or at least WP_DEBUG_DISPLAY false), and move or delete the served debug.log.",
    steps: [
      "Connect with SSH and edit wp-config.php (Bitnami: /opt/bitnami/wordpress/wp-config.php).",
      "Set define( 'WP_DEBUG', false ); (when debugging, keep WP_DEBUG true with define( 'WP_DEBUG_DISPLAY', false ); and a WP_DEBUG_LOG path outside the web root, e.g. '/opt/bitnami/wordpress-debug.log').",
      "Delete the served log after reading it: sudo rm /opt/bitnami/wordpress/wp-content/debug.log.",
    ],
    // Through SSM Run Command (the instance is a managed node); wp-cli as the Bitnami image's
    // bitnami user, who owns the WordPress files (the command runs as root).
    cli: `aws ssm send-command --region <node-region> --instance-ids <mi-id> --document-name AWS-RunShellScript --parameters 'commands=["sudo -u bitnami wp --path=/opt/bitnami/wordpress config set WP_DEBUG false --raw","sudo -u bitnami wp --path=/opt/bitnami/wordpress config set WP_DEBUG_DISPLAY false --raw","rm -f /opt/bitnami/wordpress/wp-content/debug.log"]'`,
    console: "wp-config.php on the instance",
  },
  reads: ["instances", "managedNodes", "wordpressInventories"],
  evaluate(snapshot, ctx): Outcome[] {
    return eachWordPressInstance(snapshot, ctx, (sites, instance) => {
      const on = `instance "${instance.name}"`;
      const fails: string[] = [];
      const unknown: string[] = [];
      for (const site of sites) {
        const at = where(sites, site);
        if (site.debugLog?.served) {
          fails.push(
            `${site.debugLog.path} (${site.debugLog.bytes} bytes) is served by the web server${at}`,
          );
        }
        if (!readableConfig(sites, site, unknown)) continue;
        const debug = truthy(constant(site, "WP_DEBUG"));
        // WP_DEBUG_DISPLAY defaults to true: only an explicit false hides the errors.
        const display = constant(site, "WP_DEBUG_DISPLAY");
        if (debug === false) continue;
        if (debug === undefined || display === null) {
          unknown.push(`WP_DEBUG or WP_DEBUG_DISPLAY is set from an expression${at}`);
        } else if (display === undefined || truthy(display)) {
          fails.push(
            `WP_DEBUG is on and WP_DEBUG_DISPLAY is not false, so PHP errors are shown to visitors${at}`,
          );
        }
      }
      const note = otherFilesNote(sites);
      return verdict(fails, unknown, {
        fail: (list) => `Debug output is exposed on ${on}: ${list}.${note}`,
        unknown: (list) => `Whether debug output is exposed on ${on} is unknown: ${list}.`,
        pass: () =>
          `No debug output is shown and no debug.log is served on ${on} (${sites.map(sitePath).join(", ")}).${note}`,
      });
    });
  },
});
