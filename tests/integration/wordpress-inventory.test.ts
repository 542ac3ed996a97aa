/**
 * The WordPress inventory script (shared/wordpress/inventory.sh), run for real on this Debian
 * machine against trees built under a temporary ROOT: Debian's `wordpress` package (a real 6.1.x
 * core tree at /usr/share/wordpress, with the akismet plugin and the twentytwentythree theme), and
 * Bitnami-like installs whose core links to it and whose plugins and themes carry the headers of
 * the real releases. Needs shellcheck and the `wordpress` package (CI installs both).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

const SCRIPT = new URL("../../shared/wordpress/inventory.sh", import.meta.url).pathname;
const DEBIAN_WP = "/usr/share/wordpress";

beforeAll(() => {
  const probe = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error("shellcheck is required (lints the inventory script); CI installs it");
  }
  if (!existsSync(join(DEBIAN_WP, "wp-includes/version.php"))) {
    throw new Error(`Debian's wordpress package is required (a real core tree at ${DEBIAN_WP})`);
  }
});

const temps: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "wp-inventory-"));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function write(path: string, text: string, mode = 0o644) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

function run(root: string, env: Record<string, string> = {}) {
  const r = spawnSync("sh", [SCRIPT], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ROOT: root, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inventory(root: string, env: Record<string, string> = {}) {
  const r = run(root, env);
  expect(r.status).toBe(0);
  expect(r.stdout.endsWith("}\n")).toBe(true);
  expect(r.stdout.trim().split("\n")).toHaveLength(1);
  return JSON.parse(r.stdout);
}

// Headers as the real releases ship them (the first lines of each main file or style.css).
const HEADERS = {
  woocommerce: `<?php
/**
 * Plugin Name: WooCommerce
 * Plugin URI: https://woocommerce.com/
 * Description: An ecommerce toolkit that helps you sell anything. Beautifully.
 * Version: 8.2.1
 * Author: Automattic
 * Author URI: https://woocommerce.com
 * Text Domain: woocommerce
 * Domain Path: /i18n/languages/
 * Requires at least: 6.2
 * Requires PHP: 7.3
 *
 * @package WooCommerce
 */

defined( 'ABSPATH' ) || exit;
`,
  // contact-form-7's main file is not named after its directory.
  contactForm7: `<?php
/*
Plugin Name: Contact Form 7
Plugin URI: https://contactform7.com/
Description: Just another contact form plugin. Simple but flexible.
Author: Rock Lobster Inc.
Author URI: https://ideasilo.wordpress.com/
Text Domain: contact-form-7
Domain Path: /languages/
Version: 5.7.7
Requires at least: 6.1
Requires PHP: 7.4
*/
`,
  // A single-file plugin; its @version docblock tag has no colon and is not the header.
  helloDolly: `<?php
/**
 * @package Hello_Dolly
 * @version 1.7.2
 */
