/**
 * The demo account's WordPress inventories: what inventory.sh prints on its three SSM-managed
 * WordPress instances, with the typical problems (an insecure core, a closed plugin, a served
 * debug.log, a world-readable wp-config.php, auto-updates off). The documents have the exact shape
 * the script prints (tests/integration/wordpress-inventory.test.ts runs it on real trees).
 */
import type { WordPressSite } from "../../../shared/model";

const BITNAMI = "/opt/bitnami/wordpress";

function site(overrides: Partial<WordPressSite>): WordPressSite {
  return {
    path: BITNAMI,
    core: "6.8.3",
    config: {
      path: `${BITNAMI}/wp-config.php`,
      mode: "640",
      owner: "bitnami",
      group: "daemon",
      readable: true,
      loadsOtherFiles: false,
      constants: { DISALLOW_FILE_EDIT: true, WP_DEBUG: false, FORCE_SSL_ADMIN: true },
    },
    debugLog: null,
    plugins: [["akismet", "5.5"]],
    pluginsMore: 0,
    muPlugins: [],
    muPluginsMore: 0,
    themes: [["twentytwentyfive", "1.3"]],
    themesMore: 0,
    activeTheme: "twentytwentyfive",
    ...overrides,
  };
}

/** The inventory document inventory.sh prints (one line), for `sites`. */
export function inventoryOutput(sites: WordPressSite[], errors: string[] = []): string {
  return `${JSON.stringify({ lightsailAuditorWp: 1, sites, listCap: 200, errors })}\n`;
}

/** The demo's three inventoried instances, by managed node id. */
export const DEMO_INVENTORIES: Record<string, WordPressSite[]> = {
  // wordpress-blog: an old core (insecure), debug on with a served log, a closed plugin.
  "mi-0123456789abcdef0": [
    site({
      core: "6.1.1",
      config: {
        path: `${BITNAMI}/wp-config.php`,
        mode: "640",
        owner: "bitnami",
        group: "daemon",
        readable: true,
        loadsOtherFiles: false,
        constants: { WP_DEBUG: true, WP_DEBUG_LOG: true },
      },
      debugLog: { path: `${BITNAMI}/wp-content/debug.log`, bytes: 48213, served: true },
      plugins: [
        ["akismet", "5.0.2"],
        ["contact-form-7", "5.7.7"],
        ["display-widgets", "2.6.3.1"],
        ["hello", "1.7.2"],
      ],
      themes: [
        ["twentytwentythree", "1.0"],
        ["twentytwentyfive", "1.3"],
      ],
      activeTheme: null,
    }),
  ],
  // wordpress-shop: current and hardened, but WooCommerce behind and a premium plugin.
  "mi-0fedcba9876543210": [
    site({
      plugins: [
        ["akismet", "5.5"],
        ["woocommerce", "8.2.1"],
        ["woocommerce-subscriptions", "6.4.0"],
      ],
    }),
  ],
  // agency-site: a Debian-style install: outdated core, updates off, wp-config.php readable by all.
  "mi-0a1b2c3d4e5f67890": [
    site({
      path: "/var/www/agency",
      core: "6.7.2",
      config: {
        path: "/var/www/agency/wp-config.php",
        mode: "644",
        owner: "www-data",
        group: "www-data",
        readable: true,
        loadsOtherFiles: false,
        constants: {
          DISALLOW_FILE_EDIT: true,
          AUTOMATIC_UPDATER_DISABLED: true,
          WP_AUTO_UPDATE_CORE: false,
        },
      },
    }),
  ],
};
