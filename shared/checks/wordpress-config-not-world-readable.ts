/**
 * One result per WordPress instance: FAIL when an install's wp-config.php (which holds the
 * database password and the keys that sign login cookies) can be read, or written, by every user
 * of the server (mode bits for "others"); PASS otherwise; ERROR when there is none or its mode is
 * unknown.
 */
import { defineCheck, type Outcome } from "../model";
import { eachWordPressInstance, verdict, where } from "./lib/wordpress";

export default defineCheck({
  id: "wordpress-config-not-world-readable",
  title: "wp-config.php is not readable by every user of the server",
  severity: "medium",
  risk:
    "wp-config.php holds the database password and the secret keys that sign login cookies. Readable by every local user, it is exposed to any other site, service or compromised plugin process on the server, " +
    "and to a path-traversal flaw running as another user; writable by all, anyone can make WordPress run their code. OWASP Top 10 2021 A05 (Security Misconfiguration).",
  remediation: {
    summary:
      "Make wp-config.php readable by its owner and the web server's group only (640), as the Bitnami image ships it.",
    steps: [
      "Connect with SSH (Lightsail > Instances > <instance-name> > Connect using SSH).",
      "Bitnami: sudo chown bitnami:daemon /opt/bitnami/wordpress/wp-config.php && sudo chmod 640 /opt/bitnami/wordpress/wp-config.php.",
      "Other layouts: chmod 640 on wp-config.php, group = the web server's (www-data on Debian and Ubuntu).",
      "Reload the site to check it still works.",
    ],
    // Through SSM Run Command (the instance is a managed node); wp-cli as the Bitnami image's
    // bitnami user, who owns the WordPress files (the command runs as root).
    cli: `aws ssm send-command --region <node-region> --instance-ids <mi-id> --document-name AWS-RunShellScript --parameters 'commands=["chmod 640 /opt/bitnami/wordpress/wp-config.php","stat -L -c %a /opt/bitnami/wordpress/wp-config.php"]'`,
    console: "the instance's file system (SSH)",
  },
  reads: ["instances", "managedNodes", "wordpressInventories"],
  evaluate(snapshot, ctx): Outcome[] {
    return eachWordPressInstance(snapshot, ctx, (sites, instance) => {
      const on = `instance "${instance.name}"`;
      const fails: string[] = [];
      const unknown: string[] = [];
      const ok: string[] = [];
      for (const site of sites) {
        const config = site.config;
        if (!config) {
          unknown.push(`no wp-config.php was found${where(sites, site)}`);
          continue;
        }
        if (!/^[0-7]{1,4}$/.test(config.mode)) {
          unknown.push(`the mode of ${config.path} could not be read`);
          continue;
        }
        const others = Number(config.mode.slice(-1));
        const owner = `${config.owner}:${config.group}`;
        if (others & 2)
          fails.push(`${config.path} is writable by every user (mode ${config.mode}, ${owner})`);
        else if (others & 4)
          fails.push(`${config.path} is readable by every user (mode ${config.mode}, ${owner})`);
        else ok.push(`${config.path} (mode ${config.mode}, ${owner})`);
      }
      return verdict(fails, unknown, {
        fail: (list) =>
          `On ${on}, ${list}: any local user or process can read the database password and cookie keys.`,
        unknown: (list) => `Whether wp-config.php is protected on ${on} is unknown: ${list}.`,
        pass: () => `On ${on}, wp-config.php is not readable by other users: ${ok.join("; ")}.`,
      });
    });
  },
});