/*
Plugin Name: Hello Dolly
Plugin URI: http://wordpress.org/plugins/hello-dolly/
Description: This is not just a plugin, it symbolizes the hope and enthusiasm of an entire generation summed up in two words sung most famously by Louis Armstrong: Hello, Dolly.
Author: Matt Mullenweg
Version: 1.7.2
Author URI: http://ma.tt/
*/
`,
  // Closed on wordpress.org in 2017; Windows line endings, as some zips carry.
  displayWidgets: `<?php\r\n/*\r\nPlugin Name: Display Widgets\r\nPlugin URI: https://wordpress.org/plugins/display-widgets/\r\nDescription: Adds checkboxes to each widget to show or hide on site pages.\r\nVersion: 2.6.3.1\r\nAuthor: displaywidget\r\n*/\r\n`,
  twentyTwentyOne: `/*
Theme Name: Twenty Twenty-One
Theme URI: https://wordpress.org/themes/twentytwentyone/
Author: the WordPress team
Author URI: https://wordpress.org/
Description: Twenty Twenty-One is a blank canvas for your ideas and it makes the block editor your best brush.
Requires at least: 5.3
Tested up to: 6.1
Requires PHP: 5.6
Version: 1.7
License: GNU General Public License v2 or later
License URI: https://www.gnu.org/licenses/old-licenses/gpl-2.0.html
Text Domain: twentytwentyone
Tags: one-column, accessibility-ready, custom-colors, custom-menu, custom-logo, editor-style, featured-images, footer-widgets, block-patterns, rtl-language-support, sticky-post, threaded-comments, translation-ready
*/
`,
};

/** Known secrets, shaped like the ones https://api.wordpress.org/secret-key/1.1/salt/ hands out. */
const SECRETS = {
  DB_PASSWORD: "Sup3r-S3cret_DbPass!word",
  AUTH_KEY: "q/*U7v#:r|Z)k0b]$O2i;&WmX}@F~tB-cE4Jn'9sA+!p%Hd",
  SECURE_AUTH_KEY: 'G.8<}x"y6Tz^V1wQ]e?a3Ng5$uR@Lm(Kj0*Cf!bD2hS+nP',
  LOGGED_IN_KEY: "xLOGGEDINKEYx0123456789abcdefghijklmnopqrstuvw",
  NONCE_KEY: "xNONCEKEYx*/ still inside a string, not a comment end",
  AUTH_SALT: "xAUTHSALTx // not a comment either",
  SECURE_AUTH_SALT: "xSECUREAUTHSALTx # nor this",
  LOGGED_IN_SALT: "xLOGGEDINSALTx",
  NONCE_SALT: "xNONCESALTx",
};

function phpString(value: string) {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** A wp-config.php as the Bitnami WordPress image writes it, with SECRETS and the given lines. */
function wpConfig(extra = "") {
  const secrets = Object.entries(SECRETS)
    .map(([k, v]) => `define( '${k}', ${phpString(v)} );`)
    .join("\n");
  return `<?php
/**
 * The base configuration for WordPress
 *
 * @package WordPress
 */
define( 'DB_NAME', 'bitnami_wordpress' );
define( 'DB_USER', 'bn_wordpress' );
define( 'DB_HOST', '127.0.0.1:3306' );
define( 'DB_CHARSET', 'utf8' );
define( 'DB_COLLATE', '' );
${secrets}
$table_prefix = 'wp_';
/* define( 'WP_DEBUG', false ); -- commented out in a block */
// define( 'DISALLOW_FILE_EDIT', false );
# define( 'FORCE_SSL_ADMIN', false );
${extra}
define( 'FS_METHOD', 'direct' );
/* That's all, stop editing! Happy publishing. */
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`;
}

/**
 * A Bitnami-like install at ROOT/SITE: the real core (links into Debian's tree), the real akismet
 * and twentytwentythree copied from it, and plugins and themes with the headers above.
 */
function bitnamiSite(root: string, site = "/opt/bitnami/wordpress", config = wpConfig()) {
  const dir = join(root, site);
  mkdirSync(dir, { recursive: true });
  for (const entry of ["wp-includes", "wp-admin", "index.php", "wp-settings.php", "wp-load.php"]) {
    symlinkSync(join(DEBIAN_WP, entry), join(dir, entry));
  }
  write(join(dir, "wp-config.php"), config, 0o640);
  const content = join(dir, "wp-content");
  cpSync(join(DEBIAN_WP, "wp-content/plugins"), join(content, "plugins"), { recursive: true });
  cpSync(join(DEBIAN_WP, "wp-content/themes"), join(content, "themes"), { recursive: true });
  write(join(content, "plugins/woocommerce/woocommerce.php"), HEADERS.woocommerce);
  write(join(content, "plugins/woocommerce/uninstall.php"), "<?php\n// no header\n");
  write(join(content, "plugins/contact-form-7/wp-contact-form-7.php"), HEADERS.contactForm7);
  write(join(content, "plugins/contact-form-7/settings.php"), "<?php\n");
  write(join(content, "plugins/hello.php"), HEADERS.helloDolly);
  write(join(content, "plugins/display-widgets/display-widgets.php"), HEADERS.displayWidgets);
  write(join(content, "plugins/not-a-plugin/readme.txt"), "Plugin Name: in a text file\n");
  write(join(content, "plugins/empty-dir/.keep"), "");
  write(
    join(content, "mu-plugins/bitnami-hardening.php"),
    "<?php\n/*\nPlugin Name: Bitnami Hardening\nVersion: 1.0.0\n*/\n",
  );
  write(join(content, "themes/twentytwentyone/style.css"), HEADERS.twentyTwentyOne);
  write(join(content, "themes/broken-theme/index.php"), "<?php\n");
  return dir;
}

/** sha256 of every path, mode and content under dir (links recorded, not followed). */
function treeHash(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = lstatSync(p);
      hash.update(`${p}\0${s.mode}\0${s.mtimeMs}\0`);
      if (s.isDirectory()) walk(p);
      else if (s.isFile()) hash.update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

describe("inventory.sh", () => {
  it("is shellcheck-clean (POSIX sh)", () => {
    const r = spawnSync("shellcheck", ["-s", "sh", SCRIPT], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("reads Debian's real core tree exactly (wordpressPaths), and marks its config as loading other files", () => {
    const root = temp();
    mkdirSync(join(root, "usr/share"), { recursive: true });
    symlinkSync(DEBIAN_WP, join(root, "usr/share/wordpress"));
    const version = /\$wp_version = '([^']+)'/.exec(
      readFileSync(join(DEBIAN_WP, "wp-includes/version.php"), "utf8"),
    )?.[1];

    const out = inventory(root, { WORDPRESS_PATHS: "/usr/share/wordpress" });

    expect(version).toMatch(/^6\.1\.\d+$/);
    expect(out).toEqual({
      lightsailAuditorWp: 1,
      sites: [
        {
          path: "/usr/share/wordpress",
          core: version,
          config: {
            path: "/usr/share/wordpress/wp-config.php",
            mode: "644",
            owner: "root",
            group: "root",
            readable: true,
            // Debian's config loads /etc/wordpress/config-<host>.php first: facts there are unread.
            loadsOtherFiles: true,
            // Debian turns core auto-updates off (its package updates WordPress).
            constants: {
              WP_AUTO_UPDATE_CORE: false,
              WP_CONTENT_DIR: "/var/lib/wordpress/wp-content",
            },
          },
          debugLog: null,
          plugins: [["akismet", "5.0.2"]],
          pluginsMore: 0,
          muPlugins: [],
          muPluginsMore: 0,
          themes: [["twentytwentythree", "1.0"]],
          themesMore: 0,
          activeTheme: "twentytwentythree",
        },
      ],
      listCap: 200,
      errors: [],
    });
  });

  it("inventories a Bitnami install exactly: core, plugins (any main file name, single files), must-use plugins, themes, config facts, a served debug.log", () => {
    const root = temp();
    const site = bitnamiSite(
      root,
      "/opt/bitnami/wordpress",
      wpConfig(`define( 'WP_DEBUG', true );
define('WP_DEBUG_DISPLAY',FALSE);
define( "WP_DEBUG_LOG", true );
define( 'WP_AUTO_UPDATE_CORE', 'minor' );
const FORCE_SSL_ADMIN = true;
define( 'AUTOMATIC_UPDATER_DISABLED', getenv( 'NO_UPDATES' ) );`),
    );
    write(join(site, "wp-content/debug.log"), "PHP Notice: something\n");

    const out = inventory(root);

    expect(out.sites).toEqual([
      {
        path: "/opt/bitnami/wordpress",
        core: expect.stringMatching(/^6\.1\.\d+$/),
        config: {
          path: "/opt/bitnami/wordpress/wp-config.php",
          mode: "640",
          owner: expect.any(String),
          group: expect.any(String),
          readable: true,
          loadsOtherFiles: false,
          constants: {
            WP_DEBUG: true,
            WP_DEBUG_DISPLAY: false,
            WP_DEBUG_LOG: true,
            WP_AUTO_UPDATE_CORE: "minor",
            FORCE_SSL_ADMIN: true,
            // An expression: its value is only known when PHP runs.
            AUTOMATIC_UPDATER_DISABLED: null,
          },
        },
        debugLog: { path: "/opt/bitnami/wordpress/wp-content/debug.log", bytes: 22, served: true },
        plugins: [
          ["akismet", "5.0.2"],
          ["contact-form-7", "5.7.7"],
          ["display-widgets", "2.6.3.1"],
          ["hello", "1.7.2"],
          ["woocommerce", "8.2.1"],
        ],
        pluginsMore: 0,
        muPlugins: [["bitnami-hardening", "1.0.0"]],
        muPluginsMore: 0,
        themes: [
          ["twentytwentyone", "1.7"],
          ["twentytwentythree", "1.0"],
        ],
        themesMore: 0,
        activeTheme: null,
      },
    ]);
    expect(out.errors).toEqual([]);
  });

  it("never prints a secret from wp-config.php, and reads the constants after salts holding /*, // and #", () => {
    const root = temp();
    bitnamiSite(
      root,
      "/opt/bitnami/wordpress",
      wpConfig(
        "define( 'DISALLOW_FILE_EDIT', true );\ndefine( 'WP_DEBUG_LOG', '/var/log/wp-debug.log' );",
      ),
    );

    const r = run(root);
    const out = JSON.parse(r.stdout);

    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(r.stdout, name).not.toContain(secret);
      expect(r.stderr, name).not.toContain(secret);
      // Not even a distinctive part of it.
      expect(r.stdout, name).not.toContain(secret.slice(0, 10));
    }
    for (const word of ["bitnami_wordpress", "bn_wordpress", "DB_PASSWORD", "AUTH_KEY"]) {
      expect(r.stdout).not.toContain(word);
    }
    expect(out.sites[0].config.constants).toEqual({
      DISALLOW_FILE_EDIT: true,
      WP_DEBUG_LOG: "/var/log/wp-debug.log",
    });
  });

  it("finds installs under /var/www/* and in wordpressPaths once each, with wp-config.php one level up; says which paths hold none", () => {
    const root = temp();
    const blog = bitnamiSite(root, "/var/www/blog/public");
    rmSync(join(blog, "wp-config.php"));
    write(join(root, "var/www/blog/wp-config.php"), wpConfig(), 0o604);
    bitnamiSite(root, "/var/www/shop");
    mkdirSync(join(root, "var/www/html"), { recursive: true });

    const out = inventory(root, {
      WORDPRESS_PATHS: "/var/www/blog/public, /var/www/shop/,/srv/none,relative/path",
    });

    expect(out.sites.map((s: { path: string }) => s.path)).toEqual([
      "/var/www/shop",
      "/var/www/blog/public",
    ]);
    expect(out.sites[1].config).toMatchObject({ path: "/var/www/blog/wp-config.php", mode: "604" });
    expect(out.errors).toEqual([
      "no WordPress install at /srv/none (no wp-includes/version.php)",
      "not an absolute path: relative/path",
    ]);
  });

  it("reports no install and no error on an instance without WordPress", () => {
    expect(inventory(temp())).toEqual({
      lightsailAuditorWp: 1,
      sites: [],
      listCap: 200,
      errors: [],
    });
  });

  it("keeps a site with 300 plugins under 24,000 characters, listing 200 and counting the rest", () => {
    const root = temp();
    const site = bitnamiSite(root);
    for (let i = 0; i < 295; i++) {
      const slug = `plugin-${String(i).padStart(3, "0")}`;
      write(
        join(site, `wp-content/plugins/${slug}/${slug}.php`),
        `<?php\n/**\n * Plugin Name: Plugin ${i}\n * Version: 1.${i}.0\n */\n`,
      );
    }

    const r = run(root);
    const out = JSON.parse(r.stdout);

    expect(r.stdout.length).toBeLessThan(24_000);
    expect(out.listCap).toBe(200);
    expect(out.sites[0].plugins).toHaveLength(200);
    expect(out.sites[0].pluginsMore).toBe(100);
    expect(out.sites[0].plugins[0]).toEqual(["akismet", "5.0.2"]);
  });

  it("lists fewer per site when long slugs and many sites would pass 24,000 characters", () => {
    const root = temp();
    for (const name of ["a", "b", "c"]) {
      const site = bitnamiSite(root, `/var/www/${name}`);
      for (let i = 0; i < 150; i++) {
        const slug = `a-rather-long-premium-plugin-slug-from-a-marketplace-${i}`;
        write(
          join(site, `wp-content/plugins/${slug}/${slug}.php`),
          `<?php\n/* Plugin Name: P${i}\nVersion: 10.20.30-beta.${i} */\n`,
        );
      }
    }

    const r = run(root);
    const out = JSON.parse(r.stdout);

    expect(r.stdout.length).toBeLessThan(24_000);
    // 3 x 155 entries of ~80 characters: 100 per site would still be ~24,000.
    expect(out.listCap).toBe(50);
    expect(out.sites).toHaveLength(3);
    expect(out.sites[0].plugins).toHaveLength(50);
    expect(out.sites[0].pluginsMore).toBe(105);
  });

  it("is read-only: two runs give the same output and leave the tree as it was", () => {
    const root = temp();
    const site = bitnamiSite(root);
    write(join(site, "wp-content/debug.log"), "x\n");
    const before = treeHash(root);

    const first = run(root);
    const second = run(root);

    expect(first.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(treeHash(root)).toBe(before);
  });

  it("escapes hostile directory names and headers into valid JSON", () => {
    const root = temp();
    const site = bitnamiSite(root);
    const slug = 'evil"\\\u001b[31m';
    write(
      join(site, `wp-content/plugins/${slug}/x.php`),
      '<?php\n/* Plugin Name: x\nVersion: 1.0"}],"sites":[ */\n',
    );

    const out = inventory(root);

    expect(out.sites[0].plugins).toContainEqual(['evil"\\[31m', '1.0"}],"sites":[']);
  });

  // root reads every file whatever its mode: only meaningful as another user.
  // Debian and Ubuntu ship mawk as awk, Amazon Linux GNU awk: the output must not depend on it.
  it.skipIf(!existsSync("/usr/bin/gawk"))(
    "prints the same inventory with GNU awk as with the system's awk (secrets included: none)",
    () => {
      const root = temp();
      bitnamiSite(
        root,
        "/opt/bitnami/wordpress",
        wpConfig("define( 'WP_DEBUG', true );\nconst FORCE_SSL_ADMIN = true;"),
      );
      const bin = temp();
      symlinkSync("/usr/bin/gawk", join(bin, "awk"));

      const system = run(root);
      const gnu = run(root, { PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}` });

      expect(gnu.stdout).toBe(system.stdout);
      expect(JSON.parse(gnu.stdout).sites[0].config.constants).toEqual({
        WP_DEBUG: true,
        FORCE_SSL_ADMIN: true,
      });
      for (const secret of Object.values(SECRETS)) expect(gnu.stdout).not.toContain(secret);
    },
  );

  it("says a wp-config.php it cannot read is unreadable, still with its mode", () => {
    const root = temp();
    const site = bitnamiSite(root);
    chmodSync(join(site, "wp-config.php"), 0o000);
    // root reads every file whatever its mode: run as nobody then (the tree open to it).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(root, 0o755);

    const r = spawnSync("sh", [SCRIPT], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ROOT: root },
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    const out = JSON.parse(r.stdout);

    expect(out.sites[0].config).toMatchObject({ mode: "0", readable: false, constants: {} });
    expect(out.errors).toEqual(["/opt/bitnami/wordpress/wp-config.php is not readable"]);
  });
});
